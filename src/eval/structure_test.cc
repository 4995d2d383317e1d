#include "eval/structure.h"

#include <gtest/gtest.h>

#include <cmath>

#include "abc/reader.h"
#include "eval/structure_summary.h"

namespace tunesmith::eval {
namespace {

abc::Tune Read(const std::string& header, const std::string& body) {
  const std::string text = "X:1\nT:t\n" + header + "\nL:1/8\n" + body + "\n";
  abc::ReadResult r = abc::ReadAbc(text, "test.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << text;
  return r.tunes.empty() ? abc::Tune{} : r.tunes.front();
}

// Bars of 4/4 in K:G; kXNear is kX with its last note a step higher.
constexpr const char* kX = "GABc dBAG";
constexpr const char* kY = "ABcd edcB";
constexpr const char* kZ = "c2e2 d4";
constexpr const char* kW = "G8";
constexpr const char* kXNear = "GABc dBAA";

// The bars joined by '|' with a '|' after the last.
std::string Bars(const std::vector<std::string>& bars) {
  std::string out;
  for (const std::string& b : bars) out += b + "|";
  return out;
}

TEST(StructureTest, BarRepetitionAtDistancesOneToFour) {
  const std::string body = Bars({kX, kY, kX, kZ, kX, kY, kXNear, kW});
  const TuneStructure s = ComputeStructure(Read("M:4/4\nK:G", body));
  EXPECT_EQ(s.bars, 8);
  EXPECT_EQ(s.parts, 1);
  const std::array<int, 4> pairs = {7, 6, 5, 4}, exact = {0, 2, 0, 2}, similar = {0, 3, 0, 3};
  for (int d = 0; d < 4; ++d) {
    EXPECT_EQ(s.bar_pairs[d], pairs[d]) << d + 1;
    EXPECT_EQ(s.exact_repeats[d], exact[d]) << d + 1;
    EXPECT_EQ(s.similar_repeats[d], similar[d]) << d + 1;
  }
  EXPECT_EQ(s.bars_with_duplicate, 5);  // X three times, Y twice
  ASSERT_EQ(s.phrase_similarities.size(), 1u);
  EXPECT_DOUBLE_EQ(s.phrase_similarities[0], (1 + 1 + 14.0 / 16) / 3);
}

TEST(StructureTest, PhrasesAreJudgedOnlyInPartsOfEightBarMultiples) {
  const std::string seven = Bars(std::vector<std::string>(7, kX)), eight = Bars(std::vector<std::string>(8, kX));
  struct Case {
    const char* name;
    std::string body;
    std::size_t phrases;
  } cases[] = {
      {"one 8-bar part", "|:" + eight.substr(0, eight.size() - 1) + ":|", 1},
      {"a 16-bar part is two phrases", eight + eight + "]", 2},
      {"a 7-bar part is not judged", "|:" + seven.substr(0, seven.size() - 1) + ":|", 0},
      {"8 bars on the first pass, 9 written with a second ending",
       "|:" + seven + "1 " + kX + ":|2 " + kY + "||", 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const TuneStructure s = ComputeStructure(Read("M:4/4\nK:G", c.body));
    EXPECT_EQ(s.phrase_similarities.size(), c.phrases);
    for (double p : s.phrase_similarities) EXPECT_DOUBLE_EQ(p, 1.0);
  }
}

TEST(StructureTest, CadencesAndRegister) {
  // Part 1 ends on D, the dominant of G; part 2 ends on the tonic, 14.5 semitones higher on average.
  const TuneStructure two = ComputeStructure(Read("M:2/4\nK:G", "|:GGGG|DDDD:|\n|:gggg|gggg:|"));
  EXPECT_EQ(two.parts, 2);
  EXPECT_EQ(two.first_part_end, Degree::kDominant);
  EXPECT_EQ(two.final_note, Degree::kTonic);
  ASSERT_TRUE(two.register_rise.has_value());
  EXPECT_DOUBLE_EQ(*two.register_rise, 79 - 64.5);

  const TuneStructure one = ComputeStructure(Read("M:2/4\nK:G", "GGGG|ABcA|"));
  EXPECT_EQ(one.parts, 1);
  EXPECT_EQ(one.first_part_end, Degree::kNone);
  EXPECT_FALSE(one.register_rise.has_value());
  EXPECT_EQ(one.final_note, Degree::kOther);
}

TEST(StructureTest, KeyRangeAndNoteLengths) {
  const TuneStructure s = ComputeStructure(Read("M:6/8\nK:Ador", "G,/A,/B,C C2D|E3 c'3|"));
  EXPECT_EQ(s.tonic_pitch_class, 9);
  EXPECT_EQ(s.mode, abc::Mode::kDorian);
  EXPECT_EQ(s.lowest, 55);   // G,
  EXPECT_EQ(s.highest, 84);  // c'
  EXPECT_EQ(s.meter_group, MeterGroup::k6_8);
  // 1/16 1/16 1/8 1/8 1/4 1/8 | 3/8 3/8.
  const std::array<int, 4> lengths = {2, 3, 1, 2};
  for (int c = 0; c < 4; ++c) EXPECT_EQ(s.note_lengths[c], lengths[c]) << LengthClassName(static_cast<LengthClass>(c));
  EXPECT_FALSE(s.has_32nd);
  EXPECT_TRUE(ComputeStructure(Read("M:2/4\nK:G", "G//G//G/ G3|")).has_32nd);
}

TEST(StructureTest, JigFiguresAndEvenEighths) {
  struct Case {
    const char* name;
    const char* header;
    const char* body;
    int jig_bars, classic, reel_beats, even;
  } cases[] = {
      {"three eighths, dotted quarter, quarter+eighth; eighth+quarter and sixteenths are not classic", "M:6/8\nK:G",
       "ABc d2e|f3 e2d|AB2 c3|A/B/Bc d3|", 4, 2, 0, 0},
      {"every bar classic", "M:6/8\nK:G", "ABc d2e|f3 e2d|", 2, 2, 0, 0},
      {"a tie across the bar line spoils both bars", "M:6/8\nK:G", "ABc d2e-|e3 e2d|", 2, 0, 0, 0},
      {"4/4: five of eight beats are even eighths", "M:4/4\nK:G", "GABc dBAG|G2 AB c4|", 0, 0, 8, 5},
      {"2/2 counts like 4/4; dotted rhythm is not even", "M:2/2\nK:G", "G>AB>c d>BA>G|", 0, 0, 4, 0},
      {"a pickup is not a full bar", "M:4/4\nK:G", "D|GABc dBAG|", 0, 0, 4, 4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const TuneStructure s = ComputeStructure(Read(c.header, c.body));
    EXPECT_EQ(s.jig_bars, c.jig_bars);
    EXPECT_EQ(s.classic_jig_bars, c.classic);
    EXPECT_EQ(s.reel_beats, c.reel_beats);
    EXPECT_EQ(s.even_eighth_beats, c.even);
  }
}

TEST(StructureTest, TiesAcrossBarLines) {
  const TuneStructure tied = ComputeStructure(Read("M:4/4\nK:G", "GABc dBA G-|G2 AB c4|c2 d2 e4|"));
  EXPECT_EQ(tied.bar_lines, 2);
  EXPECT_EQ(tied.tied_bar_lines, 1);
  const TuneStructure within = ComputeStructure(Read("M:4/4\nK:G", "GA-AB c4|"));
  EXPECT_EQ(within.bar_lines, 0);
  EXPECT_EQ(within.tied_bar_lines, 0);
}

struct HarmonyCase {
  const char* name;
  const char* header;
  const char* body;
  int strong_beats, chord_tones;
  std::optional<bool> final_in_chord, final_is_tonic;
};

TEST(StructureTest, ChordTonesOnStrongBeatsAndTheFinalChord) {
  const HarmonyCase cases[] = {
      {"4/4: beats 1 and 3; d under C is no chord tone", "M:4/4\nK:G", "\"G\"GABc \"D\"dBAG|\"C\"dBAG \"G\"G4|", 4, 3,
       true, true},
      {"a chord holds until the next; the first beat before any chord is not counted", "M:4/4\nK:G",
       "GABc \"D\"dBAG|cBcA d4|", 3, 2, true, false},
      {"3/4: beat 1 only", "M:3/4\nK:D", "\"D\"DFA \"A\"cBA|\"D\"d6|", 2, 2, true, true},
      {"6/8: two dotted-quarter beats", "M:6/8\nK:Em", "\"Em\"EFG \"B7\"GED|\"Em\"E3 E3|", 4, 3, true, true},
      {"E major is not i in E minor", "M:6/8\nK:Em", "\"Em\"EFG \"E\"E3|", 2, 2, true, false},
      {"A minor is i in A dorian", "M:6/8\nK:Ador", "\"Am\"ABc \"G\"cAG|\"Am\"A6|", 4, 3, true, true},
      {"D major is I in D mixolydian; final note F# is in it", "M:2/4\nK:Dmix", "\"D\"DE FA|\"D\"F4|", 4, 4, true,
       true},
      {"optional chords and text are ignored", "M:2/4\nK:G", "\"G\"GB \"(D7)\"dB|\"Fine\"G4|", 4, 4, true, true},
      {"no chords", "M:2/4\nK:G", "GB dB|G4|", 0, 0, std::nullopt, std::nullopt},
  };
  for (const HarmonyCase& c : cases) {
    SCOPED_TRACE(c.name);
    const TuneStructure s = ComputeStructure(Read(c.header, c.body));
    EXPECT_EQ(s.strong_beats, c.strong_beats);
    EXPECT_EQ(s.strong_chord_tones, c.chord_tones);
    EXPECT_EQ(s.final_note_in_final_chord, c.final_in_chord);
    EXPECT_EQ(s.final_chord_is_tonic, c.final_is_tonic);
  }
}

TEST(StructureTest, ChordTonesOfSymbols) {
  const std::pair<const char*, std::vector<int>> cases[] = {
      {"G", {2, 7, 11}},       {"Am7", {0, 4, 7, 9}}, {"D/F#", {2, 6, 9}}, {"Bdim", {2, 5, 11}},
      {"Gsus4", {0, 2, 7}},    {"G/F", {2, 5, 7, 11}}, {"Bbm", {1, 5, 10}}, {"(A7)", {}},
      {"Fine", {}},            {"", {}},
  };
  for (const auto& [text, tones] : cases) EXPECT_EQ(ChordTones(text), tones) << text;
}

TEST(StructureTest, RhythmAgainstMeter) {
  struct Case {
    const char* rhythm;
    const char* meter;
    std::optional<bool> fits;
  } cases[] = {
      {"jig", "6/8", true},      {"jig", "4/4", false},      {"reel", "C|", true},       {"reel", "2/2", true},
      {"reel", "C", true},       {"reel", "6/8", false},     {"hornpipe", "2/4", true},  {"hornpipe", "C|", true},   {"hornpipe", "6/8", false},
      {"waltz", "3/4", true},    {"polka", "2/4", true},     {"slip-jig", "9/8", true},  {"slip-jig", "6/8", false},
      {"slide", "12/8", true},   {"air", "3/4", std::nullopt}, {"other", "4/4", std::nullopt},
  };
  for (const Case& c : cases) {
    const abc::Tune t = Read(std::string("M:") + c.meter + "\nK:G", "G8|");
    EXPECT_EQ(RhythmFitsMeter(c.rhythm, t.meter), c.fits) << c.rhythm << " " << c.meter;
  }
  // R: values are normalised as the tokenizer does ("double jig" is a jig).
  EXPECT_EQ(ComputeStructure(Read("M:6/8\nR:double jig\nK:G", "G6|")).rhythm_meter_agree, true);
  EXPECT_EQ(ComputeStructure(Read("M:6/8\nR:Reel\nK:G", "G6|")).rhythm_meter_agree, false);
  EXPECT_EQ(ComputeStructure(Read("M:6/8\nK:G", "G6|")).rhythm_meter_agree, std::nullopt);
}

TEST(StructureTest, FeatureVectorMarksWhatDoesNotApply) {
  const TuneStructure s = ComputeStructure(Read("M:2/4\nK:G", "GB dB|G4|"));
  const std::vector<double> v = StructureFeatureVector(s);
  const std::vector<std::string>& names = StructureFeatureNames();
  ASSERT_EQ(v.size(), names.size());
  auto at = [&](const std::string& name) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return v[i];
    ADD_FAILURE() << name;
    return 0.0;
  };
  EXPECT_DOUBLE_EQ(at("bars"), 2);
  EXPECT_DOUBLE_EQ(at("repeat_exact_1"), 0);
  EXPECT_TRUE(std::isnan(at("repeat_exact_2")));  // no pair at distance 2
  EXPECT_TRUE(std::isnan(at("phrase_similarity")));
  EXPECT_TRUE(std::isnan(at("first_part_end_tonic")));
  EXPECT_TRUE(std::isnan(at("classic_jig_bars")));
  EXPECT_TRUE(std::isnan(at("strong_beat_chord_tones")));
  EXPECT_DOUBLE_EQ(at("has_chords"), 0);
  EXPECT_DOUBLE_EQ(at("key_in_dgae"), 1);
  EXPECT_DOUBLE_EQ(at("mode_major"), 1);
  EXPECT_DOUBLE_EQ(at("length_eighth"), 0.8);  // G B d B G4: four eighths of five notes
}

const StructureFigure& Figure(const std::vector<StructureFigure>& figures, const std::string& key) {
  for (const StructureFigure& f : figures)
    if (f.key == key) return f;
  ADD_FAILURE() << key;
  static const StructureFigure kNone;
  return kNone;
}

TEST(StructureSummaryTest, SharesPoolCountsOverTheSet) {
  // Tune 1: X X X X X (4 pairs at distance 1, all exact); tune 2: X Y (1 pair, none).
  const std::vector<TuneStructure> set = {ComputeStructure(Read("M:4/4\nK:G", Bars(std::vector<std::string>(5, kX)))),
                                          ComputeStructure(Read("M:4/4\nK:Em", Bars({kX, kY})))};
  const std::vector<StructureFigure> f = SummariseStructure(set);
  EXPECT_DOUBLE_EQ(*Figure(f, "bar_repeat_exact_1").value, 4.0 / 5);  // pooled, not (1 + 0) / 2
  EXPECT_EQ(Figure(f, "bar_repeat_exact_1").count, 5);
  EXPECT_DOUBLE_EQ(*Figure(f, "duplicated_bars").value, 5.0 / 7);
  EXPECT_DOUBLE_EQ(*Figure(f, "bars").value, 3.5);  // median of 5 and 2
  EXPECT_DOUBLE_EQ(*Figure(f, "key_in_dgae").value, 1.0);
  EXPECT_DOUBLE_EQ(*Figure(f, "mode.min").value, 0.5);
  EXPECT_DOUBLE_EQ(*Figure(f, "tonic.G").value, 0.5);
  EXPECT_DOUBLE_EQ(*Figure(f, "reel_even_eighths").value, 1.0);  // every beat of X and Y
  EXPECT_FALSE(Figure(f, "jig_classic_bars").value.has_value());  // no 6/8 tune
  EXPECT_EQ(Figure(f, "jig_classic_bars").count, 0);
  EXPECT_FALSE(Figure(f, "first_part_ends_on_tonic").value.has_value());
}

TEST(StructureSummaryTest, ComparisonKeepsEveryFigureButEmptyDistributionRows) {
  const std::vector<TuneStructure> g = {ComputeStructure(Read("M:6/8\nK:C", "CDE FGA|c3 c3|"))};
  const std::vector<TuneStructure> r = {ComputeStructure(Read("M:6/8\nK:D", "DEF GAB|d3 d3|"))};
  const std::vector<StructureRow> rows = CompareStructure(g, r);
  std::vector<std::string> tonic_rows;
  for (const StructureRow& row : rows)
    if (row.key.starts_with("tonic.")) tonic_rows.push_back(row.key);
  EXPECT_EQ(tonic_rows, (std::vector<std::string>{"tonic.C", "tonic.D"}));
  const std::size_t all = SummariseStructure(g).size();
  EXPECT_EQ(rows.size(), all - 10 - 6);  // 10 tonics and 6 modes nobody has
  for (const StructureRow& row : rows) {
    if (row.key != "jig_tunes_classic") continue;
    EXPECT_DOUBLE_EQ(*row.generated, 1.0);
    EXPECT_DOUBLE_EQ(*row.real, 1.0);
    EXPECT_EQ(row.generated_count, 1);
  }
}

}  // namespace
}  // namespace tunesmith::eval
