// Partition: the listed regions lose their backbone links to every other
// region, so a transfer between the two sides fails, in flight or not yet
// started, while the regions inside still reach each other. Every instance
// inside is down for clients. When it heals, each channel re-offers what its
// cut-off consumers missed (ConfigChannel::resync).
#include "sim/engine/config_channel.hpp"
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

#include <algorithm>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Link.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {
namespace {

/// Backbone links with one end inside `regions` and the other outside.
std::vector<int> boundary_links(const world::Platform& platform, const std::vector<int>& regions) {
  auto region_of = [&](const std::string& netpoint) {
    auto it = std::find(platform.routers.begin(), platform.routers.end(), netpoint);
    return it == platform.routers.end() ? -1 : static_cast<int>(it - platform.routers.begin());
  };
  auto inside = [&](int region) { return std::find(regions.begin(), regions.end(), region) != regions.end(); };
  std::vector<int> out;
  for (const auto& edge : platform.edges) {
    const int a = region_of(edge.from), b = region_of(edge.to);
    if (a >= 0 && b >= 0 && inside(a) != inside(b)) out.push_back(edge.link);
  }
  return out;
}

}  // namespace

LinkCuts::LinkCuts(const world::World& world) : world_(world), cuts_(world.platform.links.size(), 0) {}

void LinkCuts::cut(const std::vector<int>& links, bool off) {
  for (int l : links) {
    int& cuts = cuts_[static_cast<std::size_t>(l)];
    const bool was_on = cuts == 0;
    cuts += off ? 1 : -1;
    if (was_on == (cuts == 0)) continue;
    sg4::Link* link = sg4::Link::by_name(world_.platform.links[static_cast<std::size_t>(l)].name);
    if (off) link->turn_off();
    else link->turn_on();
  }
}

template <>
void play(const FaultPlay& run, const scenario::faults::Partition&) {
  auto& context = run.context;
  const auto& fault = run.fault;
  const std::vector<int> links = boundary_links(context.world().platform, fault.regions);
  const std::vector<int> instances = instances_in_regions(context.world(), fault.regions, "");
  auto& partitions = context.state().partitions;
  partitions.push_back(world::index(run.f));  // before any report: client regions inside are cut off from the first event on
  context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  run.cuts.cut(links, true);
  for (int i : instances) impair(context, i, {.fault = run.f, .down = true}, run.cause);
  if (!run.wait_out()) return;
  partitions.erase(std::find(partitions.begin(), partitions.end(), world::index(run.f)));
  run.cuts.cut(links, false);
  for (int i : instances) lift(context, i, run.f, world::ActionIndex::none, run.ending_cause());
  for (std::size_t c = 0; c < context.world().channels.size(); ++c) context.channel(static_cast<int>(c)).resync();
  context.end_fault(run.f, run.ending_cause());
}

}  // namespace outagesim::engine
