// Handing a sweep's runs out over MPI ranks (`outagesim sweep --mpi`,
// docs/clusters.md). Rank 0 coordinates: it gives each worker one run id at
// a time, when that worker asks, so that a long run holds up only its own
// rank; every finished run comes back as its journal line, and rank 0 alone
// appends it, and alone writes the outputs at the end. Generic over the job:
// the dispatcher knows run ids and text lines, nothing of simulations.
//
// A worker's run_one may fork (sweep-core's run_isolated forks a child per
// run, SimGrid allowing one engine per process): the child must not call MPI
// and must end with _exit. Open MPI 4 over shared memory and TCP accepts
// this; its fork warning, which concerns InfiniBand memory registration, is
// switched off (MCA mpi_warn_on_fork) unless the user set it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace outagesim::experiment {

/// Whether this binary was built with MPI (CMake option OUTAGESIM_MPI and an
/// MPI library found). Without it, MpiSession throws.
bool mpi_available();

/// MPI for the life of the object: MPI_Init, then MPI_Finalize.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  /// Collective: every rank returns rank 0's `value`. For decisions only
  /// rank 0 may take (it reads and writes the output directory), so that
  /// every rank gives up, or goes on, together.
  [[nodiscard]] int from_rank_zero(int value) const;
  /// Ends every rank at once (MPI_Abort): for a coordinator that cannot go
  /// on, whose workers would otherwise wait for it forever.
  [[noreturn]] static void abort_all(int exit_code);

 private:
  int rank_ = 0;
  int size_ = 1;
};

/// Runs a job given its id, returning the line to record (no line break).
using RunOne = std::function<std::string(std::size_t id)>;
/// Called on rank 0 with each finished job's id and line, in the order they finish.
using OnLine = std::function<void(std::size_t id, const std::string& line)>;

/// Runs each of `ids` exactly once over the ranks of `session`, collectively:
/// every rank calls it. On rank 0, `ids` are the jobs to run, handed out in
/// their order, and `on_line` receives every result before this returns; on
/// the other ranks `ids` and `on_line` are not used. With one rank, rank 0
/// runs the jobs itself. An exception from `on_line` or `run_one` ends every
/// rank (MpiSession::abort_all) after printing it.
void dispatch(const MpiSession& session, const std::vector<std::size_t>& ids, const RunOne& run_one,
              const OnLine& on_line);

}  // namespace outagesim::experiment
