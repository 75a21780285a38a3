// The SimGrid platform built from world::Platform (platform_builder.hpp):
// which links a route crosses and its latency. SimGrid allows one engine per
// process: each test builds its platform in a forked child.
#include "sim/engine/platform_builder.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>

namespace outagesim::engine {
namespace {

namespace sg4 = simgrid::s4u;

world::World two_region_world() {
  return world::build(scenario::load_from_string(
      "scenario: {name: t, start: 2025-01-01T00:00:00Z, duration: 10m}\n"
      "providers:\n"
      "  - name: cdn\n"
      "    services: [{name: proxy, instances: {eu-west: 2, na-east: 1}, capacity: 1k rps}]\n"
      "    channels: [{name: rules, consumers: proxy, origin: eu-west, size: 1MB}]\n"
      "sites: [{name: s, rps: 1 rps, depends_on: [{target: cdn.proxy}]}]\n",
      "t.yaml"));
}

struct Route {
  std::vector<std::string> links;
  double latency_s = 0;
};

/// The routes from the channel's publisher to each instance and back
/// (publisher to instance 0, instance 0 to publisher, ...), computed by
/// SimGrid in a child process: from the table of the transfers' routes, or
/// by Dijkstra over the whole platform.
std::vector<Route> publisher_routes(const world::World& world, bool table) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    int argc = 1;
    char name[] = "platform_test";
    char* argv[] = {name, nullptr};
    sg4::Engine engine(&argc, argv);
    const auto hosts = build_platform(world.platform, table ? transfer_pairs(world) : std::nullopt);
    FILE* out = fdopen(fds[1], "w");
    for (const auto& instance : world.instances) {
      std::vector<sg4::Link*> links;
      double latency = 0;
      hosts.at(world.channels.front().origin_host)->route_to(hosts.at(instance.id), links, &latency);
      std::fprintf(out, "%a %zu", latency, links.size());
      for (const auto* link : links) std::fprintf(out, " %s", link->get_cname());
      std::fprintf(out, "\n");
      // And back: SimGrid routes each transfer's acknowledgements too.
      links.clear();
      latency = 0;
      hosts.at(instance.id)->route_to(hosts.at(world.channels.front().origin_host), links, &latency);
      std::fprintf(out, "%a %zu", latency, links.size());
      for (const auto* link : links) std::fprintf(out, " %s", link->get_cname());
      std::fprintf(out, "\n");
    }
    std::fclose(out);
    _exit(0);
  }
  close(fds[1]);
  FILE* in = fdopen(fds[0], "r");
  std::vector<Route> routes;
  Route r;
  std::size_t n = 0;
  while (std::fscanf(in, "%la %zu", &r.latency_s, &n) == 2) {
    r.links.clear();
    char link[256];
    for (std::size_t k = 0; k < n && std::fscanf(in, "%255s", link) == 1; ++k) r.links.emplace_back(link);
    routes.push_back(r);
  }
  std::fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the platform child failed";
  return routes;
}

TEST(Platform, TheTableOfRoutesGivesDijkstrasRoutesLinkForLink) {
  const world::World world = two_region_world();
  ASSERT_TRUE(transfer_pairs(world).has_value());
  const auto by_table = publisher_routes(world, true);
  const auto by_dijkstra = publisher_routes(world, false);
  ASSERT_EQ(by_table.size(), 2 * world.instances.size());
  ASSERT_EQ(by_dijkstra.size(), 2 * world.instances.size());
  for (std::size_t i = 0; i < by_table.size(); ++i) {
    // The same links in the same order (SimGrid's sharing is computed in
    // that order), and the same latency to the last bit.
    EXPECT_EQ(by_table[i].links, by_dijkstra[i].links) << world.instances[i / 2].id << (i % 2 ? " back" : "");
    EXPECT_EQ(by_table[i].latency_s, by_dijkstra[i].latency_s) << world.instances[i / 2].id;
  }
}

TEST(Platform, ATreeChannelLeavesTheRoutesToDijkstra) {
  std::string text =
      "scenario: {name: t, start: 2025-01-01T00:00:00Z, duration: 10m}\n"
      "providers:\n"
      "  - name: cdn\n"
      "    services: [{name: proxy, instances: {eu-west: 4}, capacity: 1k rps}]\n"
      "    channels: [{name: rules, consumers: proxy, origin: eu-west, size: 1MB, topology: {kind: tree, fanout: 2}}]\n"
      "sites: [{name: s, rps: 1 rps, depends_on: [{target: cdn.proxy}]}]\n";
  EXPECT_FALSE(transfer_pairs(world::build(scenario::load_from_string(text, "t.yaml"))).has_value())
      << "relays send from consumer to consumer in an order drawn during the run";
}

TEST(Platform, RoutesCrossTheAccessLinksAndOneBackboneLink) {
  const world::World world = two_region_world();
  std::vector<Route> routes;
  const auto both_ways = publisher_routes(world, true);
  for (std::size_t i = 0; i < both_ways.size(); i += 2) routes.push_back(both_ways[i]);
  ASSERT_EQ(routes.size(), world.instances.size());
  const std::string uplink = "uplink:" + world.channels.front().origin_host;
  double backbone_latency = -1;
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const auto& instance = world.instances[i];
    const auto& links = routes[i].links;
    const std::string access = "access:" + instance.id;
    if (world.platform.regions[static_cast<std::size_t>(instance.region)].name == "eu-west") {
      // Within the publisher's region: the two access links, nothing else.
      ASSERT_EQ(links.size(), 2u) << instance.id;
      EXPECT_EQ(links, std::vector<std::string>({uplink, access})) << "within a region: the two hosts' own links";
      EXPECT_DOUBLE_EQ(routes[i].latency_s, 2 * world::access_latency_s);
    } else {
      ASSERT_EQ(links.size(), 3u) << instance.id;
      EXPECT_EQ(links.front(), uplink);
      EXPECT_EQ(links[1].rfind("backbone:", 0), 0u) << links[1];
      EXPECT_EQ(links.back(), access);
      const auto backbone = std::find_if(world.platform.links.begin(), world.platform.links.end(),
                                         [&](const world::Link& l) { return l.name == links[1]; });
      ASSERT_NE(backbone, world.platform.links.end());
      EXPECT_DOUBLE_EQ(routes[i].latency_s, 2 * world::access_latency_s + backbone->latency_s);
      backbone_latency = backbone->latency_s;
    }
  }
  EXPECT_GT(backbone_latency, 0.02) << "London to New York: tens of milliseconds";
}

}  // namespace
}  // namespace outagesim::engine
