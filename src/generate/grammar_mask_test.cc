// Accept/reject tables: after a prefix, which tokens the mask allows.
#include "generate/grammar_mask.h"

#include <gtest/gtest.h>

#include <random>
#include <thread>

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
      // A note tied over a bar line sounds at least a beat; inside a bar any note may be tied.
      {"M:4/4 K:maj R:reel A 6 B c", {"|"}, {"-"}},
      {"M:4/4 K:maj R:reel A 6 c 2", {"-", "|"}, {}},
      {"M:6/8 K:maj R:jig A 4 c 2", {"|"}, {"-"}},
      {"M:6/8 K:maj R:jig A 3 c 3", {"-", "|"}, {}},
      {"M:4/4 K:maj R:reel A /2 c /2", {"-"}, {}},
  });
  GrammarOptions any_tie;
  any_tie.tie_over_beat = false;
  Run({{"M:4/4 K:maj R:reel A 6 B c", {"|", "-"}, {}}}, any_tie);
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
         // The repeated first part opens with |: or without it (its :| repeats from the start).
         {"M:2/4 K:maj R:other", {"|:", "A", "z", "\"I\""}, {"|", ":|"}},
         {"M:2/4 K:maj R:other A 4", {"|"}, {":|", "||", "::"}},
         {"M:2/4 K:maj R:other A 4 | B 4", {"::", ":|"}, {"|", "||", "|]"}},
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

// The prime check the Generator and the Composer share: a header is walked
// for the fixed meter and mode, then the fragment must fit the form's start.
TEST(CheckPrimeFits, AcceptsTheStartOfAPartAndNamesTheTokenThatDoesNot) {
  GrammarOptions o;
  o.meter = "M:2/4";
  o.mode = "K:maj";
  o.structure = *ParseStructure("AABB", 2);
  auto rules = GrammarRules::Make(TestVocabulary(), o);
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  EXPECT_TRUE(CheckPrimeFits(rules->get(), {}).ok());
  EXPECT_TRUE(CheckPrimeFits(rules->get(), {"|:", "A", "4", "|"}).ok());
  EXPECT_TRUE(CheckPrimeFits(rules->get(), {"A", "4", "|", "B"}).ok());
  Status bad = CheckPrimeFits(rules->get(), {"A", "4", ":|"});  // the part is two bars
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("':|'"), std::string::npos) << bad.message();
  Status unknown = CheckPrimeFits(rules->get(), {"A", "no-such-token"});
  EXPECT_NE(unknown.message().find("not in the model's vocabulary"), std::string::npos) << unknown.message();
}

// R: agrees with M: (GrammarOptions::rhythm_meter): the meters each rhythm has in the corpus.
TEST_F(MaskTable, RhythmAgreesWithMeter) {
  Run({
      {"M:6/8 K:maj", {"R:jig", "R:other"}, {"R:reel", "R:hornpipe", "R:waltz", "R:slip-jig"}},
      {"M:4/4 K:maj", {"R:reel", "R:hornpipe", "R:other"}, {"R:jig", "R:waltz", "R:slip-jig"}},
      {"M:2/2 K:maj", {"R:reel"}, {"R:jig", "R:hornpipe"}},  // hornpipes in 2/2: abc2midi cannot
      {"M:2/4 K:maj", {"R:reel", "R:hornpipe"}, {"R:jig"}},
      {"M:9/8 K:dor", {"R:slip-jig", "R:other"}, {"R:jig", "R:reel"}},
      {"M:3/4 K:min", {"R:waltz"}, {"R:jig", "R:reel"}},
      {"M:12/8 K:maj", {"R:other"}, {"R:jig", "R:reel", "R:waltz"}},
  });
  GrammarOptions reel;
  reel.rhythm = "R:reel";
  Run({{"", {"M:4/4", "M:2/2", "M:2/4"}, {"M:6/8", "M:3/4", "M:9/8", "M:12/8"}}}, reel);
  GrammarOptions off;
  off.rhythm_meter = false;
  Run({{"M:6/8 K:maj", {"R:reel", "R:waltz"}, {"R:hornpipe"}}}, off);  // abc2midi's rule stays
  EXPECT_TRUE(RhythmHasMeter("reel", 2, 4));
  EXPECT_FALSE(RhythmHasMeter("reel", 6, 8));
  EXPECT_TRUE(RhythmHasMeter("other", 5, 4));
  EXPECT_TRUE(RhythmHasMeter("air", 3, 8));
  GrammarOptions both;
  both.meter = "M:6/8";
  both.rhythm = "R:reel";
  auto refused = GrammarRules::Make(TestVocabulary(), both);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("4/4 2/2 2/4"), std::string::npos) << refused.status().message();
}

// No major tonic chord in a mode with a minor third, no minor one in a major mode.
TEST_F(MaskTable, TonicChordQualityFollowsTheMode) {
  Run({
      {"M:6/8 K:min R:jig", {"\"i\"", "\"i7\"", "\"io\"", "\"IV\"", "\"bVII\"", "\"V7\""},
       {"\"I\"", "\"I7\"", "\"I/3\""}},
      {"M:6/8 K:dor R:jig", {"\"i\"", "\"bVII\""}, {"\"I\"", "\"I7\""}},
      {"M:6/8 K:maj R:jig", {"\"I\"", "\"I7\"", "\"I/3\"", "\"io\"", "\"ii\""}, {"\"i\"", "\"i7\""}},
      {"M:6/8 K:mix R:jig", {"\"I\"", "\"bVII\""}, {"\"i\""}},
  });
  GrammarOptions off;
  off.tonic_chord_quality = false;
  Run({{"M:6/8 K:min R:jig", {"\"I\"", "\"i\""}, {}}}, off);
}

// With a form, the last chord of the tune is the tonic triad (I, or i in minor).
TEST_F(MaskTable, FinalChordIsTheTonicTriad) {
  GrammarOptions o;
  o.structure = *ParseStructure("AABB", 2);
  const std::string b_part = "M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 |";
  const std::string b_minor = "M:2/4 K:min R:other |: A 4 | B 4 :: C 4 |";
  Run({
         {b_part + " c 4", {":|"}, {}},  // no chord at all: nothing to resolve
         {b_part + " \"I\" c 4", {":|"}, {}},
         {b_part + " \"V7\" c", {"\"I\""}, {"4"}},
         {b_part + " \"V7\" c", {"2", "\"I\"", "c"}, {"4", ":|"}},  // c 4 would end under V7
         {b_part + " \"V7\" c 2 c", {"/2", "\"I\""}, {"2"}},  // c 2 would end under V7
         {b_part + " \"V7\" c 2 \"I\" c 2", {":|"}, {}},
         {b_part + " \"V7\" c 2 \"I7\" c", {"\"I\""}, {"2"}},  // the triad, not I7
         {b_part + " \"V7\" c 2 \"I/3\" c", {"\"I\""}, {"2"}},
         // A V7 on the last eighth would leave no note for the tonic chord.
         {b_part + " D 3", {"\"I\"", "c"}, {"\"V7\"", "\"IV\""}},
         // The chord in force comes from an earlier bar.
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: \"V7\" C 4 | c", {"\"I\""}, {"4"}},
         {"M:2/4 K:maj R:other |: A 4 | B 4 :: \"V7\" C 4 | \"I\" c 4", {":|"}, {}},
         {b_minor + " \"i\" c 4", {":|"}, {}},
         {b_minor + " \"bVII\" c", {"\"i\""}, {"4", "\"I\""}},
     },
     o);
  o.final_tonic_chord = false;
  Run({{b_part + " \"V7\" c 4", {":|"}, {}}}, o);
}

// Nothing written shorter than a sixteenth (half an eighth).
TEST_F(MaskTable, NoNoteShorterThanASixteenth) {
  Run({{"M:4/4 K:maj R:reel A", {"/2", "3/4", "3/2", "2"}, {"/4"}},
       {"M:4/4 K:maj R:reel (3 A", {"/2"}, {"/4"}}});  // a tuplet note is judged as written
  GrammarOptions off;
  off.min_sixteenth = false;
  Run({{"M:4/4 K:maj R:reel A", {"/4", "/2"}, {}}}, off);
}

// After `prefix` with the window set before the header: which tokens come next.
void ExpectWindow(int lowest, int highest, const std::string& prefix, const std::vector<std::string>& allowed,
                  const std::vector<std::string>& rejected) {
  auto rules = GrammarRules::Make(TestVocabulary(), {});
  ASSERT_TRUE(rules.ok());
  GrammarState state(rules->get());
  ASSERT_TRUE(state.SetPitchRange(lowest, highest).ok());
  for (const std::string& t : Split(prefix)) ASSERT_TRUE(state.Accept(t).ok()) << prefix << ": " << t;
  std::vector<uint8_t> mask;
  state.Allowed(&mask);
  const auto& vocab = (*rules)->vocabulary();
  for (const std::string& t : allowed) {
    EXPECT_TRUE(mask[vocab.Id(t)]) << prefix << ": '" << t << "' (MIDI " << state.SoundingPitch(vocab.Id(t)) << ")";
  }
  for (const std::string& t : rejected) {
    EXPECT_FALSE(mask[vocab.Id(t)]) << prefix << ": '" << t << "' (MIDI " << state.SoundingPitch(vocab.Id(t)) << ")";
    EXPECT_FALSE(state.IsAllowed(vocab.Id(t))) << t;
  }
}

TEST(GrammarPitchRange, NotesStayInTheWindow) {
  // C major, MIDI 60..72: C to c.
  ExpectWindow(60, 72, "M:4/4 K:maj R:reel", {"C", "G", "B", "c"}, {"G,", "B,", "d", "c'", "^c"});
  // The key signature counts: in C dorian B is Bb (70), =B is 71.
  ExpectWindow(58, 70, "M:4/4 K:dor R:reel", {"B", "C", "A"}, {"=B", "c", "G,"});
  ExpectWindow(58, 70, "M:4/4 K:maj R:reel", {"_B", "C"}, {"B", "c"});
  // An accidental lasts to the end of the bar: after ^c, c is c# (73).
  ExpectWindow(61, 73, "M:4/4 K:maj R:reel ^c", {"c", "=c", "^c"}, {"C", "d"});
  ExpectWindow(58, 70, "M:4/4 K:maj R:reel _B", {"B", "_B"}, {"=B"});
  ExpectWindow(58, 70, "M:4/4 K:maj R:reel _B 8 |", {"_B"}, {"B"});
  // Chords: every pitch.
  ExpectWindow(60, 72, "M:4/4 K:maj R:reel [ C", {"E", "c"}, {"e", "G,"});
  // A tie across the bar line loses the bar's accidental: B would be 71.
  ExpectWindow(58, 70, "M:4/4 K:maj R:reel _B 2 A 2 B 4", {"|"}, {"-"});
  ExpectWindow(58, 70, "M:4/4 K:maj R:reel C 8 | _B B 3", {"-"}, {});  // inside the bar it stays Bb
}

TEST(GrammarPitchRange, RefusesWindowsThatCouldDeadEnd) {
  auto rules = GrammarRules::Make(TestVocabulary(), {});
  ASSERT_TRUE(rules.ok());
  GrammarState state(rules->get());
  Status narrow = state.SetPitchRange(60, 71);
  ASSERT_FALSE(narrow.ok());
  EXPECT_NE(narrow.message().find("octave"), std::string::npos) << narrow.message();
  Status no_tonic = state.SetPitchRange(85, 100);  // the vocabulary's Cs are 60, 72 and 84
  ASSERT_FALSE(no_tonic.ok());
  EXPECT_NE(no_tonic.message().find("tonic"), std::string::npos) << no_tonic.message();
  EXPECT_FALSE(state.has_pitch_range());
  for (const auto& t : Split("M:4/4 K:maj R:reel e 8 -")) ASSERT_TRUE(state.Accept(t).ok());
  Status tie = state.SetPitchRange(48, 72);  // the open tie waits for e (76)
  ASSERT_FALSE(tie.ok());
  EXPECT_NE(tie.message().find("tie"), std::string::npos) << tie.message();
  EXPECT_TRUE(state.SetPitchRange(60, 84).ok());
  EXPECT_TRUE(state.has_pitch_range());
  EXPECT_NE(state.Describe().find("60..84"), std::string::npos) << state.Describe();
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

// The rules are shared between threads (shared_ptr<const>) and memoise
// CanFinish inside: walks in four threads at once allow exactly what the
// same walks allow one after another. (Run under -fsanitize=thread to see
// that the memo is locked.)
TEST(GrammarRules, SharedBetweenThreadsGiveTheSameMasks) {
  auto walk = [](const GrammarRules* rules, uint32_t seed) {
    std::mt19937 rng(seed);
    GrammarState state(rules);
    std::vector<uint8_t> allowed;
    std::string trace;
    for (int step = 0; step < 400; ++step) {
      state.Allowed(&allowed);
      std::vector<int32_t> ids;
      for (int32_t id = 0; id < static_cast<int32_t>(allowed.size()); ++id) {
        if (allowed[id]) ids.push_back(id);
      }
      if (ids.empty()) break;
      const int32_t pick = ids[rng() % ids.size()];
      trace += std::to_string(ids.size()) + ":" + std::to_string(pick) + " ";
      if (!state.Accept(pick).ok() || pick == rules->vocabulary().Id("</s>")) break;
    }
    return trace;
  };
  constexpr int kThreads = 4;
  std::vector<std::string> alone(kThreads), together(kThreads);
  {
    auto rules = GrammarRules::Make(TestVocabulary(), {});
    ASSERT_TRUE(rules.ok()) << rules.status().message();
    for (int t = 0; t < kThreads; ++t) alone[t] = walk(rules->get(), 100 + t);
  }
  auto rules = GrammarRules::Make(TestVocabulary(), {});  // a fresh memo, filled by all threads at once
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { together[t] = walk(rules->get(), 100 + t); });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_FALSE(alone[t].empty());
    EXPECT_EQ(together[t], alone[t]) << "thread " << t;
  }
}

}  // namespace
}  // namespace tunesmith::generate
