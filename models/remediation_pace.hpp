// How fast operators bring back instances that cannot come back by
// themselves (a boot loop, a host that needs hands on it): `staff` people
// work through the instances one at a time each, every one taking
// `per_instance_s`, and join one after the other over `ramp_up_s` (the
// first at once), as a team that is paged and grows. The engine carries the
// times out; here they are computed and tested on their own.
#pragma once

#include <cstddef>
#include <vector>

namespace outagesim::models {

/// When each of `count` instances is back, in seconds from the start of the
/// work, in time order: person m (0 to staff - 1) starts at
/// ramp_up_s * m / staff and takes the next instance whenever free. That is
/// the `count` smallest of ramp_up_s * m / staff + n * per_instance_s, n >= 1.
std::vector<double> remediation_times(std::size_t count, int staff, double per_instance_s, double ramp_up_s);

}  // namespace outagesim::models
