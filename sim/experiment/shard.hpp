// Splitting a sweep into shards for job arrays (SLURM's --array,
// docs/clusters.md): shard I of N runs exactly the run ids with
// id % N == I, so N shards together run every id once, whatever N, and a
// shard's share does not depend on the machine or on timing. Each shard
// writes its journal into its own directory with shard.json beside it;
// `outagesim sweep-merge` checks that the shards make one whole sweep and
// writes the outputs (shard_merge.hpp).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace outagesim::experiment {

struct Shard {
  std::size_t index = 0;  ///< I, 0 <= I < N
  std::size_t count = 1;  ///< N
  bool operator==(const Shard&) const = default;

  /// Whether run `id` belongs to this shard: id % N == I.
  [[nodiscard]] bool holds(std::size_t id) const { return id % count == index; }
  /// "I/N".
  [[nodiscard]] std::string name() const;
};

/// Parses "I/N" (decimal, 0 <= I < N); none, with `error` set, otherwise.
std::optional<Shard> parse_shard(std::string_view text, std::string& error);

/// What shard.json records about a shard directory.
struct ShardInfo {
  Shard shard;
  std::string spec_file;  ///< absolute path of the spec the shard ran
  std::string spec_hash;
  std::string outagesim_version;
  std::size_t runs = 0;  ///< planned runs of the whole sweep
};

inline constexpr const char* shard_file = "shard.json";

/// Writes `dir`/shard.json (whole, then renamed); throws metrics::OutputError.
void write_shard_info(const std::filesystem::path& dir, const ShardInfo& info);
/// Reads `dir`/shard.json; throws ShardError naming the file when it is
/// missing or not one outagesim wrote.
ShardInfo read_shard_info(const std::filesystem::path& dir);

}  // namespace outagesim::experiment
