// What the state of a world means for its users at one instant: availability
// of every service and site, and of the whole, through the models. Shared by
// the metrics collector (which records it) and the engine's operators and
// health gates (which react to it), so both see the same numbers.
#pragma once

#include "models/dns_cache.hpp"
#include "models/service_queue.hpp"
#include "state.hpp"
#include "world.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace outagesim::world {

struct Availability {
  std::vector<double> service;     ///< per service: own instances times own dependencies
  std::vector<double> site_class;  ///< per site class (World::site_classes)
  std::vector<double> site;        ///< per site: its class's
  /// With client_views, per site through a DNS record that gets series, with client regions:
  /// its availability as each client region's users see it, through their
  /// own resolvers (`site` is their request-weighted mean, up to rounding:
  /// with one record it is the list at the regions' mean answer); empty for
  /// other sites.
  std::vector<std::vector<double>> site_by_client;
  double global = 1;            ///< request-weighted over sites
  double offered_rps = 0;
  double failed_rps = 0;
  int sites_down = 0;           ///< below World::site_down_below
};

/// Evaluates every service (in dependency order), then every site class
/// once, at state.now_s (cached dependencies change with time alone); each
/// site gets its class's value. world::Evaluator gives the same result,
/// re-evaluating only what changed since its previous call. With
/// `client_views`, also fills Availability::site_by_client (costlier: one
/// evaluation per client region of each such site).
Availability evaluate(const World& world, const WorldState& state, bool client_views = false);

/// Share of the requests of whoever holds `dependencies` (a site, a class)
/// that they serve, given `services`, every service's availability now.
double dependencies_availability(const World& world, const WorldState& state, const std::vector<double>& services,
                                 const std::vector<Dependency>& dependencies);

/// From a.site and a.site_class: the offered and failed rates under
/// `demand` (demand_factor now), the global availability and sites_down.
void add_site_totals(const World& world, double demand, Availability& a);

class DependencyEvaluator;

/// Fills a.site_by_client for the sites that get series, through
/// `dependencies` (an evaluator for users over a.service).
void add_client_views(const World& world, DependencyEvaluator& dependencies, Availability& a);

/// Availability::service alone, without the sites.
std::vector<double> evaluate_services(const World& world, const WorldState& state);

/// Availability of the instances selected by `include`, capacity-weighted,
/// with no load limit: the view of a provider or a region as a whole.
template <class Include>
double pool_of(const World& world, const WorldState& state, Include include);

/// Availability of `service`'s instances of one variant, pooled as pool_of
/// does: what a dependency pinned to that variant sees.
double variant_pool(const World& world, const WorldState& state, int service, int variant);

/// The dependencies of `service` as they stand now: the declared ones with
/// the reroutes in force applied.
std::vector<Dependency> effective_dependencies(const World& world, const WorldState& state, int service);

/// A look_aside dependency's hit rate now: the declared one times its
/// cache's fill (docs/models/caches.md); 0 for other rules.
double look_aside_hit_rate(const WorldState& state, const Dependency& d);

/// Availability of one service's own instances under its offered load,
/// its dependencies taken as working.
double service_pool(const World& world, const WorldState& state, int service);

/// What the world offers a service's queue now (docs/models/traffic.md):
/// first attempts (offered load x surges x time of day), the capacity of its
/// instances up, their share of error-free answers, admission, and
/// `dependencies`, the availability of what it needs.
models::QueueInputs queue_inputs(const World& world, const WorldState& state, int service, double dependencies);

/// The service's queue now, given the availability of its dependencies.
/// With `with_latency`, also its latency percentiles (costlier).
models::QueueOutcome service_outcome(const World& world, const WorldState& state, int service, double dependencies,
                                     bool with_latency = false);

/// What the clients of DNS record `record` hold at state.now_s, caching its
/// answers for `ttl_s` and serving them stale for `serve_stale_s` while its
/// authority is unreachable (docs/models/dns.md), as the users of sites see
/// it: with client regions, every region's resolvers together, each weighted
/// by its share of the requests.
models::CachedAnswers record_answers(const World& world, const WorldState& state, int record, double ttl_s,
                                     double serve_stale_s);

/// Per service, the first attempts that returning users of the services
/// needing it send it now (docs/models/traffic.md): each hard dependency of
/// a service with returning users gets their attempts times the
/// availability of that service's other dependencies (an attempt stopped by
/// one of them never reaches it).
std::vector<double> returning_load(const World& world, const WorldState& state);

/// The same for the resolvers of client region `client` alone, or, for -1,
/// for the one population: a world without client regions, or services,
/// which resolve where they run.
models::CachedAnswers record_answers_in(const World& world, const WorldState& state, int record, double ttl_s,
                                        double serve_stale_s, int client);

/// Per service, the availability of what it depends on (1 without dependencies).
std::vector<double> dependency_availability(const World& world, const WorldState& state);

/// Every service's queue now, evaluated in dependency order; fills `needs`
/// with what dependency_availability returns.
std::vector<models::QueueOutcome> service_outcomes(const World& world, const WorldState& state,
                                                   std::vector<double>& needs);

/// The service's declared dependencies, or, while a reroute is in force,
/// its effective ones (built in `buffer`).
const std::vector<Dependency>& dependencies_now(const World& world, const WorldState& state, int service,
                                                std::vector<Dependency>& buffer);

/// Who answers a cached dependency at state.now_s (docs/models/dns.md).
/// Through a record: the services the clients' held answers name, with the
/// share of clients holding each (an empty answer serves nothing). A cache
/// of a service's own answers: `held`, the share of clients still holding
/// one, whatever the service's availability.
struct CachedView {
  std::vector<std::pair<int, double>> answers;  ///< (service, share of clients)
  double held = 0;
  /// A record pinned to a variant (Record::variant): its clients holding the
  /// answer `pinned_service` are served by that variant's instances alone,
  /// whose availability is `pinned_value`; -1: no pin.
  int pinned_service = -1;
  double pinned_value = 1;
  /// The share of the dependency's requests served, given each service's
  /// availability (`of(service)`).
  template <class Of>
  [[nodiscard]] double availability(Of of) const {
    double value = held;
    for (const auto& [answer, share] : answers) value += share * (answer == pinned_service ? pinned_value : of(answer));
    return std::clamp(value, 0.0, 1.0);
  }
};
/// `client`: whose resolvers hold the answers through a record: that client
/// region's (a site's users), or -1, the one population (a service, or a
/// world without client regions).
CachedView cached_view(const World& world, const WorldState& state, const Dependency& d, int client = -1);

}  // namespace outagesim::world

#include "availability_inl.hpp"
