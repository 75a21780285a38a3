#include "validate.hpp"

#include "describe.hpp"
#include "known_regions.hpp"
#include "market_share.hpp"
#include "suggest.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace outagesim::scenario {
namespace {

/// Limits that keep a malformed or hostile scenario from exhausting memory
/// or time (docs/limits.md).
constexpr int max_instances = 100'000;
/// Each consumer of a config channel is one SimGrid actor, and each actor's
/// guard page costs two memory mappings: from about 30,000 in all the kernel's
/// default vm.max_map_count (65530) is reached and SimGrid aborts. 20,000 was
/// measured to run (docs/limits.md).
constexpr long max_channel_consumers = 20'000;
constexpr double max_samples = 10'000'000;
constexpr int max_generated_sites = 10'000'000;
/// Most times one periodic thing (a poll, a health check, a traffic step, a
/// crash loop's cycle) may happen in a run: duration / period.
constexpr double max_repeats = 10'000'000;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class Checker {
 public:
  Checker(const Scenario& s, const SourceMap& sources, std::vector<Diagnostic>& out)
      : s_(s), sources_(sources), out_(out) {
    for (const auto& p : s_.providers) {
      for (const auto& x : p.services) services_.push_back(p.name + "." + x.name);
      for (const auto& x : p.channels) channels_.push_back(p.name + "." + x.name);
      for (const auto& x : p.records) records_.push_back(p.name + "." + x.name);
      providers_.push_back(p.name);
    }
    for (const auto& r : s_.regions) regions_.push_back(r.name);
    for (const auto& r : known_regions())
      if (!contains(regions_, std::string(r.name))) regions_.emplace_back(r.name);
  }

  void run() {
    check_run();
    check_regions();
    check_providers();
    check_service_cycles();
    check_sites();
    check_traffic();
    check_faults();
    check_operators();
    check_output();
    check_repeated_events();
  }

  // --- what each kind's check(Checker&, const Kind&, path) uses ------------------------
  // (fault_kinds.hpp, action_kinds.hpp: the checks the loader cannot make
  // alone, references and ranges that depend on each other). Each reference
  // check reports an unknown name and returns whether it is known.

  void error(const std::string& path, std::string message) { out_.push_back(sources_.at(path, std::move(message))); }
  bool service(const std::string& name, const std::string& path) { return check_service(name, path); }
  bool channel(const std::string& name, const std::string& path) { return check_channel(name, path); }
  bool record(const std::string& name, const std::string& path) {
    return check_reference(name, records_, path, "record", "provider.record");
  }
  bool provider(const std::string& name, const std::string& path) {
    return check_reference(name, providers_, path, "provider", "");
  }
  bool target(const TargetSpec& t, const std::string& path) { return check_target(t, path); }
  /// A change of `service`'s clients' retry policy (set_retry_policy): the
  /// declared policy with the fields given replaced must be a valid one.
  void changed_retry(const std::string& service, std::optional<int> max_retries, std::optional<double> backoff_base_s,
                     std::optional<double> backoff_max_s, std::optional<double> budget, const std::string& path) {
    const ServiceSpec* spec = find_service(service);
    RetrySpec r = spec && spec->queue && spec->queue->retry ? *spec->queue->retry : s_.traffic.retry;
    if (max_retries) r.max_retries = *max_retries;
    if (backoff_base_s) r.backoff_base_s = *backoff_base_s;
    if (backoff_max_s) r.backoff_max_s = *backoff_max_s;
    if (budget) r.budget = *budget;
    check_retry(r, path);
  }
  /// The kind of the fault with id `id`, or null (reported) when there is none.
  const FaultKind* fault(const std::string& id, const std::string& path) {
    std::vector<std::string> ids;
    for (const auto& f : s_.faults) {
      if (f.id == id) return &f.kind;
      ids.push_back(f.id);
    }
    error(path, fmt::format("unknown fault '{}'{}", id, did_you_mean(id, ids)));
    return nullptr;
  }
  /// Every entry of `regions` (the list at `path`) is one of
  /// traffic.client_regions: where users are, whose load can grow.
  void client_regions(const std::vector<std::string>& regions, const std::string& path,
                      std::string_view why = "a regional load comes from users") {
    std::vector<std::string> known;
    for (const auto& c : s_.traffic.client_regions) known.push_back(c.region);
    for (std::size_t r = 0; r < regions.size(); ++r) {
      if (std::find(known.begin(), known.end(), regions[r]) != known.end()) continue;
      if (known.empty())
        error(fmt::format("{}[{}]", path, r),
              fmt::format("'{}' is not a client region: {}, declared under "
                          "traffic.client_regions, and this scenario declares none",
                          regions[r], why));
      else
        error(fmt::format("{}[{}]", path, r),
              fmt::format("'{}' is not a client region, expected one of traffic.client_regions ({}){}", regions[r],
                          fmt::join(known, ", "), did_you_mean(regions[r], known)));
    }
  }
  /// Provider `name` (known) answers DNS records: it has an authoritative service.
  void answers_records(const std::string& name, const std::string& path, std::string_view kind) {
    for (const auto& p : s_.providers)
      if (p.name == name && p.records.empty())
        error(path, fmt::format("provider '{}' answers no DNS records: {} needs a DNS provider, one with records "
                                "(its first service answers them)",
                                name, kind));
  }
  /// Every entry of `regions` (the list at `path`) is a known region.
  void regions(const std::vector<std::string>& regions, const std::string& path) {
    for (std::size_t r = 0; r < regions.size(); ++r) check_region(regions[r], fmt::format("{}[{}]", path, r));
  }
  /// Effects of a version of `channel` name variants and segments of its consumers.
  void channel_effects(const std::string& channel, const std::vector<VariantEffect>& effects,
                       const std::string& path) {
    for (const auto& p : s_.providers)
      for (const auto& c : p.channels)
        if (p.name + "." + c.name == channel)
          check_effects(effects, find_service(p.name + "." + c.consumers), channel, path);
  }
  /// `service` is a look-aside cache (declares `cache:`).
  void a_cache(const std::string& service, const std::string& path, std::string_view kind) {
    if (!is_cache(service))
      error(path, fmt::format("a {} empties a look-aside cache; service '{}' is not declared one (give it 'cache: "
                              "{{refill: ...}}')",
                              kind, service));
  }
  void not_a_dns_authority(const TargetSpec& target, const std::string& path, std::string_view kind) {
    check_load_on_authority(target, path, kind);
  }
  void failover_switch(const std::string& record, const std::string& service, const std::string& path,
                       std::string_view kind) {
    check_failover_action(record, service, path, kind);
  }
  /// Whether `service` names `target` in its own depends_on list.
  bool depends_directly(const std::string& service, const std::string& target) const {
    for (const auto& provider : s_.providers)
      for (const auto& spec : provider.services) {
        if (provider.name + "." + spec.name != service) continue;
        for (const auto& d : spec.depends_on)
          if (d.target == target || contains(d.targets, target)) return true;
      }
    return false;
  }
  /// Something that happens every `period_s` (the thing at `path`) may
  /// happen at most max_repeats times in the run.
  void repeats(double period_s, const std::string& path, std::string_view what) {
    if (s_.duration_s > 0 && period_s > 0 && s_.duration_s / period_s > max_repeats)
      error(path, fmt::format("the run would hold more than {:.0f} {} ({:g}s over {:g}s); use a longer period or "
                              "a shorter run",
                              max_repeats, what, period_s, s_.duration_s));
  }

 private:

  template <class T, class Name>
  void check_unique(const std::vector<T>& items, const std::string& list_path, Name name_of, const char* what) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& name = name_of(items[i]);
      if (!seen.insert(name).second)
        error(fmt::format("{}[{}]", list_path, i), fmt::format("duplicate {} '{}'", what, name));
    }
  }

  void check_name(const std::string& name, const std::string& path) {
    if (name.find('.') != std::string::npos) error(path, "names may not contain '.'");
  }

  /// `name` must be one of `known`; `what` says what kind of thing it names.
  bool check_reference(const std::string& name, const std::vector<std::string>& known, const std::string& path,
                       const char* what, const char* form) {
    if (contains(known, name)) return true;
    error(path, fmt::format("unknown {} '{}'{}{}", what, name, form[0] ? fmt::format(", expected {}", form) : "",
                            did_you_mean(name, known)));
    return false;
  }
  bool check_service(const std::string& name, const std::string& path) {
    return check_reference(name, services_, path, "service", "provider.service");
  }
  bool check_channel(const std::string& name, const std::string& path) {
    return check_reference(name, channels_, path, "channel", "provider.channel");
  }
  bool check_region(const std::string& name, const std::string& path) {
    if (contains(regions_, name)) return true;
    const std::string suggestion = did_you_mean(name, regions_);
    error(path, fmt::format("unknown region '{}'{}", name,
                            suggestion.empty() ? fmt::format("; use a well-known region ({}) or declare it under "
                                                             "regions: with latitude and longitude",
                                                             fmt::join(regions_, ", "))
                                               : suggestion));
    return false;
  }

  void check_time(double at_s, const std::string& path) {
    if (s_.duration_s <= 0) return;  // the duration itself is reported
    if (at_s < 0 || at_s > s_.duration_s)
      error(path, fmt::format("time is outside the run: {}s from start, the run lasts {}s", at_s, s_.duration_s));
  }

  void check_time(const TimeSpec& t, const std::string& path) {
    if (!t.draw) return check_time(t.at_s, path);
    const Distribution& d = *t.draw;
    switch (d.kind) {
      case DistributionKind::fixed: check_time(d.value, path); break;
      case DistributionKind::uniform:
        check_time(d.min, path);
        check_time(d.max, path);
        break;
      // Unbounded draws are clamped to the run; their centre must lie inside it.
      case DistributionKind::exp: check_time(d.mean, path); break;
      case DistributionKind::lognormal: check_time(d.median, path); break;
    }
  }

  /// Reports each field present although `kind` does not use it.
  void check_applies(const std::vector<std::pair<const char*, bool>>& present, const std::vector<std::string>& allowed,
                     const std::string& path, std::string_view kind, const char* what) {
    for (const auto& [key, is_present] : present)
      if (is_present && !contains(allowed, key))
        error(path + "." + key, fmt::format("'{}' does not apply to {} {}", key, what, kind));
  }

  void require(bool present, const std::string& path, const char* key, std::string_view kind, const char* what) {
    if (!present) error(path, fmt::format("{} {} needs '{}'", what, kind, key));
  }

  // --- run, regions ---------------------------------------------------------------

  void check_run() {
    // The name becomes a directory name (runs/<name>-<seed>).
    const bool safe = !s_.name.empty() && s_.name != "." && s_.name != ".." &&
                      std::all_of(s_.name.begin(), s_.name.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
                      });
    if (!safe) error("scenario.name", "expected a name of letters, digits, '-', '_' and '.', usable as a directory name");
    if (s_.duration_s <= 0) error("scenario.duration", "expected a positive duration");
    if (s_.output.resolution_s < 1e-3) {
      error("output.resolution", "expected a resolution of at least 1ms");
    } else if (s_.duration_s / s_.output.resolution_s > max_samples) {
      error("output.resolution",
            fmt::format("the run would take more than {} samples; use a coarser resolution", max_samples));
    } else if (s_.output.resolution_s > s_.duration_s && s_.duration_s > 0) {
      error("output.resolution", "expected a resolution no longer than the run's duration");
    }
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
      if (!r.latitude_deg && !find_known_region(r.name)) {
        std::vector<std::string> known;
        for (const auto& k : known_regions()) known.emplace_back(k.name);
        error(path + ".name", fmt::format("region '{}' has no built-in coordinates; give latitude and longitude{}",
                                          r.name, did_you_mean(r.name, known)));
      }
    }
    if (s_.network.backbone_bandwidth_Bps <= 0) error("network.backbone_bandwidth", "expected a positive bandwidth");
    for (std::size_t i = 0; i < s_.network.latencies.size(); ++i) {
      const auto& l = s_.network.latencies[i];
      std::string path = fmt::format("network.latencies[{}]", i);
      check_region(l.from, path + ".from");
      check_region(l.to, path + ".to");
      if (l.from == l.to) error(path, "expected two different regions");
    }
  }

  // --- providers ---------------------------------------------------------------------

  void check_providers() {
    check_unique(s_.providers, "providers", [](const ProviderSpec& p) -> const std::string& { return p.name; },
                 "provider");
    long total_instances = 0;
    long channel_consumers = 0;
    for (std::size_t p = 0; p < s_.providers.size(); ++p) {
      const auto& provider = s_.providers[p];
      std::string ppath = fmt::format("providers[{}]", p);
      check_name(provider.name, ppath + ".name");
      check_unique(provider.services, ppath + ".services",
                   [](const ServiceSpec& x) -> const std::string& { return x.name; }, "service");
      check_unique(provider.channels, ppath + ".channels",
                   [](const ChannelSpec& x) -> const std::string& { return x.name; }, "channel");
      check_unique(provider.records, ppath + ".records",
                   [](const RecordSpec& x) -> const std::string& { return x.name; }, "record");
      if (provider.services.empty()) error(ppath + ".services", "expected at least one service");
      for (std::size_t i = 0; i < provider.services.size(); ++i)
        total_instances += check_service_spec(provider.services[i], fmt::format("{}.services[{}]", ppath, i));
      for (std::size_t i = 0; i < provider.channels.size(); ++i) {
        const std::string cpath = fmt::format("{}.channels[{}]", ppath, i);
        check_channel_spec(provider, provider.channels[i], cpath);
        const long before = channel_consumers;
        channel_consumers += consumer_count(provider, provider.channels[i]);
        if (before <= max_channel_consumers && channel_consumers > max_channel_consumers)
          error(cpath + ".consumers",
                fmt::format("{} consumers of config channels in all (every instance of a channel's consumer service); "
                            "at most {} are supported (docs/limits.md)",
                            channel_consumers, max_channel_consumers));
      }
      for (std::size_t i = 0; i < provider.records.size(); ++i)
        check_record(provider.records[i], fmt::format("{}.records[{}]", ppath, i));
    }
    if (total_instances > max_instances)
      error("providers", fmt::format("{} instances in all; at most {} are supported", total_instances, max_instances));
  }

  /// Instances of a service, under instances and instance_list.
  static long instance_count(const ServiceSpec& service) {
    long count = static_cast<long>(service.instance_list.size());
    for (const auto& instances : service.instances) count += instances.count;
    return count;
  }

  /// Instances of the service a channel feeds (0 when it names none).
  static long consumer_count(const ProviderSpec& provider, const ChannelSpec& channel) {
    for (const auto& service : provider.services)
      if (service.name == channel.consumers) return instance_count(service);
    return 0;
  }

  /// Capacity in requests per second, or as a budget (cpu) and a cost: one of them.
  void check_capacity(const ServiceSpec& service, const std::string& path) {
    if (service.cpu) {
      if (service.capacity_rps != 0)
        error(path + ".cpu", "give either capacity (requests per second) or cpu (cores and a cost per request), not both");
      if (service.cpu->cores <= 0) error(path + ".cpu.cores", "expected a positive number of cores");
      if (service.cpu->cost_s <= 0) error(path + ".cpu.cost", "expected a positive cost per request, e.g. 20ms");
      return;
    }
    if (service.capacity_rps <= 0)
      error(path + ".capacity", "expected a positive capacity (requests per second per instance), or a 'cpu' budget "
                                "instead (cores and a cost per request, e.g. {cores: 8, cost: 20ms})");
  }

  /// Returns the service's instance count.
  long check_service_spec(const ServiceSpec& service, const std::string& path) {
    check_name(service.name, path + ".name");
    for (const auto& instances : service.instances)
      check_region(instances.region, fmt::format("{}.instances.{}", path, instances.region));
    check_unique(service.instance_list, path + ".instance_list",
                 [](const InstanceSpec& x) -> const std::string& { return x.name; }, "instance");
    std::vector<std::string> variants;
    for (const auto& v : service.variants) variants.push_back(v.name);
    for (std::size_t i = 0; i < service.instance_list.size(); ++i) {
      const auto& instance = service.instance_list[i];
      std::string ipath = fmt::format("{}.instance_list[{}]", path, i);
      check_region(instance.region, ipath + ".region");
      if (instance.capacity_rps && *instance.capacity_rps <= 0) error(ipath + ".capacity", "expected a positive capacity");
      if (!instance.variant.empty())
        check_reference(instance.variant, variants, ipath + ".variant", "variant", "");
    }
    const long count = instance_count(service);
    if (count == 0) error(path, "expected at least one instance, under instances or instance_list");
    check_capacity(service, path);
    if (service.access_bandwidth_Bps <= 0) error(path + ".access_bandwidth", "expected a positive bandwidth");
    if (!service.variants.empty()) {
      check_unique(service.variants, path + ".variants",
                   [](const VariantSpec& v) -> const std::string& { return v.name; }, "variant");
      double total = 0;
      for (const auto& v : service.variants) total += v.share;
      if (std::abs(total - 1.0) > 1e-9)
        error(path + ".variants", fmt::format("variant shares add up to {:g}%, expected 100%", total * 100));
    }
    check_unique(service.segments, path + ".segments",
                 [](const SegmentSpec& v) -> const std::string& { return v.name; }, "segment");
    double segments = 0;
    for (const auto& seg : service.segments) segments += seg.share;
    if (segments > 1 + 1e-9)
      error(path + ".segments", fmt::format("segment shares add up to {:g}%, at most 100%", segments * 100));
    for (std::size_t d = 0; d < service.depends_on.size(); ++d)
      check_dependency(service.depends_on[d], fmt::format("{}.depends_on[{}]", path, d), /*of_service=*/true);
    if (service.queue) {
      const auto& q = *service.queue;
      if (q.max_wait_s < 0) error(path + ".queue.max_wait", "expected a non-negative duration");
      if (q.timeout_s && *q.timeout_s <= 0) error(path + ".queue.timeout", "expected a positive timeout");
      if (q.retry) check_retry(*q.retry, path + ".queue.retry");
    }
    if (service.leases) {
      if (service.leases->units <= 0) error(path + ".leases.units", "expected a positive number of units");
      if (service.leases->lease_s <= 0) error(path + ".leases.lease", "expected a positive duration");
    }
    if (service.warmup) {
      if (service.warmup->requests <= 0) error(path + ".warmup.requests", "expected a positive number of requests");
      check_service(service.warmup->from, path + ".warmup.from");
    }
    if (service.returning_users) {
      const auto& r = *service.returning_users;
      if (r.share < 0 || r.share > 1) error(path + ".returning_users.share", "expected a share from 0% to 100%");
      if (r.after_s <= 0) error(path + ".returning_users.after", "expected a positive duration");
    }
    if (service.load_balancer) check_load_balancer(*service.load_balancer, path + ".load_balancer");
    return count;
  }

  /// A dependency pinned to a variant names one the target declares.
  void check_variant(const std::string& target, const std::string& variant, const std::string& path) {
    const ServiceSpec* service = find_service(target);
    if (!service) return;  // check_service reports it
    std::vector<std::string> names;
    for (const auto& v : service->variants) names.push_back(v.name);
    if (std::find(names.begin(), names.end(), variant) != names.end()) return;
    if (names.empty()) error(path, fmt::format("'{}' declares no variants", target));
    else error(path, fmt::format("'{}' has no variant '{}' (its variants: {})", target, variant, fmt::join(names, ", ")));
  }

  /// AWS ELB's own limits: thresholds 2 to 10 (CreateTargetGroup).
  void check_load_balancer(const LoadBalancerSpec& lb, const std::string& path) {
    if (lb.interval_s <= 0) error(path + ".interval", "expected a positive interval");
    if (lb.timeout_s <= 0) error(path + ".timeout", "expected a positive timeout");
    if (lb.healthy_threshold < 2 || lb.healthy_threshold > 10)
      error(path + ".healthy_threshold", "expected a count from 2 to 10, as AWS load balancers accept");
    if (lb.unhealthy_threshold < 2 || lb.unhealthy_threshold > 10)
      error(path + ".unhealthy_threshold", "expected a count from 2 to 10, as AWS load balancers accept");
    if (lb.zone_failover_below < 0 || lb.zone_failover_below > 1)
      error(path + ".zone_failover_below", "expected a share from 0% to 100%");
  }

  const ServiceSpec* find_service(const std::string& qualified) const {
    for (const auto& p : s_.providers)
      for (const auto& x : p.services)
        if (p.name + "." + x.name == qualified) return &x;
    return nullptr;
  }

  /// The services `channel` feeds, as provider.service: its `consumers`
  /// first, then `also_feeds`. Empty for an unknown channel.
  std::vector<std::string> fed_by(const std::string& channel) const {
    for (const auto& p : s_.providers)
      for (const auto& c : p.channels)
        if (p.name + "." + c.name == channel) {
          std::vector<std::string> fed{p.name + "." + c.consumers};
          for (const auto& more : c.also_feeds)
            if (!contains(fed, more)) fed.push_back(more);
          return fed;
        }
    return {};
  }

  /// Effects of a version of `channel` (consumed by `primary`, and by the
  /// services it also feeds, which an effect names with `service`).
  void check_effects(const std::vector<VariantEffect>& effects, const ServiceSpec* primary,
                     const std::string& channel, const std::string& path) {
    if (primary == nullptr) return;
    const std::vector<std::string> fed = fed_by(channel);
    for (std::size_t e = 0; e < effects.size(); ++e) {
      const auto& effect = effects[e];
      std::string epath = fmt::format("{}[{}]", path, e);
      const ServiceSpec* consumers = primary;
      std::string service = fed.empty() ? "" : fed.front();
      if (!effect.service.empty()) {
        if (!contains(fed, effect.service)) {
          error(epath + ".service", fmt::format("channel '{}' does not feed service '{}'; it feeds {}{}", channel,
                                                effect.service, fmt::join(fed, ", "), did_you_mean(effect.service, fed)));
          continue;
        }
        consumers = find_service(effect.service);
        service = effect.service;
        if (consumers == nullptr) continue;  // reported with also_feeds
      }
      std::vector<std::string> variants, segments;
      for (const auto& v : consumers->variants) variants.push_back(v.name);
      if (variants.empty()) variants.emplace_back("default");
      for (const auto& seg : consumers->segments) segments.push_back(seg.name);
      if (!contains(variants, effect.variant))
        error(epath + ".variant", fmt::format("service '{}' has no variant '{}'; its variants: {}{}", consumers->name,
                                              effect.variant, fmt::join(variants, ", "),
                                              did_you_mean(effect.variant, variants)));
      if (!effect.segment.empty() && !contains(segments, effect.segment))
        error(epath + ".segment", fmt::format("service '{}' has no segment '{}'{}", consumers->name, effect.segment,
                                              did_you_mean(effect.segment, segments)));
      check_effect_kind(effect, epath);
      check_health_check_effect(effect, *consumers, epath);
      for (std::size_t w = 0; w < effect.when.size(); ++w)
        check_condition(effect.when[w], service, channel, fmt::format("{}.when[{}]", epath, w));
    }
  }

  /// Failing health checks need a load balancer to send them, and belong to
  /// no traffic segment: a probe is the balancer's request, not a client's.
  void check_health_check_effect(const VariantEffect& effect, const ServiceSpec& consumers, const std::string& path) {
    if (!effect.health_check_error_rate) return;
    if (!consumers.load_balancer)
      error(path + ".health_check_error_rate",
            fmt::format("service '{}' has no load_balancer whose health checks could fail; give it a load_balancer "
                        "or use error_rate",
                        consumers.name));
    if (!effect.segment.empty())
      error(path + ".segment", "a health check belongs to no traffic segment: an effect with health_check_error_rate "
                               "applies to the whole variant; put segment errors in an effect of their own");
  }

  /// The keys of an effect are those of its on_load, with their ranges.
  void check_effect_kind(const VariantEffect& effect, const std::string& path) {
    const std::vector<std::pair<const char*, bool>> present{
        {"error_rate", effect.error_rate != 0},      {"cost_factor", effect.cost_factor.has_value()},
        {"latency", effect.latency_s.has_value()},   {"up", effect.up_s.has_value()},
        {"down", effect.down_s.has_value()},         {"after_crash", effect.after_crash.has_value()},
        {"health_check_error_rate", effect.health_check_error_rate.has_value()}};
    std::vector<std::string> allowed;
    switch (effect.on_load) {
      case OnLoad::serve: allowed = {"error_rate", "cost_factor", "latency", "health_check_error_rate"}; break;
      case OnLoad::crash: allowed = {"down", "after_crash"}; break;
      case OnLoad::crash_loop: allowed = {"up", "down", "after_crash"}; break;
      case OnLoad::refuse: break;
    }
    check_applies(present, allowed, path, fmt::format("on_load: {}", enum_name(effect.on_load)), "an effect with");
    if (effect.error_rate < 0 || effect.error_rate > 1)
      error(path + ".error_rate", "expected a share from 0% to 100%");
    if (effect.cost_factor && *effect.cost_factor <= 1)
      error(path + ".cost_factor",
            "expected a factor above 1: each request costs that many times the CPU, so the capacity is divided by it");
    if (effect.latency_s && *effect.latency_s <= 0) error(path + ".latency", "expected a positive latency");
    if (effect.health_check_error_rate && (*effect.health_check_error_rate < 0 || *effect.health_check_error_rate > 1))
      error(path + ".health_check_error_rate", "expected a share from 0% to 100%");
    if (effect.down_s && *effect.down_s <= 0) error(path + ".down", "expected a positive duration");
    if (effect.on_load == OnLoad::crash_loop) {
      require(effect.up_s.has_value(), path, "up", "on_load: crash_loop", "an effect with");
      if (effect.up_s && *effect.up_s <= 0) error(path + ".up", "expected a positive duration");
    }
  }

  /// A condition names another channel the same service consumes, and a
  /// version of it: good, bad, or the id of the push that made it (for a
  /// generator's channel, the push its output comes from).
  void check_condition(const VersionCondition& condition, const std::string& service, const std::string& channel,
                       const std::string& path) {
    if (!check_channel(condition.channel, path + ".channel")) return;
    if (condition.channel == channel) {
      error(path + ".channel", fmt::format("an effect of a version of '{}' cannot depend on the version of '{}' "
                                           "itself; name another channel its consumers run",
                                           channel, channel));
      return;
    }
    if (!contains(fed_by(condition.channel), service))
      error(path + ".channel", fmt::format("channel '{}' is not consumed by service '{}', whose variant the effect "
                                           "names: a condition is on what the same instances run",
                                           condition.channel, service));
    if (condition.running == "good" || condition.running == "bad") return;
    std::vector<std::string> pushes{"good", "bad"};
    for (const auto& f : s_.faults)
      if (std::holds_alternative<faults::BadConfigPush>(f.kind)) pushes.push_back(f.id);
    if (!contains(pushes, condition.running))
      error(path + ".running",
            fmt::format("expected good, bad, or the id of a bad_config_push fault ({}), got '{}'{}",
                        fmt::join(pushes, ", "), condition.running, did_you_mean(condition.running, pushes)));
  }

  void check_channel_spec(const ProviderSpec& provider, const ChannelSpec& channel, const std::string& path) {
    check_name(channel.name, path + ".name");
    std::vector<std::string> own;
    for (const auto& x : provider.services) own.push_back(x.name);
    const ServiceSpec* consumers = nullptr;
    if (check_reference(channel.consumers, own, path + ".consumers", "service", "a service of the same provider"))
      consumers = find_service(provider.name + "." + channel.consumers);
    for (std::size_t f = 0; f < channel.also_feeds.size(); ++f) {
      const std::string fpath = fmt::format("{}.also_feeds[{}]", path, f);
      const auto& fed = channel.also_feeds[f];
      if (!check_service(fed, fpath)) continue;
      if (fed == provider.name + "." + channel.consumers)
        error(fpath, fmt::format("'{}' is the channel's `consumers` already", fed));
      else if (std::find(channel.also_feeds.begin(), channel.also_feeds.begin() + static_cast<std::ptrdiff_t>(f), fed) !=
               channel.also_feeds.begin() + static_cast<std::ptrdiff_t>(f))
        error(fpath, fmt::format("'{}' is listed twice", fed));
    }
    check_region(channel.origin, path + ".origin");
    if (channel.size_bytes <= 0) error(path + ".size", "expected a positive size");
    if (channel.uplink_Bps <= 0) error(path + ".uplink", "expected a positive bandwidth");

    const auto& t = channel.topology;
    const std::string tpath = path + ".topology";
    const auto tkind = enum_name(t.kind);
    check_applies({{"fanout", t.fanout != 0}, {"period", t.period_s != 0}},
                  t.kind == TopologyKind::tree   ? std::vector<std::string>{"fanout"}
                  : t.kind == TopologyKind::pull ? std::vector<std::string>{"period"}
                                                 : std::vector<std::string>{},
                  tpath, tkind, "topology");
    if (t.kind == TopologyKind::tree && t.fanout < 2) error(tpath + ".fanout", "a tree needs a fanout of at least 2");
    if (t.kind == TopologyKind::pull && t.period_s <= 0) error(tpath + ".period", "pull needs a positive period");

    check_rollout(channel.rollout, path + ".rollout");

    const auto& src = channel.source;
    const std::string spath = path + ".source";
    const std::vector<std::pair<const char*, bool>> present{{"every", src.every_s != 0},
                                                            {"reads_from", !src.reads_from.empty()},
                                                            {"bad_when_running", !src.bad_when_running.empty()},
                                                            {"bad_effects", !src.bad_effects.empty()},
                                                            {"bad_size", src.bad_size_bytes.has_value()}};
    if (src.kind == SourceKind::manual) {
      check_applies(present, {}, spath, "manual", "source");
    } else {
      if (src.every_s <= 0) error(spath, "a generator needs a positive 'every'");
      require(!src.reads_from.empty(), spath, "reads_from", "generator", "source");
      require(!src.bad_when_running.empty(), spath, "bad_when_running", "generator", "source");
      if (!src.reads_from.empty()) check_service(src.reads_from, spath + ".reads_from");
      if (!src.bad_when_running.empty()) check_channel(src.bad_when_running, spath + ".bad_when_running");
      check_effects(src.bad_effects, consumers, provider.name + "." + channel.name, spath + ".bad_effects");
      if (src.bad_size_bytes && *src.bad_size_bytes <= 0) error(spath + ".bad_size", "expected a positive size");
    }
  }

  /// A rollout policy: a channel's, or an operator action's own.
  void check_rollout(const RolloutSpec& r, const std::string& rpath) {
    if (r.kind == RolloutKind::global) {
      check_applies({{"waves", !r.waves.empty()}, {"health_gate", r.health_gate.has_value()}}, {}, rpath, "global",
                    "rollout");
    } else {
      if (r.waves.empty()) error(rpath, "a staged rollout needs at least one wave");
      double previous = 0;
      for (std::size_t w = 0; w < r.waves.size(); ++w) {
        if (r.waves[w].fraction <= previous)
          error(fmt::format("{}.waves[{}].fraction", rpath, w), "wave fractions must grow, each above zero");
        previous = r.waves[w].fraction;
      }
      if (!r.waves.empty() && std::abs(r.waves.back().fraction - 1.0) > 1e-9)
        error(fmt::format("{}.waves[{}].fraction", rpath, r.waves.size() - 1), "the last wave must reach 100%");
    }
  }

  void check_record(const RecordSpec& record, const std::string& path) {
    check_service(record.points_to, path + ".points_to");
    if (!record.variant.empty()) check_variant(record.points_to, record.variant, path + ".variant");
    if (!record.secondary.empty()) check_service(record.secondary, path + ".secondary");
    if (record.health_check && record.secondary.empty())
      error(path + ".health_check", "health-checked failover needs a 'secondary'");
    if (record.health_check) {
      if (record.health_check->interval_s <= 0) error(path + ".health_check.interval", "expected a positive interval");
      if (record.health_check->failure_threshold < 1)
        error(path + ".health_check.failure_threshold", "expected at least 1");
    }
    if (record.resolvers && *record.resolvers <= 0)
      error(path + ".resolvers",
            "expected a positive number of resolvers caching the record (leave 'resolvers' out for a record that "
            "brings no query load)");
  }

  /// `of_service`: in a service's depends_on (a look_aside dependency may be
  /// only there: its misses load the store at run time, which sites'
  /// static dependency classes do not follow).
  void check_dependency(const DependencySpec& d, const std::string& path, bool of_service = false) {
    const auto kind = enum_name(d.kind);
    const bool single = d.kind == DependencyKind::hard || d.kind == DependencyKind::soft || d.kind == DependencyKind::cached;
    const bool look_aside = d.kind == DependencyKind::look_aside;
    std::vector<std::string> allowed{"share", "load_share"};
    if (single) allowed.emplace_back("target");
    else if (!look_aside) allowed.emplace_back("targets");
    if (d.kind == DependencyKind::hard || d.kind == DependencyKind::soft) allowed.emplace_back("variant");
    if (d.kind == DependencyKind::k_of_n) allowed.emplace_back("k");
    const bool through_record = d.kind == DependencyKind::cached && !d.record.empty();
    if (d.kind == DependencyKind::cached) {
      allowed.emplace_back("record");
      allowed.emplace_back("ttl");
      allowed.emplace_back("serve_stale");
    }
    if (look_aside) {
      allowed.emplace_back("cache");
      allowed.emplace_back("store");
      allowed.emplace_back("hit_rate");
    }
    check_applies({{"target", !d.target.empty()},
                   {"targets", !d.targets.empty()},
                   {"record", !d.record.empty()},
                   {"k", d.k != 0},
                   {"ttl", d.ttl_s != 0},
                   {"serve_stale", d.serve_stale_s != 0},
                   {"variant", !d.variant.empty()},
                   {"cache", !d.cache.empty()},
                   {"store", !d.store.empty()},
                   {"hit_rate", d.hit_rate.has_value()}},
                  allowed, path, kind, "a dependency of kind");
    if (!d.variant.empty() && !d.target.empty()) check_variant(d.target, d.variant, path + ".variant");
    if (look_aside) {
      check_look_aside(d, path, of_service);
    } else if (through_record) {
      check_reference(d.record, records_, path + ".record", "record", "provider.record");
      if (!d.target.empty())
        error(path + ".target", "a cached dependency names a 'target' or a 'record', not both");
      if (d.ttl_s != 0)
        error(path + ".ttl", "'ttl' does not apply to a cached dependency through a record: the record's ttl does");
    } else if (single) {
      require(!d.target.empty(), path, "target", kind, "a dependency of kind");
      if (!d.target.empty()) check_service(d.target, path + ".target");
    } else {
      if (d.targets.empty()) error(path, fmt::format("a dependency of kind {} needs 'targets'", kind));
      for (std::size_t i = 0; i < d.targets.size(); ++i) check_service(d.targets[i], fmt::format("{}.targets[{}]", path, i));
    }
    if (d.kind == DependencyKind::k_of_n && (d.k < 1 || d.k > static_cast<int>(d.targets.size())))
      error(path + ".k", fmt::format("expected k between 1 and the number of targets ({})", d.targets.size()));
    if (d.kind == DependencyKind::cached && !through_record && d.ttl_s <= 0)
      error(path + ".ttl", "a cached dependency needs a positive ttl");
  }

  /// A look_aside dependency: a cache (a service declaring `cache:`) in
  /// front of another service, its store, with a hit rate; a service's only.
  void check_look_aside(const DependencySpec& d, const std::string& path, bool of_service) {
    if (!of_service)
      error(path, "a look_aside dependency belongs to a service's depends_on: a site reads through a cache by "
                  "depending on the service that reads it (docs/models/caches.md)");
    require(!d.cache.empty(), path, "cache", "look_aside", "a dependency of kind");
    require(!d.store.empty(), path, "store", "look_aside", "a dependency of kind");
    require(d.hit_rate.has_value(), path, "hit_rate", "look_aside", "a dependency of kind");
    if (!d.cache.empty() && check_service(d.cache, path + ".cache") && !is_cache(d.cache))
      error(path + ".cache", fmt::format("service '{}' is not declared a cache: give it 'cache: {{refill: ...}}' (the "
                                         "pace at which its content refills after a flush or a crash)",
                                         d.cache));
    if (!d.store.empty() && check_service(d.store, path + ".store") && d.store == d.cache)
      error(path + ".store", "expected a store other than the cache");
  }

  /// Whether `service` ("provider.service") declares `cache:`.
  bool is_cache(const std::string& service) const {
    for (const auto& p : s_.providers)
      for (const auto& s : p.services)
        if (p.name + "." + s.name == service) return s.cache.has_value();
    return false;
  }

  /// Every service a record may resolve to: its primary, its secondary, and
  /// the new targets of the faults that change it.
  std::vector<std::string> record_answers(const std::string& record) const {
    std::vector<std::string> out;
    for (const auto& p : s_.providers)
      for (const auto& r : p.records)
        if (p.name + "." + r.name == record) {
          out.push_back(r.points_to);
          if (!r.secondary.empty()) out.push_back(r.secondary);
        }
    for (const auto& f : s_.faults)
      if (const auto* change = std::get_if<faults::DnsRecordChange>(&f.kind))
        if (change->record == record && !change->new_target.empty()) out.push_back(change->new_target);
    return out;
  }

  /// Services may depend on services; a cycle would make availability undefined.
  void check_service_cycles() {
    std::map<std::string, std::vector<std::string>> edges;
    std::map<std::string, std::string> paths;
    for (std::size_t p = 0; p < s_.providers.size(); ++p) {
      const auto& provider = s_.providers[p];
      for (std::size_t i = 0; i < provider.services.size(); ++i) {
        const std::string id = provider.name + "." + provider.services[i].name;
        paths[id] = fmt::format("providers[{}].services[{}].depends_on", p, i);
        for (const auto& d : provider.services[i].depends_on) {
          if (!d.target.empty()) edges[id].push_back(d.target);
          for (const auto& t : d.targets) edges[id].push_back(t);
          if (!d.cache.empty()) edges[id].push_back(d.cache);
          if (!d.store.empty()) edges[id].push_back(d.store);
          if (!d.record.empty())
            for (const auto& t : record_answers(d.record)) edges[id].push_back(t);
        }
      }
    }
    // A reroute adds the edge service -> to for the rest of the run.
    for (std::size_t o = 0; o < s_.operators.size(); ++o)
      for (std::size_t a = 0; a < s_.operators[o].actions.size(); ++a) {
        const auto* reroute = std::get_if<actions::Reroute>(&s_.operators[o].actions[a].kind);
        if (!reroute || reroute->service.empty() || reroute->to.empty()) continue;
        if (reroute->service == reroute->to || !contains(services_, reroute->to)) continue;
        edges[reroute->service].push_back(reroute->to);
        if (!paths.contains(reroute->to))
          paths[reroute->to] = fmt::format("operators[{}].actions[{}].to", o, a);
      }
    std::map<std::string, int> state;  // 0 new, 1 on the stack, 2 done
    std::vector<std::string> stack;
    std::function<void(const std::string&)> visit = [&](const std::string& node) {
      state[node] = 1;
      stack.push_back(node);
      for (const auto& next : edges[node]) {
        if (state[next] == 1) {
          auto from = std::find(stack.begin(), stack.end(), next);
          std::vector<std::string> cycle(from, stack.end());
          cycle.push_back(next);
          error(paths[next], fmt::format("dependency cycle: {}", fmt::join(cycle, " -> ")));
        } else if (state[next] == 0) {
          visit(next);
        }
      }
      stack.pop_back();
      state[node] = 2;
    };
    for (const auto& service : services_)
      if (state[service] == 0) visit(service);
  }

  // --- sites and traffic -------------------------------------------------------------

  /// An open loop (rps) or a closed one (users who wait for each answer): one of them.
  void check_site_rate(const SiteSpec& site, const std::string& path) {
    if (site.closed_loop) {
      if (site.rps != 0)
        error(path + ".closed_loop",
              "give either rps (an open loop) or closed_loop (users who wait for each answer), not both");
      if (site.closed_loop->users <= 0) error(path + ".closed_loop.users", "expected a positive number of users");
      if (site.closed_loop->think_time_s <= 0)
        error(path + ".closed_loop.think_time", "expected a positive think time, e.g. 5s");
      return;
    }
    if (site.rps <= 0)
      error(path + ".rps", "expected a positive request rate (an open loop), or 'closed_loop' instead (users who "
                           "wait for each answer: {users, think_time})");
  }

  void check_sites() {
    check_unique(s_.sites, "sites", [](const SiteSpec& x) -> const std::string& { return x.name; }, "site");
    if (s_.sites.empty() && !s_.traffic.population)
      error("", "expected sites: a 'sites' list, a 'traffic.population', or both");
    for (std::size_t i = 0; i < s_.sites.size(); ++i) {
      const auto& site = s_.sites[i];
      std::string path = fmt::format("sites[{}]", i);
      check_site_rate(site, path);
      if (site.depends_on.empty()) error(path + ".depends_on", "expected at least one dependency");
      if (site.users && *site.users < 0) error(path + ".users", "expected a non-negative number of users");
      for (std::size_t d = 0; d < site.depends_on.size(); ++d)
        check_dependency(site.depends_on[d], fmt::format("{}.depends_on[{}]", path, d));
    }
  }

  void check_traffic() {
    const auto& t = s_.traffic;
    check_unique(t.client_regions, "traffic.client_regions",
                 [](const ClientRegionSpec& x) -> const std::string& { return x.region; }, "client region");
    double users = 0;
    for (std::size_t i = 0; i < t.client_regions.size(); ++i) {
      const auto& c = t.client_regions[i];
      std::string path = fmt::format("traffic.client_regions[{}]", i);
      check_region(c.region, path + ".region");
      if (std::abs(c.utc_offset_s) > 14 * 3600) error(path + ".utc_offset", "expected an offset within 14h of UTC");
      users += c.users;
    }
    if (!t.client_regions.empty() && std::abs(users - 1.0) > 1e-9)
      error("traffic.client_regions", fmt::format("user shares add up to {:g}%, expected 100%", users * 100));
    if (t.diurnal) {
      if (t.diurnal->peak_to_trough < 1) error("traffic.diurnal.peak_to_trough", "expected a ratio of at least 1");
      if (t.diurnal->peak_hour < 0 || t.diurnal->peak_hour >= 24)
        error("traffic.diurnal.peak_hour", "expected an hour in [0, 24)");
    }
    if (t.timeout_s <= 0) error("traffic.timeout", "expected a positive timeout");
    check_retry(t.retry, "traffic.retry");
    if (t.step_s < 0.001 || t.step_s > s_.output.resolution_s)
      error("traffic.step", "expected a step of at least 1ms and at most output.resolution");
    if (t.population) {
      const auto& p = *t.population;
      if (p.sites < 1 || p.sites > max_generated_sites)
        error("traffic.population.sites", fmt::format("expected between 1 and {} sites", max_generated_sites));
      if (p.exponent < 0) error("traffic.population.exponent", "expected a non-negative exponent");
      if (p.total_rps <= 0) error("traffic.population.total_rps", "expected a positive request rate");
      if (p.adoption && !p.mix.empty())
        error("traffic.population.adoption",
              "adoption applies to the default mix; with a mix, give each class the dependencies its sites have "
              "(an any_of for a second provider)");
      check_unique(p.mix, "traffic.population.mix", [](const MixSpec& x) -> const std::string& { return x.name; },
                   "class");
      double share = 0;
      for (std::size_t i = 0; i < p.mix.size(); ++i) {
        // An empty list is a class that uses none of the scenario's providers, as the default mix's `other`.
        share += p.mix[i].share;
        for (std::size_t d = 0; d < p.mix[i].depends_on.size(); ++d)
          check_dependency(p.mix[i].depends_on[d], fmt::format("traffic.population.mix[{}].depends_on[{}]", i, d));
      }
      if (!p.mix.empty() && std::abs(share - 1.0) > 1e-9)
        error("traffic.population.mix", fmt::format("class shares add up to {:g}%, expected 100%", share * 100));
      if (p.mix.empty()) check_default_mix();
    }
  }

  /// Without a mix, sites use the providers by market share
  /// (docs/models/population.md): every CDN and DNS provider needs one, and
  /// the shares of one role cannot exceed the whole.
  void check_default_mix() {
    std::map<models::ProviderRole, double> total;
    for (std::size_t p = 0; p < s_.providers.size(); ++p) {
      const auto& provider = s_.providers[p];
      const auto role = population_role(provider.kind);
      const auto share = population_share(provider);
      if (share) total[role] += *share;
      else if (role != models::ProviderRole::hosting)
        error(fmt::format("providers[{}]", p),
              fmt::format("expected a market_share: traffic.population gives no mix, and no share is published for "
                          "a {} provider named '{}' (known: {})",
                          enum_name(provider.kind), provider.name,
                          fmt::join(models::known_provider_names(role), ", ")));
    }
    for (const auto& [role, share] : total)
      if (share > 1.0 + 1e-9)
        error("providers", fmt::format("market shares of the {} providers add up to {:g}%, expected at most 100%",
                                       role == models::ProviderRole::cdn   ? "cdn"
                                       : role == models::ProviderRole::dns ? "dns"
                                                                           : "cloud and saas",
                                       share * 100));
  }

  void check_retry(const RetrySpec& r, const std::string& path) {
    if (r.max_retries < 0 || r.max_retries > 100) error(path + ".max_retries", "expected between 0 and 100 retries");
    if (r.backoff_base_s < 0) error(path + ".backoff_base", "expected a non-negative duration");
    if (r.backoff_base_s > r.backoff_max_s) error(path + ".backoff_base", "expected backoff_base <= backoff_max");
    if (r.budget && *r.budget < 0) error(path + ".budget", "expected a non-negative share");
  }

  // --- faults and operators ------------------------------------------------------------

  /// Returns whether the target's service exists.
  bool check_target(const TargetSpec& t, const std::string& path) {
    if (!check_service(t.service, path + ".service")) return false;
    if (t.count && t.percent) error(path, "give either count or percent, not both");
    if (t.count && *t.count < 1) error(path + ".count", "expected at least 1");
    if (t.percent && *t.percent <= 0) error(path + ".percent", "expected a share above 0%");
    const ServiceSpec* service = find_service(t.service);
    std::vector<std::string> variants;
    for (const auto& v : service->variants) variants.push_back(v.name);
    for (std::size_t i = 0; i < t.regions.size(); ++i) check_region(t.regions[i], fmt::format("{}.regions[{}]", path, i));
    for (std::size_t i = 0; i < t.variants.size(); ++i)
      check_reference(t.variants[i], variants, fmt::format("{}.variants[{}]", path, i), "variant", "");
    return true;
  }

  void check_faults() {
    check_unique(s_.faults, "faults", [](const FaultSpec& x) -> const std::string& { return x.id; }, "fault id");
    for (std::size_t i = 0; i < s_.faults.size(); ++i) check_fault(s_.faults[i], fmt::format("faults[{}]", i));
  }

  void check_fault(const FaultSpec& f, const std::string& path) {
    check_time(f.at, path + ".at");
    if (f.duration_s && *f.duration_s <= 0) error(path + ".duration", "expected a positive duration");
    // One check per kind: a kind without its own does not compile.
    std::visit([&](const auto& kind) { check(*this, kind, path); }, f.kind);
  }

  /// A DNS authority answers its records whatever load it carries (issue
  /// #18 will give authorities a query load): a surge or a partial capacity
  /// loss on one would silently change nothing, so it is refused.
  void check_load_on_authority(const TargetSpec& target, const std::string& path, std::string_view kind) {
    for (const auto& p : s_.providers) {
      if (p.records.empty() || p.services.empty() || p.name + "." + p.services.front().name != target.service)
        continue;
      // With resolvers, its records bring it queries, which a surge, a cut
      // or a costlier mix does press on (docs/models/dns.md).
      if (std::any_of(p.records.begin(), p.records.end(), [](const RecordSpec& r) { return r.resolvers.has_value(); }))
        continue;
      error(path + ".target.service",
            fmt::format("'{}' answers the DNS records of '{}', none of which declares 'resolvers', so it carries no "
                        "query load: a {} on it would change nothing. Give its records 'resolvers' (the resolvers "
                        "that query it, docs/models/dns.md), or use a crash, a partition or capacity_factor: 0 to "
                        "take it out",
                        target.service, p.name, kind));
    }
  }

  void check_operators() {
    check_unique(s_.operators, "operators", [](const OperatorSpec& x) -> const std::string& { return x.name; },
                 "operator");
    for (std::size_t o = 0; o < s_.operators.size(); ++o) {
      const auto& op = s_.operators[o];
      const std::string opath = fmt::format("operators[{}]", o);
      for (std::size_t d = 0; d < op.detection.size(); ++d) {
        const auto& rule = op.detection[d];
        if (rule.scope == "global") continue;
        std::vector<std::string> scopes{"global"};
        scopes.insert(scopes.end(), services_.begin(), services_.end());
        check_reference(rule.scope, scopes, fmt::format("{}.detection[{}].scope", opath, d), "scope",
                        "global or provider.service");
      }
      for (std::size_t d = 0; d < op.depends_on.size(); ++d)
        check_team_dependency(op.depends_on[d], fmt::format("{}.depends_on[{}]", opath, d));
      for (std::size_t a = 0; a < op.actions.size(); ++a)
        check_action(op, op.actions[a], fmt::format("{}.actions[{}]", opath, a));
    }
  }

  void check_team_dependency(const TeamDependencySpec& d, const std::string& path) {
    check_service(d.service, path + ".service");
    if (d.stages.empty()) error(path + ".stages", "expected at least one of detection, diagnosis, actions");
    if (d.slowdown && *d.slowdown < 1) error(path + ".slowdown", "expected a factor of at least 1");
    if (d.slowdown && std::find(d.stages.begin(), d.stages.end(), OperatorStage::actions) != d.stages.end())
      error(path + ".slowdown", "an action takes no time in the model, so it cannot be slowed: give the actions "
                                "stage its own entry without `slowdown` (blocked), or leave it out of `stages`");
    if (d.healthy_above <= 0) error(path + ".healthy_above", "expected an availability above 0");
  }

  void check_action(const OperatorSpec& op, const ActionSpec& a, const std::string& path) {
    if (a.at.has_value() == a.on_diagnosis)
      error(path, "give either 'at' (scripted) or 'on_diagnosis: true' (decided by the model), not both or neither");
    if (a.at) check_time(*a.at, path + ".at");
    if (a.on_diagnosis && op.detection.empty())
      error(path + ".on_diagnosis", "an action taken on diagnosis needs detection rules in its operator");
    // One check per kind: a kind without its own does not compile.
    std::visit([&](const auto& kind) { check(*this, kind, path); }, a.kind);
    if (a.rollout) {
      if (publishes_a_version(a.kind)) check_rollout(*a.rollout, path + ".rollout");
      else
        error(path + ".rollout",
              fmt::format("action {} publishes no version, so it has nothing to roll out; a rollout goes with "
                          "revert, rollback, push_last_known_good or kill_switch",
                          std::visit([](const auto& kind) { return std::string(kind.kind); }, a.kind)));
    }
    if (a.when) {
      check_service(a.when->healthy, path + ".when.healthy");
      if (a.when->above <= 0) error(path + ".when.above", "expected an availability above 0");
    }
  }

  /// disable_failover and enable_failover name a DNS record or a service with a load balancer.
  void check_failover_action(const std::string& record, const std::string& service, const std::string& path,
                             std::string_view kind) {
    if (record.empty() == service.empty()) {
      error(path, record.empty()
                      ? fmt::format("action {} needs 'record' (a DNS record) or 'service' (a load balancer)", kind)
                      : fmt::format("action {} takes either 'record' or 'service', not both", kind));
      return;
    }
    if (!record.empty()) check_reference(record, records_, path + ".record", "record", "provider.record");
    if (service.empty() || !check_service(service, path + ".service")) return;
    if (!find_service(service)->load_balancer)
      error(path + ".service", fmt::format("service '{}' has no load_balancer whose failover could change", service));
  }

  // --- periods --------------------------------------------------------------------

  /// Each period's floor (units.cpp) bounds one event; the run's duration
  /// bounds how often it repeats, so that no run holds an endless stream.
  void check_repeated_events() {
    if (s_.duration_s <= 0) return;  // reported by check_run
    auto check = [&](double period_s, const std::string& path, std::string_view what) { repeats(period_s, path, what); };
    check(s_.traffic.step_s, "traffic.step", "traffic steps");
    for (std::size_t p = 0; p < s_.providers.size(); ++p) {
      const auto& provider = s_.providers[p];
      for (std::size_t i = 0; i < provider.channels.size(); ++i) {
        const auto& channel = provider.channels[i];
        const std::string path = fmt::format("providers[{}].channels[{}]", p, i);
        if (channel.topology.kind == TopologyKind::pull) check(channel.topology.period_s, path + ".topology.period", "polls");
        if (channel.source.kind == SourceKind::generator) check(channel.source.every_s, path + ".source.every", "generator runs");
      }
      for (std::size_t i = 0; i < provider.records.size(); ++i) {
        const auto& record = provider.records[i];
        const std::string path = fmt::format("providers[{}].records[{}]", p, i);
        check(record.ttl_s, path + ".ttl", "TTL periods");
        if (record.health_check) check(record.health_check->interval_s, path + ".health_check.interval", "health checks");
      }
      for (std::size_t i = 0; i < provider.services.size(); ++i) {
        const auto& service = provider.services[i];
        const std::string path = fmt::format("providers[{}].services[{}]", p, i);
        if (service.load_balancer) check(service.load_balancer->interval_s, path + ".load_balancer.interval", "health checks");
        for (std::size_t d = 0; d < service.depends_on.size(); ++d)
          check(service.depends_on[d].ttl_s, fmt::format("{}.depends_on[{}].ttl", path, d), "TTL periods");
      }
    }
    for (std::size_t i = 0; i < s_.sites.size(); ++i)
      for (std::size_t d = 0; d < s_.sites[i].depends_on.size(); ++d)
        check(s_.sites[i].depends_on[d].ttl_s, fmt::format("sites[{}].depends_on[{}].ttl", i, d), "TTL periods");
    if (s_.traffic.population)
      for (std::size_t i = 0; i < s_.traffic.population->mix.size(); ++i)
        for (std::size_t d = 0; d < s_.traffic.population->mix[i].depends_on.size(); ++d)
          check(s_.traffic.population->mix[i].depends_on[d].ttl_s,
                fmt::format("traffic.population.mix[{}].depends_on[{}].ttl", i, d), "TTL periods");
    if (s_.traffic.population && s_.traffic.population->adoption && s_.traffic.population->adoption->dns_ttl_s)
      check(*s_.traffic.population->adoption->dns_ttl_s, "traffic.population.adoption.dns_ttl", "TTL periods");
  }

  void check_output() {
    check_series_filters();
    if (!s_.output.site_series) return;
    std::vector<std::string> sites;
    for (const auto& site : s_.sites) sites.push_back(site.name);
    for (std::size_t i = 0; i < s_.output.site_series->size(); ++i)
      check_reference((*s_.output.site_series)[i], sites, fmt::format("output.site_series[{}]", i), "site", "");
  }

  void check_series_filters() {
    if (!s_.output.series) return;
    const auto names = [](const std::vector<std::string_view>& views) {
      return std::vector<std::string>(views.begin(), views.end());
    };
    const std::vector<std::string> scopes = names(series_scopes()), metrics = names(series_metrics());
    for (std::size_t i = 0; i < s_.output.series->size(); ++i) {
      const SeriesFilter& f = (*s_.output.series)[i];
      const std::string path = fmt::format("output.series[{}]", i);
      if (!f.scope.empty()) check_reference(f.scope, scopes, path + ".scope", "scope", "");
      if (!f.metric.empty()) check_reference(f.metric, metrics, path + ".metric", "metric", "");
    }
  }

  const Scenario& s_;
  const SourceMap& sources_;
  std::vector<Diagnostic>& out_;
  std::vector<std::string> services_, channels_, records_, providers_, regions_;
};

}  // namespace

void validate(const Scenario& scenario, const SourceMap& sources, std::vector<Diagnostic>& diagnostics) {
  Checker(scenario, sources, diagnostics).run();
}

}  // namespace outagesim::scenario
