// `outagesim sweep-merge SHARD_DIR... --out DIR`: the shards of one sweep
// (shard.hpp) put back together. Every shard must come from the same spec
// (hash), the same outagesim version and the same split into N; every shard
// 0..N-1 must be given once, and each must hold every run of its share, so
// that the merged records are exactly the sweep's, one per run id, as a
// local run would have them. Anything else is refused, saying what is wrong
// and how to fix it.
#pragma once

#include "run_record.hpp"
#include "shard.hpp"

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace outagesim::experiment {

/// Shards that do not make one whole sweep: bad input, exit code 2.
class ShardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ShardDirectory {
  std::filesystem::path dir;
  ShardInfo info;
  std::vector<RunRecord> records;  ///< from its journal, in file order
};

/// Reads `dir`/shard.json and `dir`/journal.jsonl; throws ShardError when
/// either is missing, damaged, or the journal belongs to another sweep.
ShardDirectory read_shard_directory(const std::filesystem::path& dir);

/// Every run's record, sorted by id, one per run of the sweep; throws
/// ShardError naming the directories concerned when the shards come from
/// different sweeps or versions, overlap, or leave runs out.
std::vector<RunRecord> merge_shards(const std::vector<ShardDirectory>& shards);

}  // namespace outagesim::experiment
