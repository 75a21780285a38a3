// The scenario as plain values: what the YAML said, with units resolved to SI
// doubles and times to seconds from the run's start. No YAML node ever leaves
// the loader; later stages (world, engine, metrics) see only these structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace outagesim::scenario {

/// A geographic region hosting PoPs, cloud regions or client populations.
/// Well-known names (docs/scenario-reference.md) have built-in coordinates.
struct RegionSpec {
  std::string name;
  std::optional<double> latitude_deg;
  std::optional<double> longitude_deg;
  bool operator==(const RegionSpec&) const = default;
};

/// A share of a service's instances running one software generation
/// (Cloudflare's FL1 and FL2 proxies reacted differently to the same file).
struct VariantSpec {
  std::string name;
  double share = 1.0;  ///< fraction of the service's instances, [0, 1]
  bool operator==(const VariantSpec&) const = default;
};

struct InstanceCount {
  std::string region;
  int count = 0;
  bool operator==(const InstanceCount&) const = default;
};

struct ServiceSpec {
  std::string name;
  std::vector<InstanceCount> instances;  ///< per region, in declaration order
  double capacity_rps = 0;               ///< per instance
  double access_bandwidth_Bps = 1e9 / 8; ///< link from the backbone to each instance
  std::vector<VariantSpec> variants;     ///< empty: one implicit variant "default"
  bool operator==(const ServiceSpec&) const = default;
};

enum class Topology { broadcast };
enum class Rollout { global };

/// A config-distribution system: a publisher at `origin` sends each version
/// of a file of `size_bytes` to every instance of the `consumers` service.
struct ChannelSpec {
  std::string name;
  std::string consumers;  ///< service name inside the same provider
  std::string origin;     ///< region of the publisher
  double size_bytes = 0;
  double uplink_Bps = 10e9 / 8;
  double apply_delay_s = 0;
  Topology topology = Topology::broadcast;
  Rollout rollout = Rollout::global;
  bool operator==(const ChannelSpec&) const = default;
};

enum class ProviderKind { cdn, cloud, dns };

struct ProviderSpec {
  std::string name;
  ProviderKind kind = ProviderKind::cdn;
  std::vector<ServiceSpec> services;
  std::vector<ChannelSpec> channels;
  bool operator==(const ProviderSpec&) const = default;
};

enum class DependencyKind { hard, soft };

struct DependencySpec {
  std::string target;  ///< "provider.service"
  DependencyKind kind = DependencyKind::hard;
  bool operator==(const DependencySpec&) const = default;
};

struct SiteSpec {
  std::string name;
  double rps = 0;
  std::vector<DependencySpec> depends_on;
  bool operator==(const SiteSpec&) const = default;
};

/// How instances of one variant react to a bad config version.
struct VariantEffect {
  std::string variant;
  double error_rate = 0;  ///< share of requests failing on an instance running the version
  bool operator==(const VariantEffect&) const = default;
};

enum class FaultKind { bad_config_push };

struct FaultSpec {
  std::string id;
  FaultKind kind = FaultKind::bad_config_push;
  std::string channel;                   ///< "provider.channel"
  double at_s = 0;                       ///< seconds from start
  std::optional<double> size_bytes;      ///< overrides the channel's size for this version
  std::vector<VariantEffect> effects;    ///< variants not listed are unaffected
  bool operator==(const FaultSpec&) const = default;
};

enum class ActionKind { revert };

struct ActionSpec {
  double at_s = 0;
  ActionKind kind = ActionKind::revert;
  std::string channel;  ///< "provider.channel"
  bool operator==(const ActionSpec&) const = default;
};

struct OperatorSpec {
  std::string name;
  std::vector<ActionSpec> actions;  ///< scripted, at given times
  bool operator==(const OperatorSpec&) const = default;
};

struct OutputSpec {
  double resolution_s = 60;
  double site_down_below = 0.9;  ///< a site is down while its availability is below this
  bool operator==(const OutputSpec&) const = default;
};

struct Scenario {
  std::string name;
  std::string file;          ///< where it was loaded from
  double start_epoch_s = 0;  ///< UTC, seconds since the Unix epoch
  double duration_s = 0;
  std::uint64_t seed = 1;
  std::vector<RegionSpec> regions;
  std::vector<ProviderSpec> providers;
  std::vector<SiteSpec> sites;
  std::vector<FaultSpec> faults;
  std::vector<OperatorSpec> operators;
  OutputSpec output;
  std::string source_hash;   ///< FNV-1a 64 of the file bytes and the overrides, 16 hex digits
  bool operator==(const Scenario&) const = default;
};

}  // namespace outagesim::scenario
