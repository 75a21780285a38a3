#include "outage_attribution.hpp"

#include "sim/world/availability.hpp"
#include "sim/world/client_reach.hpp"

#include <algorithm>
#include <limits>
#include <map>

namespace outagesim::metrics {

OutageAttribution::OutageAttribution(const world::World& world)
    : world_(world),
      causes_(world),
      class_of_(world.sites.size(), 0),
      open_slot_(world.sums_by_class ? world.site_classes.size() : world.sites.size(), -1) {
  // Needs are collected once per site class (sites with the same
  // dependencies); classes with the same needs share a split.
  std::map<std::vector<Need>, int> known;
  std::vector<Need> needs;
  std::vector<int> of_site_class(world.site_classes.size());
  for (std::size_t c = 0; c < world.site_classes.size(); ++c) {
    needs.clear();
    collect_needs(world.site_classes[c].dependencies, 1.0, /*users=*/true, needs);
    std::sort(needs.begin(), needs.end());
    auto [it, added] = known.try_emplace(needs, static_cast<int>(classes_.size()));
    if (added) classes_.push_back(needs);
    of_site_class[c] = it->second;
  }
  for (std::size_t s = 0; s < world.sites.size(); ++s)
    class_of_[s] = of_site_class[static_cast<std::size_t>(world.site_class[s])];
  needs_of_class_ = std::move(of_site_class);
  record_failing_.assign(2 * world.records.size(), {});
  record_stale_s_.assign(world.records.size(), 0.0);
  auto note_stale = [&](const std::vector<world::Dependency>& deps) {
    for (const auto& d : deps)
      if (d.through_record())
        record_stale_s_[static_cast<std::size_t>(d.record)] =
            std::max(record_stale_s_[static_cast<std::size_t>(d.record)], d.serve_stale_s);
  };
  for (const auto& site_class : world.site_classes) note_stale(site_class.dependencies);
  // Records that sites name themselves: their users' resolvers, per client region.
  users_resolve_.assign(world.records.size(), false);
  for (const auto& site_class : world.site_classes)
    for (const auto& d : site_class.dependencies)
      if (d.through_record()) users_resolve_[static_cast<std::size_t>(d.record)] = true;
  for (const auto& service : world.services) note_stale(service.dependencies);
  const std::size_t slots = world.faults.size() + 1;
  class_split_.assign(classes_.size(), std::vector<double>(slots, 0.0));
  split_sample_.assign(classes_.size(), 0);
  pending_total_.assign(slots, 0.0);
  failed_requests_.assign(slots, 0.0);
  peak_share_.assign(slots, 0.0);
  request_minutes_.assign(slots, 0.0);
  user_minutes_.assign(slots, 0.0);
  for (const auto& site : world.sites) knows_users_ = knows_users_ || site.users > 0;
  site_hit_.assign(world.faults.size(), std::vector<bool>(world.sites.size(), false));
  sites_hit_.assign(world.faults.size(), 0);
}

void OutageAttribution::collect_needs(const std::vector<world::Dependency>& dependencies, double weight, bool users,
                                      std::vector<Need>& needs) const {
  for (const auto& d : dependencies) {
    // A soft dependency never fails a request, so it causes no outage.
    if (d.rule == models::DependencyRule::soft) continue;
    const double w = weight * d.share;
    if (d.through_record()) {
      // Needs past the services: a record's users' view, then its one-population view.
      const int id = static_cast<int>(world_.services.size()) + d.record +
                     (users ? 0 : static_cast<int>(world_.records.size()));
      auto it = std::find_if(needs.begin(), needs.end(), [&](const Need& n) { return n.first == id; });
      if (it == needs.end()) needs.emplace_back(id, w);
      else it->second = std::max(it->second, w);
    }
    for (int service : d.services) {
      auto it = std::find_if(needs.begin(), needs.end(), [&](const Need& n) { return n.first == service; });
      if (it == needs.end()) {
        needs.emplace_back(service, w);
      } else {
        it->second = std::max(it->second, w);  // reached by several paths: it fails a request at most once
      }
      collect_needs(world_.services[static_cast<std::size_t>(service)].dependencies, w, /*users=*/false, needs);
    }
  }
}

const std::vector<double>& OutageAttribution::split_of(std::size_t site,
                                                       const std::vector<std::vector<CausePart>>& services) {
  return split_of_needs(static_cast<std::size_t>(class_of_[site]), services);
}

const std::vector<double>& OutageAttribution::split_of_needs(std::size_t c,
                                                             const std::vector<std::vector<CausePart>>& services) {
  std::vector<double>& split = class_split_[c];
  if (split_sample_[c] == sample_) return split;
  split_sample_[c] = sample_;
  std::fill(split.begin(), split.end(), 0.0);
  double sum = 0;
  const auto first_record = static_cast<int>(world_.services.size());
  for (const auto& [service, weight] : classes_[c]) {
    if (service >= first_record) {
      const auto r = static_cast<std::size_t>(service - first_record);
      for (const auto& [slot, failing] : record_failing_[r]) {
        split[static_cast<std::size_t>(slot)] += weight * failing;
        sum += weight * failing;
      }
      continue;
    }
    for (const auto& part : services[static_cast<std::size_t>(service)]) {
      const double w = weight * part.share;
      split[static_cast<std::size_t>(part.fault + 1)] += w;
      sum += w;
    }
  }
  if (sum <= 0) {
    split[0] = 1;
  } else {
    for (double& s : split) s /= sum;
  }
  return split;
}

void OutageAttribution::record_failures(const world::WorldState& state) {
  const std::vector<double> shares = world::request_shares(world_, state.now_s);
  const std::size_t records = world_.records.size();
  for (std::size_t r = 0; r < records; ++r) {
    const int record_slot = state.records[r].cause_fault + 1;
    const int record = static_cast<int>(r);
    // Services, and users without client regions: one population.
    const int authority = world_.records[r].authority;
    // Unresolved clients are those of the outage going on now, the last one:
    // charged to what keeps it going, else to the record's cause.
    // Under query load, with no outage going on, they are the resolvers the
    // loaded authority left unrefreshed: charged to what presses on it.
    auto slot_of_outage = [&](const std::vector<models::Unreachable>& outages, double unresolved) {
      if (authority < 0 || unresolved <= 0) return record_slot;
      const auto& partly = state.partly_answered[static_cast<std::size_t>(authority)];
      const bool outage_going_on = !outages.empty() && outages.back().to_s == std::numeric_limits<double>::infinity();
      if (!outage_going_on && !partly.empty() && partly.back().cause >= 0) return partly.back().cause + 1;
      if (outages.empty() || outages.back().cause < 0) return record_slot;
      return outages.back().cause + 1;
    };
    auto& one = record_failing_[records + r];
    one.clear();
    const auto held = world::record_answers_in(world_, state, record, world_.records[r].ttl_s, record_stale_s_[r], -1);
    static const std::vector<models::Unreachable> never;
    const auto& for_all = authority >= 0 ? state.unreachable[static_cast<std::size_t>(authority)] : never;
    one.emplace_back(record_slot, held.share_of(-1));
    one.emplace_back(slot_of_outage(for_all, held.unresolved), held.unresolved);
    auto& failing = record_failing_[r];
    if (world_.client_regions.empty() || !users_resolve_[r]) {
      failing = one;
      continue;
    }
    failing.clear();
    for (std::size_t c = 0; c < shares.size(); ++c) {
      const auto in_region = world::record_answers_in(world_, state, record, world_.records[r].ttl_s,
                                                      record_stale_s_[r], static_cast<int>(c));
      failing.emplace_back(record_slot, shares[c] * in_region.share_of(-1));
      const auto& cut_off = authority >= 0 ? state.unreachable_from[c][static_cast<std::size_t>(authority)] : never;
      failing.emplace_back(slot_of_outage(cut_off, in_region.unresolved), shares[c] * in_region.unresolved);
    }
  }
}

void OutageAttribution::weigh_last_sample(double dt_s) {
  for (auto& outage : open_) {
    if (!outage.in_use) continue;
    for (std::size_t slot = 0; slot < outage.pending.size(); ++slot) {
      outage.requests[slot] += outage.pending_rps * outage.pending[slot] * dt_s;
      outage.unweighted[slot] += outage.pending[slot];
    }
  }
  for (std::size_t slot = 0; slot < pending_total_.size(); ++slot)
    failed_requests_[slot] += pending_total_[slot] * dt_s;
}

OutageAttribution::OpenOutage& OutageAttribution::open(std::size_t site, double t_s) {
  int& slot = open_slot_[site];
  if (slot >= 0) return open_[static_cast<std::size_t>(slot)];
  if (free_slots_.empty()) {
    slot = static_cast<int>(open_.size());
    open_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  OpenOutage& outage = open_[static_cast<std::size_t>(slot)];
  const std::size_t slots = pending_total_.size();
  outage.site = site;
  outage.in_use = true;
  outage.start_s = t_s;
  outage.pending_rps = 0;
  outage.pending.assign(slots, 0.0);
  outage.requests.assign(slots, 0.0);
  outage.unweighted.assign(slots, 0.0);
  ++open_count_;
  return outage;
}

void OutageAttribution::on_sample(double t_s, const world::Availability& availability, const world::WorldState& state) {
  if (last_t_) weigh_last_sample(t_s - *last_t_);
  last_t_ = t_s;
  ++sample_;
  std::fill(pending_total_.begin(), pending_total_.end(), 0.0);
  if (open_count_ == 0 && availability.sites_down == 0 && availability.failed_rps <= 0) return;  // nothing to attribute
  const auto& services = causes_.evaluate(state);
  record_failures(state);
  const double demand = world::demand_factor(world_, state.now_s);
  if (world_.sums_by_class) sample_classes(t_s, availability, services, demand);
  else sample_sites(t_s, availability, services, demand);
  if (availability.offered_rps > 0)
    for (std::size_t slot = 0; slot < pending_total_.size(); ++slot)
      peak_share_[slot] = std::max(peak_share_[slot], pending_total_[slot] / availability.offered_rps);
}

void OutageAttribution::sample_sites(double t_s, const world::Availability& availability,
                                     const std::vector<std::vector<CausePart>>& services, double demand) {
  for (std::size_t s = 0; s < world_.sites.size(); ++s) {
    const double failed_rps = world_.sites[s].rps * demand * (1 - availability.site[s]);
    const bool down = availability.site[s] < world_.site_down_below;
    if (!down && open_slot_[s] >= 0) close(open_[static_cast<std::size_t>(open_slot_[s])], t_s, t_s);
    if (!down && failed_rps <= 0) continue;
    const std::vector<double>& split = split_of(s, services);
    for (std::size_t slot = 0; slot < split.size(); ++slot) pending_total_[slot] += failed_rps * split[slot];
    if (!down) continue;
    OpenOutage& outage = open(s, t_s);
    outage.pending_rps = failed_rps;
    outage.pending = split;
  }
}

void OutageAttribution::sample_classes(double t_s, const world::Availability& availability,
                                       const std::vector<std::vector<CausePart>>& services, double demand) {
  for (std::size_t c = 0; c < world_.site_classes.size(); ++c) {
    // Per request per second of the class's sites.
    const double failed_share = demand * (1 - availability.site_class[c]);
    const bool down = availability.site_class[c] < world_.site_down_below;
    if (!down && open_slot_[c] >= 0) close(open_[static_cast<std::size_t>(open_slot_[c])], t_s, t_s);
    if (!down && failed_share <= 0) continue;
    const std::vector<double>& split = split_of_needs(static_cast<std::size_t>(needs_of_class_[c]), services);
    const double failed_rps = world_.site_classes[c].rps * failed_share;
    for (std::size_t slot = 0; slot < split.size(); ++slot) pending_total_[slot] += failed_rps * split[slot];
    if (!down) continue;
    OpenOutage& outage = open(c, t_s);
    outage.pending_rps = failed_share;
    outage.pending = split;
  }
}

void OutageAttribution::close(OpenOutage& outage, std::optional<double> end_s, double until_s) {
  double total = 0;
  for (double r : outage.requests) total += r;
  const std::vector<double>& by = total > 0 ? outage.requests : outage.unweighted;
  const std::size_t index = outage.site;
  if (world_.sums_by_class) {
    // Every member was down for the same samples: its requests are its rate times the class's.
    for (int site : world_.site_classes[index].sites) {
      const auto s = static_cast<std::size_t>(site);
      add_interval(s, outage.start_s, end_s, until_s, world_.sites[s].rps * total, by);
    }
  } else {
    add_interval(index, outage.start_s, end_s, until_s, total, by);
  }
  free_slots_.push_back(open_slot_[index]);
  open_slot_[index] = -1;
  outage.in_use = false;
  --open_count_;
}

void OutageAttribution::add_interval(std::size_t site, double start_s, std::optional<double> end_s, double until_s,
                                     double failed_requests, const std::vector<double>& by) {
  OutageInterval interval{world_.sites[site].name, start_s, end_s, failed_requests, {}};
  double sum = 0;
  for (double v : by) sum += v;
  const double minutes = (until_s - start_s) / 60.0;
  // Faults in declaration order, "no recorded cause" (slot 0) last.
  for (std::size_t k = 1; k <= by.size(); ++k) {
    const std::size_t slot = k % by.size();
    if (by[slot] <= 0 || sum <= 0) continue;
    const double share = by[slot] / sum;
    interval.shares.push_back({slot == 0 ? std::string() : world_.faults[slot - 1].id, share});
    request_minutes_[slot] += world_.sites[site].rps * minutes * share;
    user_minutes_[slot] += world_.sites[site].users * minutes * share;
    if (slot > 0 && !site_hit_[slot - 1][site]) {
      site_hit_[slot - 1][site] = true;
      ++sites_hit_[slot - 1];
    }
  }
  closed_.emplace_back(site, std::move(interval));
}

void OutageAttribution::finish(double end_s, RunResult& result) {
  if (last_t_) weigh_last_sample(std::max(0.0, end_s - *last_t_));
  for (std::size_t index = 0; index < open_slot_.size(); ++index)
    if (open_slot_[index] >= 0) close(open_[static_cast<std::size_t>(open_slot_[index])], std::nullopt, end_s);
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
    if (knows_users_) fault.user_minutes_lost = user_minutes_[f + 1];
  }
  result.failed_requests_unattributed = failed_requests_[0];
}

}  // namespace outagesim::metrics
