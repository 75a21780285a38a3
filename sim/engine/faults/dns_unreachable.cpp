// DNS unreachable: the resolvers of the listed client regions cannot reach
// the provider's authoritative servers, while every other region and every
// other service are untouched (no instance changes, no link is cut). The
// DNS model (dns.cpp) sees the region cut off at the next change, as under
// a partition: its resolvers serve what they cached until the TTL, then
// stale, then fail, and refresh when the fault ends (docs/models/dns.md).
#include "sim/engine/fault_play.hpp"

#include <algorithm>

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::DnsUnreachable&) {
  auto& context = run.context;
  auto& cut_offs = context.state().dns_cut_offs;
  cut_offs.push_back(world::index(run.f));  // before the report: the DNS model re-examines the regions on it
  context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  if (!run.wait_out()) return;
  cut_offs.erase(std::find(cut_offs.begin(), cut_offs.end(), world::index(run.f)));
  context.end_fault(run.f, run.ending_cause());
}

}  // namespace outagesim::engine
