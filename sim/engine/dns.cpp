// The record state machine. It runs only inside SimGrid actors (a fault's, an
// operator's, a health checker's) or right after a state change reported
// through Context::emit, so every change has a simulated time and a cause.
#include "dns.hpp"

#include "control_plane.hpp"
#include "sim/world/client_reach.hpp"
#include "sim/world/traffic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <variant>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {
namespace {

void collect_cached_targets(const std::vector<world::Dependency>& deps, std::vector<int>& out) {
  for (const auto& d : deps)
    if (d.cached && d.record < 0) out.push_back(d.services.front());
}

}  // namespace

Dns::Dns(Context& context) : context_(context) {
  const auto& world = context_.world();
  health_.resize(world.records.size());
  authority_.assign(world.services.size(), false);
  for (const auto& r : world.records)
    if (r.authority >= 0) {
      sources_.push_back(r.authority);
      authority_[static_cast<std::size_t>(r.authority)] = true;
    }
  for (const auto& s : world.services) collect_cached_targets(s.dependencies, sources_);
  // A class's members share its dependencies.
  for (const auto& c : world.site_classes) collect_cached_targets(c.dependencies, sources_);
  std::sort(sources_.begin(), sources_.end());
  sources_.erase(std::unique(sources_.begin(), sources_.end()), sources_.end());
  sources_standalone_ = std::all_of(sources_.begin(), sources_.end(), [&](int s) {
    return world.services[static_cast<std::size_t>(s)].dependencies.empty();
  });
}

void Dns::start() {
  const auto& world = context_.world();
  for (std::size_t r = 0; r < world.records.size(); ++r)
    if (world.records[r].health_check)
      spawn_daemon("health_check:" + world.records[r].id,
                   control_plane(context_, world.records[r].id.substr(0, world.records[r].id.find('.'))),
                   [this, r] { check_health(static_cast<int>(r)); });
}

int Dns::configured_answer(int r) const {
  const auto& record = context_.world().records[static_cast<std::size_t>(r)];
  const auto& state = context_.state().records[static_cast<std::size_t>(r)];
  if (!state.faults.empty()) {
    const auto& fault = context_.world().faults[static_cast<std::size_t>(state.faults.back())];
    const auto& change = std::get<scenario::faults::DnsRecordChange>(fault.kind);
    return change.change == scenario::RecordChange::empty ? -1 : fault.new_target;
  }
  return state.failed_over && state.failover_enabled ? record.secondary : record.points_to;
}

void Dns::update(int r, world::RecordChangeReason reason, const std::string& cause, int client_region) {
  auto& state = context_.state().records[static_cast<std::size_t>(r)];
  const int answer = configured_answer(r);
  if (answer != state.answer) {
    state.answer = answer;
    state.history.push_back({context_.now(), answer});
  }
  context_.emit(world::RecordChanged{r, answer, reason, client_region}, cause);
}

void Dns::report_reachability(int authority, bool down, const std::string& cause, int client_region) {
  const auto& records = context_.world().records;
  for (std::size_t r = 0; r < records.size(); ++r)
    if (records[r].authority == authority)
      update(static_cast<int>(r),
             down ? world::RecordChangeReason::authority_unreachable : world::RecordChangeReason::authority_reachable,
             cause, client_region);
}

void Dns::run_fault(world::FaultIndex id, const scenario::faults::DnsRecordChange& kind) {
  const int f = world::index(id);
  const auto& fault = context_.world().faults[world::at(id)];
  const std::string cause = "fault:" + fault.id;
  auto& record = context_.state().records[static_cast<std::size_t>(fault.record)];
  auto& faults = record.faults;
  faults.push_back(f);
  record.cause_fault = f;
  context_.emit(world::FaultInjected{f, -1}, cause);
  update(fault.record,
         kind.change == scenario::RecordChange::empty ? world::RecordChangeReason::empty
                                                       : world::RecordChangeReason::wrong_target,
         cause);
  if (!context_.fault_wait_out(id, fault.duration_s)) return;
  faults.erase(std::find(faults.begin(), faults.end(), f));
  context_.end_fault(id, context_.ending_cause(id, cause));
  update(fault.record, world::RecordChangeReason::restored, context_.ending_cause(id, cause));
}

void Dns::set_failover(int a, bool enable) {
  const auto& action = context_.world().actions[static_cast<std::size_t>(a)];
  auto& state = context_.state().records[static_cast<std::size_t>(action.record)];
  state.failover_enabled = enable;
  // Route 53 counts a disabled health check as healthy: back to the primary,
  // and checks count afresh once enabled again.
  if (!enable) state.failed_over = false;
  health_[static_cast<std::size_t>(action.record)] = {};
  update(action.record,
         enable ? world::RecordChangeReason::failover_enabled : world::RecordChangeReason::failover_disabled,
         "operator:" + action.operator_name);
}

/// Checks the primary at every multiple of the interval; `failure_threshold`
/// consecutive failures fail the record over to its secondary, as many
/// consecutive successes bring it back (Route 53's FailureThreshold counts
/// both ways).
void Dns::check_health(int r) {
  const auto& world = context_.world();
  const auto& record = world.records[static_cast<std::size_t>(r)];
  const auto& check = *record.health_check;
  const std::string cause = "health_check:" + record.id;
  auto& state = context_.state().records[static_cast<std::size_t>(r)];
  auto& count = health_[static_cast<std::size_t>(r)];
  for (long k = 1;; ++k) {
    const double t = static_cast<double>(k) * check.interval_s;
    if (t > world.duration_s) return;
    sg4::this_actor::sleep_until(t);
    if (!state.failover_enabled) continue;
    context_.state().now_s = t;
    // A record pinned to a variant checks that variant's instances, as its clients see them.
    const double primary =
        record.variant >= 0
            ? world::variant_pool(world, context_.state(), record.points_to, record.variant)
            : world::evaluate_services(world, context_.state())[static_cast<std::size_t>(record.points_to)];
    if (primary > healthy_above) {
      ++count.passed;
      count.failed = 0;
    } else {
      ++count.failed;
      count.passed = 0;
    }
    if (!state.failed_over && count.failed >= check.failure_threshold) {
      state.failed_over = true;
      update(r, world::RecordChangeReason::failover, cause);
    } else if (state.failed_over && count.passed >= check.failure_threshold) {
      state.failed_over = false;
      update(r, world::RecordChangeReason::failback, cause);
    }
  }
}

namespace {

/// Opens or closes the outage at `now_s` in `outages` so that it says `down`;
/// returns whether that changed anything. An outage that would last no time
/// at all is dropped.
bool mark(std::vector<models::Unreachable>& outages, bool down, double now_s, int cause = -1) {
  const bool was_down = !outages.empty() && outages.back().to_s == std::numeric_limits<double>::infinity();
  if (down == was_down) return false;
  if (down) outages.push_back({now_s, std::numeric_limits<double>::infinity(), cause});
  else if (outages.back().from_s == now_s) outages.pop_back();
  else outages.back().to_s = now_s;
  return true;
}

/// The fault behind a service answering nothing: the first of its instances
/// down for a fault, else the first impaired by one; -1 when none is.
int fault_behind(const world::World& world, const world::WorldState& state, int service) {
  const auto& instances = world.services[static_cast<std::size_t>(service)].instances;
  for (int i : instances) {
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if (!instance.up && instance.cause_fault >= 0) return instance.cause_fault;
  }
  for (int i : instances)
    if (const int f = state.instances[static_cast<std::size_t>(i)].cause_fault; f >= 0) return f;
  return -1;
}

/// Opens, changes or closes the span of `partly` at `now_s` so that it says
/// `answered` (1: answering everything; no span open). The share is kept in
/// steps of answered_share_step, never rounded to 0 (that is unreachable).
void mark_answered(std::vector<models::PartlyAnswered>& partly, double answered, double now_s, int cause) {
  double level = std::round(answered / answered_share_step) * answered_share_step;
  if (answered > unreachable_at_or_below) level = std::max(level, answered_share_step);
  const bool open = !partly.empty() && partly.back().to_s == std::numeric_limits<double>::infinity();
  if (open && level < 1 && partly.back().answered == level) {
    partly.back().cause = cause;
    return;
  }
  if (open) {
    if (partly.back().from_s == now_s) partly.pop_back();
    else partly.back().to_s = now_s;
  }
  if (level < 1) partly.push_back({now_s, std::numeric_limits<double>::infinity(), level, cause});
}

}  // namespace

void Dns::after_change(const std::string& cause) {
  if (sources_.empty() || examining_) return;
  examining_ = true;
  auto& state = context_.state();
  const auto& world = context_.world();
  // Every change is an event, so this runs often: a source without
  // dependencies (the usual DNS service) needs only its own pool.
  std::vector<double> services;
  if (!sources_standalone_) services = world::evaluate_services(world, state);
  for (int s : sources_) {
    const double availability =
        sources_standalone_ ? world::service_pool(world, state, s) : services[static_cast<std::size_t>(s)];
    const bool down = availability <= unreachable_at_or_below;
    // The outage is charged to the fault that keeps the service down, from
    // whenever that changes while it lasts.
    const int down_by = down ? fault_behind(world, state, s) : -1;
    auto& outages_for_all = state.unreachable[static_cast<std::size_t>(s)];
    const bool changed = mark(outages_for_all, down, state.now_s, down_by);
    if (down && !changed) outages_for_all.back().cause = down_by;
    if (changed) report_reachability(s, down, cause, -1);
    // Under query load, a server that answers part of the refreshes leaves
    // the rest of the resolvers unrefreshed; down, it is unreachable above.
    if (world.services[static_cast<std::size_t>(s)].carries_queries) {
      const int pressing = state.services[static_cast<std::size_t>(s)].overload_cause >= 0
                               ? state.services[static_cast<std::size_t>(s)].overload_cause
                               : world::pressure_cause(world, state, s);
      mark_answered(state.partly_answered[static_cast<std::size_t>(s)],
                    down ? 1.0 : world::dns_answered_share(world, state, s, availability), state.now_s, pressing);
    }
    if (!authority_[static_cast<std::size_t>(s)]) continue;
    // Each client region's resolvers: cut off too when a partition leaves
    // them no instance of the authority up, or a dns_unreachable fault cuts
    // them off from its provider. A region is reported on its own when it
    // differs from what was just reported for everyone.
    for (std::size_t c = 0; c < state.unreachable_from.size(); ++c) {
      const int client = static_cast<int>(c);
      const bool cut_off = down || !world::reaches(world, state, client, s);
      // An outage for everyone is the doing of what took the service down;
      // one of this region alone, the fault that cuts it off.
      const int by = down ? down_by : world::cutting_fault(world, state, client, s);
      auto& outages = state.unreachable_from[c][static_cast<std::size_t>(s)];
      const bool region_changed = mark(outages, cut_off, state.now_s, by);
      // Still cut off, for another reason now (the authority back for
      // everyone but the cut-off holding, or the other way round): the
      // outage goes on, so its serve-stale window too, charged from now on
      // to what keeps it going.
      if (cut_off && !region_changed) outages.back().cause = by;
      if ((region_changed && !changed) || (changed && cut_off != down))
        report_reachability(s, cut_off, cause, client);
    }
  }
  examining_ = false;
}

}  // namespace outagesim::engine
