// The world's traffic moving forward in time: the queues, retries in flight
// and leases of every service with memory (docs/models/traffic.md). The
// engine calls advance_traffic once per traffic step; everything else reads
// the state through world::evaluate.
#pragma once

#include "state.hpp"
#include "world.hpp"

#include <vector>

namespace outagesim::world {

/// A service went into overload or came out of it during a step.
struct OverloadChange {
  int service = -1;
  bool overloaded = false;
  double wait_s = 0;
  double offered_rps = 0;
  double capacity_rps = 0;
  int cause = -1;  ///< the fault behind the overload episode, or -1
};

/// Moves every service with memory one traffic step forward from
/// state.now_s under the current inputs. Returns the services whose overload
/// state changed.
std::vector<OverloadChange> advance_traffic(const World& world, WorldState& state);

/// Whether any service carries state from one instant to the next, so that
/// the engine needs to step the traffic at all.
bool traffic_has_memory(const World& world);

/// The fault pressing on a service now: an active load surge that adds load
/// (factor above 1), else the fault
/// behind an instance that is down or has lost capacity, else the fault
/// behind the backlog others left it; -1 if none.
int pressure_cause(const World& world, const WorldState& state, int service);

/// An instance went down (crash, restart): the requests queued on it and the
/// lease units it held are lost, in proportion to its share of the capacity.
void instance_went_down(const World& world, WorldState& state, int instance, double capacity_share);

/// An instance came back up after `fault` (or -1) held it down: it sends its
/// service's warmup requests to the backlog of the service it reloads from.
void instance_came_up(const World& world, WorldState& state, int instance, int fault);

/// An instance's process died (crash, restart; not a load balancer's
/// removal): a cache loses the content it held, its share of the capacity.
void instance_lost_memory(const World& world, WorldState& state, int instance, double capacity_share);

/// A cache_flush (or a crash) emptied `share` of cache `service`'s content; `fault` is charged with it.
void flush_cache(WorldState& state, int service, double share, int fault);

/// Moves the look-aside caches one traffic step of `dt_s` forward
/// (docs/models/caches.md): with `availability` every service's now, sets
/// each store's extra miss load and refills each cache's content.
void advance_caches(const World& world, WorldState& state, const std::vector<double>& availability, double dt_s);

/// Share of the resolvers' refreshes a DNS authority under query load
/// answers now (docs/models/dns.md, "Partial answers"): its availability
/// `availability_now`, or, if it has memory (a queue, retries), the
/// availability its latest traffic step realised: right after a change (an
/// operator's `scale`, a surge) the instantaneous value is a transient that
/// no client met, before the queue and the retries in flight react.
double dns_answered_share(const World& world, const WorldState& state, int authority, double availability_now);

/// Share of its service's effective capacity an instance holds now.
double capacity_share(const World& world, const WorldState& state, int instance);

}  // namespace outagesim::world
