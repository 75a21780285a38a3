// Integrates the clients' state over their refresh phases. A client is named
// by its last scheduled refresh r in (t - ttl, t]; what it holds at t is a
// piecewise-constant function of r whose breaks are the history's changes,
// the outages' ends and t - serve_stale, each shifted by whole TTLs. Summing
// the constant pieces gives the shares exactly.
#include "dns_cache.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace outagesim::models {
namespace {

int answer_at(std::span<const AnswerSpan> history, double t) {
  auto after = std::upper_bound(history.begin(), history.end(), t,
                                [](double time, const AnswerSpan& span) { return time < span.from_s; });
  return after == history.begin() ? history.front().answer : std::prev(after)->answer;
}

const Unreachable* outage_at(std::span<const Unreachable> unreachable, double t) {
  for (const auto& u : unreachable)
    if (u.from_s <= t && t < u.to_s) return &u;
  return nullptr;
}

struct Held {
  int answer = -1;
  bool resolved = true;
};

/// What the client whose last scheduled refresh is `r` holds at `t`.
Held held(std::span<const AnswerSpan> history, std::span<const Unreachable> unreachable, double ttl, double stale,
          double r, double t) {
  const Unreachable* outage = outage_at(unreachable, r);
  if (outage == nullptr) return {answer_at(history, r), true};
  if (outage->to_s <= t) return {answer_at(history, outage->to_s), true};  // refreshed when it ended
  // Still unreachable: the answer expired at the first refresh due inside the
  // outage and has been served stale since.
  const double expired = outage->from_s + std::fmod(r - outage->from_s, ttl);
  if (t - expired > stale) return {-1, false};
  const double fetched = expired - ttl;
  const Unreachable* earlier = outage_at(unreachable, fetched);
  return {answer_at(history, earlier == nullptr ? fetched : earlier->to_s), true};
}

}  // namespace

double CachedAnswers::share_of(int answer) const {
  for (const auto& [a, share] : shares)
    if (a == answer) return share;
  return 0;
}

double previous_answer_share(double since_change_s, double ttl_s) {
  return std::clamp(1.0 - since_change_s / ttl_s, 0.0, 1.0);
}

double unresolved_share(double since_outage_s, double ttl_s, double serve_stale_s) {
  return std::clamp((since_outage_s - serve_stale_s) / ttl_s, 0.0, 1.0);
}

double refresh_query_rps(double resolvers, double ttl_s, double requests_rps) {
  return std::min(resolvers / ttl_s, requests_rps);
}

CachedAnswers cached_answers(std::span<const AnswerSpan> history, std::span<const Unreachable> unreachable,
                             double ttl_s, double serve_stale_s, double t_s) {
  const double lo = t_s - ttl_s;
  std::vector<double> breaks{lo, t_s};
  auto add_shifted = [&](double p) {
    if (!std::isfinite(p)) return;
    // Every p + k * ttl inside (lo, t).
    for (double k = std::ceil((lo - p) / ttl_s); p + k * ttl_s < t_s; k += 1)
      if (p + k * ttl_s > lo) breaks.push_back(p + k * ttl_s);
  };
  for (const auto& span : history) add_shifted(span.from_s);
  for (const auto& u : unreachable) {
    if (u.from_s > t_s) break;
    add_shifted(u.from_s);
    add_shifted(u.to_s);
  }
  add_shifted(t_s - serve_stale_s);
  std::sort(breaks.begin(), breaks.end());

  CachedAnswers out;
  for (std::size_t i = 0; i + 1 < breaks.size(); ++i) {
    const double width = breaks[i + 1] - breaks[i];
    if (width <= 0) continue;
    const Held h = held(history, unreachable, ttl_s, serve_stale_s, breaks[i] + width / 2, t_s);
    const double share = width / ttl_s;
    if (!h.resolved) {
      out.unresolved += share;
      continue;
    }
    auto it = std::find_if(out.shares.begin(), out.shares.end(), [&](const auto& s) { return s.first == h.answer; });
    if (it == out.shares.end()) out.shares.emplace_back(h.answer, share);
    else it->second += share;
  }
  return out;
}

namespace {

/// The outages of a resolver that misses every `partly` span answering at
/// most `at_most`: those spans joined to `unreachable`, overlapping or
/// touching ones merged (a resolver refreshes only when its outage ends).
std::vector<Unreachable> outages_missing(std::span<const Unreachable> unreachable,
                                         std::span<const PartlyAnswered> partly, double at_most) {
  std::vector<Unreachable> all(unreachable.begin(), unreachable.end());
  for (const auto& p : partly)
    if (p.answered <= at_most) all.push_back({p.from_s, p.to_s, p.cause});
  std::stable_sort(all.begin(), all.end(), [](const Unreachable& a, const Unreachable& b) { return a.from_s < b.from_s; });
  std::vector<Unreachable> merged;
  for (const auto& u : all) {
    if (!merged.empty() && u.from_s <= merged.back().to_s) merged.back().to_s = std::max(merged.back().to_s, u.to_s);
    else merged.push_back(u);
  }
  return merged;
}

}  // namespace

CachedAnswers cached_answers(std::span<const AnswerSpan> history, std::span<const Unreachable> unreachable,
                             std::span<const PartlyAnswered> partly, double ttl_s, double serve_stale_s, double t_s) {
  std::vector<double> levels;
  for (const auto& p : partly)
    if (p.from_s <= t_s) levels.push_back(p.answered);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  // Resolvers u in (levels[j - 1], levels[j]] miss the spans answering at
  // most levels[j - 1]; those up to levels[0] miss none.
  std::vector<CachedAnswers> parts{cached_answers(history, unreachable, ttl_s, serve_stale_s, t_s)};
  std::vector<double> weights{levels.empty() ? 1.0 : levels.front()};
  for (std::size_t j = 0; j < levels.size(); ++j) {
    const double up_to = j + 1 < levels.size() ? levels[j + 1] : 1.0;
    const auto outages = outages_missing(unreachable, partly, levels[j]);
    parts.push_back(cached_answers(history, outages, ttl_s, serve_stale_s, t_s));
    weights.push_back(up_to - levels[j]);
  }
  if (parts.size() == 1) return parts.front();
  return mix(parts, weights);
}

CachedAnswers mix(std::span<const CachedAnswers> parts, std::span<const double> weights) {
  CachedAnswers out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out.unresolved += weights[i] * parts[i].unresolved;
    for (const auto& [answer, share] : parts[i].shares) {
      // Captured by name: clang 14 (the fuzz preset) cannot capture a structured binding.
      auto it = std::find_if(out.shares.begin(), out.shares.end(),
                             [&wanted = answer](const auto& s) { return s.first == wanted; });
      if (it == out.shares.end()) out.shares.emplace_back(answer, weights[i] * share);
      else it->second += weights[i] * share;
    }
  }
  return out;
}

}  // namespace outagesim::models
