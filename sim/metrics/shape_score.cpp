#include "shape_score.hpp"

#include "display_format.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

using scenario::PointBound;
using scenario::PublishedPoint;
using scenario::PublishedSeries;
using scenario::ShapeFeature;

bool in_band(const PublishedPoint& p, double v) {
  switch (p.bound) {
    case PointBound::equal: return std::abs(v - p.value) <= p.value_tolerance + 1e-12;
    case PointBound::at_least: return v >= p.value - 1e-12;
    case PointBound::at_most: return v <= p.value + 1e-12;
  }
  return false;
}

std::string band_text(const PublishedPoint& p) {
  switch (p.bound) {
    case PointBound::equal: return fmt::format("{} ± {}", percent(p.value), percent(p.value_tolerance));
    case PointBound::at_least: return ">= " + percent(p.value);
    case PointBound::at_most: return "<= " + percent(p.value);
  }
  return "";
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// The indices of the samples a point is compared with: an instant's within
/// its time tolerance; an interval's inside it, less the time tolerance at
/// each edge (at most a quarter of the interval at each edge).
std::vector<std::size_t> window(const PublishedPoint& p, double start_epoch_s, const std::vector<double>& t_s) {
  double from = p.at_epoch_s - start_epoch_s, to = from;
  if (p.until_epoch_s) {
    to = *p.until_epoch_s - start_epoch_s;
    const double edge = std::min(p.time_tolerance_s, (to - from) / 4);
    from += edge;
    to -= edge;
  } else {
    from -= p.time_tolerance_s;
    to += p.time_tolerance_s;
  }
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < t_s.size(); ++k)
    if (t_s[k] >= from - 1e-9 && t_s[k] <= to + 1e-9) out.push_back(k);
  return out;
}

PointScore score_point(const PublishedSeries& s, const PublishedPoint& p, double start_epoch_s,
                       const std::vector<double>& t_s, const std::vector<double>& simulated) {
  PointScore out;
  const auto idx = window(p, start_epoch_s, t_s);
  out.samples = static_cast<int>(idx.size());
  if (idx.empty()) {
    out.simulated = "no samples (outside the run)";
    return out;
  }
  int within = 0;
  double low = 1e300, high = -1e300;
  for (std::size_t k : idx) {
    const double v = s.compared_value(simulated[k]);
    within += in_band(p, v) ? 1 : 0;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  out.share_within = static_cast<double>(within) / static_cast<double>(idx.size());
  if (p.until_epoch_s) {
    // An interval holds throughout: every sample in the band.
    out.pass = within == out.samples;
    out.simulated = low == high ? fmt::format("{} throughout", percent(low))
                                : fmt::format("{} to {}; {} of samples in the band", percent(low), percent(high),
                                              percent(out.share_within));
  } else {
    // An instant is matched by any sample within its time tolerance; shown:
    // the matching sample nearest its time, else the nearest sample.
    out.pass = within > 0;
    const double at = p.at_epoch_s - start_epoch_s;
    std::optional<std::size_t> shown;
    for (std::size_t k : idx) {
      const bool better_kind = !shown || (in_band(p, s.compared_value(simulated[k])) &&
                                          !in_band(p, s.compared_value(simulated[*shown])));
      const bool same_kind = shown && in_band(p, s.compared_value(simulated[k])) ==
                                          in_band(p, s.compared_value(simulated[*shown]));
      if (better_kind || (same_kind && std::abs(t_s[k] - at) < std::abs(t_s[*shown] - at))) shown = k;
    }
    out.simulated = fmt::format("{} at {}", percent(s.compared_value(simulated[*shown])),
                                utc_time_in_run(start_epoch_s, t_s[*shown]));
  }
  return out;
}

const PublishedPoint* marked(const PublishedSeries& s, ShapeFeature f) {
  for (const auto& p : s.points)
    if (p.feature == f) return &p;
  return nullptr;
}

FeatureScore time_feature(const std::string& name, const PublishedPoint& p, const std::optional<double>& sim_t,
                          double start_epoch_s, const std::string& none) {
  FeatureScore f{name,
                 fmt::format("{} ± {}", utc_time_in_run(start_epoch_s, p.at_epoch_s - start_epoch_s),
                             duration(p.time_tolerance_s)),
                 none, false, p.basis};
  if (sim_t) {
    const double diff = *sim_t - (p.at_epoch_s - start_epoch_s);
    f.simulated = fmt::format("{} ({})", utc_time_in_run(start_epoch_s, *sim_t), offset(diff));
    f.pass = std::abs(diff) <= p.time_tolerance_s + 1e-9;
  }
  return f;
}

}  // namespace

int SeriesScore::points_within() const {
  return static_cast<int>(std::count_if(points.begin(), points.end(), [](const auto& p) { return p.pass; }));
}
int SeriesScore::features_within() const {
  return static_cast<int>(std::count_if(features.begin(), features.end(), [](const auto& f) { return f.pass; }));
}

FailingEpisodes failing_episodes(const PublishedSeries& s, const std::vector<double>& t_s,
                                 const std::vector<double>& simulated) {
  FailingEpisodes e;
  bool was = false;
  for (std::size_t k = 0; k < t_s.size() && k < simulated.size(); ++k) {
    const bool is = s.failing(s.compared_value(simulated[k]));
    if (is && !was) e.onsets.push_back(t_s[k]);
    if (!is && was) e.recoveries.push_back(t_s[k]);
    was = is;
  }
  return e;
}

SeriesScore score_series(const PublishedSeries& s, double start_epoch_s, const std::vector<double>& t_s,
                         const std::vector<double>& simulated) {
  SeriesScore out;
  for (const auto& p : s.points) out.points.push_back(score_point(s, p, start_epoch_s, t_s, simulated));
  const FailingEpisodes e = failing_episodes(s, t_s, simulated);

  if (const PublishedPoint* p = marked(s, ShapeFeature::onset))
    out.features.push_back(time_feature("onset", *p, e.onsets.empty() ? std::nullopt : std::optional(e.onsets.front()),
                                        start_epoch_s, "never failing"));
  if (s.oscillations) {
    const auto& o = *s.oscillations;
    // Recoveries before the last onset: the alternations before the series settles.
    int recoveries = 0;
    if (!e.onsets.empty())
      recoveries = static_cast<int>(std::count_if(e.recoveries.begin(), e.recoveries.end(),
                                                  [&](double t) { return t < e.onsets.back(); }));
    FeatureScore count{"recoveries before settling",
                       o.recoveries ? std::to_string(*o.recoveries) : fmt::format(">= {}", *o.at_least),
                       std::to_string(recoveries), false, o.basis};
    count.pass = o.recoveries ? recoveries == *o.recoveries : recoveries >= *o.at_least;
    out.features.push_back(count);
    if (o.cycle_s) {
      // Every stretch between two changes of state while the series flaps
      // (from the first onset to the last) lasts a whole number of cycles.
      FeatureScore cycle{"oscillation period", fmt::format("whole {} cycles (± {})", duration(*o.cycle_s), duration(o.cycle_tolerance_s)),
                         "no flapping", false, o.basis};
      std::vector<double> changes;
      for (double t : e.onsets) changes.push_back(t);
      for (double t : e.recoveries)
        if (!e.onsets.empty() && t < e.onsets.back()) changes.push_back(t);
      std::sort(changes.begin(), changes.end());
      while (!changes.empty() && changes.back() > e.onsets.back()) changes.pop_back();
      if (changes.size() >= 2) {
        std::string stretches, off;
        for (std::size_t k = 1; k < changes.size(); ++k) {
          const double d = changes[k] - changes[k - 1];
          const double whole = std::max(1.0, std::round(d / *o.cycle_s));
          if (std::abs(d - whole * *o.cycle_s) > o.cycle_tolerance_s + 1e-9 && off.empty()) off = duration(d);
          stretches += (stretches.empty() ? "" : ", ") + duration(d);
        }
        cycle.pass = off.empty();
        cycle.simulated = fmt::format("stretches {}{}", stretches, off.empty() ? "" : "; " + off + " is not a whole cycle");
      }
      out.features.push_back(cycle);
    }
  }
  if (const PublishedPoint* p = marked(s, ShapeFeature::plateau)) {
    FeatureScore f{"plateau level", band_text(*p) + " (median)", "no samples", false, p->basis};
    std::vector<double> values;
    for (std::size_t k : window(*p, start_epoch_s, t_s)) values.push_back(s.compared_value(simulated[k]));
    if (!values.empty()) {
      const double m = median(values);
      f.simulated = percent(m);
      f.pass = in_band(*p, m);
    }
    out.features.push_back(f);
  }
  if (const PublishedPoint* p = marked(s, ShapeFeature::end)) {
    // The end of the tail: the first normal sample after the last failing one.
    std::optional<double> end;
    if (!e.onsets.empty() && !e.recoveries.empty() && e.recoveries.back() > e.onsets.back()) end = e.recoveries.back();
    out.features.push_back(time_feature("end", *p, end, start_epoch_s,
                                        e.onsets.empty() ? "never failing" : "still failing at the run's end"));
  }
  return out;
}

}  // namespace outagesim::metrics
