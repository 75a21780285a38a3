#include "platform_builder.hpp"

#include <vector>

#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

std::map<std::string, sg4::Host*, std::less<>> build_platform(const world::Platform& platform) {
  // Hosts only compute nothing of note; their speed is never the bottleneck.
  constexpr double host_speed_flops = 1e9;
  auto* zone = sg4::create_dijkstra_zone("outagesim", /*cache=*/true);

  std::map<std::string, sg4::Host*, std::less<>> hosts;
  std::map<std::string, simgrid::kernel::routing::NetPoint*, std::less<>> netpoints;
  for (const auto& name : platform.hosts) {
    sg4::Host* host = zone->create_host(name, host_speed_flops)->seal();
    hosts.emplace(name, host);
    netpoints.emplace(name, host->get_netpoint());
  }
  for (const auto& name : platform.routers) netpoints.emplace(name, zone->create_router(name));

  std::vector<sg4::Link*> links;
  links.reserve(platform.links.size());
  for (const auto& link : platform.links)
    links.push_back(zone->create_link(link.name, link.bandwidth_Bps)->set_latency(link.latency_s)->seal());

  for (const auto& edge : platform.edges) {
    zone->add_route(netpoints.at(edge.from), netpoints.at(edge.to), nullptr, nullptr,
                    {sg4::LinkInRoute(links[static_cast<std::size_t>(edge.link)])}, /*symmetrical=*/true);
  }
  zone->seal();
  return hosts;
}

}  // namespace outagesim::engine
