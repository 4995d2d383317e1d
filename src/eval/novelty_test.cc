#include "eval/novelty.h"

#include <gtest/gtest.h>

#include "abc/reader.h"
#include "abc/timeline.h"
#include "abc/transpose.h"

namespace tunesmith::eval {
namespace {

abc::Tune ReadOne(const std::string& text) {
  abc::ReadResult r = abc::ReadAbc(text, "test.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << text;
  return r.tunes.empty() ? abc::Tune{} : r.tunes.front();
}

corpus::IndexedTune Indexed(const abc::Tune& tune) {
  return {tune.Title(), corpus::BarHashesOfTune(tune).value(),
          corpus::NoteGramHashes(corpus::MelodyOf(abc::Timeline(tune)))};
}

const char* kJig =
    "X:1\nT:The Training Jig\nM:6/8\nL:1/8\nK:D\n"
    "A|dfa afd|B2c d3|gfe dcB|A3- A2f|gfg ^gag|a2g f2e|dcB AFA|d3 d2|]\n";
const char* kReel =
    "X:2\nT:The Training Reel\nM:4/4\nL:1/8\nK:G\n"
    "GABc dBGB|c2ec BGAF|GABc dBGB|AGFA G4|]\n";

corpus::NoveltyIndex TrainingIndex() {
  return corpus::NoveltyIndex({Indexed(ReadOne(kJig)), Indexed(ReadOne(kReel))}, "test/train");
}

TEST(NoveltyTest, ATransposedCopySharesEverything) {
  const corpus::NoveltyIndex index = TrainingIndex();
  auto copy = abc::TransposeTo(ReadOne(kJig), 4, 0);  // to G
  ASSERT_TRUE(copy.ok());
  auto n = MeasureNovelty(index, *copy);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->bars, 9);
  EXPECT_EQ(n->longest_bar_run, 9);
  EXPECT_EQ(n->bar_run_title, "The Training Jig");
  EXPECT_EQ(n->nearest_title, "The Training Jig");
  EXPECT_EQ(n->nearest_tune, 0);
  EXPECT_EQ(n->longest_note_run, n->notes);
  EXPECT_EQ(n->windows8, n->notes - 7);
  EXPECT_EQ(n->windows8_found, n->windows8);
  EXPECT_DOUBLE_EQ(n->window8_share, 1);
  EXPECT_DOUBLE_EQ(n->window16_share, 1);
}

TEST(NoveltyTest, TwoCopiedBarsInANewTune) {
  const corpus::NoveltyIndex index = TrainingIndex();
  // Bars 2-3 of the reel between two new bars, then moved to A.
  const abc::Tune in_g = ReadOne(
      "X:9\nT:New\nM:4/4\nL:1/8\nK:G\n"
      "B2dB g2dB|c2ec BGAF|GABc dBGB|e2ge d4|]\n");
  auto tune = abc::TransposeTo(in_g, 5, 0);
  ASSERT_TRUE(tune.ok());
  auto n = MeasureNovelty(index, *tune);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->bars, 4);
  EXPECT_EQ(n->longest_bar_run, 2);
  EXPECT_EQ(n->nearest_title, "The Training Reel");
  // Notes: B d B g d B | c e c B G A F | G A B c d B G B | e g e d = 6 + 7 + 8 + 4.
  EXPECT_EQ(n->notes, 25);
  // The 15 notes of the two bars, and the B before them: B->c and B's length
  // are as in the reel (..G B | c), the interval into that B is not in the run.
  EXPECT_EQ(n->longest_note_run, 16);
  EXPECT_EQ(n->note_run_title, "The Training Reel");
  // 25 - 7 = 18 windows of 8 notes; 16 - 7 = 9 of them inside the run. One of 16.
  EXPECT_EQ(n->windows8, 18);
  EXPECT_EQ(n->windows8_found, 9);
  EXPECT_EQ(n->windows16, 10);
  EXPECT_EQ(n->windows16_found, 1);
}

TEST(NoveltyTest, UnrelatedTuneSharesLittle) {
  const corpus::NoveltyIndex index = TrainingIndex();
  const abc::Tune tune = ReadOne("X:3\nT:Other\nM:3/4\nL:1/8\nK:F\nF2 A2 c2|f4 e2|d3 c B2|A6|]\n");
  auto n = MeasureNovelty(index, tune);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->longest_bar_run, 0);
  EXPECT_EQ(n->bar_run_title, "");
  EXPECT_EQ(n->windows8_found, 0);
  EXPECT_LT(n->longest_note_run, 8);
}

TEST(NoveltyTest, SummaryOfASet) {
  TuneNovelty a, b, c;
  a.longest_bar_run = 1;
  b.longest_bar_run = 3;
  c.longest_bar_run = 8;
  a.windows8 = 10;
  a.window8_share = 0.5;
  const NoveltySummary s = SummariseNovelty({a, b, c});
  EXPECT_EQ(s.longest_bar_run.count, 3u);
  EXPECT_DOUBLE_EQ(s.longest_bar_run.median, 3);
  EXPECT_DOUBLE_EQ(s.longest_bar_run.max, 8);
  EXPECT_EQ(s.window8_share.count, 1u);  // tunes without windows are left out
}

}  // namespace
}  // namespace tunesmith::eval
