// Which faults caused each site's outage, and how far each fault reached.
// A site is in an outage interval while its sampled availability is below
// site_down_below. At every sample its failed requests are split over the
// faults behind the services it needs (FailureCauses), and an interval's
// shares are its failed requests so split, summed. The rule is in
// docs/outputs.md (attribution.csv).
#pragma once

#include "failure_causes.hpp"
#include "run_result.hpp"
#include "sim/world/availability.hpp"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace outagesim::metrics {

class OutageAttribution {
 public:
  explicit OutageAttribution(const world::World& world);

  /// Call at every sample with the availability the collector evaluated from `state`.
  void on_sample(double t_s, const world::Availability& availability, const world::WorldState& state);

  /// Weighs the last sample up to `end_s`, then fills the outage intervals,
  /// the faults' blast radius and the unattributed failed requests of `result`.
  void finish(double end_s, RunResult& result);

 private:
  /// A service a site needs (or, from services.size() on, a DNS record it
  /// resolves through a cache), and the share of the site's requests that need it.
  using Need = std::pair<int, double>;
  /// Accumulators are indexed by fault + 1: slot 0 holds "no recorded cause".
  /// With World::sums_by_class, an outage is a site class's (its members
  /// are down together) and its rates are per request per second of the
  /// class's sites: each member's interval is its rate times the class's.
  struct OpenOutage {
    std::size_t site = 0;  ///< a site, or with World::sums_by_class a site class
    bool in_use = false;
    double start_s = 0;
    double pending_rps = 0;          ///< failed rps at the last sample
    std::vector<double> pending;     ///< shares by cause at the last sample
    std::vector<double> requests;    ///< failed requests by cause so far
    std::vector<double> unweighted;  ///< shares by cause, summed over samples (for intervals without failed requests)
  };

  /// `users`: the list is a site class's, whose records its users resolve
  /// through their client regions; a service's resolves as one population.
  void collect_needs(const std::vector<world::Dependency>& dependencies, double weight, bool users,
                     std::vector<Need>& needs) const;
  /// A site's failure split over causes: shares by slot, summing to 1; one
  /// computation per sample for all sites that need the same services.
  const std::vector<double>& split_of(std::size_t site, const std::vector<std::vector<CausePart>>& services);
  /// The same for a set of needs (classes_), whoever holds it.
  const std::vector<double>& split_of_needs(std::size_t needs, const std::vector<std::vector<CausePart>>& services);
  /// on_sample's work site by site, or (World::sums_by_class) class by class.
  void sample_sites(double t_s, const world::Availability& availability,
                    const std::vector<std::vector<CausePart>>& services, double demand);
  void sample_classes(double t_s, const world::Availability& availability,
                      const std::vector<std::vector<CausePart>>& services, double demand);
  /// One finished interval of `site`, with its causes' shares `by` (summing to `sum`).
  void add_interval(std::size_t site, double start_s, std::optional<double> end_s, double until_s,
                    double failed_requests, const std::vector<double>& by);
  void weigh_last_sample(double dt_s);
  OpenOutage& open(std::size_t site, double t_s);
  void close(OpenOutage& outage, std::optional<double> end_s, double until_s);

  /// Per record, at this sample: the share of its clients' cached answers
  /// that resolve to nothing (empty, or expired with the authority down),
  /// charged to the record's latest dns_record_change, else unattributed;
  /// with client regions, a region's answers that expired while a partition
  /// cut it off from the authority are charged to that partition.
  void record_failures(const world::WorldState& state);

  const world::World& world_;
  FailureCauses causes_;
  /// Per record, this sample: (slot of a cause, share of its clients failing for it).
  /// Record r's users' view is at r, its one-population view (services
  /// resolving where they run) at records + r.
  std::vector<std::vector<std::pair<int, double>>> record_failing_;
  std::vector<double> record_stale_s_;   ///< per record: the longest serve_stale of the dependencies on it
  std::vector<bool> users_resolve_;      ///< per record: a site depends on it directly (resolved per client region)
  std::vector<std::vector<Need>> classes_;  ///< distinct sets of needs
  std::vector<int> class_of_;               ///< per site
  std::vector<int> needs_of_class_;         ///< per site class
  std::vector<std::vector<double>> class_split_;  ///< per class, valid when split_sample_ matches
  std::vector<std::uint64_t> split_sample_;
  std::uint64_t sample_ = 0;
  std::vector<int> open_slot_;        ///< per site (per site class with World::sums_by_class): its open outage in open_, or -1
  std::vector<OpenOutage> open_;      ///< slots, reused once closed
  std::vector<int> free_slots_;
  std::size_t open_count_ = 0;
  std::vector<double> pending_total_;  ///< failed rps by slot at the last sample, all sites
  std::optional<double> last_t_;

  std::vector<double> failed_requests_;  ///< by slot
  std::vector<double> peak_share_;       ///< by slot
  std::vector<double> request_minutes_;  ///< by slot
  std::vector<double> user_minutes_;     ///< by slot
  bool knows_users_ = false;             ///< some site gives its users
  std::vector<std::vector<bool>> site_hit_;  ///< by fault, per site
  std::vector<int> sites_hit_;               ///< by fault
  std::vector<std::pair<std::size_t, OutageInterval>> closed_;  ///< (site index, interval)
};

}  // namespace outagesim::metrics
