#include "shard_merge.hpp"

#include "journal.hpp"
#include "sweep_runner.hpp"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace fs = std::filesystem;

namespace {

/// "3, 7, 11 and 4 more": the first few of a long list.
std::string some_ids(const std::vector<std::size_t>& ids) {
  constexpr std::size_t shown = 5;
  std::string text;
  for (std::size_t k = 0; k < ids.size() && k < shown; ++k) text += (k == 0 ? "" : ", ") + std::to_string(ids[k]);
  if (ids.size() > shown) text += fmt::format(" and {} more", ids.size() - shown);
  return text;
}

/// The first way in which `b` does not belong to the same sweep as `a`, if any.
std::optional<std::string> mismatch(const ShardDirectory& a, const ShardDirectory& b) {
  auto differ = [&](const char* what, const std::string& va, const std::string& vb) {
    return fmt::format("{} and {} come from different sweeps: {} {} in the first, {} in the second; merge only the "
                       "shards of one sweep",
                       a.dir.string(), b.dir.string(), what, va, vb);
  };
  if (a.info.spec_hash != b.info.spec_hash) return differ("spec hash", a.info.spec_hash, b.info.spec_hash);
  if (a.info.outagesim_version != b.info.outagesim_version)
    return differ("outagesim version", a.info.outagesim_version, b.info.outagesim_version);
  if (a.info.runs != b.info.runs) return differ("planned runs", std::to_string(a.info.runs), std::to_string(b.info.runs));
  if (a.info.shard.count != b.info.shard.count)
    return fmt::format("{} is shard {} and {} is shard {}: shards of one merge must split the sweep into the same N",
                       a.dir.string(), a.info.shard.name(), b.dir.string(), b.info.shard.name());
  return std::nullopt;
}

}  // namespace

ShardDirectory read_shard_directory(const fs::path& dir) {
  ShardDirectory shard{dir, read_shard_info(dir), {}};
  const fs::path path = dir / journal_file;
  std::ifstream in(path, std::ios::binary);
  if (!in) return shard;  // no run finished yet: merge_shards names what is missing
  std::stringstream text;
  text << in.rdbuf();
  try {
    JournalContents journal = parse_journal(text.str(), path.string());
    const JournalHeader expected{shard.info.spec_hash, shard.info.outagesim_version, shard.info.runs};
    if (journal.header && !(*journal.header == expected))
      throw ShardError(fmt::format("{}: the journal belongs to another sweep than its {} says (spec hash {}, {})",
                                   path.string(), shard_file, journal.header->spec_hash, shard.info.spec_hash));
    shard.records = std::move(journal.records);
  } catch (const JournalError& e) {
    throw ShardError(e.what());
  }
  return shard;
}

std::vector<RunRecord> merge_shards(const std::vector<ShardDirectory>& shards) {
  if (shards.empty()) throw ShardError("no shard directory given");
  const ShardDirectory& first = shards.front();
  for (const auto& shard : shards)
    if (auto problem = mismatch(first, shard)) throw ShardError(*problem);

  const std::size_t count = first.info.shard.count;
  std::map<std::size_t, const ShardDirectory*> by_index;
  for (const auto& shard : shards) {
    auto [at, inserted] = by_index.emplace(shard.info.shard.index, &shard);
    if (!inserted)
      throw ShardError(fmt::format("{} and {} are both shard {}: their runs overlap; give each shard once",
                                   at->second->dir.string(), shard.dir.string(), shard.info.shard.name()));
  }
  std::vector<std::size_t> absent;
  for (std::size_t index = 0; index < count; ++index)
    if (!by_index.contains(index)) absent.push_back(index);
  if (!absent.empty()) {
    std::string names;
    for (std::size_t index : absent) names += fmt::format("{}{}/{}", names.empty() ? "" : ", ", index, count);
    throw ShardError(fmt::format("shard{} {} {} missing: give every shard's directory (the runs of a shard I/N "
                                 "are the ids with id % N == I)",
                                 absent.size() > 1 ? "s" : "", names, absent.size() > 1 ? "are" : "is"));
  }

  std::vector<std::optional<RunRecord>> records(first.info.runs);
  for (const auto& shard : shards) {
    for (const auto& record : shard.records) {
      if (record.id >= records.size() || !shard.info.shard.holds(record.id))
        throw ShardError(fmt::format("{}: its journal holds run {}, which is not one of shard {}'s runs; the directory "
                                     "mixes sweeps",
                                     shard.dir.string(), record.id, shard.info.shard.name()));
      if (!records[record.id]) records[record.id] = record;
    }
    std::vector<std::size_t> missing;
    for (std::size_t id = shard.info.shard.index; id < records.size(); id += count)
      if (!records[id]) missing.push_back(id);
    if (!missing.empty())
      throw ShardError(fmt::format("{} (shard {}) lacks {} of its runs ({}): it has not finished; run its command "
                                   "again, which resumes it, then merge",
                                   shard.dir.string(), shard.info.shard.name(), missing.size(), some_ids(missing)));
  }
  std::vector<RunRecord> merged;
  merged.reserve(records.size());
  for (auto& record : records) merged.push_back(std::move(*record));
  return merged;
}

}  // namespace outagesim::experiment
