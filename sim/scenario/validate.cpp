#include "validate.hpp"

#include "known_regions.hpp"
#include "suggest.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

namespace outagesim::scenario {
namespace {

/// Limits that keep a malformed or hostile scenario from exhausting memory.
constexpr int max_instances = 100'000;
constexpr double max_samples = 10'000'000;

class Checker {
 public:
  Checker(const Scenario& s, const SourceMap& sources, std::vector<Diagnostic>& out)
      : s_(s), sources_(sources), out_(out) {}

  void run() {
    check_run();
    check_regions();
    check_providers();
    check_sites();
    check_faults();
    check_operators();
  }

 private:
  void error(const std::string& path, std::string message) { out_.push_back(sources_.at(path, std::move(message))); }

  template <class T, class Name>
  void check_unique(const std::vector<T>& items, const std::string& list_path, Name name_of, const char* what) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& name = name_of(items[i]);
      if (!seen.insert(name).second) error(fmt::format("{}[{}]", list_path, i), fmt::format("duplicate {} '{}'", what, name));
    }
  }

  void check_time(double at_s, const std::string& path) {
    if (at_s < 0 || at_s > s_.duration_s)
      error(path, fmt::format("time is outside the run: {}s from start, the run lasts {}s", at_s, s_.duration_s));
  }

  void check_run() {
    // The name becomes a directory name (runs/<name>-<seed>).
    const bool safe = !s_.name.empty() && s_.name != "." && s_.name != ".." &&
                      std::all_of(s_.name.begin(), s_.name.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
                      });
    if (!safe) error("scenario.name", "expected a name of letters, digits, '-', '_' and '.', usable as a directory name");
    if (s_.duration_s <= 0) error("scenario.duration", "expected a positive duration");
    if (s_.output.resolution_s < 1e-3) error("output.resolution", "expected a resolution of at least 1ms");
    else if (s_.duration_s / s_.output.resolution_s > max_samples)
      error("output.resolution", fmt::format("the run would take more than {} samples; use a coarser resolution",
                                             max_samples));
    else if (s_.output.resolution_s > s_.duration_s && s_.duration_s > 0)
      error("output.resolution", "expected a resolution no longer than the run's duration");
  }

  void check_regions() {
    check_unique(s_.regions, "regions", [](const RegionSpec& r) -> const std::string& { return r.name; }, "region");
    for (std::size_t i = 0; i < s_.regions.size(); ++i) {
      const auto& r = s_.regions[i];
      std::string path = fmt::format("regions[{}]", i);
      if (r.latitude_deg.has_value() != r.longitude_deg.has_value())
        error(path, "expected both latitude and longitude, or neither");
      if (r.latitude_deg && std::abs(*r.latitude_deg) > 90) error(path + ".latitude", "expected a latitude in [-90, 90]");
      if (r.longitude_deg && std::abs(*r.longitude_deg) > 180)
        error(path + ".longitude", "expected a longitude in [-180, 180]");
      if (!r.latitude_deg && !find_known_region(r.name))
        error(path + ".name", fmt::format("region '{}' has no built-in coordinates; give latitude and longitude{}",
                                          r.name, did_you_mean(r.name, region_names())));
    }
  }

  std::vector<std::string> region_names() const {
    std::vector<std::string> names;
    for (const auto& r : s_.regions) names.push_back(r.name);
    for (const auto& r : known_regions()) names.emplace_back(r.name);
    return names;
  }

  void check_region_reference(const std::string& name, const std::string& path) {
    auto names = region_names();
    if (std::find(names.begin(), names.end(), name) == names.end())
      error(path, fmt::format("unknown region '{}'{}", name, did_you_mean(name, names)));
  }

  void check_providers() {
    check_unique(s_.providers, "providers", [](const ProviderSpec& p) -> const std::string& { return p.name; },
                 "provider");
    int total_instances = 0;
    for (std::size_t p = 0; p < s_.providers.size(); ++p) {
      const auto& provider = s_.providers[p];
      std::string ppath = fmt::format("providers[{}]", p);
      if (provider.name.find('.') != std::string::npos) error(ppath + ".name", "names may not contain '.'");
      check_unique(provider.services, ppath + ".services",
                   [](const ServiceSpec& x) -> const std::string& { return x.name; }, "service");
      check_unique(provider.channels, ppath + ".channels",
                   [](const ChannelSpec& x) -> const std::string& { return x.name; }, "channel");
      if (provider.services.empty()) error(ppath + ".services", "expected at least one service");
      for (std::size_t i = 0; i < provider.services.size(); ++i) {
        const auto& service = provider.services[i];
        std::string path = fmt::format("{}.services[{}]", ppath, i);
        if (service.name.find('.') != std::string::npos) error(path + ".name", "names may not contain '.'");
        int count = 0;
        for (const auto& instances : service.instances) {
          check_region_reference(instances.region, fmt::format("{}.instances.{}", path, instances.region));
          count += instances.count;
        }
        if (count == 0) error(path + ".instances", "expected at least one instance");
        total_instances += count;
        if (service.capacity_rps <= 0) error(path + ".capacity", "expected a positive capacity");
        if (service.access_bandwidth_Bps <= 0) error(path + ".access_bandwidth", "expected a positive bandwidth");
        check_variants(service, path);
      }
      for (std::size_t i = 0; i < provider.channels.size(); ++i) check_channel(provider, i, ppath);
    }
    if (total_instances > max_instances)
      error("providers", fmt::format("{} instances in all; at most {} are supported", total_instances, max_instances));
  }

  void check_variants(const ServiceSpec& service, const std::string& path) {
    if (service.variants.empty()) return;
    check_unique(service.variants, path + ".variants",
                 [](const VariantSpec& v) -> const std::string& { return v.name; }, "variant");
    double total = 0;
    for (const auto& v : service.variants) total += v.share;
    if (std::abs(total - 1.0) > 1e-9)
      error(path + ".variants", fmt::format("variant shares add up to {}%, expected 100%", total * 100));
  }

  void check_channel(const ProviderSpec& provider, std::size_t i, const std::string& ppath) {
    const auto& channel = provider.channels[i];
    std::string path = fmt::format("{}.channels[{}]", ppath, i);
    std::vector<std::string> services;
    for (const auto& s : provider.services) services.push_back(s.name);
    if (std::find(services.begin(), services.end(), channel.consumers) == services.end())
      error(path + ".consumers", fmt::format("provider '{}' has no service '{}'{}", provider.name, channel.consumers,
                                             did_you_mean(channel.consumers, services)));
    check_region_reference(channel.origin, path + ".origin");
    if (channel.size_bytes <= 0) error(path + ".size", "expected a positive size");
    if (channel.uplink_Bps <= 0) error(path + ".uplink", "expected a positive bandwidth");
  }

  std::vector<std::string> qualified_services() const {
    std::vector<std::string> names;
    for (const auto& p : s_.providers)
      for (const auto& s : p.services) names.push_back(p.name + "." + s.name);
    return names;
  }

  std::vector<std::string> qualified_channels() const {
    std::vector<std::string> names;
    for (const auto& p : s_.providers)
      for (const auto& c : p.channels) names.push_back(p.name + "." + c.name);
    return names;
  }

  const ChannelSpec* find_channel(const std::string& qualified, const ProviderSpec** owner) const {
    for (const auto& p : s_.providers)
      for (const auto& c : p.channels)
        if (p.name + "." + c.name == qualified) {
          *owner = &p;
          return &c;
        }
    return nullptr;
  }

  bool check_channel_reference(const std::string& name, const std::string& path) {
    auto names = qualified_channels();
    if (std::find(names.begin(), names.end(), name) != names.end()) return true;
    error(path, fmt::format("unknown channel '{}', expected provider.channel{}", name, did_you_mean(name, names)));
    return false;
  }

  void check_sites() {
    check_unique(s_.sites, "sites", [](const SiteSpec& x) -> const std::string& { return x.name; }, "site");
    auto services = qualified_services();
    for (std::size_t i = 0; i < s_.sites.size(); ++i) {
      const auto& site = s_.sites[i];
      std::string path = fmt::format("sites[{}]", i);
      if (site.rps <= 0) error(path + ".rps", "expected a positive request rate");
      if (site.depends_on.empty()) error(path + ".depends_on", "expected at least one dependency");
      for (std::size_t d = 0; d < site.depends_on.size(); ++d) {
        const auto& target = site.depends_on[d].target;
        if (std::find(services.begin(), services.end(), target) == services.end())
          error(fmt::format("{}.depends_on[{}].target", path, d),
                fmt::format("unknown service '{}', expected provider.service{}", target, did_you_mean(target, services)));
      }
    }
  }

  void check_faults() {
    check_unique(s_.faults, "faults", [](const FaultSpec& x) -> const std::string& { return x.id; }, "fault id");
    for (std::size_t i = 0; i < s_.faults.size(); ++i) {
      const auto& fault = s_.faults[i];
      std::string path = fmt::format("faults[{}]", i);
      check_time(fault.at_s, path + ".at");
      if (fault.size_bytes && *fault.size_bytes <= 0) error(path + ".size", "expected a positive size");
      if (!check_channel_reference(fault.channel, path + ".channel")) continue;
      const ProviderSpec* provider = nullptr;
      const ChannelSpec* channel = find_channel(fault.channel, &provider);
      const ServiceSpec* consumers = nullptr;
      for (const auto& s : provider->services)
        if (s.name == channel->consumers) consumers = &s;
      if (consumers == nullptr) continue;  // reported with the channel
      std::vector<std::string> variants;
      for (const auto& v : consumers->variants) variants.push_back(v.name);
      if (variants.empty()) variants.emplace_back("default");
      for (std::size_t e = 0; e < fault.effects.size(); ++e) {
        const auto& name = fault.effects[e].variant;
        if (std::find(variants.begin(), variants.end(), name) == variants.end())
          error(fmt::format("{}.effects[{}].variant", path, e),
                fmt::format("service '{}' has no variant '{}'; its variants: {}{}", consumers->name, name,
                            fmt::join(variants, ", "), did_you_mean(name, variants)));
      }
    }
  }

  void check_operators() {
    check_unique(s_.operators, "operators", [](const OperatorSpec& x) -> const std::string& { return x.name; },
                 "operator");
    for (std::size_t o = 0; o < s_.operators.size(); ++o) {
      for (std::size_t a = 0; a < s_.operators[o].actions.size(); ++a) {
        const auto& action = s_.operators[o].actions[a];
        std::string path = fmt::format("operators[{}].actions[{}]", o, a);
        check_time(action.at_s, path + ".at");
        check_channel_reference(action.channel, path + ".channel");
      }
    }
  }

  const Scenario& s_;
  const SourceMap& sources_;
  std::vector<Diagnostic>& out_;
};

}  // namespace

void validate(const Scenario& scenario, const SourceMap& sources, std::vector<Diagnostic>& diagnostics) {
  Checker(scenario, sources, diagnostics).run();
}

}  // namespace outagesim::scenario
