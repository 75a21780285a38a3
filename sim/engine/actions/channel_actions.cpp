// The actions on a config channel: a revert or rollback publishes the last
// good version again through the rollout; stop_channel halts the rollout;
// push_last_known_good does both; a kill switch halts it and sends the good
// version to every consumer at once. An action with a rollout of its own
// sends its version out by that instead of the channel's policy.
#include "sim/engine/action_take.hpp"
#include "sim/engine/config_channel.hpp"

namespace outagesim::engine {
namespace {

/// The action's own rollout, or null: the channel's policy.
const scenario::RolloutSpec* own_rollout(const ActionTake& run) {
  return run.action.rollout ? &*run.action.rollout : nullptr;
}

}  // namespace

template <>
int take(const ActionTake& run, const scenario::actions::Revert&) {
  return run.context.channel(run.action.channel).publish_good(run.cause, false, own_rollout(run));
}

template <>
int take(const ActionTake& run, const scenario::actions::Rollback&) {
  return run.context.channel(run.action.channel).publish_good(run.cause, false, own_rollout(run));
}

template <>
int take(const ActionTake& run, const scenario::actions::StopChannel&) {
  run.context.channel(run.action.channel).stop();
  return -1;
}

template <>
int take(const ActionTake& run, const scenario::actions::PushLastKnownGood&) {
  ConfigChannel& channel = run.context.channel(run.action.channel);
  channel.stop();
  return channel.publish_good(run.cause, false, own_rollout(run));
}

template <>
int take(const ActionTake& run, const scenario::actions::KillSwitch&) {
  ConfigChannel& channel = run.context.channel(run.action.channel);
  channel.stop();
  // At once, unless the action stages it.
  return channel.publish_good(run.cause, /*fast=*/!run.action.rollout, own_rollout(run));
}

}  // namespace outagesim::engine
