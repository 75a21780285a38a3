// DNS at run time: what each record's authoritative server answers, and
// whether it can be reached. Faults change a record's content, health
// checkers fail it over to its secondary and back, operators disable and
// enable that failover; each change is appended to the record's history in
// the WorldState and reported as a RecordChanged event. What clients hold is
// not simulated here: world::evaluate derives it from the history and the
// time through models/dns_cache (the resolvers' caches as a fluid).
#pragma once

#include "context.hpp"

#include <string>
#include <vector>

namespace outagesim::engine {

/// Route 53 counts an endpoint healthy when more than 18% of its health
/// checkers see it answer; a checker's request succeeds with the service's
/// availability, so in the fluid limit the primary is healthy above 18%.
inline constexpr double healthy_above = 0.18;

/// A source of cached answers is unreachable while it serves nothing at all;
/// any success lets resolvers and caches refresh, since they retry.
inline constexpr double unreachable_at_or_below = 1e-9;

/// An authority carrying query load keeps its answered share in steps of
/// this (docs/models/dns.md): the spans stay few while the share drifts.
inline constexpr double answered_share_step = 0.01;

class Dns {
 public:
  explicit Dns(Context& context);

  /// Spawns one health checker per record with a health check. Call before the run.
  void start();

  /// A dns_record_change fault, inside its actor at its time: changes the
  /// record, and restores it after the fault's duration, if it has one.
  void run_fault(world::FaultIndex fault, const scenario::faults::DnsRecordChange& kind);

  /// disable_failover or enable_failover (`enable`), inside the operator's actor.
  void set_failover(int action, bool enable);

  /// Re-examines whether each source of cached answers can be reached, and
  /// the share of refreshes each authority under query load answers
  /// (WorldState::partly_answered); the engine calls it after every state
  /// change and at every sampling tick.
  void after_change(const std::string& cause);

 private:
  struct HealthCount {
    int failed = 0;  ///< consecutive failed checks
    int passed = 0;  ///< consecutive passed checks
  };

  void check_health(int record);
  [[nodiscard]] int configured_answer(int record) const;
  /// Sets the record's answer from its faults and failover state and reports
  /// `reason` (also when the answer stays the same).
  /// `client_region` >= 0: a change of reachability for that region's resolvers only.
  void update(int record, world::RecordChangeReason reason, const std::string& cause, int client_region = -1);
  /// Reports the authorities' records, as reachable or not, from `client_region` (-1: everyone).
  void report_reachability(int authority, bool down, const std::string& cause, int client_region);

  Context& context_;
  std::vector<int> sources_;  ///< services that caches refresh from, ascending
  bool sources_standalone_ = true;  ///< none of them has dependencies of its own
  std::vector<bool> authority_;  ///< per service: answers for a record (cached per client region)
  std::vector<HealthCount> health_;
  bool examining_ = false;
};

}  // namespace outagesim::engine
