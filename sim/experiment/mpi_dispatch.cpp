#include "mpi_dispatch.hpp"

#include "mpi_module_calls.hpp"

#include "sim/modules/load_module.hpp"

#include <cstdlib>
#include <iostream>
#include <stdexcept>

namespace outagesim::experiment {
namespace {

#if OUTAGESIM_HAVE_MPI
/// outagesim-mpi.so, loaded by the first MpiSession. Global: Open MPI's
/// plug-ins look its symbols up in the process's global scope.
const MpiModuleCalls& mpi() {
  static const MpiModuleCalls& loaded = []() -> const MpiModuleCalls& {
    using Entry = const MpiModuleCalls* (*)();
    const auto entry = reinterpret_cast<Entry>(
        modules::load_module_entry(mpi_module_file, mpi_module_entry, modules::Visibility::global));
    return *entry();
  }();
  return loaded;
}
#else
[[noreturn]] const MpiModuleCalls& mpi() {
  throw std::runtime_error("this outagesim was built without MPI (CMake option OUTAGESIM_MPI, docs/clusters.md)");
}
#endif

}  // namespace

bool mpi_available() { return OUTAGESIM_HAVE_MPI != 0; }

MpiSession::MpiSession() { mpi().init(rank_, size_); }

MpiSession::~MpiSession() { mpi().finalize(); }

int MpiSession::from_rank_zero(int value) const { return mpi().from_rank_zero(value); }

void MpiSession::abort_all(int exit_code) {
#if OUTAGESIM_HAVE_MPI
  mpi().abort_all(exit_code);
  std::abort();  // abort_all does not return; this is for the compiler
#else
  std::exit(exit_code);
#endif
}

void dispatch(const MpiSession& session, const std::vector<std::size_t>& ids, const RunOne& run_one,
              const OnLine& on_line) {
  try {
    if (session.size() == 1) {
      for (std::size_t id : ids) on_line(id, run_one(id));
    } else {
      mpi().dispatch(session.rank(), session.size(), ids, run_one, on_line);
    }
  } catch (const std::exception& e) {
    std::cerr << "outagesim: internal error on MPI rank " << session.rank() << ": " << e.what() << '\n';
    MpiSession::abort_all(1);
  }
}

}  // namespace outagesim::experiment
