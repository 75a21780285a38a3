// One config-distribution channel at run time: the publisher at the origin,
// the rollout that decides who gets a version when (global, or staged waves
// behind a health gate), the topology that carries it (broadcast, relay tree,
// or pull), the consumers that apply it, and an optional generator that makes
// versions from the state of another component.
#pragma once

#include "context.hpp"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace outagesim::engine {

class ConfigChannel {
 public:
  ConfigChannel(Context& context, int index);

  /// Spawns the consumers (and the generator, if any). Call before the run.
  void start();

  /// Publishes a new version and rolls it out by the channel's policy.
  /// `fault` is the fault it carries (-1: a good version); `origin` its root
  /// cause. Returns the version's global index. Callable from any actor.
  int publish(int fault, double size_bytes, std::vector<double> error_rate_by_variant, const std::string& origin,
              std::vector<std::vector<double>> segment_error_rates = {});

  /// Publishes the good content again, superseding whatever runs; `fast`
  /// skips the staged policy (a kill switch). `policy`, when given, rolls
  /// this version out instead of the channel's policy (an operator action's
  /// own rollout, docs/models/config-distribution.md).
  int publish_good(const std::string& origin, bool fast = false, const scenario::RolloutSpec* policy = nullptr);

  /// Halts every rollout in flight (each reports its halt with its own cause)
  /// and the generator, and withdraws every version offered but not yet
  /// applied, whatever the topology: transfers in flight are dropped on
  /// arrival, relays stop forwarding, pulling consumers stop fetching.
  /// Versions already applied stay.
  void stop();

  /// After a partition heals: sends again, straight from the publisher, the
  /// newest version offered to each consumer that never received it and has
  /// nothing in flight. Pulling consumers need nothing: they fetch at their
  /// next poll.
  void resync();

  /// Consumer `k`'s process is back after a crash on a version: it loads the
  /// newest version it was sent while down (pushed: relaying it first) or,
  /// pulling, fetches the newest offered one. Blocks the calling actor during
  /// a fetch.
  void reload(int k);

 private:
  /// What travels to a consumer. For a relay tree, the tree and the
  /// consumer's position in it, so it can forward to its children.
  struct Delivery {
    int version = -1;
    int tree = -1;  ///< index into trees_, or -1: nothing to forward
    int position = 0;
    int stops = 0;  ///< stops_ when it was offered: a later stop withdraws it
  };

  int publish_and_roll_out(int fault, double size_bytes, std::vector<double> error_rate_by_variant,
                           const std::string& origin, bool fast,
                           std::vector<std::vector<double>> segment_error_rates = {},
                           const scenario::RolloutSpec* policy = nullptr);
  void rollout(int version, const scenario::RolloutSpec& policy, bool fast, const std::string& origin);
  void offer(int version, const std::vector<int>& consumers);
  void send(int k, Delivery* delivery, double size_bytes);
  void forward(const Delivery& delivery);
  void consume_pushed(int k);
  void consume_pulled(int k);
  void apply(int k, int version);
  /// Consumer `k` is down after a crash: keeps the newest delivery for its reload.
  void hold(int k, const Delivery& delivery);
  /// Fetches the newest version offered to pulling consumer `k` if it is
  /// newer than what runs, and applies it.
  void fetch(int k);
  void generate();
  [[nodiscard]] std::string mailbox(int k) const;
  [[nodiscard]] double updated_error_rate(int version, const std::vector<int>& updated) const;

  Context& context_;
  const int index_;
  const world::Channel& spec_;
  std::vector<int> consumers_;     ///< instance of each consumer
  std::vector<int> wave_order_;    ///< consumers in the order rollouts reach them
  // Per consumer: the newest version offered to it by a rollout, the stop
  // count when it was offered, the newest version that reached it, and how
  // many of its transfers are in flight. A transfer over a link a partition
  // turned off fails; the consumer counts the failure and waits for the next.
  // At the heal, offered but not received and nothing in flight means it was
  // cut off (directly, or behind a relay that was), and resync() sends it
  // again, unless an operator stopped the channel since: a stop ends retries.
  std::vector<int> offered_;
  std::vector<int> offered_at_stop_;
  std::vector<int> received_;
  std::vector<int> in_flight_;
  std::vector<std::optional<Delivery>> held_;  ///< per consumer: sent while it was down after a crash
  std::deque<Delivery> deliveries_;   ///< stable addresses for in-flight payloads
  std::vector<std::vector<int>> trees_;  ///< relay trees: consumers in breadth-first order
  int stops_ = 0;  ///< incremented by stop(); rollouts started before a stop end
};

}  // namespace outagesim::engine
