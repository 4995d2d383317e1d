#include "tokens/chord_symbol.h"

#include <gtest/gtest.h>

namespace tunesmith::tokens {
namespace {

// The chord as the normaliser keeps it: parsed by abc, written over C and
// back; "" when it has no numeral (and is dropped).
std::string Kept(const char* text) {
  auto chord = abc::ParseChordSymbol(text);
  if (!chord) return "";
  auto degrees = ToDegrees(*chord, NoteName{0, 0});
  if (!degrees || !RomanNumeral(*degrees)) return "";
  return FromDegrees(*degrees, NoteName{0, 0}).ToString();
}

// What had a numeral before chord symbols were parsed once (in abc/) still
// has the same one, and what had none still has none: the vocabulary and the
// bundled model do not change.
TEST(ChordSymbolTest, NumeralsCoverTheChordsTheyAlwaysCovered) {
  const std::pair<const char*, const char*> cases[] = {
      {"G", "G"},         {"F#m", "F#m"},     {"Bb7", "Bb7"},       {"Am7", "Am7"},   {"C6", "C6"},
      {"Dm6", "Dm6"},     {"Gmaj7", "Gmaj7"}, {"D/f+", "D/F#"},     {"A7/c+", "A7/C#"}, {"Gm/bb", "Gm/Bb"},
      {"G/b", "G/B"},     {"Gd", "Gdim"},     {"C#d", "C#dim"},     {"Ca", "Caug"},   {"Fa7", "Faug7"},
      {"Gdim", "Gdim"},   {"G/dim", "Gdim"},  {"D#/dim", "D#dim"},  {"E7b9", "E7"},   {" Em", "Em"},
      {"D m", "Dm"},      {"C/c", "C"},       {"C/B#", "C"},        {"Bdim7", "Bdim7"}, {"Cm7b5", "Cm7b5"},
      {"GM", "G"},        {"E7/b9", "E7"},
      // abc reads these as chords; they have no numeral and are dropped.
      {"(A7)", ""},       {"C9", ""},         {"Dsus4", ""},        {"Asus", ""},     {"D5", ""},
      {"Em9", ""},        {"Gmaj9", ""},      {"E11", ""},          {"A7sus4", ""},   {"Csus2", ""},
      // Not chords at all.
      {"D.C.", ""},       {"f#", ""},         {"e", ""},            {"Dm G7", ""},    {"p", ""},
      {"", ""},           {"Fine", ""},       {"H", ""},            {"G (A7)", ""},
  };
  for (const auto& [text, kept] : cases) EXPECT_EQ(Kept(text), kept) << "\"" << text << "\"";
}

struct RomanCase {
  const char* chord;
  NoteName tonic;
  const char* roman;
};

TEST(ChordSymbolTest, RomanNumeralsRelativeToTheTonic) {
  const NoteName C{0, 0}, D{1, 0}, G{4, 0}, A{5, 0}, Bb{6, -1}, E{2, 0};
  const RomanCase cases[] = {
      {"D", D, "I"},        {"G", D, "IV"},          {"A7", D, "V7"},        {"Em", D, "ii"},
      {"F#m", D, "iii"},    {"Bm", D, "vi"},         {"C", D, "bVII"},       {"D/F#", D, "I/3"},
      {"A7/C#", D, "V7/7"}, {"Dm", D, "i"},          {"F", D, "bIII"},       {"C#dim", D, "viio"},
      {"G", G, "I"},        {"D7", G, "V7"},         {"E7", G, "VI7"},       {"Am", G, "ii"},
      {"F", G, "bVII"},     {"Cm", G, "iv"},         {"Eb", G, "bVI"},       {"A", A, "I"},
      {"E7", A, "V7"},      {"G", A, "bVII"},        {"Bb", Bb, "I"},        {"F7", Bb, "V7"},
      {"B", Bb, "#I"},      {"Gm/Bb", Bb, "vi/1"},   {"C#m", E, "vi"},       {"Caug", E, "bVI+"},
      {"Gmaj7", D, "IVmaj7"}, {"Bm7", D, "vi7"},     {"Bdim7", G, "iiio7"},  {"Em6", G, "vi6"},
      {"C6", G, "IV6"},     {"Faug7", G, "bVII+7"},  {"Cm7b5", Bb, "ii7b5"}, {"D7/C", G, "V7/4"},
      {"E/G#", A, "V/7"},     {"D/F#", C, "II/#4"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.chord) + " over tonic step " + std::to_string(c.tonic.step));
    auto chord = abc::ParseChordSymbol(c.chord);
    ASSERT_TRUE(chord.has_value());
    auto to_degrees = ToDegrees(*chord, c.tonic);
    ASSERT_TRUE(to_degrees.has_value());
    const ChordDegree degrees = *to_degrees;
    auto roman = RomanNumeral(degrees);
    ASSERT_TRUE(roman.has_value());
    EXPECT_EQ(*roman, c.roman);
    // Back: the numeral read and spelled over the same tonic is the same chord.
    auto parsed = ParseRomanNumeral(*roman);
    ASSERT_TRUE(parsed.has_value()) << *roman;
    EXPECT_EQ(*parsed, degrees);
    EXPECT_EQ(FromDegrees(*parsed, c.tonic).ToString(), chord->ToString());
  }
}

TEST(ChordSymbolTest, NumeralsSpellChordsInAnyKey) {
  // "bVII" is C in D, F in G, Bb in C, Eb in F, E in F#.
  auto bvii = ParseRomanNumeral("bVII");
  ASSERT_TRUE(bvii.has_value());
  const std::pair<NoteName, const char*> cases[] = {
      {{1, 0}, "C"}, {{4, 0}, "F"}, {{0, 0}, "Bb"}, {{3, 0}, "Eb"}, {{3, 1}, "E"}, {{6, -1}, "Ab"},
  };
  for (const auto& [tonic, name] : cases) EXPECT_EQ(FromDegrees(*bvii, tonic).ToString(), name);
}

TEST(ChordSymbolTest, RespellsDoubleAccidentals) {
  auto chord = [](int step, int alter, const char* quality, int bass_step = -1, int bass_alter = 0) {
    abc::ChordSymbol c;
    c.root_step = step;
    c.root_alter = alter;
    c.quality = quality;
    c.has_bass = bass_step >= 0;
    c.bass_step = bass_step < 0 ? 0 : bass_step;
    c.bass_alter = bass_alter;
    return c;
  };
  const std::pair<abc::ChordSymbol, const char*> cases[] = {
      {chord(3, 2, "dim"), "Gdim"},        {chord(6, -2, "m"), "Am"},
      {chord(2, 2, ""), "F#"},             {chord(4, 1, "m", 3, 2), "G#m/G"},
      {chord(0, -1, "maj7", 2, -2), "Cbmaj7/D"}, {chord(1, 0, "7"), "D7"},
  };
  for (const auto& [c, name] : cases) EXPECT_EQ(WithoutDoubleAccidentals(c).ToString(), name);
}

TEST(ChordSymbolTest, RejectsNumeralsItWouldNotWrite) {
  const char* cases[] = {"",     "X",    "IIII", "iI",   "ii+",   "Io",    "I/8",  "I/0",  "Vsus",
                         "V7/",  "bbbI", "vm",   "IM7",  "#i/##", "I/3b",  "v 7",  "VII7b5", "I7b9"};
  for (const char* c : cases) EXPECT_FALSE(ParseRomanNumeral(c).has_value()) << c;
}

TEST(ChordSymbolTest, DegreesRoundTripOverEveryTonic) {
  for (int step = 0; step < 7; ++step) {
    for (int alter = -1; alter <= 1; ++alter) {
      NoteName tonic{step, alter};
      for (int d = 0; d < 7; ++d) {
        for (int a = -1; a <= 1; ++a) {
          Degree degree{d, a};
          EXPECT_EQ(DegreeOf(NoteOfDegree(degree, tonic), tonic), degree);
        }
      }
    }
  }
}

}  // namespace
}  // namespace tunesmith::tokens
