// Shards: the rule that splits a sweep's run ids, and the checks that put
// shards back together (sim/experiment/shard.hpp, shard_merge.hpp).
#include "sim/experiment/shard.hpp"
#include "sim/experiment/shard_merge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace outagesim::experiment {
namespace {

using ::testing::HasSubstr;

TEST(Shard, ParsesIOverN) {
  std::string error;
  EXPECT_EQ(parse_shard("0/1", error), (Shard{0, 1}));
  EXPECT_EQ(parse_shard("3/4", error), (Shard{3, 4}));
  for (const char* bad : {"4/4", "1/0", "", "1", "/2", "1/", "-1/2", "1/2/3", "a/2", "1 /2", "0x1/2"}) {
    EXPECT_FALSE(parse_shard(bad, error)) << bad;
    EXPECT_THAT(error, HasSubstr(bad)) << bad;
  }
}

TEST(Shard, EveryIdBelongsToExactlyOneShardWhateverN) {
  for (std::size_t n = 1; n <= 7; ++n) {
    for (std::size_t id = 0; id < 50; ++id) {
      int owners = 0;
      for (std::size_t i = 0; i < n; ++i) owners += Shard{i, n}.holds(id) ? 1 : 0;
      EXPECT_EQ(owners, 1) << id << " over " << n;
      EXPECT_TRUE((Shard{id % n, n}.holds(id)));  // the documented rule
    }
  }
}

/// Shard `index` of `count` of a sweep of `runs` runs, with every run of its share finished.
ShardDirectory finished_shard(std::size_t index, std::size_t count, std::size_t runs, std::string hash = "aaaa") {
  ShardDirectory d{"dir" + std::to_string(index), {Shard{index, count}, "/spec.yaml", std::move(hash), "0.1.0", runs}, {}};
  for (std::size_t id = index; id < runs; id += count) d.records.push_back(RunRecord{id, RunStatus::ok, {0.5}, "", 1});
  return d;
}

TEST(ShardMerge, CompleteShardsGiveEveryRunOnceSortedById) {
  // Given in any order, with an id beyond the first shard's.
  const auto merged = merge_shards({finished_shard(2, 3, 10), finished_shard(0, 3, 10), finished_shard(1, 3, 10)});
  ASSERT_EQ(merged.size(), 10u);
  for (std::size_t id = 0; id < merged.size(); ++id) EXPECT_EQ(merged[id].id, id);
}

TEST(ShardMerge, RefusesShardsOfAnotherSpecOrVersionOrSplit) {
  EXPECT_THAT([] { merge_shards({finished_shard(0, 2, 6), finished_shard(1, 2, 6, "bbbb")}); },
              ::testing::ThrowsMessage<ShardError>(HasSubstr("come from different sweeps: spec hash aaaa")));
  auto other_version = finished_shard(1, 2, 6);
  other_version.info.outagesim_version = "0.2.0";
  EXPECT_THAT([&] { merge_shards({finished_shard(0, 2, 6), other_version}); },
              ::testing::ThrowsMessage<ShardError>(HasSubstr("outagesim version 0.1.0 in the first, 0.2.0")));
  EXPECT_THAT([] { merge_shards({finished_shard(0, 2, 6), finished_shard(1, 3, 6)}); },
              ::testing::ThrowsMessage<ShardError>(HasSubstr("the same N")));
}

TEST(ShardMerge, RefusesOverlapsGapsAndUnfinishedShards) {
  EXPECT_THAT([] { merge_shards({finished_shard(0, 2, 6), finished_shard(0, 2, 6)}); },
              ::testing::ThrowsMessage<ShardError>(HasSubstr("are both shard 0/2")));
  EXPECT_THAT([] { merge_shards({finished_shard(0, 3, 6), finished_shard(2, 3, 6)}); },
              ::testing::ThrowsMessage<ShardError>(HasSubstr("shard 1/3 is missing")));
  auto unfinished = finished_shard(1, 2, 6);
  unfinished.records.erase(unfinished.records.begin());  // run 1
  EXPECT_THAT([&] { merge_shards({finished_shard(0, 2, 6), unfinished}); },
              ::testing::ThrowsMessage<ShardError>(HasSubstr("dir1 (shard 1/2) lacks 1 of its runs (1)")));
  auto foreign = finished_shard(1, 2, 6);
  foreign.records.push_back(RunRecord{2, RunStatus::ok, {0.5}, "", 1});  // shard 0's
  EXPECT_THAT([&] { merge_shards({finished_shard(0, 2, 6), foreign}); },
              ::testing::ThrowsMessage<ShardError>(HasSubstr("holds run 2, which is not one of shard 1/2's runs")));
  EXPECT_THROW(merge_shards({}), ShardError);
}

}  // namespace
}  // namespace outagesim::experiment
