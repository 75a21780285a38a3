// A DNS record emptied or pointed elsewhere: the DNS model changes it and
// restores it after the fault's duration (engine/dns.cpp, docs/models/dns.md).
#include "sim/engine/dns.hpp"
#include "sim/engine/fault_play.hpp"

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::DnsRecordChange& kind) {
  run.context.dns().run_fault(run.f, kind);
}

}  // namespace outagesim::engine
