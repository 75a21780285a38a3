#include "world.hpp"

#include "client_routing.hpp"
#include "draw.hpp"
#include "models/dns_cache.hpp"
#include "models/request_cost.hpp"
#include "models/rng.hpp"
#include "models/site_mix.hpp"
#include "region_latency.hpp"
#include "sim/scenario/market_share.hpp"
#include "sim/scenario/source_map.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#include <fmt/format.h>

namespace outagesim::world {
namespace {

/// The index of variant `name` among `service`'s variants (validated to be one of them).
int variant_index(const Service& service, const std::string& name) {
  return static_cast<int>(std::find(service.variants.begin(), service.variants.end(), name) - service.variants.begin());
}

models::DependencyRule rule_of(scenario::DependencyKind kind) {
  switch (kind) {
    case scenario::DependencyKind::soft: return models::DependencyRule::soft;
    case scenario::DependencyKind::any_of: return models::DependencyRule::any_of;
    case scenario::DependencyKind::k_of_n: return models::DependencyRule::k_of_n;
    case scenario::DependencyKind::look_aside: return models::DependencyRule::look_aside;
    case scenario::DependencyKind::hard:
    case scenario::DependencyKind::cached: break;  // a cached dependency is hard on what its clients hold
  }
  return models::DependencyRule::hard;
}

class Builder {
 public:
  explicit Builder(const scenario::Scenario& s) : s_(s) {}

  World build() {
    w_.name = s_.name;
    w_.start_epoch_s = s_.start_epoch_s;
    w_.duration_s = s_.duration_s;
    w_.resolution_s = s_.output.resolution_s;
    w_.site_down_below = s_.output.site_down_below;
    w_.client_series = s_.output.client_series;
    w_.series_filters = s_.output.series;
    w_.timeseries_compression = s_.output.compress;
    w_.seed = s_.seed;
    add_traffic();
    for (const auto& provider : s_.providers)
      for (const auto& service : provider.services) add_service(provider, service);
    for (const auto& provider : s_.providers) add_control_plane(provider.name);
    add_records();
    for (std::size_t p = 0, k = 0; p < s_.providers.size(); ++p)
      for (const auto& service : s_.providers[p].services) {
        auto& built = w_.services[k++];
        built.dependencies = resolve(service.depends_on);
        if (!service.warmup) continue;
        built.warmup_requests = service.warmup->requests;
        built.warmup_from = service_index(service.warmup->from);
        w_.services[static_cast<std::size_t>(built.warmup_from)].receives_warmups = true;
      }
    order_services();
    for (const auto& provider : s_.providers)
      for (const auto& channel : provider.channels) add_channel(provider, channel);
    for (const auto& [index, spec] : pending_generators_) add_generator(w_.channels[index], spec);
    for (const auto& site : s_.sites) add_site(site);
    if (s_.traffic.population) add_population(*s_.traffic.population);
    group_sites(w_);
    for (const auto& clients : s_.traffic.client_regions) add_client_host(clients.region);
    for (std::size_t f = 0; f < s_.faults.size(); ++f) add_fault(s_.faults[f], f);
    for (std::size_t o = 0; o < s_.operators.size(); ++o) add_operator(s_.operators[o], o);
    // Scripted actions by time; those taken on diagnosis after them, in declaration order.
    std::stable_sort(w_.actions.begin(), w_.actions.end(), [](const Action& a, const Action& b) {
      if (a.at_s.has_value() != b.at_s.has_value()) return a.at_s.has_value();
      return a.at_s && *a.at_s < *b.at_s;
    });
    size_retry_columns();
    add_backbone();
    compute_offered_load();
    add_client_routes(s_, w_);
    return std::move(w_);
  }

 private:
  int region_index(const std::string& name) {
    auto& regions = w_.platform.regions;
    for (std::size_t i = 0; i < regions.size(); ++i)
      if (regions[i].name == name) return static_cast<int>(i);
    Region region = locate_region(s_, name);
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

  /// In the region of the provider's first instance (every provider has one).
  void add_control_plane(const std::string& provider) {
    auto first = std::find_if(w_.instances.begin(), w_.instances.end(), [&](const Instance& i) {
      return w_.services[static_cast<std::size_t>(i.service)].provider == provider;
    });
    if (first == w_.instances.end()) throw std::logic_error("world::build: unvalidated provider without instances " + provider);
    ControlPlane control{provider, "control@" + provider, first->region};
    attach_host(control.host, control.region, control_plane_bandwidth_Bps, "uplink");
    w_.platform.control_planes.push_back(std::move(control));
  }

  /// A region's users reach the backbone as PoPs do, through a link of their
  /// own, as wide as a backbone link: they are many.
  void add_client_host(const std::string& region) {
    ClientHost clients{"clients@" + region, region_index(region)};
    attach_host(clients.host, clients.region, s_.network.backbone_bandwidth_Bps, "access");
    w_.platform.clients.push_back(std::move(clients));
  }

  void add_instance(Service& service, int service_index, const std::string& name, const std::string& region_name,
                    int variant, double capacity_rps, double bandwidth_Bps) {
    Instance instance;
    instance.id = fmt::format("{}/{}", service.id, name);
    instance.service = service_index;
    instance.region = region_index(region_name);
    instance.variant = variant;
    instance.capacity_rps = capacity_rps;
    service.instances.push_back(static_cast<int>(w_.instances.size()));
    attach_host(instance.id, instance.region, bandwidth_Bps, "access");
    w_.instances.push_back(std::move(instance));
  }

  void add_traffic() {
    const auto& t = s_.traffic;
    if (t.diurnal) w_.diurnal = {t.diurnal->peak_to_trough, t.diurnal->peak_hour};
    for (const auto& c : t.client_regions) w_.client_regions.push_back({c.users, c.utc_offset_s});
    w_.traffic_step_s = t.step_s;
  }


  /// A service's queue; the clients' timeout and retries default to traffic's.
  models::QueueParams queue_params(const scenario::ServiceSpec& spec) const {
    models::QueueParams q;
    q.step_s = s_.traffic.step_s;
    q.horizon_s = s_.duration_s;
    q.timeout_s = s_.traffic.timeout_s;
    q.retry = retry_policy(s_.traffic.retry);
    if (spec.queue) {
      q.max_wait_s = spec.queue->max_wait_s;
      if (spec.queue->timeout_s) q.timeout_s = *spec.queue->timeout_s;
      if (spec.queue->retry) q.retry = retry_policy(*spec.queue->retry);
      q.client_concurrency = spec.queue->client_concurrency;
    }
    if (spec.leases) {
      q.lease_units = spec.leases->units;
      q.lease_s = spec.leases->lease_s;
    }
    if (spec.returning_users) {
      q.return_share = spec.returning_users->share;
      q.return_after_s = spec.returning_users->after_s;
    }
    return q;
  }

  void add_service(const scenario::ProviderSpec& provider, const scenario::ServiceSpec& spec) {
    Service service;
    service.id = provider.name + "." + spec.name;
    service.provider = provider.name;
    service.segments = spec.segments;
    service.queue = queue_params(spec);
    service.load_balancer = spec.load_balancer;
    if (spec.cache) service.cache_refill_s = spec.cache->refill_s;
    std::vector<double> shares;
    for (const auto& v : spec.variants) {
      service.variants.push_back(v.name);
      shares.push_back(v.share);
    }
    if (service.variants.empty()) {
      service.variants.emplace_back("default");
      shares.push_back(1.0);
    }
    // Explicit instances with a variant keep it; every other instance gets one
    // by the shares, counted over the whole service.
    int total = 0;
    for (const auto& c : spec.instances) total += c.count;
    for (const auto& i : spec.instance_list) total += i.variant.empty() ? 1 : 0;
    auto variants = assign_variants(shares, total);
    std::size_t next_variant = 0;
    const int service_index = static_cast<int>(w_.services.size());
    // Capacity as a budget is cores over the mean cost of a request.
    const double capacity = spec.cpu ? models::budget_capacity(spec.cpu->cores, spec.cpu->cost_s) : spec.capacity_rps;
    for (const auto& c : spec.instances)
      for (int i = 0; i < c.count; ++i)
        add_instance(service, service_index, fmt::format("{}/{}", c.region, i), c.region, variants[next_variant++],
                     capacity, spec.access_bandwidth_Bps);
    for (const auto& i : spec.instance_list) {
      int variant = 0;
      if (i.variant.empty()) variant = variants[next_variant++];
      else variant = variant_index(service, i.variant);
      add_instance(service, service_index, i.name, i.region, variant, i.capacity_rps.value_or(capacity),
                   spec.access_bandwidth_Bps);
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

  std::vector<Dependency> resolve(const std::vector<scenario::DependencySpec>& specs) const {
    std::vector<Dependency> out;
    for (const auto& d : specs) {
      Dependency dep{rule_of(d.kind), {}, std::max(1, d.k), d.share};
      dep.load_share = d.load_share.value_or(d.share);
      if (!d.target.empty()) dep.services.push_back(service_index(d.target));
      if (d.kind == scenario::DependencyKind::look_aside) {
        dep.services = {service_index(d.cache), service_index(d.store)};
        dep.hit_rate = d.hit_rate.value_or(0);
      }
      if (!d.variant.empty()) dep.variant = variant_index(w_.services[static_cast<std::size_t>(dep.services.front())], d.variant);
      for (const auto& t : d.targets) dep.services.push_back(service_index(t));
      if (d.kind == scenario::DependencyKind::cached) {
        dep.cached = true;
        dep.ttl_s = d.ttl_s;
        dep.serve_stale_s = d.serve_stale_s;
        if (!d.record.empty()) {
          dep.record = record_index(d.record);
          dep.ttl_s = w_.records[static_cast<std::size_t>(dep.record)].ttl_s;
          dep.services.push_back(w_.records[static_cast<std::size_t>(dep.record)].points_to);
        }
      }
      out.push_back(std::move(dep));
    }
    return out;
  }

  /// Depth-first topological order; validation has ruled out cycles. A
  /// service comes after what a reroute may make it depend on, too.
  void order_services() {
    std::vector<int> state(w_.services.size(), 0);
    auto visit = [&](auto&& self, int s) -> void {
      if (state[static_cast<std::size_t>(s)] != 0) return;
      state[static_cast<std::size_t>(s)] = 1;
      for (const auto& d : w_.services[static_cast<std::size_t>(s)].dependencies) {
        for (int t : d.services) self(self, t);
        if (d.record >= 0)
          for (int t : record_answers(d.record)) self(self, t);
      }
      for (int t : reroute_targets(s)) self(self, t);
      w_.service_order.push_back(s);
    };
    for (std::size_t s = 0; s < w_.services.size(); ++s) visit(visit, static_cast<int>(s));
  }

  /// Services that reroute actions may make service `s` depend on.
  std::vector<int> reroute_targets(int s) const {
    std::vector<int> out;
    const std::string& id = w_.services[static_cast<std::size_t>(s)].id;
    for (const auto& op : s_.operators)
      for (const auto& a : op.actions)
        if (const auto* reroute = std::get_if<scenario::actions::Reroute>(&a.kind); reroute && reroute->service == id)
          out.push_back(service_index(reroute->to));
    return out;
  }

  /// Every service `record` may resolve to during the run: its primary, its
  /// secondary, and the new targets of the faults that change it.
  std::vector<int> record_answers(int record) const {
    const Record& r = w_.records[static_cast<std::size_t>(record)];
    std::vector<int> out{r.points_to};
    if (r.secondary >= 0) out.push_back(r.secondary);
    for (const auto& f : s_.faults)
      if (const auto* change = std::get_if<scenario::faults::DnsRecordChange>(&f.kind))
        if (change->record == r.id && !change->new_target.empty()) out.push_back(service_index(change->new_target));
    return out;
  }

  void add_operator(const scenario::OperatorSpec& op, std::size_t o) {
    OperatorTeam team{op.name, {}, 0, {}};
    for (const auto& d : op.depends_on)
      team.depends_on.push_back(
          TeamDependency{service_index(d.service), d.stages, d.slowdown.value_or(0), d.out_of_band_s, d.healthy_above});
    for (const auto& rule : op.detection)
      team.detection.push_back(DetectionRule{rule.metric, rule.scope == "global" ? -1 : service_index(rule.scope),
                                             rule.above, rule.for_s, rule.reporting_delay_s});
    if (op.diagnosis)
      team.diagnosis_s = std::max(0.0, draw(*op.diagnosis, s_.seed, fmt::format("operators[{}].diagnosis", o)));
    w_.operators.push_back(std::move(team));
    for (std::size_t a = 0; a < op.actions.size(); ++a) {
      const auto& spec = op.actions[a];
      Action action;
      action.operator_name = op.name;
      action.operator_index = static_cast<int>(o);
      if (spec.at) action.at_s = draw_time(*spec.at, s_.seed, fmt::format("operators[{}].actions[{}].at", o, a), s_.duration_s);
      action.kind = spec.kind;
      action.rollout = spec.rollout;
      if (spec.when) {
        action.when_healthy = service_index(spec.when->healthy);
        action.when_above = spec.when->above;
        action.when_for_s = spec.when->for_s;
      }
      std::visit([&](const auto& kind) { resolve(action, kind, fmt::format("operators[{}].actions[{}]", o, a)); },
                 spec.kind);
      w_.actions.push_back(std::move(action));
    }
  }

  /// Keeps room for the retries in flight of every policy an operator may
  /// switch a service's clients to (set_retry_policy).
  void size_retry_columns() {
    for (const auto& action : w_.actions)
      if (const auto* set = std::get_if<scenario::actions::SetRetryPolicy>(&action.kind)) {
        auto& queue = w_.services[static_cast<std::size_t>(action.service)].queue;
        queue.retry_columns = std::max({queue.retry_columns, queue.retry.max_retries, set->max_retries.value_or(0)});
      }
  }

  void add_channel(const scenario::ProviderSpec& provider, const scenario::ChannelSpec& spec) {
    Channel channel;
    channel.id = provider.name + "." + spec.name;
    channel.service = service_index(provider.name + "." + spec.consumers);
    channel.origin_region = region_index(spec.origin);
    channel.origin_host = channel.id + "@origin";
    channel.size_bytes = spec.size_bytes;
    channel.apply_delay_s = spec.apply_delay_s;
    channel.topology = spec.topology;
    channel.rollout = spec.rollout;
    channel.last_known_good = spec.last_known_good;
    channel.services.push_back(channel.service);
    for (const auto& fed : spec.also_feeds) channel.services.push_back(service_index(fed));
    for (int s : channel.services) {
      const auto& instances = w_.services[static_cast<std::size_t>(s)].instances;
      channel.consumers.insert(channel.consumers.end(), instances.begin(), instances.end());
    }
    for (std::size_t k = 0; k < channel.consumers.size(); ++k)
      w_.instances[static_cast<std::size_t>(channel.consumers[k])].consumes.emplace_back(
          static_cast<int>(w_.channels.size()), static_cast<int>(k));
    attach_host(channel.origin_host, channel.origin_region, spec.uplink_Bps, "uplink");
    w_.channels.push_back(std::move(channel));
    if (spec.source.kind == scenario::SourceKind::generator) pending_generators_.emplace_back(w_.channels.size() - 1, spec);
  }

  void add_site(const scenario::SiteSpec& spec) {
    // A closed loop's users send users / think time while answered at once;
    // they are also the people using the site unless `users` says otherwise.
    const double rps = spec.closed_loop ? spec.closed_loop->users / spec.closed_loop->think_time_s : spec.rps;
    const double users = spec.users.value_or(spec.closed_loop ? spec.closed_loop->users : 0.0);
    Site site{spec.name, rps, users, resolve(spec.depends_on), true, spec.closed_loop};
    if (s_.output.site_series)
      site.series = std::find(s_.output.site_series->begin(), s_.output.site_series->end(), spec.name) !=
                    s_.output.site_series->end();
    w_.sites.push_back(std::move(site));
  }

  /// Site of rank i (1-based) gets total * i^-exponent / H, H the sum over
  /// all ranks; ranks are spread over the mix classes by their shares, or,
  /// without a mix, over the default classes of each band of rank.
  void add_population(const scenario::PopulationSpec& p) {
    double harmonic = 0;
    for (int i = 1; i <= p.sites; ++i) harmonic += std::pow(static_cast<double>(i), -p.exponent);
    auto add = [&](int rank, const std::string& class_name, const std::vector<Dependency>& dependencies) {
      w_.sites.push_back(Site{fmt::format("population/{}/{}", class_name, rank),
                              p.total_rps * std::pow(static_cast<double>(rank), -p.exponent) / harmonic,
                              /*users=*/0.0, dependencies, /*series=*/false, /*closed_loop=*/std::nullopt});
    };
    if (p.mix.empty()) return add_default_mix(p, add);
    std::vector<double> shares;
    std::vector<std::vector<Dependency>> classes;
    for (const auto& m : p.mix) {
      shares.push_back(m.share);
      classes.push_back(resolve(m.depends_on));
    }
    auto assignment = assign_variants(shares, p.sites);
    for (int i = 1; i <= p.sites; ++i) {
      const auto c = static_cast<std::size_t>(assignment[static_cast<std::size_t>(i - 1)]);
      add(i, p.mix[c].name, classes[c]);
    }
  }

  /// docs/models/population.md: each provider with a share serves its role
  /// (CDN and hosting: a hard dependency on its first service; DNS: that
  /// service's answers, cached for the sites' name TTL). A site that adopted
  /// a second provider needs any one of the two; one whose second provider
  /// is outside the scenario (which never fails) needs none of the role's.
  template <class Add>
  void add_default_mix(const scenario::PopulationSpec& p, Add add) {
    const scenario::AdoptionSpec adoption = p.adoption.value_or(scenario::AdoptionSpec{});
    static const std::string other_provider = "other";
    std::vector<models::ProviderShare> shares;
    std::vector<const scenario::ProviderSpec*> providers;
    for (const auto& provider : s_.providers) {
      const double share = scenario::population_share(provider).value_or(0.0);
      if (share <= 0) continue;
      shares.push_back({scenario::population_role(provider.kind), share});
      providers.push_back(&provider);
    }
    auto service_of = [&](std::size_t i) {
      return fmt::format("{}.{}", providers[i]->name, providers[i]->services.front().name);
    };
    auto dependency_on = [&](std::size_t i, int backup) {
      scenario::DependencySpec d;
      if (backup >= 0) {
        d.kind = scenario::DependencyKind::any_of;
        d.targets = {service_of(i), service_of(static_cast<std::size_t>(backup))};
      } else if (shares[i].role == models::ProviderRole::dns) {
        d.target = service_of(i);
        d.kind = scenario::DependencyKind::cached;
        d.ttl_s = adoption.dns_ttl_s.value_or(models::site_name_ttl_s);
        if (adoption.serve_stale_s) d.serve_stale_s = *adoption.serve_stale_s;
      } else {
        d.target = service_of(i);
      }
      return d;
    };
    auto name_of = [&](std::size_t i, int backup) {
      if (backup == models::no_backup) return providers[i]->name;
      const std::string& second =
          backup == models::backup_outside ? other_provider : providers[static_cast<std::size_t>(backup)]->name;
      return fmt::format("{}-or-{}", providers[i]->name, second);
    };
    const models::Adoption adopted{adoption.second_cdn, adoption.second_dns};
    for (const auto& band : models::rank_bands(p.sites)) {
      const auto classes = models::site_classes(shares, models::cdn_usage_at_rank(band.first), adopted);
      std::vector<double> class_shares;
      std::vector<std::string> names;
      std::vector<std::vector<Dependency>> dependencies;
      for (const auto& c : classes) {
        class_shares.push_back(c.share);
        std::vector<scenario::DependencySpec> specs;
        std::string name;
        for (std::size_t i = 0; i < c.providers.size(); ++i) {
          const auto provider = static_cast<std::size_t>(c.providers[i]);
          if (c.backups[i] != models::backup_outside) specs.push_back(dependency_on(provider, c.backups[i]));
          if (!name.empty()) name += '+';
          name += name_of(provider, c.backups[i]);
        }
        names.push_back(name.empty() ? "other" : name);
        dependencies.push_back(resolve(specs));
      }
      const auto assignment = assign_variants(class_shares, static_cast<int>(band.last - band.first + 1));
      for (long long rank = band.first; rank <= band.last; ++rank) {
        const auto c = static_cast<std::size_t>(assignment[static_cast<std::size_t>(rank - band.first)]);
        add(static_cast<int>(rank), names[c], dependencies[c]);
      }
    }
  }

  void add_fault(const scenario::FaultSpec& spec, std::size_t index) {
    Fault fault;
    fault.id = spec.id;
    fault.kind = spec.kind;
    fault.at_s = draw_time(spec.at, s_.seed, fmt::format("faults[{}].at", index), s_.duration_s);
    fault.duration_s = spec.duration_s;
    std::visit([&](const auto& kind) { resolve(fault, kind, fmt::format("faults[{}]", index)); }, spec.kind);
    w_.faults.push_back(std::move(fault));
  }

  // Resolving a fault's or an action's references goes by the fields its
  // kind has, whatever the kind: a new kind whose fields are named as these
  // needs nothing here.

  template <class Kind>
  void resolve(Fault& fault, const Kind& kind, const std::string& path) {
    if constexpr (requires { kind.channel; kind.effects; kind.size_bytes; }) {
      fault.channel = channel_index(kind.channel);
      const Channel& channel = w_.channels[static_cast<std::size_t>(fault.channel)];
      fault.size_bytes = kind.size_bytes.value_or(channel.size_bytes);
      fault.error_rate_by_variant = error_rates(channel, kind.effects);
      fault.segment_error_rates = segment_error_rates(channel, kind.effects);
      fault.config_effects = config_effects(channel, kind.effects);
    }
    if constexpr (requires { kind.target; }) {
      fault.instances = select_targets(kind.target, path + ".target");
      fault.service = service_index(kind.target.service);
    }
    if constexpr (requires { kind.record; }) fault.record = record_index(kind.record);
    if constexpr (requires { kind.new_target; })
      if (!kind.new_target.empty()) fault.new_target = service_index(kind.new_target);
    if constexpr (requires { kind.regions; }) {
      // A kind with a target limits it to regions (a regional surge); one
      // without hits every instance there, but for dns_unreachable, whose
      // regions are where resolvers are cut off: it hits no instance.
      fault.region_wide = !requires { kind.target; } && !std::is_same_v<Kind, scenario::faults::DnsUnreachable>;
      for (const auto& region : kind.regions) fault.regions.push_back(region_index(region));
    }
    if constexpr (requires { kind.provider; }) fault.provider = kind.provider;
  }

  template <class Kind>
  void resolve(Action& action, const Kind& kind, const std::string& path) {
    if constexpr (requires { kind.channel; }) action.channel = channel_index(kind.channel);
    if constexpr (requires { kind.service; })
      if (!kind.service.empty()) action.service = service_index(kind.service);
    if constexpr (requires { kind.target; }) {
      action.instances = select_targets(kind.target, path + ".target");
      action.service = service_index(kind.target.service);
    }
    if constexpr (requires { kind.record; })
      if (!kind.record.empty()) action.record = record_index(kind.record);
    if constexpr (requires { kind.from; }) action.from = service_index(kind.from);
    if constexpr (requires { kind.to; }) action.to = service_index(kind.to);
    if constexpr (requires { kind.fault; }) action.fault = fault_index(kind.fault);
  }

  /// The instances a target selects: those of the service in the listed
  /// regions and variants (all when none are listed), then `count` or
  /// `percent` of them (rounded up) drawn without replacement from the
  /// stream named `key`, kept in instance order.
  std::vector<int> select_targets(const scenario::TargetSpec& target, const std::string& key) {
    const auto& service = w_.services[static_cast<std::size_t>(service_index(target.service))];
    std::vector<int> eligible;
    for (int i : service.instances) {
      const auto& instance = w_.instances[static_cast<std::size_t>(i)];
      const auto& region = w_.platform.regions[static_cast<std::size_t>(instance.region)].name;
      const auto& variant = service.variants[static_cast<std::size_t>(instance.variant)];
      if (!target.regions.empty() && std::find(target.regions.begin(), target.regions.end(), region) == target.regions.end())
        continue;
      if (!target.variants.empty() &&
          std::find(target.variants.begin(), target.variants.end(), variant) == target.variants.end())
        continue;
      eligible.push_back(i);
    }
    std::size_t want = eligible.size();
    if (target.count) want = std::min(want, static_cast<std::size_t>(*target.count));
    if (target.percent)
      want = std::min(want, static_cast<std::size_t>(std::ceil(*target.percent * static_cast<double>(eligible.size()) - 1e-9)));
    models::Rng rng(s_.seed, key);
    for (std::size_t k = 0; k < want; ++k)  // partial Fisher-Yates
      std::swap(eligible[k], eligible[k + static_cast<std::size_t>(rng.uniform() * static_cast<double>(eligible.size() - k))]);
    eligible.resize(want);
    std::sort(eligible.begin(), eligible.end());
    return eligible;
  }

  /// Faults keep the scenario's order in World::faults.
  FaultIndex fault_index(const std::string& id) const {
    for (std::size_t f = 0; f < s_.faults.size(); ++f)
      if (s_.faults[f].id == id) return FaultIndex{static_cast<int>(f)};
    throw std::logic_error("unknown fault " + id + " (validate checks it)");
  }

  int record_index(const std::string& qualified) const {
    for (std::size_t i = 0; i < w_.records.size(); ++i)
      if (w_.records[i].id == qualified) return static_cast<int>(i);
    throw std::logic_error("world::build: unvalidated record " + qualified);
  }

  void add_records() {
    for (const auto& provider : s_.providers)
      for (const auto& r : provider.records) {
        const int authority =
            provider.services.empty() ? -1 : service_index(provider.name + "." + provider.services.front().name);
        const int points_to = service_index(r.points_to);
        const int variant =
            r.variant.empty() ? -1 : variant_index(w_.services[static_cast<std::size_t>(points_to)], r.variant);
        w_.records.push_back(Record{provider.name + "." + r.name, points_to,
                                    r.secondary.empty() ? -1 : service_index(r.secondary), variant, authority,
                                    r.ttl_s, r.health_check, r.resolvers});
      }
  }

  /// Static load on each service: the sites' rates through their
  /// dependencies, then from dependent services to the services they need,
  /// each the share of the requests that call it (`load_share`). any_of
  /// sends everything to its first target (the primary), k_of_n to its
  /// first k; look_aside every read to its cache and the misses of a warm,
  /// working cache to its store (the rest follows at run time).
  void compute_offered_load() {
    std::vector<double> through_record(w_.records.size(), 0.0);
    // Closed-loop users travel with their rate: a share of a loop's users
    // is a loop of that many users with the same think time.
    auto load = [&](int service, double share, double rps, double closed_rps,
                    const std::vector<models::ClosedLoop>& loops) {
      auto& target = w_.services[static_cast<std::size_t>(service)];
      target.offered_rps += rps * share;
      target.closed_loop_rps += closed_rps * share;
      for (const auto& loop : loops) target.closed_loops.push_back({loop.users * share, loop.think_s});
    };
    auto send = [&](const std::vector<Dependency>& deps, double rps, double closed_rps,
                    const std::vector<models::ClosedLoop>& loops, int reader) {
      for (const auto& d : deps) {
        if (d.rule == models::DependencyRule::look_aside) {
          load(d.services[0], d.load_share, rps, closed_rps, loops);
          load(d.services[1], d.load_share * (1.0 - d.hit_rate), rps, closed_rps, loops);
          if (reader >= 0) w_.look_asides.push_back({reader, d.services[0], d.services[1], d.hit_rate, rps * d.load_share});
          continue;
        }
        if (d.through_record()) through_record[static_cast<std::size_t>(d.record)] += rps * d.load_share;
        std::size_t n = d.services.size();
        if (d.rule == models::DependencyRule::any_of) n = std::min<std::size_t>(n, 1);
        if (d.rule == models::DependencyRule::k_of_n) n = std::min<std::size_t>(n, static_cast<std::size_t>(d.k));
        for (std::size_t i = 0; i < n; ++i) load(d.services[i], d.load_share, rps, closed_rps, loops);
      }
    };
    for (const auto& site : w_.sites) {
      if (site.closed_loop)
        send(site.dependencies, site.rps, site.rps, {{site.closed_loop->users, site.closed_loop->think_time_s}}, -1);
      else
        send(site.dependencies, site.rps, 0.0, {}, -1);
    }
    for (auto& service : w_.services) service.site_rps = service.offered_rps;
    // Dependents come after what they need in service_order: walk it backwards.
    for (auto it = w_.service_order.rbegin(); it != w_.service_order.rend(); ++it) {
      const auto& service = w_.services[static_cast<std::size_t>(*it)];
      send(service.dependencies, service.offered_rps, service.closed_loop_rps, service.closed_loops, *it);
    }
    std::stable_sort(w_.look_asides.begin(), w_.look_asides.end(),
                     [](const LookAside& a, const LookAside& b) { return a.reader < b.reader; });
    add_query_load(through_record);
  }

  /// Each record with resolvers loads its authority with their refreshes,
  /// never more than the requests through it (`through_record`, static).
  void add_query_load(const std::vector<double>& through_record) {
    for (std::size_t r = 0; r < w_.records.size(); ++r) {
      auto& record = w_.records[r];
      if (!record.resolvers || record.authority < 0) continue;
      record.query_rps = models::refresh_query_rps(*record.resolvers, record.ttl_s, through_record[r]);
      auto& authority = w_.services[static_cast<std::size_t>(record.authority)];
      authority.dns_query_rps += record.query_rps;
      authority.carries_queries = true;
    }
  }


  void add_backbone() {
    auto& p = w_.platform;
    for (std::size_t a = 0; a < p.regions.size(); ++a) {
      for (std::size_t b = a + 1; b < p.regions.size(); ++b) {
        const double latency = region_latency_s(s_, p.regions[a], p.regions[b]);
        p.links.push_back(Link{fmt::format("backbone:{}--{}", p.regions[a].name, p.regions[b].name),
                               s_.network.backbone_bandwidth_Bps, latency});
        p.edges.push_back(Edge{p.routers[a], p.routers[b], static_cast<int>(p.links.size() - 1)});
      }
    }
  }

  void add_generator(Channel& channel, const scenario::ChannelSpec& spec) {
    const auto& src = spec.source;
    Generator g;
    g.every_s = src.every_s;
    g.reads_from = service_index(src.reads_from);
    g.bad_when_running = channel_index(src.bad_when_running);
    g.bad_error_rate_by_variant = error_rates(channel, src.bad_effects);
    g.bad_segment_error_rates = segment_error_rates(channel, src.bad_effects);
    g.bad_config_effects = config_effects(channel, src.bad_effects);
    g.bad_size_bytes = src.bad_size_bytes.value_or(channel.size_bytes);
    channel.generator = std::move(g);
  }

  /// Per-variant error rates of the consuming service from a list of effects.
  /// An effect on a segment fails that segment's share of the variant's
  /// traffic; effects on one variant add up (segments are disjoint shares of
  /// traffic), capped at 100%.
  std::vector<double> error_rates(const Channel& channel, const std::vector<scenario::VariantEffect>& effects) const {
    const auto& service = w_.services[static_cast<std::size_t>(channel.service)];
    std::vector<double> rates(service.variants.size(), 0.0);
    for (const auto& effect : effects) {
      if (!plain(channel, effect)) continue;  // in config_effects
      const auto v = static_cast<std::size_t>(variant_index(service, effect.variant));
      double share = 1.0;
      for (const auto& segment : service.segments)
        if (segment.name == effect.segment) share = segment.share;
      double& rate = rates[v];
      rate = std::min(1.0, rate + effect.error_rate * share);
    }
    return rates;
  }

  /// Per variant and declared segment of the consuming service, the share
  /// of that segment's requests failing: effects on the whole variant and
  /// on that segment add up, capped at 100%. Empty without segments.
  std::vector<std::vector<double>> segment_error_rates(const Channel& channel,
                                                       const std::vector<scenario::VariantEffect>& effects) const {
    const auto& service = w_.services[static_cast<std::size_t>(channel.service)];
    if (service.segments.empty()) return {};
    std::vector<std::vector<double>> rates(service.variants.size(), std::vector<double>(service.segments.size(), 0.0));
    for (const auto& effect : effects) {
      if (!plain(channel, effect)) continue;  // in config_effects
      const auto v = static_cast<std::size_t>(variant_index(service, effect.variant));
      for (std::size_t g = 0; g < service.segments.size(); ++g)
        if (effect.segment.empty() || effect.segment == service.segments[g].name)
          rates[v][g] = std::min(1.0, rates[v][g] + effect.error_rate);
    }
    return rates;
  }

  /// Whether `effect` is a plain error rate on a whole variant of the
  /// channel's first consumer service: what the per-variant rates hold.
  bool plain(const Channel& channel, const scenario::VariantEffect& effect) const {
    return effect.plain_error_rate() && (effect.service.empty() || service_index(effect.service) == channel.service);
  }

  /// The effects that are more than a plain error rate on a whole variant,
  /// resolved (a plain one with a cost or latency keeps its error rate in
  /// the per-variant rates and brings the rest here).
  std::vector<ConfigEffect> config_effects(const Channel& channel,
                                           const std::vector<scenario::VariantEffect>& effects) const {
    std::vector<ConfigEffect> out;
    for (const auto& effect : effects) {
      const bool in_rates = plain(channel, effect);
      if (in_rates && !effect.cost_factor && !effect.latency_s && !effect.health_check_error_rate) continue;
      ConfigEffect e;
      e.service = effect.service.empty() ? channel.service : service_index(effect.service);
      const auto& service = w_.services[static_cast<std::size_t>(e.service)];
      e.variant = variant_index(service, effect.variant);
      for (std::size_t g = 0; g < service.segments.size(); ++g)
        if (service.segments[g].name == effect.segment) {
          e.segment = static_cast<int>(g);
          e.traffic_share = service.segments[g].share;
        }
      e.error_rate = in_rates ? 0.0 : effect.error_rate;
      e.on_load = effect.on_load;
      e.capacity_factor = effect.cost_factor ? models::capacity_left_at_cost(*effect.cost_factor) : 1.0;
      e.added_latency_s = effect.latency_s.value_or(0.0);
      e.health_check_error_rate = effect.health_check_error_rate.value_or(0.0);
      e.up_s = effect.up_s.value_or(0.0);
      e.down_s = effect.down_s;
      e.after_crash = effect.after_crash.value_or(scenario::AfterCrash::fetch_on_restart);
      for (const auto& condition : effect.when) {
        ConfigEffect::Condition c{channel_index(condition.channel), ConfigEffect::Running::fault, -1};
        if (condition.running == "good") c.running = ConfigEffect::Running::good;
        else if (condition.running == "bad") c.running = ConfigEffect::Running::bad;
        else
          for (std::size_t f = 0; f < s_.faults.size(); ++f)
            if (s_.faults[f].id == condition.running) c.fault = static_cast<int>(f);
        e.when.push_back(c);
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  const scenario::Scenario& s_;
  World w_;
  std::vector<std::pair<std::size_t, scenario::ChannelSpec>> pending_generators_;
};

/// A strict order on dependencies, field by field, so that a map finds a
/// signature among many in logarithmic time. Doubles compare by value: the
/// scenario's numbers, never NaN after validation.
bool dependency_less(const Dependency& a, const Dependency& b) {
  return std::tie(a.rule, a.services, a.k, a.share, a.cached, a.record, a.ttl_s, a.serve_stale_s, a.variant, a.hit_rate,
                  a.load_share) <
         std::tie(b.rule, b.services, b.k, b.share, b.cached, b.record, b.ttl_s, b.serve_stale_s, b.variant, b.hit_rate,
                  b.load_share);
}

struct SignatureLess {
  bool operator()(const std::vector<Dependency>* a, const std::vector<Dependency>* b) const {
    return std::lexicographical_compare(a->begin(), a->end(), b->begin(), b->end(), dependency_less);
  }
};

}  // namespace

void group_sites(World& world) {
  world.site_classes.clear();
  world.site_class.assign(world.sites.size(), -1);
  std::map<const std::vector<Dependency>*, int, SignatureLess> known;
  for (std::size_t s = 0; s < world.sites.size(); ++s) {
    const auto& deps = world.sites[s].dependencies;
    auto [it, added] = known.try_emplace(&deps, static_cast<int>(world.site_classes.size()));
    if (added) world.site_classes.push_back(SiteClass{deps, {}});
    auto& site_class = world.site_classes[static_cast<std::size_t>(it->second)];
    site_class.sites.push_back(static_cast<int>(s));
    site_class.rps += world.sites[s].rps;
    world.site_class[s] = it->second;
  }
  world.sums_by_class = world.sites.size() > sum_by_class_above;
}

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

models::Jitter jitter_of(scenario::Jitter jitter) {
  switch (jitter) {
    case scenario::Jitter::none: return models::Jitter::none;
    case scenario::Jitter::equal: return models::Jitter::equal;
    case scenario::Jitter::full: break;
  }
  return models::Jitter::full;
}

models::RetryPolicy retry_policy(const scenario::RetrySpec& r) {
  return {r.max_retries, r.backoff_base_s, r.backoff_max_s, jitter_of(r.jitter), r.budget};
}

World build(const scenario::Scenario& scenario) {
  return Builder(scenario).build();
}

double demand_factor(const World& world, double t_s) {
  if (t_s != world.demand_memo_t_s) {
    world.demand_memo = models::demand_factor(world.diurnal, world.client_regions, world.start_epoch_s + t_s);
    world.demand_memo_t_s = t_s;
  }
  return world.demand_memo;
}

}  // namespace outagesim::world
