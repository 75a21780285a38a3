#include "platform_builder.hpp"

#include <set>
#include <utility>
#include <vector>

#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {
namespace {

/// Hosts only compute nothing of note; their speed is never the bottleneck.
constexpr double host_speed_flops = 1e9;

/// Above this many hosts the table of routes (8 bytes per pair of hosts:
/// 8 MiB here) would cost more than Dijkstra saves.
constexpr std::size_t max_hosts_for_route_table = 1024;

using NetPoints = std::map<std::string, simgrid::kernel::routing::NetPoint*, std::less<>>;

std::vector<sg4::Link*> create_links(sg4::NetZone& zone, const world::Platform& platform) {
  std::vector<sg4::Link*> links;
  links.reserve(platform.links.size());
  for (const auto& link : platform.links)
    links.push_back(zone.create_link(link.name, link.bandwidth_Bps)->set_latency(link.latency_s)->seal());
  return links;
}

sg4::LinkInRoute via(const std::vector<sg4::Link*>& links, int link) {
  return sg4::LinkInRoute(links[static_cast<std::size_t>(link)]);
}

/// Every route computed when a transfer starts: shortest paths over the edges.
void route_by_dijkstra(sg4::NetZone& zone, const world::Platform& platform, const std::vector<sg4::Link*>& links,
                       const NetPoints& netpoints) {
  for (const auto& edge : platform.edges)
    zone.add_route(netpoints.at(edge.from), netpoints.at(edge.to), nullptr, nullptr, {via(links, edge.link)},
                   /*symmetrical=*/true);
}

/// The route of each pair written out: the sender's access link, the
/// backbone link between the two regions (none within one), the receiver's
/// access link. These are the shortest paths route_by_dijkstra finds, their
/// links in the order it lists them and with the same latency (every access
/// link has access_latency_s, so the sum does not depend on the order it is
/// taken in), so transfers run bit for bit the same
/// (tests/engine/platform_test.cpp).
void route_by_table(sg4::NetZone& zone, const world::Platform& platform, const std::vector<sg4::Link*>& links,
                    const NetPoints& netpoints, const std::vector<TransferPair>& pairs) {
  std::map<std::string, std::size_t, std::less<>> region_of_router;
  for (std::size_t r = 0; r < platform.routers.size(); ++r) region_of_router.emplace(platform.routers[r], r);
  std::map<std::string, std::pair<std::size_t, int>, std::less<>> access;  // host -> (region, link)
  std::map<std::pair<std::size_t, std::size_t>, int> backbone;              // regions -> link
  for (const auto& edge : platform.edges) {
    const auto from = region_of_router.find(edge.from);
    const auto to = region_of_router.find(edge.to);
    if (from != region_of_router.end() && to != region_of_router.end()) {
      backbone[{from->second, to->second}] = edge.link;
      backbone[{to->second, from->second}] = edge.link;
    } else if (from != region_of_router.end()) {
      access[edge.to] = {from->second, edge.link};
    } else if (to != region_of_router.end()) {
      access[edge.from] = {to->second, edge.link};
    }
  }
  // Both ways: SimGrid also routes a transfer's acknowledgements back
  // (network/crosstraffic), and a missing way would silently leave them out.
  std::set<TransferPair> distinct;
  for (const auto& [sender, receiver] : pairs)
    if (!distinct.contains({receiver, sender})) distinct.emplace(sender, receiver);
  for (const auto& [sender, receiver] : distinct) {
    const auto& [sender_region, sender_link] = access.at(sender);
    const auto& [receiver_region, receiver_link] = access.at(receiver);
    std::vector<sg4::LinkInRoute> route{via(links, sender_link)};
    if (sender_region != receiver_region) route.push_back(via(links, backbone.at({sender_region, receiver_region})));
    route.push_back(via(links, receiver_link));
    zone.add_route(netpoints.at(sender), netpoints.at(receiver), nullptr, nullptr, route, /*symmetrical=*/true);
  }
}

}  // namespace

std::optional<std::vector<TransferPair>> transfer_pairs(const world::World& world) {
  std::vector<TransferPair> pairs;
  for (const auto& channel : world.channels) {
    if (channel.topology.kind == scenario::TopologyKind::tree) return std::nullopt;
    for (int consumer : channel.consumers)
      pairs.emplace_back(channel.origin_host, world.instances[static_cast<std::size_t>(consumer)].id);
  }
  return pairs;
}

std::map<std::string, sg4::Host*, std::less<>> build_platform(const world::Platform& platform,
                                                              const std::optional<std::vector<TransferPair>>& pairs) {
  // SimGrid 3.32's Dijkstra zone runs Dijkstra again for every transfer
  // (its route cache goes unused: perf counted one run per send), a pass
  // over the whole platform each time: a quarter of the CPU of a 330-PoP
  // run. When the pairs are known and the table small, routes are looked up.
  const bool table = pairs && platform.hosts.size() <= max_hosts_for_route_table;
  auto* zone = table ? sg4::create_full_zone("outagesim") : sg4::create_dijkstra_zone("outagesim", /*cache=*/true);

  std::map<std::string, sg4::Host*, std::less<>> hosts;
  NetPoints netpoints;
  for (const auto& name : platform.hosts) {
    sg4::Host* host = zone->create_host(name, host_speed_flops)->seal();
    hosts.emplace(name, host);
    netpoints.emplace(name, host->get_netpoint());
  }
  for (const auto& name : platform.routers) netpoints.emplace(name, zone->create_router(name));
  const std::vector<sg4::Link*> links = create_links(*zone, platform);
  if (table) route_by_table(*zone, platform, links, netpoints, *pairs);
  else route_by_dijkstra(*zone, platform, links, netpoints);
  zone->seal();
  return hosts;
}

}  // namespace outagesim::engine
