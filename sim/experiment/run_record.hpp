// What one run of a sweep gave: its status, its metrics (in the spec's
// order), the tail of its stderr when it failed, and its wall time. The
// journal stores one per line; the outputs are written from them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace outagesim::experiment {

enum class RunStatus {
  ok,       ///< ran to its end; its metrics are set
  failed,   ///< bad values, a crash (signal) or an error: error_tail says which
  timeout,  ///< killed past the spec's timeout
  memory,   ///< stopped at the spec's memory_limit
};

std::string_view status_name(RunStatus status);
std::optional<RunStatus> parse_status(std::string_view name);

struct RunRecord {
  std::size_t id = 0;
  RunStatus status = RunStatus::ok;
  std::vector<std::optional<double>> metrics;  ///< empty unless ok
  std::string error_tail;                      ///< the last lines of its stderr, when not ok
  double wall_s = 0;                           ///< wall time from fork to exit
  bool operator==(const RunRecord&) const = default;
};

}  // namespace outagesim::experiment
