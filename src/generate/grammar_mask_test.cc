// Accept/reject tables: after a prefix, which tokens the mask allows.
#include "generate/grammar_mask.h"

#include <gtest/gtest.h>

#include "generate/test_vocabulary.h"

namespace tunesmith::generate {
namespace {

using testing::Split;
using testing::TestVocabulary;

struct Case {
  std::string prefix;                 // tokens fed (after <s>)
  std::vector<std::string> allowed;   // must be allowed next
  std::vector<std::string> rejected;  // must not be
};

class MaskTable : public ::testing::Test {
 protected:
  void Run(const std::vector<Case>& cases, const GrammarOptions& options = {}) {
    auto rules = GrammarRules::Make(TestVocabulary(), options);
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    for (const Case& c : cases) {
      GrammarState state(rules->get());
      for (const std::string& t : Split(c.prefix)) {
        Status s = state.Accept(t);
        ASSERT_TRUE(s.ok()) << "prefix '" << c.prefix << "': " << s.message();
      }
      std::vector<uint8_t> allowed;
      state.Allowed(&allowed);
      const auto& vocab = (*rules)->vocabulary();
      for (const std::string& t : c.allowed) {
        EXPECT_TRUE(allowed[vocab.Id(t)]) << "after '" << c.prefix << "' expected '" << t << "' allowed ("
                                          << state.Describe() << ")";
        EXPECT_TRUE(state.IsAllowed(vocab.Id(t))) << t;
      }
      for (const std::string& t : c.rejected) {
        EXPECT_FALSE(allowed[vocab.Id(t)]) << "after '" << c.prefix << "' expected '" << t << "' rejected ("
                                           << state.Describe() << ")";
        EXPECT_FALSE(state.IsAllowed(vocab.Id(t))) << t;
      }
    }
  }
};

// Eight full bars of 4/4 after the header: a tune long enough to end.
const std::string kEightBars44 =
    "M:4/4 K:maj R:reel A 8 | B 8 | c 8 | d 8 | e 8 | f 8 | g 8 | a 8";

TEST_F(MaskTable, Header) {
  Run({
      {"", {"M:4/4", "M:6/8", "M:12/8"}, {"K:maj", "R:jig", "A", "|", "</s>", "<s>", "<pad>", "<unk>"}},
      {"M:6/8", {"K:maj", "K:min", "K:dor"}, {"M:4/4", "R:jig", "A", "|"}},
      {"M:6/8 K:dor", {"R:jig", "R:other"}, {"K:maj", "A", "R:hornpipe"}},  // abc2midi: hornpipes in 2/4, 4/4
      {"M:2/2 K:maj", {"R:reel"}, {"R:hornpipe"}},
      {"M:2/4 K:maj", {"R:hornpipe"}, {}},
  });
  GrammarOptions forced;
  forced.meter = "M:6/8";
  forced.mode = "K:min";
  forced.rhythm = "R:jig";
  GrammarOptions hornpipe;
  hornpipe.rhythm = "R:hornpipe";
  Run({{"", {"M:4/4", "M:2/4"}, {"M:6/8", "M:2/2", "M:3/4"}}}, hornpipe);
  Run({{"", {"M:6/8"}, {"M:4/4", "M:3/4"}},
       {"M:6/8", {"K:min"}, {"K:maj", "K:dor"}},
       {"M:6/8 K:min", {"R:jig"}, {"R:reel", "R:other"}}},
      forced);
}

TEST_F(MaskTable, BodyStart) {
  Run({{"M:6/8 K:maj R:jig",
        {"A", "c'", "^F", "z", "[", "|:", "(3", "\"I\""},
        {"|", "||", ":|", "::", "|]", "2", "-", ">", "]", "[1", "[2", "</s>", "[M:2/4]", "[K:Gmaj]", "M:6/8"}}});
}

TEST_F(MaskTable, BarTime) {
  Run({
      // 3 of 6 eighths in the first bar: a pickup may close it with | or |:.
      {"M:6/8 K:maj R:jig A 2 B", {"|", "|:", "2", "/2", "c"}, {":|", "::", "||", "|]", "8", "6"}},
      // A full bar: bar lines only.
      {"M:6/8 K:maj R:jig A 2 B c 3", {"|", "||", "|:"}, {"A", "z", "[", "(3", "2", ":|", "::", "|]", "</s>"}},
      // Second bar, not full: no bar line (no pickup mid-tune).
      {"M:6/8 K:maj R:jig A 6 | B", {"c", "4", "3", "6"}, {"|", "||", "|:", "8", "12"}},
      // Lengths that would overflow the bar are out.
      {"M:3/4 K:maj R:waltz A 4 | B 4 c", {"2", "/2", "3/2"}, {"3", "4", "6", "8"}},
  });
}

TEST_F(MaskTable, Tuplets) {
  Run({
      {"M:4/4 K:maj R:reel (3", {"A", "z", "\"I\""}, {"|", "(3", ">", "-", "["}},  // no chords in tuplets
      {"M:4/4 K:maj R:reel (3 A B", {"c"}, {"|", ">", "(3", "2"}},
      {"M:4/4 K:maj R:reel (3 A 2 B", {"2"}, {"c", "|", "3"}},  // tuplet notes written equally long
      // Six eighths then a triplet of eighths (2 eighths' time): a full bar.
      {"M:4/4 K:maj R:reel A 6 (3 A B c", {"|"}, {"2", "d", ">"}},
      // A triplet cannot run over the bar line.
      {"M:4/4 K:maj R:reel A 6 B (3 A", {"/2"}, {"2", "|"}},
  });
}

TEST_F(MaskTable, BrokenRhythm) {
  Run({
      {"M:4/4 K:maj R:hornpipe A", {">", "<", ">>"}, {}},
      {"M:4/4 K:maj R:hornpipe G 8 | A >", {"B", "z", "\"V7\"", "["}, {"|", ">", "(3", "2"}},
      {"M:4/4 K:maj R:hornpipe G 8 | A > B", {"c"}, {">", "|", "2"}},  // no chain; equal lengths
      {"M:4/4 K:maj R:hornpipe G 8 | A 2 > B", {"2"}, {"c", "|", "/2", "3"}},  // B must be written 2 too
      {"M:4/4 K:maj R:hornpipe G 8 | A > B c > d e > f g > a", {"|", "||"}, {"b", "2"}},
      {"M:4/4 K:maj R:hornpipe (3 A B c", {"d"}, {">"}},  // not on a tuplet note
      // Hornpipes: abc2midi dots eighth pairs itself; a mark only on a note starting on a beat.
      {"M:4/4 K:maj R:hornpipe G 8 | A B", {"c"}, {">", "<"}},
      {"M:4/4 K:maj R:hornpipe G 8 | A B c", {">", "<"}, {}},
      {"M:4/4 K:maj R:reel G 8 | A B", {">", "<"}, {}},
      {"M:2/4 K:maj R:hornpipe G 4 | A B", {"c", ">"}, {}},
      {"M:2/4 K:maj R:hornpipe G 4 | A /2 B /2", {"c"}, {">"}},
  });
}

TEST_F(MaskTable, TiesAndChords) {
  Run({
      {"M:4/4 K:maj R:reel c 8", {"-", "|"}, {"d"}},
      {"M:4/4 K:maj R:reel c 8 -", {"|"}, {"||", "|:", ">", "z"}},
      {"M:4/4 K:maj R:reel c 8 - |", {"c", "\"I\""}, {"d", "z", "[", "C", "c'"}},
      {"M:4/4 K:maj R:reel c 4 - c", {"2", "4"}, {"6", "8"}},
      {"M:4/4 K:maj R:reel [", {"C", "E"}, {"]", "2", "|", "z", "\"I\""}},
      {"M:4/4 K:maj R:reel [ C", {"E"}, {"]", "2"}},
      {"M:4/4 K:maj R:reel [ C E", {"]", "G"}, {"2", "|"}},
      {"M:4/4 K:maj R:reel [ C E ]", {"2", "8", "A"}, {"-", "]"}},
      {"M:4/4 K:maj R:reel [ C E G c", {"]"}, {"e"}},  // four notes at most
      {"M:4/4 K:maj R:reel z", {"2", ">"}, {"-"}},
  });
}

TEST_F(MaskTable, ChordSymbols) {
  Run({{"M:4/4 K:maj R:reel \"I\"", {"A", "z", "["}, {"|", "2", "\"V7\"", "(3", "-", ">"}}});
  GrammarOptions no_chords;
  no_chords.chord_symbols = false;
  Run({{"M:4/4 K:maj R:reel", {"A"}, {"\"I\"", "\"V7\""}}}, no_chords);
}

TEST_F(MaskTable, RepeatsAndEndings) {
  Run({
      // An implicit repeat from the start needs two bars.
      {"M:2/4 K:maj R:other A 4", {"|", "||", "|:"}, {":|", "::"}},
      {"M:2/4 K:maj R:other A 4 | B 4", {":|", "::", "|"}, {}},
      {"M:2/4 K:maj R:other |: A 4 | B 4", {":|", "::", "|"}, {"|:", "||", "|]"}},
      {"M:2/4 K:maj R:other |: A 4 | B 4 |", {"[1", "C"}, {"[2", "[3", "|:", ":|"}},
      {"M:2/4 K:maj R:other |: A 4 | B 4 | [1 C 4", {":|", "|"}, {"||", "|]", "::", "|:"}},
      {"M:2/4 K:maj R:other |: A 4 | B 4 | [1 C 4 :|", {"[2"}, {"A", "|:", "</s>", "[1", "|"}},
      {"M:2/4 K:maj R:other |: A 4 | B 4 | [1 C 4 :| [2 D 4", {"||", "|:"}, {"|", ":|", "|]"}},
      // A |: standing alone after :|, not after |.
      {"M:2/4 K:maj R:other A 4 | B 4 :|", {"|:", "C"}, {"|", "||", ":|", "[1"}},
      {"M:2/4 K:maj R:other A 4 | B 4 |", {"C"}, {"|:", "|"}},
      // No :| without |: once a repeat has been closed.
      {"M:2/4 K:maj R:other A 4 | B 4 :| C 4 | D 4", {"|", "||", "|:"}, {":|", "::"}},
  });
}

TEST_F(MaskTable, Ending) {
  const std::string seven = "M:4/4 K:maj R:reel A 8 | B 8 | c 8 | d 8 | e 8 | f 8 | g 8";
  Run({
      {seven + " | a", {"2"}, {"|]", "</s>"}},
      {kEightBars44, {"|]", ":|", "||"}, {"</s>"}},
      {seven, {"||", ":|"}, {"|]"}},  // 7 bars: too short to end
      {kEightBars44 + " |]", {"</s>"}, {"A", "|", "|:"}},
      {kEightBars44 + " ||", {"</s>", "A", "|:"}, {"|"}},
      {kEightBars44 + " :|", {"</s>", "A", "|:"}, {"|"}},
      {kEightBars44 + " |", {"A"}, {"</s>"}},
      {"M:4/4 K:maj R:reel |: A 8 | B 8 | c 8 | d 8 | e 8 | f 8 | g 8 | a 8", {":|"}, {"|]", "||"}},
      {"M:4/4 K:maj R:reel |: A 8 | B 8 | c 8 | d 8 | e 8 | f 8 | g 8 | a 8 ::", {"A"}, {"</s>"}},
  });
}

TEST_F(MaskTable, PickupAndComplement) {
  // A pickup of 2 eighths; the last bar may then be 6 eighths at a closing bar line.
  const std::string body = "M:4/4 K:maj R:reel G 2 | A 8 | B 8 | c 8 | d 8 | e 8 | f 8 | g 8";
  Run({
      {body + " | a 6", {"|]", "||", ":|"}, {"|", "2"}},
      {body + " | a 6 |]", {"</s>"}, {}},
      {"M:4/4 K:maj R:reel G 2 | A 8 | B 6", {"c", ":|", "::"}, {"|", "|]"}},  // the complement at a section end
      // With the pickup inside the first section, sections end on the complement only...
      {"M:4/4 K:maj R:reel G 2 | A 8 | B 8", {"|"}, {":|", "::", "||", "|]", "|:"}},
      // ... and the next one starts with the pickup again (abc2midi glues the two halves).
      {"M:4/4 K:maj R:reel G 2 | A 8 | B 6 :|", {"|:", "c"}, {"|"}},
      {"M:4/4 K:maj R:reel G 2 | A 8 | B 6 :| c 2", {"|"}, {"d", "||", "2"}},
      {"M:4/4 K:maj R:reel G 2 | A 8 | B 6 :| c 2 | d 8", {"|"}, {":|"}},
      // A pickup before |: lies outside the repeat: every later bar is full.
      {"M:4/4 K:maj R:reel G 2 |: A 8 | B 6", {"c"}, {":|", "::", "|"}},
      {"M:4/4 K:maj R:reel G 2 |: A 8 | B 8", {":|", "::", "|"}, {}},
  });
}

TEST_F(MaskTable, Structure) {
  GrammarOptions o;
  o.structure = *ParseStructure("AABB", 2);
  Run({
         {"M:2/4 K:maj R:other", {"|:"}, {"A", "z", "\"I\"", "|"}},
         {"M:2/4 K:maj R:other |:", {"A", "z"}, {"|:"}},
         {"M:2/4 K:maj R:other |: A 4", {"|"}, {":|", "||", "::"}},
         {"M:2/4 K:maj R:other |: A 4 | B 4", {"::", ":|"}, {"|", "||", "|]"}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :|", {"|:"}, {"A", "</s>"}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | c 4", {":|"}, {"::", "|", "|]"}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | c 4 :|", {"</s>"}, {"A", "|:"}},
         // The last bar ends on the tonic: after a D, no closing bar line, and
         // the bar may not be filled by a length that leaves no room for a C.
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 3 c", {":|"}, {"2"}},
         // ... at least an eighth long: no 1/2-eighth tonic squeezed in at the end.
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 3 c", {}, {"/2", "/4"}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 3/2 B 3/2 c", {":|"}, {}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 2 c", {"2"}, {"3/2"}},  // 1/2 left: too short a tonic
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 2 =c 2", {":|"}, {}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | c 2 D", {"c", "C", "=c", "/2"}, {"2", ":|"}},  // D /2 c /2 still fits
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | c D -", {"D"}, {"c"}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | c 2 D", {"c"}, {"-"}},  // a tied D would leave no room for c
         // A first ending of one bar closes the part with :| [2.
         {"M:2/4 K:maj R:other |: A 4 |", {"[1", "B"}, {"[2"}},
         {"M:2/4 K:maj R:other |: A 4 | [1 B 4", {":|"}, {"|", "::"}},
         {"M:2/4 K:maj R:other |: A 4 | [1 B 4 :| [2 B 4", {"|:", "||"}, {":|", "|", "::"}},
     },
     o);
  GrammarOptions ab;
  ab.structure = *ParseStructure("AB", 2);
  Run({
         {"M:2/4 K:maj R:other", {"A"}, {"|:"}},  // part A is played once
         {"M:2/4 K:maj R:other A 4 | B 4", {"||"}, {"|", ":|", "|]", "|:"}},
         {"M:2/4 K:maj R:other A 4 | B 4 || C 4 | c 4", {"|]", "||"}, {"|", ":|"}},
         {"M:2/4 K:maj R:other A 4 | B 4 || C 4 | D", {"3", "c"}, {"4", "|]", "||"}},  // D 4 would end off the tonic
     },
     ab);
}

TEST(GrammarRules, RefusesForcedTokensTheModelLacks) {
  GrammarOptions o;
  o.meter = "M:5/4";
  auto rules = GrammarRules::Make(testing::TestVocabulary(), o);
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("M:6/8"), std::string::npos) << rules.status().message();
}

TEST(GrammarRules, RefusesCharVocabularies) {
  tokens::Vocabulary chars(tokens::TokenizerKind::kChar, {"A", "B", "|"});
  auto rules = GrammarRules::Make(chars, {});
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.status().message().find("abc-token"), std::string::npos);
}

TEST(GrammarState, AcceptLeavesStateUnchangedOnError) {
  auto rules = GrammarRules::Make(testing::TestVocabulary(), {});
  ASSERT_TRUE(rules.ok());
  GrammarState state(rules->get());
  for (const auto& t : Split("M:4/4 K:maj R:reel A 8 | B 2")) ASSERT_TRUE(state.Accept(t).ok());
  const std::string before = state.Describe();
  Status s = state.Accept("|");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("bar 2"), std::string::npos) << s.message();
  EXPECT_EQ(state.Describe(), before);
  EXPECT_FALSE(state.Accept("nonsense").ok());
}

}  // namespace
}  // namespace tunesmith::generate
