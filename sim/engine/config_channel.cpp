#include "config_channel.hpp"

#include "config_reactions.hpp"
#include "models/config_reaction.hpp"
#include "models/rng.hpp"
#include "models/rollout_plan.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Mailbox.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

ConfigChannel::ConfigChannel(Context& context, int index)
    : context_(context), index_(index), spec_(context.world().channels[static_cast<std::size_t>(index)]) {
  consumers_ = spec_.consumers;
  // Waves reach consumers in a shuffled order, so that a 1% canary wave is
  // spread over regions rather than the first region listed.
  models::Rng rng(context.world().seed, "rollout-order:" + spec_.id);
  wave_order_ = models::rollout_order(consumers_.size(), rng);
  offered_.assign(consumers_.size(), -1);
  offered_at_stop_.assign(consumers_.size(), 0);
  received_.assign(consumers_.size(), -1);
  in_flight_.assign(consumers_.size(), 0);
  held_.resize(consumers_.size());
}

std::string ConfigChannel::mailbox(int k) const {
  return spec_.id + "->" + context_.world().instances[static_cast<std::size_t>(consumers_[static_cast<std::size_t>(k)])].id;
}

void ConfigChannel::start() {
  for (std::size_t k = 0; k < consumers_.size(); ++k) {
    const int consumer = static_cast<int>(k);
    const auto& instance = context_.world().instances[static_cast<std::size_t>(consumers_[k])];
    spawn_daemon("consumer:" + mailbox(consumer), context_.host(instance.id), [this, consumer] {
      if (spec_.topology.kind == scenario::TopologyKind::pull) consume_pulled(consumer);
      else consume_pushed(consumer);
    });
  }
  if (spec_.generator) {
    spawn_daemon("generator:" + spec_.id, context_.host(spec_.origin_host), [this] { generate(); });
  }
}

int ConfigChannel::publish(int fault, double size_bytes, std::vector<double> error_rate_by_variant,
                           const std::string& origin, std::vector<std::vector<double>> segment_error_rates) {
  return publish_and_roll_out(fault, size_bytes, std::move(error_rate_by_variant), origin, false,
                              std::move(segment_error_rates));
}

int ConfigChannel::publish_good(const std::string& origin, bool fast, const scenario::RolloutSpec* policy) {
  return publish_and_roll_out(-1, spec_.size_bytes, {}, origin, fast, {}, policy);
}

int ConfigChannel::publish_and_roll_out(int fault, double size_bytes, std::vector<double> error_rate_by_variant,
                                        const std::string& origin, bool fast,
                                        std::vector<std::vector<double>> segment_error_rates,
                                        const scenario::RolloutSpec* policy) {
  const int version = context_.state().publish(index_, fault, size_bytes, std::move(error_rate_by_variant), origin,
                                               std::move(segment_error_rates));
  context_.emit(world::ConfigPublished{index_, version}, origin);
  spawn_daemon(fmt::format("rollout:{}@{}", spec_.id, version), context_.host(spec_.origin_host),
               [this, version, fast, origin, plan = policy ? *policy : spec_.rollout] {
                 rollout(version, plan, fast, origin);
               });
  return version;
}

void ConfigChannel::stop() { ++stops_; }

/// Mean error rate of the consumers that run `version` among `updated`: what
/// a health gate watching the updated fleet sees.
double ConfigChannel::updated_error_rate(int version, const std::vector<int>& updated) const {
  const auto& state = context_.state();
  std::vector<double> error_rates;
  for (int k : updated) {
    if (state.running[static_cast<std::size_t>(index_)][static_cast<std::size_t>(k)] != version) continue;
    const int instance = consumers_[static_cast<std::size_t>(k)];
    // A consumer down after crashing on a version fails all it would serve.
    error_rates.push_back(context_.config_reactions().crashed(instance)
                              ? 1.0
                              : state.instances[static_cast<std::size_t>(instance)].error_rate);
  }
  return models::updated_error_rate(error_rates);
}

void ConfigChannel::rollout(int version, const scenario::RolloutSpec& policy, bool fast, const std::string& origin) {
  const int stops_at_start = stops_;
  auto superseded = [&] { return context_.state().latest[static_cast<std::size_t>(index_)] != version; };
  const bool staged = !fast && policy.kind == scenario::RolloutKind::staged;
  std::vector<scenario::WaveSpec> waves = staged ? policy.waves : std::vector<scenario::WaveSpec>{{1.0, 0}};
  const auto n = static_cast<double>(consumers_.size());
  std::vector<double> fractions;
  for (const auto& wave : waves) fractions.push_back(wave.fraction);
  const std::vector<std::size_t> ends = models::wave_ends(fractions, consumers_.size());
  std::vector<int> updated;
  for (std::size_t w = 0; w < waves.size(); ++w) {
    if (stops_ != stops_at_start || superseded()) {
      if (stops_ != stops_at_start)
        context_.emit(world::RolloutHalted{index_, version, false, false, 0}, origin);
      return;
    }
    std::vector<int> wave(wave_order_.begin() + static_cast<std::ptrdiff_t>(updated.size()),
                          wave_order_.begin() + static_cast<std::ptrdiff_t>(ends[w]));
    updated.insert(updated.end(), wave.begin(), wave.end());
    context_.emit(world::RolloutWave{index_, version, static_cast<int>(w), static_cast<double>(updated.size()) / n},
                  origin);
    offer(version, wave);
    if (!staged) return;
    // Bake: watch the updated consumers at the sampling resolution; the gate
    // trips as soon as their error rate crosses the threshold.
    const double bake_end = context_.now() + waves[w].bake_s;
    while (context_.now() < bake_end) {
      sg4::this_actor::sleep_for(std::min(context_.world().resolution_s, bake_end - context_.now()));
      if (!policy.health_gate) continue;
      const double error_rate = updated_error_rate(version, updated);
      if (!models::gate_trips(error_rate, policy.health_gate->error_rate_above)) continue;
      const bool rollback = policy.health_gate->action == scenario::GateAction::rollback;
      context_.emit(world::RolloutHalted{index_, version, true, rollback, error_rate}, origin);
      if (rollback) {
        const int good = context_.state().publish(index_, -1, spec_.size_bytes, {}, origin);
        context_.emit(world::ConfigPublished{index_, good}, origin);
        offer(good, updated);
      }
      return;
    }
  }
}

void ConfigChannel::resync() {
  if (spec_.topology.kind == scenario::TopologyKind::pull) return;
  // The publisher sends, from its own host, not the caller's.
  spawn_daemon("resync:" + spec_.id, context_.host(spec_.origin_host), [this] {
    std::vector<Delivery*> by_version(context_.state().versions.size(), nullptr);
    for (std::size_t k = 0; k < consumers_.size(); ++k) {
      const int version = offered_[k];
      if (version < 0 || version <= received_[k] || in_flight_[k] > 0 || offered_at_stop_[k] != stops_) continue;
      Delivery*& delivery = by_version[static_cast<std::size_t>(version)];
      if (delivery == nullptr) delivery = &deliveries_.emplace_back(Delivery{version, -1, 0, stops_});
      send(static_cast<int>(k), delivery, context_.state().versions[static_cast<std::size_t>(version)].size_bytes);
    }
  });
}

void ConfigChannel::send(int k, Delivery* delivery, double size_bytes) {
  ++in_flight_[static_cast<std::size_t>(k)];
  auto* box = sg4::Mailbox::by_name(mailbox(k));
  box->put_init(delivery, static_cast<std::uint64_t>(std::llround(size_bytes)))->detach();
}

/// Offers `version` to `consumers`: pushed now (broadcast or relay tree) or
/// left for them to pull at their next poll.
void ConfigChannel::offer(int version, const std::vector<int>& consumers) {
  const double size = context_.state().versions[static_cast<std::size_t>(version)].size_bytes;
  for (int k : consumers) {
    offered_[static_cast<std::size_t>(k)] = version;
    offered_at_stop_[static_cast<std::size_t>(k)] = stops_;
  }
  switch (spec_.topology.kind) {
    case scenario::TopologyKind::pull: break;
    case scenario::TopologyKind::broadcast: {
      Delivery* delivery = &deliveries_.emplace_back(Delivery{version, -1, 0, stops_});
      for (int k : consumers) send(k, delivery, size);
      break;
    }
    case scenario::TopologyKind::tree: {
      trees_.push_back(consumers);
      const int tree = static_cast<int>(trees_.size() - 1);
      const auto fanout = static_cast<std::size_t>(spec_.topology.fanout);
      for (std::size_t p = 0; p < std::min(fanout, consumers.size()); ++p)
        send(consumers[p], &deliveries_.emplace_back(Delivery{version, tree, static_cast<int>(p), stops_}), size);
      break;
    }
  }
}

/// Relays a delivery to the children of its position in its tree.
void ConfigChannel::forward(const Delivery& delivery) {
  if (delivery.tree < 0) return;
  const auto& order = trees_[static_cast<std::size_t>(delivery.tree)];
  const double size = context_.state().versions[static_cast<std::size_t>(delivery.version)].size_bytes;
  for (std::size_t p : models::tree_children(static_cast<std::size_t>(delivery.position),
                                             static_cast<std::size_t>(spec_.topology.fanout), order.size()))
    send(order[p], &deliveries_.emplace_back(Delivery{delivery.version, delivery.tree, static_cast<int>(p), delivery.stops}), size);
}

void ConfigChannel::consume_pushed(int k) {
  auto* box = sg4::Mailbox::by_name(mailbox(k));
  for (;;) {
    const Delivery* delivery = nullptr;
    try {
      delivery = box->get<Delivery>();
    } catch (const simgrid::NetworkFailureException&) {
      --in_flight_[static_cast<std::size_t>(k)];
      continue;
    }
    --in_flight_[static_cast<std::size_t>(k)];
    received_[static_cast<std::size_t>(k)] = std::max(received_[static_cast<std::size_t>(k)], delivery->version);
    if (delivery->stops != stops_) continue;  // offered before a stop: withdrawn, neither relayed nor applied
    if (context_.config_reactions().crashed(consumers_[static_cast<std::size_t>(k)])) {
      hold(k, *delivery);  // down: neither relayed nor applied until it is back
      continue;
    }
    forward(*delivery);  // relays pass it on before applying it themselves
    if (spec_.apply_delay_s > 0) sg4::this_actor::sleep_for(spec_.apply_delay_s);
    apply(k, delivery->version);
  }
}

/// Polls every period, at a phase drawn per consumer, and fetches the newest
/// offered version when it is newer than what runs.
void ConfigChannel::consume_pulled(int k) {
  const double period = spec_.topology.period_s;
  models::Rng rng(context_.world().seed, fmt::format("poll-phase:{}:{}", spec_.id, k));
  double next = rng.uniform() * period;
  for (;;) {
    sg4::this_actor::sleep_until(next);
    next += period;
    if (context_.config_reactions().crashed(consumers_[static_cast<std::size_t>(k)])) continue;  // down: no poll
    fetch(k);
  }
}

void ConfigChannel::fetch(int k) {
  const int version = offered_[static_cast<std::size_t>(k)];
  if (offered_at_stop_[static_cast<std::size_t>(k)] != stops_) return;  // withdrawn by a stop
  const int running = context_.state().running[static_cast<std::size_t>(index_)][static_cast<std::size_t>(k)];
  if (version < 0 || context_.state().versions[static_cast<std::size_t>(version)].number <=
                         context_.state().versions[static_cast<std::size_t>(running)].number)
    return;
  const double size = context_.state().versions[static_cast<std::size_t>(version)].size_bytes;
  try {
    sg4::Comm::sendto(context_.host(spec_.origin_host), sg4::this_actor::get_host(),
                      static_cast<std::uint64_t>(std::llround(size)));
  } catch (const simgrid::NetworkFailureException&) {
    return;  // cut off: the next poll tries again
  }
  if (spec_.apply_delay_s > 0) sg4::this_actor::sleep_for(spec_.apply_delay_s);
  apply(k, version);
}

void ConfigChannel::hold(int k, const Delivery& delivery) {
  auto& held = held_[static_cast<std::size_t>(k)];
  const auto& versions = context_.state().versions;
  if (!held || versions[static_cast<std::size_t>(delivery.version)].number >
                   versions[static_cast<std::size_t>(held->version)].number)
    held = delivery;
}

void ConfigChannel::reload(int k) {
  if (spec_.topology.kind == scenario::TopologyKind::pull) {
    fetch(k);
    return;
  }
  const std::optional<Delivery> held = std::exchange(held_[static_cast<std::size_t>(k)], std::nullopt);
  if (!held || held->stops != stops_) return;  // nothing sent meanwhile, or withdrawn since
  forward(*held);
  apply(k, held->version);
}

void ConfigChannel::apply(int k, int version) {
  auto& state = context_.state();
  const auto& v = state.versions[static_cast<std::size_t>(version)];
  const int instance = consumers_[static_cast<std::size_t>(k)];
  auto& reactions = context_.config_reactions();
  if (reactions.crashed(instance)) {  // went down while applying it: loads it when back
    if (spec_.topology.kind != scenario::TopologyKind::pull) hold(k, Delivery{version, -1, 0, stops_});
    return;
  }
  // Last known good: a consumer that would fail on the version keeps what it runs.
  if (spec_.last_known_good) {
    const int variant = context_.world().instances[static_cast<std::size_t>(instance)].variant;
    if (models::error_rate_after_apply(v.error_rate_by_variant, variant) > 0 || reactions.fails_on(instance, version)) {
      context_.emit(world::ConfigRejected{index_, k, instance, version}, v.origin);
      return;
    }
  }
  const int running = state.running[static_cast<std::size_t>(index_)][static_cast<std::size_t>(k)];
  if (v.number > state.versions[static_cast<std::size_t>(running)].number && reactions.refuses(instance, version)) {
    context_.emit(world::ConfigRejected{index_, k, instance, version}, v.origin);
    return;
  }
  if (!state.apply(context_.world(), index_, k, version)) return;
  context_.emit(world::ConfigApplied{index_, k, instance, version, state.instances[static_cast<std::size_t>(instance)].error_rate},
                v.origin);
  reactions.loaded(instance);
}

/// Every period: query one instance of the source service, drawn at random,
/// and publish a bad version when it runs a bad version of the watched
/// channel, a good one when it does not. Publishes only on a change of
/// content; the bad output carries the fault that made the instance bad, so
/// attribution follows the chain back to the root cause.
void ConfigChannel::generate() {
  const auto& g = *spec_.generator;
  const auto& readers = context_.world().services[static_cast<std::size_t>(g.reads_from)].instances;
  const auto& watched = context_.world().channels[static_cast<std::size_t>(g.bad_when_running)];
  const auto& watched_consumers = watched.consumers;
  const int stops_at_start = stops_;
  bool bad = false;
  for (long run = 1;; ++run) {
    sg4::this_actor::sleep_until(static_cast<double>(run) * g.every_s);
    if (stops_ != stops_at_start) return;
    models::Rng rng(context_.world().seed, fmt::format("generator:{}:{}", spec_.id, run));
    const int queried = readers[static_cast<std::size_t>(rng.uniform() * static_cast<double>(readers.size()))];
    // Its position among the watched channel's consumers, if it is one.
    auto it = std::find(watched_consumers.begin(), watched_consumers.end(), queried);
    int fault = -1;
    if (it != watched_consumers.end()) {
      const auto k = static_cast<std::size_t>(it - watched_consumers.begin());
      const auto& running = context_.state().versions[static_cast<std::size_t>(
          context_.state().running[static_cast<std::size_t>(g.bad_when_running)][k])];
      if (running.bad()) fault = running.fault;
    }
    const bool now_bad = fault >= 0;
    if (now_bad == bad) continue;
    bad = now_bad;
    const std::string origin = now_bad ? fmt::format("fault:{}", context_.world().faults[static_cast<std::size_t>(fault)].id)
                                       : "generator:" + spec_.id;
    if (now_bad) {
      const int version = publish(fault, g.bad_size_bytes, g.bad_error_rate_by_variant, origin, g.bad_segment_error_rates);
      if (!g.bad_config_effects.empty()) context_.state().versions[static_cast<std::size_t>(version)].effects = &g.bad_config_effects;
    } else {
      publish_good(origin);
    }
  }
}

}  // namespace outagesim::engine
