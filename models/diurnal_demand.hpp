// How demand varies over the day (docs/models/traffic.md). Each client
// region's users follow a cosine in their local time between a trough and a
// peak `peak_to_trough` times higher, normalised so that a day's mean is 1:
// a site's `rps` is its daily mean rate. The world's demand at an instant is
// the user-share-weighted sum over client regions, so time zones smooth it.
#pragma once

#include <span>
#include <vector>

namespace outagesim::models {

struct ClientRegionLoad {
  double users = 1;         ///< share of all users
  double utc_offset_s = 0;  ///< local time = UTC + offset
};

struct DiurnalCurve {
  double peak_to_trough = 1;  ///< 1: flat
  double peak_hour = 20;      ///< local hour of the peak
};

/// Demand at `utc_epoch_s` relative to the daily mean (mean 1 over any whole
/// day). Without client regions every user is on UTC.
double demand_factor(const DiurnalCurve& curve, std::span<const ClientRegionLoad> regions, double utc_epoch_s);

/// One client region's own demand at `utc_epoch_s` relative to its daily
/// mean: the cosine in its local time.
double local_demand_factor(const DiurnalCurve& curve, const ClientRegionLoad& region, double utc_epoch_s);

/// Each client region's share of the requests at `utc_epoch_s`: its users
/// times its own time-of-day factor, normalised to sum to 1 (the user shares
/// themselves when demand is flat).
std::vector<double> request_shares(const DiurnalCurve& curve, std::span<const ClientRegionLoad> regions,
                                   double utc_epoch_s);

}  // namespace outagesim::models
