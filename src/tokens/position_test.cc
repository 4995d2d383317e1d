#include "tokens/position.h"

#include <sstream>

#include <gtest/gtest.h>

namespace tunesmith::tokens {
namespace {

std::vector<std::string> Split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

Vocabulary VocabOf(const std::vector<std::string>& tokens) { return Vocabulary(TokenizerKind::kAbcToken, tokens); }

std::vector<Position> Positions(const std::vector<std::string>& tokens, bool know) {
  return TunePositions(tokens, VocabOf(tokens).Ids(tokens), know);
}

// "beat/bar/left/part" of every token, space-separated.
std::string Describe(const std::vector<Position>& ps) {
  std::string out;
  for (const Position& p : ps) {
    if (!out.empty()) out += ' ';
    out += std::to_string(p[kPosBeat]) + "/" + std::to_string(p[kPosBar]) + "/" + std::to_string(p[kPosLeft]) + "/" +
           std::to_string(p[kPosPart]);
  }
  return out;
}

struct Case {
  const char* name;
  const char* tokens;
  bool know_part_bars;
  const char* positions;  // one "beat/bar/left/part" per token
};

TEST(PositionTest, Table) {
  const Case cases[] = {
      {"header, then time in sixteenths; a full bar counts",
       "<s> M:2/4 K:maj R:polka C 2 D E | F 4 |] </s>", true,
       "48/16/2/0 48/16/2/0 48/16/2/0 0/0/2/0 2/0/2/0 4/0/2/0 6/0/2/0 8/0/2/0 0/1/1/0 2/1/1/0 8/1/1/0 0/0/0/1 "
       "0/0/0/1"},
      {"unknown part lengths", "<s> M:2/4 K:maj R:polka C 2 D E | F 4 |] </s>", false,
       "48/16/0/0 48/16/0/0 48/16/0/0 0/0/0/0 2/0/0/0 4/0/0/0 6/0/0/0 8/0/0/0 0/1/0/0 2/1/0/0 8/1/0/0 0/0/0/1 "
       "0/0/0/1"},
      {"a pickup is not counted; its complement closing the part is",
       "<s> M:2/4 K:maj R:polka G | C 4 | D 3 :| </s>", true,
       "48/16/2/0 48/16/2/0 48/16/2/0 0/0/2/0 2/0/2/0 0/0/2/0 2/0/2/0 8/0/2/0 0/1/1/0 2/1/1/0 6/1/1/0 0/0/0/1 0/0/0/1"},
      {"broken rhythm and a triplet", "<s> M:2/4 K:maj R:polka C > D (3 E F G | </s>", false,
       "48/16/0/0 48/16/0/0 48/16/0/0 0/0/0/0 2/0/0/0 3/0/0/0 4/0/0/0 4/0/0/0 5/0/0/0 6/0/0/0 8/0/0/0 0/1/0/0 "
       "0/1/0/0"},
      {"a chord of notes counts once", "<s> M:2/4 K:maj R:polka [ C E ] 2 z 2 | </s>", false,
       "48/16/0/0 48/16/0/0 48/16/0/0 0/0/0/0 2/0/0/0 2/0/0/0 2/0/0/0 2/0/0/0 4/0/0/0 6/0/0/0 8/0/0/0 0/1/0/0 "
       "0/1/0/0"},
      {"endings: the second restarts where the first did; repeat signs end parts",
       "<s> M:2/4 K:maj R:polka |: C 4 | [1 D 4 :| [2 E 4 || F 4 | G 4 |] </s>", true,
       // <s> M K R |: C 4 | [1 D 4 :| [2 E 4 || F 4 | G 4 |] </s>
       "48/16/2/0 48/16/2/0 48/16/2/0 0/0/2/0 0/0/2/0 2/0/2/0 8/0/2/0 0/1/1/0 0/1/1/0 2/1/1/0 8/1/1/0 0/2/1/0 "
       "0/1/1/0 2/1/1/0 8/1/1/0 0/0/2/1 2/0/2/1 8/0/2/1 0/1/1/1 2/1/1/1 8/1/1/1 0/0/0/2 0/0/0/2"},
      {"|: after music ends the part; a leading |: does not",
       "<s> M:2/4 K:maj R:polka C 4 |: D 4 :| </s>", true,
       "48/16/1/0 48/16/1/0 48/16/1/0 0/0/1/0 2/0/1/0 8/0/1/0 0/0/1/1 2/0/1/1 8/0/1/1 0/0/0/2 0/0/0/2"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Describe(Positions(Split(c.tokens), c.know_part_bars)), c.positions) << c.name;
  }
}

TEST(PositionTest, StepByStepEqualsWholeTune) {
  const std::vector<std::string> tune =
      Split("<s> M:6/8 K:min R:jig |: G | c 2 B c 2 d | e 3 e 2 :: g | f 2 e d 3 | c 3 c 2 :| </s>");
  const std::vector<int32_t> ids = VocabOf(tune).Ids(tune);
  PositionTracker tracker({2, 2});
  std::vector<Position> step;
  for (size_t i = 0; i < tune.size(); ++i) step.push_back(tracker.Push(tune[i], ids[i]));
  EXPECT_EQ(step, TunePositions(tune, ids, true));
  EXPECT_EQ(tracker.bars_per_part(), (std::vector<int>{2, 2, 0}));
}

// The look-backs: bar 5 repeats bar 1, so while writing it the four-bar
// look-back names its next token and says "same"; the second part's first
// bar is looked up in the first part.
TEST(PositionTest, LookBacks) {
  const std::vector<std::string> tune = Split(
      "<s> M:2/4 K:maj R:polka C D E F | G 4 | A 4 | B 4 | C D E G | c 4 | d 4 | e 4 :| "
      "C D E F | g 4 |] </s>");
  const Vocabulary vocab = VocabOf(tune);
  const std::vector<int32_t> ids = vocab.Ids(tune);
  const std::vector<Position> ps = TunePositions(tune, ids, true);
  // Token 4 is the first C; bar 5 starts after the fourth '|' (token 17).
  ASSERT_EQ(tune[17], "|");
  ASSERT_EQ(tune[18], "C");
  // Before bar 5 has a token: look back to bar 1's first token, same so far.
  EXPECT_EQ(ps[17][kLook4], vocab.Id("C") + 1);
  EXPECT_EQ(ps[17][kLook4Same], 2);
  EXPECT_EQ(ps[20][kLook4], vocab.Id("F") + 1);  // after C D E: bar 1 went on with F
  EXPECT_EQ(ps[20][kLook4Same], 2);
  EXPECT_EQ(ps[21][kLook4Same], 1);  // G instead of F: no longer the same
  EXPECT_EQ(ps[21][kLook4], vocab.Id("|") + 1);
  // Bars 1-4 have no bar four back.
  EXPECT_EQ(ps[5][kLook4], 0);
  EXPECT_EQ(ps[5][kLook4Same], 0);
  // The second part (after :|) looks up the first part's bar 1, then bar 2.
  const size_t repeat_end = 31;
  ASSERT_EQ(tune[repeat_end], ":|");
  EXPECT_EQ(ps[repeat_end][kPosPart], 1);
  EXPECT_EQ(ps[repeat_end][kLookPart], vocab.Id("C") + 1);
  EXPECT_EQ(ps[repeat_end][kLookPartSame], 2);
  EXPECT_EQ(ps[repeat_end + 5][kLookPart], vocab.Id("G") + 1);  // bar 2 of part 1 starts with G
  EXPECT_EQ(ps[repeat_end + 5][kLookPartSame], 2);
  // In the first part there is no previous part.
  EXPECT_EQ(ps[10][kLookPart], 0);
}

TEST(PositionTest, ContextsAreFlatColumns) {
  const std::vector<std::string> tune = Split("<s> M:2/4 K:maj R:polka C 2 D E | F 4 |] </s>");
  const Vocabulary vocab = VocabOf(tune);
  const auto flat = TuneContexts(vocab, {vocab.Ids(tune)}, kBarColumns);
  ASSERT_EQ(flat.size(), 1u);
  ASSERT_EQ(flat[0].size(), tune.size() * kBarColumns);
  EXPECT_EQ(flat[0][3 * kBarColumns + kPosBeat], 0);  // after R: the body starts
  EXPECT_EQ(flat[0][4 * kBarColumns + kPosBeat], 2);  // after C
  EXPECT_EQ(flat[0][4 * kBarColumns + kPosLeft], 2);
  // With every tune's part lengths unknown.
  const auto unknown = TuneContexts(vocab, {vocab.Ids(tune)}, kBarColumns, 1.0);
  EXPECT_EQ(unknown[0][4 * kBarColumns + kPosLeft], kLeftUnknown);
  EXPECT_EQ(ContextSizes(kContextColumns, 100), (std::vector<int64_t>{49, 17, 17, 4, 101, 3, 101, 3}));
}

}  // namespace
}  // namespace tunesmith::tokens
