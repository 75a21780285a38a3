// outagesim-mpi.so (mpi_module_calls.hpp): every call into MPI that
// `--mpi` makes. Its version script exports the entry point alone.
#include "mpi_module_calls.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace outagesim::experiment {
namespace {

// A worker says it is free (with no result yet, or with its last result);
// the coordinator answers with an id to run, or with stop.
constexpr int tag_ready = 1;
constexpr int tag_result = 2;
constexpr int tag_run = 3;
constexpr int tag_stop = 4;

void check(int code, const char* what) {
  if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

/// Waits, without spinning a core, until every rank has got here: a worker
/// that is done must not start the next dispatch() while the coordinator
/// still waits for others, or its first message would be taken for this one's.
void wait_for_every_rank() {
  MPI_Request request;
  check(MPI_Ibarrier(MPI_COMM_WORLD, &request), "MPI_Ibarrier");
  for (int done = 0;;) {
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (done != 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

/// Rank 0: answers free workers until every id has run and every worker stopped.
void coordinate(int workers, const std::vector<std::size_t>& ids, const OnLine& on_line) {
  std::size_t next = 0;
  int running = workers;
  std::string buffer;
  while (running > 0) {
    // Polled rather than a blocking receive: Open MPI busy-waits inside
    // MPI_Recv, which would take a core from the workers.
    int arrived = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status), "MPI_Iprobe");
    if (arrived == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    int bytes = 0;
    check(MPI_Get_count(&status, MPI_CHAR, &bytes), "MPI_Get_count");
    buffer.resize(static_cast<std::size_t>(bytes));
    check(MPI_Recv(buffer.data(), bytes, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE),
          "MPI_Recv");
    if (status.MPI_TAG == tag_result) {
      // "<id> <line>": the id in decimal, then the job's line.
      const auto space = buffer.find(' ');
      on_line(std::strtoull(buffer.c_str(), nullptr, 10), buffer.substr(space + 1));
    }
    if (next < ids.size()) {
      const auto id = static_cast<std::uint64_t>(ids[next++]);
      check(MPI_Send(&id, 1, MPI_UINT64_T, status.MPI_SOURCE, tag_run, MPI_COMM_WORLD), "MPI_Send");
    } else {
      check(MPI_Send(nullptr, 0, MPI_UINT64_T, status.MPI_SOURCE, tag_stop, MPI_COMM_WORLD), "MPI_Send");
      --running;
    }
  }
}

/// A worker: asks for ids and runs them until told to stop.
void work(const RunOne& run_one) {
  check(MPI_Send(nullptr, 0, MPI_CHAR, 0, tag_ready, MPI_COMM_WORLD), "MPI_Send");
  for (;;) {
    std::uint64_t id = 0;
    MPI_Status status;
    check(MPI_Recv(&id, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status), "MPI_Recv");
    if (status.MPI_TAG == tag_stop) return;
    const std::string message = std::to_string(id) + ' ' + run_one(static_cast<std::size_t>(id));
    check(MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, tag_result, MPI_COMM_WORLD),
          "MPI_Send");
  }
}

void init(int& rank, int& size) {
  // Read by Open MPI at MPI_Init; see mpi_dispatch.hpp on forking workers.
  setenv("OMPI_MCA_mpi_warn_on_fork", "0", 0);
  check(MPI_Init(nullptr, nullptr), "MPI_Init");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
}

void finalize() { MPI_Finalize(); }

int from_rank_zero(int value) {
  check(MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD), "MPI_Bcast");
  return value;
}

void abort_all(int exit_code) {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::abort();  // MPI_Abort does not return; this is for the compiler
}

void dispatch(int rank, int size, const std::vector<std::size_t>& ids, const RunOne& run_one,
              const OnLine& on_line) {
  if (rank == 0) coordinate(size - 1, ids, on_line);
  else work(run_one);
  wait_for_every_rank();
}

}  // namespace
}  // namespace outagesim::experiment

extern "C" const outagesim::experiment::MpiModuleCalls* outagesim_mpi_module_calls() {
  using namespace outagesim::experiment;
  static const MpiModuleCalls calls{&init, &finalize, &from_rank_zero, &abort_all, &dispatch};
  return &calls;
}
