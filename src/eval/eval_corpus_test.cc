// The metrics and the novelty index on the real corpus (label: corpus).
#include <gtest/gtest.h>

#include <cmath>

#include "abc/reader.h"
#include "base/testing.h"
#include "corpus/corpus.h"
#include "corpus/novelty_index.h"
#include "eval/features.h"
#include "eval/novelty.h"
#include "tokens/tokenizer.h"

namespace tunesmith::eval {
namespace {

const corpus::Corpus& Nottingham() {
  static const corpus::Corpus* c = [] {
    auto loaded = corpus::LoadCorpus({(testing::CorpusDir() / "nottingham-cleaned").string()});
    return loaded.ok() ? new corpus::Corpus(std::move(loaded).value()) : nullptr;
  }();
  return *c;
}

#define SKIP_WITHOUT_CORPUS() \
  if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage()

// A generated tune reaches eval as ABC text: tokens -> DecodeToAbc -> ReadAbc.
// Its bars must hash as the token stream did while the guard watched it.
TEST(EvalCorpusTest, BarHashesSurviveDecodingToAbcAndReadingBack) {
  SKIP_WITHOUT_CORPUS();
  int checked = 0;
  for (const corpus::CorpusTune& t : Nottingham().tunes) {
    const std::vector<std::string> tokens = t.Tokens(tokens::TokenizerKind::kAbcToken);
    const std::vector<corpus::BarHash> streamed = corpus::BarHashesOfTokens(tokens);
    auto abc = tokens::DecodeToAbc(tokens, tokens::TokenizerKind::kAbcToken);
    ASSERT_TRUE(abc.ok()) << t.tune.Describe() << ": " << abc.status().message();
    abc::ReadResult back = abc::ReadAbc(*abc, "decoded");
    ASSERT_EQ(back.tunes.size(), 1u) << *abc;
    auto reread = corpus::BarHashesOfTune(back.tunes[0]);
    ASSERT_TRUE(reread.ok()) << reread.status().message();
    EXPECT_EQ(*reread, streamed) << t.tune.Describe();
    // ... and the tune as read from the corpus hashes the same as well.
    EXPECT_EQ(corpus::BarHashesOfTune(t.tune).value(), streamed) << t.tune.Describe();
    ++checked;
  }
  EXPECT_GT(checked, 900);
}

TEST(EvalCorpusTest, EveryTrainingTuneFindsItselfWhole) {
  SKIP_WITHOUT_CORPUS();
  const corpus::NoveltyIndex built = corpus::BuildNoveltyIndex(Nottingham());
  auto index = corpus::NoveltyIndex::Deserialize(built.Serialize());
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->size(), Nottingham().stats.train);
  for (const corpus::CorpusTune& t : Nottingham().tunes) {
    if (t.split != corpus::Split::kTrain) continue;
    auto n = MeasureNovelty(*index, t.tune);
    ASSERT_TRUE(n.ok()) << n.status().message();
    EXPECT_EQ(n->longest_bar_run, n->bars) << t.tune.Describe();
    EXPECT_EQ(n->longest_note_run, n->notes) << t.tune.Describe();
    EXPECT_DOUBLE_EQ(n->window8_share, n->windows8 > 0 ? 1.0 : 0.0) << t.tune.Describe();
  }
}

TEST(EvalCorpusTest, FeaturesStayInTheirRanges) {
  SKIP_WITHOUT_CORPUS();
  int ends_on_tonic = 0, tunes = 0;
  for (const corpus::CorpusTune& t : Nottingham().tunes) {
    const TuneFeatures f = ComputeFeatures(t.tune);
    ASSERT_GT(f.notes, 0) << t.tune.Describe();
    double pch = 0;
    for (double v : f.pitch_class_histogram) pch += v;
    EXPECT_NEAR(pch, 1, 1e-9);
    EXPECT_GE(f.scale_consistency, 7.0 / 12.0 - 1e-12);
    EXPECT_LE(f.scale_consistency, 1);
    EXPECT_LE(f.pitch_class_entropy, std::log2(12.0) + 1e-12);
    EXPECT_GE(f.repeated_phrase_rate, 0);
    EXPECT_LE(f.repeated_phrase_rate, 1);
    ends_on_tonic += f.ends_on_tonic > 0;
    ++tunes;
  }
  // Folk tunes end on their tonic far more often than not.
  EXPECT_GT(ends_on_tonic, tunes * 6 / 10);
}

}  // namespace
}  // namespace tunesmith::eval
