#include "diurnal_demand.hpp"

#include <cmath>
#include <numbers>

namespace outagesim::models {
namespace {

/// One region's factor: 1 + a cos(2 pi (h - peak) / 24), where the amplitude
/// a = (r - 1) / (r + 1) makes the peak r times the trough.
double local_factor(const DiurnalCurve& curve, double local_s) {
  const double r = curve.peak_to_trough;
  const double amplitude = (r - 1) / (r + 1);
  const double hours = std::fmod(local_s / 3600.0, 24.0);
  return 1 + amplitude * std::cos(2 * std::numbers::pi * (hours - curve.peak_hour) / 24.0);
}

}  // namespace

double local_demand_factor(const DiurnalCurve& curve, const ClientRegionLoad& region, double utc_epoch_s) {
  if (curve.peak_to_trough == 1) return 1.0;
  return local_factor(curve, utc_epoch_s + region.utc_offset_s);
}

double demand_factor(const DiurnalCurve& curve, std::span<const ClientRegionLoad> regions, double utc_epoch_s) {
  if (curve.peak_to_trough == 1) return 1.0;
  if (regions.empty()) return local_factor(curve, utc_epoch_s);
  double users = 0, weighted = 0;
  for (const auto& r : regions) {
    users += r.users;
    weighted += r.users * local_demand_factor(curve, r, utc_epoch_s);
  }
  return users > 0 ? weighted / users : 1.0;
}

std::vector<double> request_shares(const DiurnalCurve& curve, std::span<const ClientRegionLoad> regions,
                                   double utc_epoch_s) {
  std::vector<double> shares;
  double sum = 0;
  for (const auto& r : regions) {
    shares.push_back(r.users * local_demand_factor(curve, r, utc_epoch_s));
    sum += shares.back();
  }
  for (double& s : shares) s = sum > 0 ? s / sum : 1.0 / static_cast<double>(shares.size());
  return shares;
}

}  // namespace outagesim::models
