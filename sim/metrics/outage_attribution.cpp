#include "outage_attribution.hpp"

#include <algorithm>

namespace outagesim::metrics {

OutageAttribution::OutageAttribution(const world::World& world)
    : world_(world), causes_(world), needs_(world.sites.size()) {
  for (std::size_t s = 0; s < world.sites.size(); ++s) collect_needs(world.sites[s].dependencies, 1.0, needs_[s]);
  const std::size_t slots = world.faults.size() + 1;
  split_.assign(slots, 0.0);
  pending_total_.assign(slots, 0.0);
  failed_requests_.assign(slots, 0.0);
  peak_share_.assign(slots, 0.0);
  request_minutes_.assign(slots, 0.0);
  site_hit_.assign(world.faults.size(), std::vector<bool>(world.sites.size(), false));
  sites_hit_.assign(world.faults.size(), 0);
}

void OutageAttribution::collect_needs(const std::vector<world::Dependency>& dependencies, double weight,
                                      std::vector<Need>& needs) const {
  for (const auto& d : dependencies) {
    // A soft dependency never fails a request, so it causes no outage.
    if (d.rule == models::DependencyRule::soft) continue;
    const double w = weight * d.share;
    for (int service : d.services) {
      auto it = std::find_if(needs.begin(), needs.end(), [&](const Need& n) { return n.service == service; });
      if (it == needs.end()) {
        needs.push_back({service, w});
      } else {
        it->weight = std::max(it->weight, w);  // reached by several paths: it fails a request at most once
      }
      collect_needs(world_.services[static_cast<std::size_t>(service)].dependencies, w, needs);
    }
  }
}

void OutageAttribution::split_site(std::size_t site, const std::vector<std::vector<CausePart>>& services) {
  std::fill(split_.begin(), split_.end(), 0.0);
  double sum = 0;
  for (const auto& need : needs_[site]) {
    for (const auto& part : services[static_cast<std::size_t>(need.service)]) {
      const double w = need.weight * part.share;
      split_[static_cast<std::size_t>(part.fault + 1)] += w;
      sum += w;
    }
  }
  if (sum <= 0) {
    split_[0] = 1;
    return;
  }
  for (double& s : split_) s /= sum;
}

void OutageAttribution::weigh_last_sample(double dt_s) {
  for (auto& [site, outage] : open_) {
    for (std::size_t slot = 0; slot < outage.pending.size(); ++slot) {
      outage.requests[slot] += outage.pending_rps * outage.pending[slot] * dt_s;
      outage.unweighted[slot] += outage.pending[slot];
    }
  }
  for (std::size_t slot = 0; slot < pending_total_.size(); ++slot)
    failed_requests_[slot] += pending_total_[slot] * dt_s;
}

void OutageAttribution::on_sample(double t_s, const world::Availability& availability, const world::WorldState& state) {
  if (last_t_) weigh_last_sample(t_s - *last_t_);
  last_t_ = t_s;
  const auto& services = causes_.evaluate(state);
  std::fill(pending_total_.begin(), pending_total_.end(), 0.0);
  for (std::size_t s = 0; s < world_.sites.size(); ++s) {
    const double failed_rps = world_.sites[s].rps * (1 - availability.site[s]);
    const bool down = availability.site[s] < world_.site_down_below;
    if (!down) {
      if (!open_.empty()) {
        auto it = open_.find(s);
        if (it != open_.end()) {
          close(s, it->second, t_s, t_s);
          open_.erase(it);
        }
      }
      if (failed_rps <= 0) continue;
    }
    split_site(s, services);
    for (std::size_t slot = 0; slot < split_.size(); ++slot) pending_total_[slot] += failed_rps * split_[slot];
    if (!down) continue;
    auto [it, opened] = open_.try_emplace(s);
    OpenOutage& outage = it->second;
    if (opened) {
      outage.start_s = t_s;
      outage.pending.assign(split_.size(), 0.0);
      outage.requests.assign(split_.size(), 0.0);
      outage.unweighted.assign(split_.size(), 0.0);
    }
    outage.pending_rps = failed_rps;
    outage.pending = split_;
  }
  if (availability.offered_rps > 0)
    for (std::size_t slot = 0; slot < pending_total_.size(); ++slot)
      peak_share_[slot] = std::max(peak_share_[slot], pending_total_[slot] / availability.offered_rps);
}

void OutageAttribution::close(std::size_t site, const OpenOutage& outage, std::optional<double> end_s, double until_s) {
  OutageInterval interval{world_.sites[site].name, outage.start_s, end_s, 0, {}};
  double total = 0;
  for (double r : outage.requests) total += r;
  interval.failed_requests = total;
  const std::vector<double>& by = total > 0 ? outage.requests : outage.unweighted;
  double sum = 0;
  for (double v : by) sum += v;
  const double minutes = (until_s - outage.start_s) / 60.0;
  // Faults in declaration order, "no recorded cause" (slot 0) last.
  for (std::size_t k = 1; k <= by.size(); ++k) {
    const std::size_t slot = k % by.size();
    if (by[slot] <= 0 || sum <= 0) continue;
    const double share = by[slot] / sum;
    interval.shares.push_back({slot == 0 ? std::string() : world_.faults[slot - 1].id, share});
    request_minutes_[slot] += world_.sites[site].rps * minutes * share;
    if (slot > 0 && !site_hit_[slot - 1][site]) {
      site_hit_[slot - 1][site] = true;
      ++sites_hit_[slot - 1];
    }
  }
  closed_.emplace_back(site, std::move(interval));
}

void OutageAttribution::finish(double end_s, RunResult& result) {
  if (last_t_) weigh_last_sample(std::max(0.0, end_s - *last_t_));
  std::vector<std::size_t> still_down;
  for (const auto& entry : open_) still_down.push_back(entry.first);
  std::sort(still_down.begin(), still_down.end());
  for (std::size_t site : still_down) close(site, open_.at(site), std::nullopt, end_s);
  open_.clear();
  std::stable_sort(closed_.begin(), closed_.end(), [](const auto& a, const auto& b) {
    return a.second.start_s != b.second.start_s ? a.second.start_s < b.second.start_s : a.first < b.first;
  });
  result.outages.clear();
  for (auto& [site, interval] : closed_) result.outages.push_back(std::move(interval));
  closed_.clear();
  for (std::size_t f = 0; f < result.faults.size() && f < world_.faults.size(); ++f) {
    auto& fault = result.faults[f];
    fault.sites_affected = sites_hit_[f];
    fault.traffic_share_affected = peak_share_[f + 1];
    fault.failed_requests = failed_requests_[f + 1];
    fault.request_minutes_lost = request_minutes_[f + 1];
  }
  result.failed_requests_unattributed = failed_requests_[0];
}

}  // namespace outagesim::metrics
