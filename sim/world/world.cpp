#include "world.hpp"

#include "sim/scenario/known_regions.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace outagesim::world {
namespace {

class Builder {
 public:
  explicit Builder(const scenario::Scenario& s) : s_(s) {}

  World build() {
    w_.name = s_.name;
    w_.start_epoch_s = s_.start_epoch_s;
    w_.duration_s = s_.duration_s;
    w_.resolution_s = s_.output.resolution_s;
    w_.site_down_below = s_.output.site_down_below;
    w_.seed = s_.seed;
    for (const auto& provider : s_.providers)
      for (const auto& service : provider.services) add_service(provider, service);
    for (const auto& provider : s_.providers)
      for (const auto& channel : provider.channels) add_channel(provider, channel);
    for (const auto& site : s_.sites) add_site(site);
    for (const auto& fault : s_.faults) add_fault(fault);
    for (const auto& op : s_.operators)
      for (const auto& action : op.actions)
        w_.actions.push_back(Action{op.name, action.at_s, action.kind, channel_index(action.channel)});
    std::stable_sort(w_.actions.begin(), w_.actions.end(),
                     [](const Action& a, const Action& b) { return a.at_s < b.at_s; });
    add_backbone();
    return std::move(w_);
  }

 private:
  int region_index(const std::string& name) {
    auto& regions = w_.platform.regions;
    for (std::size_t i = 0; i < regions.size(); ++i)
      if (regions[i].name == name) return static_cast<int>(i);
    Region region{name, 0, 0};
    auto declared = std::find_if(s_.regions.begin(), s_.regions.end(),
                                 [&](const scenario::RegionSpec& r) { return r.name == name; });
    if (declared != s_.regions.end() && declared->latitude_deg) {
      region.latitude_deg = *declared->latitude_deg;
      region.longitude_deg = *declared->longitude_deg;
    } else if (auto known = scenario::find_known_region(name)) {
      region.latitude_deg = known->latitude_deg;
      region.longitude_deg = known->longitude_deg;
    } else {
      throw std::logic_error("world::build: unvalidated region " + name);
    }
    regions.push_back(region);
    w_.platform.routers.push_back("router:" + name);
    return static_cast<int>(regions.size() - 1);
  }

  /// Adds a host in `region` with its own link to the region's router.
  void attach_host(const std::string& host, int region, double bandwidth_Bps, const std::string& link_prefix) {
    auto& p = w_.platform;
    p.hosts.push_back(host);
    p.links.push_back(Link{link_prefix + ":" + host, bandwidth_Bps, access_latency_s});
    p.edges.push_back(Edge{host, p.routers[static_cast<std::size_t>(region)], static_cast<int>(p.links.size() - 1)});
  }

  void add_service(const scenario::ProviderSpec& provider, const scenario::ServiceSpec& spec) {
    Service service;
    service.id = provider.name + "." + spec.name;
    service.provider = provider.name;
    std::vector<double> shares;
    for (const auto& v : spec.variants) {
      service.variants.push_back(v.name);
      shares.push_back(v.share);
    }
    if (service.variants.empty()) {
      service.variants.emplace_back("default");
      shares.push_back(1.0);
    }
    int total = 0;
    for (const auto& c : spec.instances) total += c.count;
    auto variants = assign_variants(shares, total);
    const int service_index = static_cast<int>(w_.services.size());
    int k = 0;
    for (const auto& c : spec.instances) {
      int region = region_index(c.region);
      for (int i = 0; i < c.count; ++i, ++k) {
        Instance instance;
        instance.id = fmt::format("{}/{}/{}", service.id, c.region, i);
        instance.service = service_index;
        instance.region = region;
        instance.variant = variants[static_cast<std::size_t>(k)];
        instance.capacity_rps = spec.capacity_rps;
        service.instances.push_back(static_cast<int>(w_.instances.size()));
        attach_host(instance.id, region, spec.access_bandwidth_Bps, "access");
        w_.instances.push_back(std::move(instance));
      }
    }
    w_.services.push_back(std::move(service));
  }

  int service_index(const std::string& qualified) const {
    for (std::size_t i = 0; i < w_.services.size(); ++i)
      if (w_.services[i].id == qualified) return static_cast<int>(i);
    throw std::logic_error("world::build: unvalidated service " + qualified);
  }

  int channel_index(const std::string& qualified) const {
    for (std::size_t i = 0; i < w_.channels.size(); ++i)
      if (w_.channels[i].id == qualified) return static_cast<int>(i);
    throw std::logic_error("world::build: unvalidated channel " + qualified);
  }

  void add_channel(const scenario::ProviderSpec& provider, const scenario::ChannelSpec& spec) {
    Channel channel;
    channel.id = provider.name + "." + spec.name;
    channel.service = service_index(provider.name + "." + spec.consumers);
    channel.origin_region = region_index(spec.origin);
    channel.origin_host = channel.id + "@origin";
    channel.size_bytes = spec.size_bytes;
    channel.apply_delay_s = spec.apply_delay_s;
    attach_host(channel.origin_host, channel.origin_region, spec.uplink_Bps, "uplink");
    w_.channels.push_back(std::move(channel));
  }

  void add_site(const scenario::SiteSpec& spec) {
    Site site{spec.name, spec.rps, {}};
    for (const auto& d : spec.depends_on) site.dependencies.push_back(Dependency{service_index(d.target), d.kind});
    w_.sites.push_back(std::move(site));
  }

  void add_fault(const scenario::FaultSpec& spec) {
    Fault fault;
    fault.id = spec.id;
    fault.channel = channel_index(spec.channel);
    fault.at_s = spec.at_s;
    const Channel& channel = w_.channels[static_cast<std::size_t>(fault.channel)];
    fault.size_bytes = spec.size_bytes.value_or(channel.size_bytes);
    const auto& variants = w_.services[static_cast<std::size_t>(channel.service)].variants;
    fault.error_rate_by_variant.assign(variants.size(), 0.0);
    for (const auto& effect : spec.effects) {
      auto it = std::find(variants.begin(), variants.end(), effect.variant);
      fault.error_rate_by_variant[static_cast<std::size_t>(it - variants.begin())] = effect.error_rate;
    }
    w_.faults.push_back(std::move(fault));
  }

  void add_backbone() {
    auto& p = w_.platform;
    for (std::size_t a = 0; a < p.regions.size(); ++a) {
      for (std::size_t b = a + 1; b < p.regions.size(); ++b) {
        p.links.push_back(Link{fmt::format("backbone:{}--{}", p.regions[a].name, p.regions[b].name),
                               backbone_bandwidth_Bps, backbone_latency_s(p.regions[a], p.regions[b])});
        p.edges.push_back(Edge{p.routers[a], p.routers[b], static_cast<int>(p.links.size() - 1)});
      }
    }
  }

  const scenario::Scenario& s_;
  World w_;
};

}  // namespace

std::vector<int> assign_variants(const std::vector<double>& shares, int count) {
  std::vector<int> assigned(shares.size(), 0);
  std::vector<int> result;
  result.reserve(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    std::size_t best = 0;
    double best_deficit = -1e300;
    for (std::size_t v = 0; v < shares.size(); ++v) {
      double deficit = shares[v] * (k + 1) - assigned[v];
      if (deficit > best_deficit + 1e-12) {  // ties go to the first declared variant
        best_deficit = deficit;
        best = v;
      }
    }
    ++assigned[best];
    result.push_back(static_cast<int>(best));
  }
  return result;
}

World build(const scenario::Scenario& scenario) { return Builder(scenario).build(); }

}  // namespace outagesim::world
