#include "simulation.hpp"

#include "platform_builder.hpp"

#include <cmath>
#include <deque>
#include <map>

#include <fmt/format.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Mailbox.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {
namespace {

/// What travels to a consumer: which version to apply. Owned by the
/// simulation (a deque keeps addresses stable while comms are in flight).
struct Delivery {
  int version = -1;
};

class Simulation {
 public:
  Simulation(const world::World& world, world::RunObserver& observer)
      : world_(world), observer_(observer), state_(world::WorldState::initial(world)) {}

  void run() {
    sg4::Engine engine("outagesim");
    // SimGrid's INFO messages (config changes, end of simulation) are not ours to print.
    xbt_log_control_set("root.thres:critical");
    // CM02 without the default latency factor: a YAML latency means what it says.
    engine.set_config("network/model:CM02");
    hosts_ = build_platform(world_.platform);
    spawn_consumers();
    spawn_faults();
    spawn_operators();
    spawn_sampler();
    engine.run();
  }

 private:
  sg4::Host* host(const std::string& name) const { return hosts_.at(name); }

  static std::string mailbox_name(const world::Channel& channel, const world::Instance& instance) {
    return channel.id + "->" + instance.id;
  }

  void emit(world::Event event) { observer_.on_event(event, state_); }

  /// Sends `version` to every consumer of its channel. Runs inside the
  /// actor of the channel's origin host; transfers are fire-and-forget, so the
  /// network model alone decides when each consumer receives its copy.
  void broadcast(int version) {
    const world::ConfigVersion& v = state_.versions[static_cast<std::size_t>(version)];
    const world::Channel& channel = world_.channels[static_cast<std::size_t>(v.channel)];
    Delivery* delivery = &deliveries_.emplace_back(Delivery{version});
    for (int instance : world_.services[static_cast<std::size_t>(channel.service)].instances) {
      auto* mailbox = sg4::Mailbox::by_name(mailbox_name(channel, world_.instances[static_cast<std::size_t>(instance)]));
      mailbox->put_init(delivery, static_cast<std::uint64_t>(std::llround(v.size_bytes)))->detach();
    }
  }

  void spawn_consumers() {
    for (std::size_t c = 0; c < world_.channels.size(); ++c) {
      const auto& channel = world_.channels[c];
      const auto& consumers = world_.services[static_cast<std::size_t>(channel.service)].instances;
      for (std::size_t k = 0; k < consumers.size(); ++k) {
        const auto& instance = world_.instances[static_cast<std::size_t>(consumers[k])];
        auto actor = sg4::Actor::create(
            "consumer:" + mailbox_name(channel, instance), host(instance.id),
            [this, c, k, instance_index = consumers[k]] {
              const auto& ch = world_.channels[c];
              auto* mailbox = sg4::Mailbox::by_name(
                  mailbox_name(ch, world_.instances[static_cast<std::size_t>(instance_index)]));
              for (;;) {
                const Delivery* delivery = mailbox->get<Delivery>();
                if (ch.apply_delay_s > 0) sg4::this_actor::sleep_for(ch.apply_delay_s);
                const int channel_index = static_cast<int>(c);
                const int consumer = static_cast<int>(k);
                if (!state_.apply(world_, channel_index, consumer, delivery->version)) continue;
                const auto& version = state_.versions[static_cast<std::size_t>(delivery->version)];
                emit(world::Event{sg4::Engine::get_clock(),
                                  world::ConfigApplied{channel_index, consumer, instance_index, delivery->version,
                                                       state_.instances[static_cast<std::size_t>(instance_index)]
                                                           .error_rate},
                                  version.origin});
              }
            });
        actor->daemonize();
      }
    }
  }

  void spawn_faults() {
    for (std::size_t f = 0; f < world_.faults.size(); ++f) {
      const auto& fault = world_.faults[f];
      const auto& channel = world_.channels[static_cast<std::size_t>(fault.channel)];
      auto actor = sg4::Actor::create("fault:" + fault.id, host(channel.origin_host), [this, f] {
        const auto& fl = world_.faults[f];
        sg4::this_actor::sleep_until(fl.at_s);
        int version = state_.publish(fl.channel, static_cast<int>(f), fl.size_bytes, fl.error_rate_by_variant,
                                    "fault:" + fl.id);
        emit(world::Event{sg4::Engine::get_clock(), world::FaultInjected{static_cast<int>(f), version},
                          "fault:" + fl.id});
        broadcast(version);
        if (!fl.duration_s) return;
        sg4::this_actor::sleep_for(*fl.duration_s);
        const auto& channel_spec = world_.channels[static_cast<std::size_t>(fl.channel)];
        int good = state_.publish(fl.channel, -1, channel_spec.size_bytes, {}, "fault:" + fl.id);
        emit(world::Event{sg4::Engine::get_clock(), world::FaultEnded{static_cast<int>(f), good}, "fault:" + fl.id});
        broadcast(good);
      });
      actor->daemonize();
    }
  }

  void spawn_operators() {
    for (std::size_t a = 0; a < world_.actions.size(); ++a) {
      const auto& action = world_.actions[a];
      const auto& channel = world_.channels[static_cast<std::size_t>(action.channel)];
      auto actor = sg4::Actor::create(fmt::format("operator:{}:{}", action.operator_name, a),
                                      host(channel.origin_host), [this, a] {
                                        const auto& act = world_.actions[a];
                                        sg4::this_actor::sleep_until(act.at_s);
                                        revert(a);
                                      });
      actor->daemonize();
    }
  }

  /// Publishes the channel's good content again as a new version, so that it
  /// supersedes whatever consumers run now.
  void revert(std::size_t a) {
    const auto& action = world_.actions[a];
    const auto& channel = world_.channels[static_cast<std::size_t>(action.channel)];
    int version = state_.publish(action.channel, -1, channel.size_bytes, {}, "operator:" + action.operator_name);
    emit(world::Event{sg4::Engine::get_clock(), world::OperatorActed{static_cast<int>(a), version},
                      "operator:" + action.operator_name});
    broadcast(version);
  }

  void spawn_sampler() {
    // The sampler is the one non-daemon actor: the run ends with its last tick.
    const std::string& first_host = world_.platform.hosts.front();
    sg4::Actor::create("sampler", host(first_host), [this] {
      const auto ticks = static_cast<long>(std::floor(world_.duration_s / world_.resolution_s + 1e-9));
      for (long k = 0; k <= ticks; ++k) {
        double t = static_cast<double>(k) * world_.resolution_s;
        sg4::this_actor::sleep_until(t);
        observer_.on_sample(t, state_);
      }
    });
  }

  const world::World& world_;
  world::RunObserver& observer_;
  world::WorldState state_;
  std::map<std::string, sg4::Host*, std::less<>> hosts_;
  std::deque<Delivery> deliveries_;
};

}  // namespace

void run(const world::World& world, world::RunObserver& observer) { Simulation(world, observer).run(); }

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

}  // namespace outagesim::engine
