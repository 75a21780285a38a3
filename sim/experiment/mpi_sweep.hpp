// `mpirun -np N outagesim sweep SPEC --mpi --out DIR`: the sweep's runs
// handed out over MPI ranks by mpi_dispatch.hpp. Every rank prepares the
// sweep (spec and base checked once per process); rank 0 alone opens the
// journal, decides what is left to run (resume works as for the local
// runner), appends each run's line as a worker sends it, and writes the
// outputs. Workers run each id in a forked child (run_isolated.hpp), as the
// local runner does, so one worker runs one run at a time.
#pragma once

#include "mpi_dispatch.hpp"
#include "prepared_sweep.hpp"
#include "sweep_runner.hpp"

#include <ostream>

namespace outagesim::experiment {

/// Collective: every rank calls it. On rank 0, as run_sweep() (options.jobs
/// is not used: each worker rank runs one run at a time); on the others,
/// runs what rank 0 hands out and returns an empty outcome. Throws on rank 0
/// as run_sweep() does, after releasing the workers.
SweepOutcome run_sweep_mpi(const MpiSession& mpi, const PreparedSweep& sweep, const SweepOptions& options,
                           std::ostream& log);

}  // namespace outagesim::experiment
