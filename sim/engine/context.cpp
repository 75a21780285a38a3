#include "context.hpp"

#include "config_channel.hpp"
#include "dns.hpp"

namespace outagesim::engine {

Context::Context(const world::World& world, world::WorldState& state, world::RunObserver& observer)
    : world_(world),
      state_(state),
      observer_(observer),
      fault_ended_(world.faults.size(), false),
      endable_(world.faults.size(), false),
      began_(world.faults.size(), false),
      ended_early_by_(world.faults.size()),
      wake_(world.faults.size()) {
  for (const auto& action : world.actions)
    if (action.fault != world::FaultIndex::none) endable_[world::at(action.fault)] = true;
}

Context::~Context() = default;

void Context::add_channel(std::unique_ptr<ConfigChannel> channel) { channels_.push_back(std::move(channel)); }

void Context::sample(double t_s) {
  state_.now_s = t_s;
  // Cached answers change with time alone: a source of answers whose own
  // cached dependencies ran out goes down at a tick, not at an event.
  changed("ttl_expiry");
  observer_.on_sample(t_s, state_);
}

void Context::end_fault(world::FaultIndex fault, const std::string& cause) {
  if (fault_ended_[world::at(fault)]) return;
  fault_ended_[world::at(fault)] = true;
  emit(world::FaultEnded{world::index(fault), -1}, cause);
}

void Context::fault_began(world::FaultIndex fault) {
  const auto f = world::at(fault);
  began_[f] = true;
  if (endable_[f]) wake_[f] = simgrid::s4u::Semaphore::create(0);
}

bool Context::end_fault_early(world::FaultIndex fault, const std::string& cause) {
  const auto f = world::at(fault);
  if (!began_[f] || fault_ended_[f] || !ended_early_by_[f].empty()) return false;
  ended_early_by_[f] = cause;
  wake_[f]->release();
  return true;
}

bool Context::fault_sleep_until(world::FaultIndex fault, double t_s) {
  const auto f = world::at(fault);
  if (!endable_[f]) {
    simgrid::s4u::this_actor::sleep_until(t_s);
    return true;
  }
  if (!ended_early_by_[f].empty()) return false;
  if (t_s > now()) wake_[f]->acquire_timeout(t_s - now());
  return ended_early_by_[f].empty();
}

bool Context::fault_wait_out(world::FaultIndex fault, std::optional<double> duration_s) {
  const auto f = world::at(fault);
  if (!endable_[f]) {
    if (!duration_s) return false;
    simgrid::s4u::this_actor::sleep_for(*duration_s);
    return true;
  }
  if (duration_s) fault_sleep_until(fault, now() + *duration_s);  // on time or early, it ends now
  else if (ended_early_by_[f].empty()) wake_[f]->acquire();
  return true;
}

std::string Context::ending_cause(world::FaultIndex fault, const std::string& own) const {
  const auto& by = ended_early_by_[world::at(fault)];
  return by.empty() ? own : by;
}

void Context::changed(const std::string& cause) {
  if (dns_ != nullptr) dns_->after_change(cause);
}

}  // namespace outagesim::engine
