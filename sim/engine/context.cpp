#include "context.hpp"

#include "config_channel.hpp"
#include "dns.hpp"

namespace outagesim::engine {

Context::Context(const world::World& world, world::WorldState& state, world::RunObserver& observer)
    : world_(world), state_(state), observer_(observer), fault_ended_(world.faults.size(), false) {}

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

void Context::changed(const std::string& cause) {
  if (dns_ != nullptr) dns_->after_change(cause);
}

}  // namespace outagesim::engine
