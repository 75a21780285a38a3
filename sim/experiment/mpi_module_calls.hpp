// What outagesim-mpi.so, the MPI side of `--mpi` built as a module, gives
// the program that loads it (sim/modules/load_module.hpp): MPI_Init and
// MPI_Finalize, a broadcast from rank 0, MPI_Abort, and the dispatcher
// (mpi_dispatch.hpp), behind one C entry point. Only this module links Open
// MPI, so that a run without `--mpi` never loads its eight libraries.
#pragma once

#include "mpi_dispatch.hpp"

#include <cstddef>
#include <vector>

namespace outagesim::experiment {

struct MpiModuleCalls {
  /// MPI_Init; sets this process's rank and the number of ranks. Throws on failure.
  void (*init)(int& rank, int& size);
  void (*finalize)();
  /// MPI_Bcast of one int from rank 0.
  int (*from_rank_zero)(int value);
  /// MPI_Abort of every rank; does not return.
  void (*abort_all)(int exit_code);
  /// dispatch() of mpi_dispatch.hpp with more than one rank, on rank `rank` of `size`.
  void (*dispatch)(int rank, int size, const std::vector<std::size_t>& ids, const RunOne& run_one,
                   const OnLine& on_line);
};

inline constexpr const char* mpi_module_file = "outagesim-mpi.so";
inline constexpr const char* mpi_module_entry = "outagesim_mpi_module_calls";

}  // namespace outagesim::experiment
