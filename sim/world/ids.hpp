// Distinct types for the indexes that travel together and are easy to swap:
// a fault's index into World::faults and an operator action's into
// World::actions. An enum class converts to neither int nor the other id
// implicitly, so `Impairment{.fault = a}` with an action index, or a fault
// index passed where an action's is expected, does not compile.
#pragma once

#include <cstddef>

namespace outagesim::world {

/// Index into World::faults.
enum class FaultIndex : int { none = -1 };
/// Index into World::actions.
enum class ActionIndex : int { none = -1 };

/// The plain index, for events and tables, which carry -1 for none.
constexpr int index(FaultIndex f) { return static_cast<int>(f); }
constexpr int index(ActionIndex a) { return static_cast<int>(a); }
/// Position in World::faults / World::actions; not for `none`.
constexpr std::size_t at(FaultIndex f) { return static_cast<std::size_t>(f); }
constexpr std::size_t at(ActionIndex a) { return static_cast<std::size_t>(a); }

}  // namespace outagesim::world
