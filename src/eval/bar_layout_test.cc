#include "eval/bar_layout.h"

#include <gtest/gtest.h>

#include "abc/reader.h"

namespace tunesmith::eval {
namespace {

using abc::Rational;

abc::Tune ReadBody(const std::string& meter, const std::string& body) {
  const std::string text = "X:1\nT:t\nM:" + meter + "\nL:1/8\nK:G\n" + body + "\n";
  abc::ReadResult r = abc::ReadAbc(text, "test.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << text;
  return r.tunes.empty() ? abc::Tune{} : r.tunes.front();
}

struct LayoutCase {
  const char* name;
  const char* body;
  std::vector<int> part_bars;        // bars per part, pickups left out
  std::vector<int> first_pass_bars;  // bars per part on the first pass
  int pickups;                       // bars marked pickup
};

TEST(BarLayoutTest, PartsAndPickups) {
  const LayoutCase cases[] = {
      {"two repeated parts", "|:GABc dBAG|GABc d4:|\n|:gfed cBAG|ABcd g4:|", {2, 2}, {2, 2}, 0},
      {"pickups and complements", "D|GABc dBAG|GABc d3:|\n|:d|gfed cBAG|ABcd g3:|", {2, 2}, {2, 2}, 2},
      {"a pickup before the first |: is no part", "D|:GABc dBAG|GABc d3:|", {2}, {2}, 1},
      {"first and second endings stay in one part", "|:GABc dBAG|1 GABc d4:|2 GABc g4||gfed cBAG|]", {3, 1}, {2, 1}, 0},
      {"[1 and [2 endings", "|:GABc dBAG|[1 GABc d4:|[2 GABc g4|]", {3}, {2}, 0},
      {"double and final bars", "GABc dBAG||gfed cBAG|]", {1, 1}, {1, 1}, 0},
      {"no part boundary", "GABc dBAG|gfed cBAG|GABc d4|", {3}, {3}, 0},
      {":: ends the first part", "|:GABc dBAG::gfed cBAG:|", {1, 1}, {1, 1}, 0},
      {"part labels", "P:A\nGABc dBAG|GABc d4|\nP:B\ngfed cBAG|ABcd g4|", {2, 2}, {2, 2}, 0},
      {"|: after music starts a part", "GABc dBAG|GABc d4|:gfed cBAG:|", {2, 1}, {2, 1}, 0},
  };
  for (const LayoutCase& c : cases) {
    SCOPED_TRACE(c.name);
    const BarLayout layout = LayOutBars(ReadBody("4/4", c.body));
    ASSERT_EQ(layout.parts.size(), c.part_bars.size());
    for (std::size_t p = 0; p < layout.parts.size(); ++p) {
      EXPECT_EQ(PartBars(layout, static_cast<int>(p)).size(), static_cast<std::size_t>(c.part_bars[p])) << p;
      EXPECT_EQ(FirstPassBars(layout, static_cast<int>(p)).size(), static_cast<std::size_t>(c.first_pass_bars[p]))
          << p;
    }
    int pickups = 0;
    for (const WrittenBar& b : layout.bars) pickups += b.pickup;
    EXPECT_EQ(pickups, c.pickups);
    int total = 0;
    for (int n : c.part_bars) total += n;
    EXPECT_EQ(TuneBars(layout).size(), static_cast<std::size_t>(total));
  }
}

TEST(BarLayoutTest, EndingsAreNumberedAndPickupOnlyPartIsDropped) {
  const BarLayout endings = LayOutBars(ReadBody("4/4", "|:GABc dBAG|1 GABc d4:|2 GABc g4||"));
  ASSERT_EQ(endings.bars.size(), 3u);
  EXPECT_EQ(endings.bars[0].ending, 0);
  EXPECT_EQ(endings.bars[1].ending, 1);
  EXPECT_EQ(endings.bars[2].ending, 2);
  EXPECT_EQ(endings.bars[1].closing, abc::BarKind::kRepeatEnd);

  const BarLayout pickup = LayOutBars(ReadBody("4/4", "D|:GABc dBAG:|"));
  ASSERT_EQ(pickup.bars.size(), 2u);
  EXPECT_EQ(pickup.bars[0].part, -1);
  EXPECT_TRUE(pickup.bars[0].pickup);
  EXPECT_FALSE(pickup.bars[0].full);
  EXPECT_EQ(pickup.bars[1].part, 0);
  EXPECT_TRUE(pickup.bars[1].full);
}

TEST(BarLayoutTest, TiedNoteSoundsInBothBars) {
  const BarLayout layout = LayOutBars(ReadBody("4/4", "GABc dBA G-|G2 AB c4|"));
  ASSERT_EQ(layout.bars.size(), 2u);
  const BarNote& last = layout.bars[0].notes.back();
  EXPECT_EQ(last.pitch, 67);  // G4
  EXPECT_EQ(last.onset, Rational(7, 8));
  EXPECT_EQ(last.length, Rational(1, 8));
  EXPECT_TRUE(last.tied_out);
  const BarNote& first = layout.bars[1].notes.front();
  EXPECT_EQ(first.pitch, 67);
  EXPECT_EQ(first.onset, Rational(0));
  EXPECT_EQ(first.length, Rational(1, 4));
  EXPECT_TRUE(first.tied_in);
  EXPECT_EQ(layout.bars[1].notes.size(), 4u);
}

TEST(BarLayoutTest, KeySignatureAndChordsGiveMidiPitches) {
  // K:G makes F sharp; a chord [DF] sounds as its highest note.
  const BarLayout layout = LayOutBars(ReadBody("2/4", "F[DF] z c|"));
  ASSERT_EQ(layout.bars.size(), 1u);
  const std::vector<int> pitches = {66, 66, -1, 72};
  ASSERT_EQ(layout.bars[0].notes.size(), pitches.size());
  for (std::size_t i = 0; i < pitches.size(); ++i) EXPECT_EQ(layout.bars[0].notes[i].pitch, pitches[i]) << i;
}

struct SimilarityCase {
  const char* name;
  const char* meter;
  const char* a;
  const char* b;
  double similarity;
  bool same;
};

TEST(BarLayoutTest, GridSimilarityAndExactContent) {
  const SimilarityCase cases[] = {
      {"identical", "4/4", "GABc dBAG|", "GABc dBAG|", 1.0, true},
      {"last note differs: 2 of 16 points", "4/4", "GABc dBAG|", "GABc dBAA|", 14.0 / 16, false},
      {"one long note against two struck: the onset grid differs at 1 point", "2/4", "G2AB|", "GGAB|", 7.0 / 8, false},
      {"a half bar against a full one", "4/4", "GABc|", "GABc dBAG|", 8.0 / 16, false},
      {"a rest where a note was", "4/4", "z4 dBAG|", "G4 dBAG|", 8.0 / 16, false},
      {"octave apart", "2/4", "GABc|", "gabc'|", 0.0, false},
  };
  for (const SimilarityCase& c : cases) {
    SCOPED_TRACE(c.name);
    const BarLayout a = LayOutBars(ReadBody(c.meter, c.a)), b = LayOutBars(ReadBody(c.meter, c.b));
    ASSERT_EQ(a.bars.size(), 1u);
    ASSERT_EQ(b.bars.size(), 1u);
    EXPECT_DOUBLE_EQ(GridSimilarity(a.bars[0], b.bars[0]), c.similarity);
    EXPECT_DOUBLE_EQ(GridSimilarity(b.bars[0], a.bars[0]), c.similarity);
    EXPECT_EQ(SameContent(a.bars[0], b.bars[0]), c.same);
  }
}

TEST(BarLayoutTest, HugeBarsAreSampledOnABoundedGrid) {
  // A rest of 1,125 whole notes against one of 2,500 (the reader refuses longer notes): both cover
  // the first 4,096 grid points the same way.
  const BarLayout a = LayOutBars(ReadBody("4/4", "z9000|")), b = LayOutBars(ReadBody("4/4", "z20000|"));
  ASSERT_EQ(a.bars.size(), 1u);
  EXPECT_DOUBLE_EQ(GridSimilarity(a.bars[0], b.bars[0]), 1.0);
  EXPECT_FALSE(SameContent(a.bars[0], b.bars[0]));
}

TEST(BarLayoutTest, HeldOverNoteIsNotStruckAgain) {
  // Bar 2 of the first tune holds G over from bar 1; bar 2 of the second strikes it.
  const BarLayout held = LayOutBars(ReadBody("2/4", "z2 G2-|G2 AB|"));
  const BarLayout struck = LayOutBars(ReadBody("2/4", "z2 G2|G2 AB|"));
  ASSERT_EQ(held.bars.size(), 2u);
  ASSERT_EQ(struck.bars.size(), 2u);
  EXPECT_FALSE(SameContent(held.bars[1], struck.bars[1]));
  EXPECT_DOUBLE_EQ(GridSimilarity(held.bars[1], struck.bars[1]), 7.0 / 8);
  EXPECT_TRUE(SameContent(held.bars[0], struck.bars[0]));  // tied_out is not content
}

}  // namespace
}  // namespace tunesmith::eval
