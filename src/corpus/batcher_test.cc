#include "corpus/batcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace tunesmith::corpus {
namespace {

// 37 tunes of lengths 3..40, each <s>=1 ... </s>=2 with body tokens that name the tune.
std::vector<std::vector<int32_t>> ToyTunes() {
  std::vector<std::vector<int32_t>> tunes;
  for (int i = 0; i < 37; ++i) {
    std::vector<int32_t> t = {1};
    const int body = 1 + (i * 7) % 38;
    for (int j = 0; j < body; ++j) t.push_back(10 + i);
    t.push_back(2);
    tunes.push_back(t);
  }
  return tunes;
}

bool SameBatch(const Batch& a, const Batch& b) {
  return a.T == b.T && a.B == b.B && a.inputs == b.inputs && a.targets == b.targets && a.tokens == b.tokens &&
         a.continues == b.continues && a.tune_of_row == b.tune_of_row;
}

const BatcherOptions kModes[] = {
    {BatchMode::kTunes, 4, 64, 2, 5},
    {BatchMode::kStream, 3, 8, 16, 5},
};

TEST(Batcher, SameSeedSameBatchesOtherSeedOtherOrder) {
  const auto tunes = ToyTunes();
  for (const auto& options : kModes) {
    Batcher a(tunes, options), b(tunes, options);
    BatcherOptions other = options;
    other.seed = 6;
    Batcher c(tunes, other);
    int differing = 0;
    for (int i = 0; i < 3 * a.BatchesPerEpoch(); ++i) {
      const Batch x = a.Next(), y = b.Next(), z = c.Next();
      EXPECT_TRUE(SameBatch(x, y)) << BatchModeName(options.mode) << " batch " << i;
      differing += !SameBatch(x, z);
    }
    EXPECT_GT(differing, 0) << BatchModeName(options.mode);
  }
}

TEST(Batcher, EpochsDifferInOrder) {
  const auto tunes = ToyTunes();
  for (const auto& options : kModes) {
    Batcher a(tunes, options);
    std::vector<Batch> first, second;
    for (int i = 0; i < a.BatchesPerEpoch(); ++i) first.push_back(a.Next());
    for (int i = 0; i < a.BatchesPerEpoch(); ++i) second.push_back(a.Next());
    int same = 0;
    for (size_t i = 0; i < first.size(); ++i) same += SameBatch(first[i], second[i]);
    EXPECT_LT(same, static_cast<int>(first.size())) << BatchModeName(options.mode);
  }
}

TEST(Batcher, TunesModeGivesEveryTuneOnceWithNextTokenTargets) {
  const auto tunes = ToyTunes();
  Batcher batcher(tunes, kModes[0]);
  std::multiset<int32_t> seen;
  int64_t tokens = 0;
  for (int i = 0; i < batcher.BatchesPerEpoch(); ++i) {
    const Batch b = batcher.Next();
    tokens += b.tokens;
    for (int64_t j = 0; j < b.B; ++j) {
      const auto& tune = tunes[b.tune_of_row[j]];
      seen.insert(b.tune_of_row[j]);
      for (int64_t t = 0; t < b.T; ++t) {
        if (t + 1 < static_cast<int64_t>(tune.size())) {
          EXPECT_EQ(b.inputs[t * b.B + j], tune[t]);
          EXPECT_EQ(b.targets[t * b.B + j], tune[t + 1]);
        } else {
          EXPECT_EQ(b.inputs[t * b.B + j], 0);
          EXPECT_EQ(b.targets[t * b.B + j], -1);
        }
      }
    }
  }
  EXPECT_EQ(seen.size(), tunes.size());
  EXPECT_EQ(std::set<int32_t>(seen.begin(), seen.end()).size(), tunes.size());
  EXPECT_EQ(tokens, batcher.TokensPerEpoch());
  EXPECT_EQ(batcher.position().epoch, 1);
  EXPECT_EQ(batcher.position().batch, 0);
}

TEST(Batcher, StreamLanesContinueFromBatchToBatch) {
  const auto tunes = ToyTunes();
  Batcher batcher(tunes, kModes[1]);
  ASSERT_GT(batcher.BatchesPerEpoch(), 2);
  Batch prev = batcher.Next();
  EXPECT_FALSE(prev.continues);
  for (int i = 1; i < batcher.BatchesPerEpoch(); ++i) {
    const Batch b = batcher.Next();
    EXPECT_TRUE(b.continues);
    for (int64_t j = 0; j < b.B; ++j) {
      EXPECT_EQ(b.inputs[j], prev.targets[(prev.T - 1) * prev.B + j]) << "lane " << j;
      for (int64_t t = 0; t + 1 < b.T; ++t) EXPECT_EQ(b.inputs[(t + 1) * b.B + j], b.targets[t * b.B + j]);
    }
    prev = b;
  }
  EXPECT_FALSE(batcher.Next().continues);  // a new epoch starts fresh
}

TEST(Batcher, ResumesAtAnyPosition) {
  const auto tunes = ToyTunes();
  for (const auto& options : kModes) {
    Batcher run(tunes, options);
    const int64_t stop = run.BatchesPerEpoch() + 2;  // mid second epoch
    for (int64_t i = 0; i < stop; ++i) run.Next();
    const BatcherPosition at = run.position();
    EXPECT_EQ(at.epoch, 1);
    EXPECT_EQ(at.batch, 2);
    Batcher resumed(tunes, options);
    resumed.Seek(at);
    for (int i = 0; i < 2 * run.BatchesPerEpoch(); ++i) {
      EXPECT_TRUE(SameBatch(run.Next(), resumed.Next())) << BatchModeName(options.mode) << " batch " << i;
    }
  }
}

TEST(Batcher, EvaluationBatchesHoldEveryTuneOnceSortedByLength) {
  const auto tunes = ToyTunes();
  const auto batches = TuneBatches(tunes, 5);
  std::vector<int32_t> rows;
  int64_t previous_T = 0;
  for (const auto& b : batches) {
    EXPECT_LE(b.B, 5);
    EXPECT_GE(b.T, previous_T);
    previous_T = b.T;
    rows.insert(rows.end(), b.tune_of_row.begin(), b.tune_of_row.end());
  }
  std::sort(rows.begin(), rows.end());
  ASSERT_EQ(rows.size(), tunes.size());
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i], static_cast<int32_t>(i));
}

TEST(Batcher, RejectsBadOptions) {
  const auto tunes = ToyTunes();
  EXPECT_THROW(Batcher(tunes, BatcherOptions{BatchMode::kTunes, 0, 64, 16, 1}), std::invalid_argument);
  const std::vector<std::vector<int32_t>> few = {{1, 5, 2}};
  EXPECT_THROW(Batcher(few, BatcherOptions{BatchMode::kStream, 2, 64, 16, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace tunesmith::corpus
