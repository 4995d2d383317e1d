// The metrics and the novelty index on the real corpus (label: corpus).
#include <gtest/gtest.h>

#include <cmath>

#include "abc/reader.h"
#include "base/testing.h"
#include "corpus/corpus.h"
#include "corpus/novelty_index.h"
#include "eval/features.h"
#include "eval/novelty.h"
#include "eval/set_judgement.h"
#include "eval/structure_summary.h"
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

double FigureValue(const std::vector<StructureFigure>& figures, const std::string& key) {
  for (const StructureFigure& f : figures)
    if (f.key == key && f.value) return *f.value;
  ADD_FAILURE() << key << " not measured";
  return 0;
}

// What the issue says real tunes do; the bounds are loose, the order strict.
TEST(EvalCorpusTest, RealTunesHaveTheStructureOfComposedMusic) {
  SKIP_WITHOUT_CORPUS();
  std::vector<TuneStructure> tunes;
  for (const corpus::CorpusTune& t : Nottingham().tunes) {
    const TuneStructure s = ComputeStructure(t.tune);
    EXPECT_GE(s.parts, 1) << t.tune.Describe();
    EXPECT_LE(s.strong_chord_tones, s.strong_beats);
    tunes.push_back(s);
  }
  const std::vector<StructureFigure> f = SummariseStructure(tunes);
  // A 2-bar idea comes back 4 bars later far more often than in the next bar.
  EXPECT_GT(FigureValue(f, "bar_repeat_exact_4"), 0.1);
  EXPECT_GT(FigureValue(f, "bar_repeat_exact_4"), 3 * FigureValue(f, "bar_repeat_exact_1"));
  EXPECT_GE(FigureValue(f, "bar_repeat_similar_4"), FigureValue(f, "bar_repeat_exact_4"));
  EXPECT_GT(FigureValue(f, "duplicated_bars"), 0.3);
  EXPECT_GT(FigureValue(f, "phrase_similarity"), 0.3);
  EXPECT_GT(FigureValue(f, "first_part_ends_on_tonic"), 0.6);
  EXPECT_GT(FigureValue(f, "register_rise"), 0);
  EXPECT_GT(FigureValue(f, "key_in_dgae"), 0.8);
  EXPECT_LT(FigureValue(f, "above_b5"), 0.1);
  EXPECT_GT(FigureValue(f, "jig_tunes_classic"), 0.6);
  EXPECT_GT(FigureValue(f, "strong_beat_chord_tones"), 0.8);
  EXPECT_GT(FigureValue(f, "final_note_in_final_chord"), 0.9);
  EXPECT_GT(FigureValue(f, "rhythm_meter_agree"), 0.8);
}

// Two real splits look alike to the classifier; real tunes against the
// same tunes an octave higher do not.
TEST(EvalCorpusTest, ClassifierTellsOnlyWhatDiffers) {
  SKIP_WITHOUT_CORPUS();
  std::vector<const abc::Tune*> test, valid;
  std::vector<abc::Tune> octave_up;
  for (const corpus::CorpusTune& t : Nottingham().tunes) {
    if (t.split == corpus::Split::kTest) test.push_back(&t.tune);
    if (t.split == corpus::Split::kValid) valid.push_back(&t.tune);
    if (t.split == corpus::Split::kTest) {
      abc::Tune up = t.tune;
      for (abc::Element& e : up.body)
        for (abc::Pitch& p : e.pitches) ++p.octave;
      octave_up.push_back(std::move(up));
    }
  }
  const SetJudgement same = JudgeSets(valid, test);
  ASSERT_TRUE(same.generated_vs_real.has_value()) << same.generated_vs_real_error;
  EXPECT_LT(same.generated_vs_real->auc, 0.7);
  ASSERT_TRUE(same.real_vs_real.has_value()) << same.real_vs_real_error;
  EXPECT_LT(same.real_vs_real->auc, 0.7);

  std::vector<const abc::Tune*> up;
  for (const abc::Tune& t : octave_up) up.push_back(&t);
  const SetJudgement moved = JudgeSets(up, test);
  ASSERT_TRUE(moved.generated_vs_real.has_value()) << moved.generated_vs_real_error;
  EXPECT_GT(moved.generated_vs_real->auc, 0.95);
}

}  // namespace
}  // namespace tunesmith::eval
