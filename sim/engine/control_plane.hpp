// Which provider's control plane an actor runs on. Operators, fault
// injections other than config pushes, and health checkers are control
// logic: each runs on the control-plane host of the provider whose
// component it acts on (docs/models/platform.md). Config pushes leave from
// their channel's publisher, whose uplink the transfers share.
#pragma once

#include "context.hpp"

#include <string>

namespace outagesim::engine {

/// Provider of what `action` acts on (its channel, service or record), or
/// empty when it names none.
std::string provider_acted_on(const world::World& world, const world::Action& action);

/// Provider of what `fault` hits (its target's service, its record, the
/// provider whose routes it withdraws), or empty (a partition of regions).
std::string provider_hit(const world::World& world, const world::Fault& fault);

/// The control-plane host of `provider` (the first provider's when empty).
simgrid::s4u::Host* control_plane(const Context& context, const std::string& provider);

}  // namespace outagesim::engine
