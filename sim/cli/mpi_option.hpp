// `--mpi` of `sweep` and `risk`: the MPI session every rank opens, or why
// there is none (docs/clusters.md).
#pragma once

#include "sim/experiment/mpi_dispatch.hpp"

#include <iostream>
#include <memory>

namespace outagesim::cli {

/// Opens the session into `session` when `wanted`; false, having said why
/// on stderr, when this binary was built without MPI.
inline bool open_mpi_session(bool wanted, std::unique_ptr<experiment::MpiSession>& session) {
  if (!wanted) return true;
  if (!experiment::mpi_available()) {
    std::cerr << "outagesim: error: --mpi: this outagesim was built without MPI (install Open MPI with "
                 "scripts/install-deps.sh and rebuild; docs/clusters.md)\n";
    return false;
  }
  session = std::make_unique<experiment::MpiSession>();
  return true;
}

}  // namespace outagesim::cli
