#include "abc/chord_symbol.h"

#include <gtest/gtest.h>

namespace tunesmith::abc {
namespace {

TEST(ChordSymbolTest, CorpusSpellingsTable) {
  const std::pair<const char*, const char*> cases[] = {
      {"G", "G"},          {"Em", "Em"},        {"F#m", "F#m"},      {"Bb", "Bb"},       {"A7", "A7"},
      {"D/f+", "D/F#"},    {"A7/c+", "A7/C#"},  {"G/b", "G/B"},      {"Gm/bb", "Gm/Bb"}, {"G/dim", "Gdim"},
      {"D#/dim", "D#dim"}, {"Cd", "Cdim"},      {"Ca", "Caug"},      {"Fa7", "Faug7"},   {"E7/b9", "E7"},
      {"E7b9", "E7"},      {"(A7)", "(A7)"},    {"C(7)", "C7"},      {"D m", "Dm"},      {" Em", "Em"},
      {"Bm7", "Bm7"},      {"Cmaj7", "Cmaj7"},  {"C6", "C6"},        {"Eaug", "Eaug"},   {"(F+7)", "(Faug7)"},
      {"G/G", "G"},
  };
  for (const auto& [text, canonical] : cases) {
    SCOPED_TRACE(text);
    auto chord = ParseChordSymbol(text);
    ASSERT_TRUE(chord.has_value());
    EXPECT_EQ(chord->ToString(), canonical);
  }
}

TEST(ChordSymbolTest, NotChordsTable) {
  for (const char* text : {"", " ", "f#", "e", "bb", "3", "D.C.", "Fine", "g G", "Dm G7", "G/(pl", "/@>.5A",
                           "f/=", "tr", "Segno", "C13x", "D/nF"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseChordSymbol(text).has_value());
  }
}

TEST(ChordSymbolTest, MoveNoteName) {
  struct Case {
    int step, alter, letters, semitones, want_step, want_alter;
  };
  const Case cases[] = {
      {1, 0, 1, 2, 2, 0},    // D up a major second: E
      {1, 0, 2, 3, 3, 0},    // D up a minor third: F
      {3, 1, -1, -2, 2, 0},  // F# down a major second: E
      {6, -1, 3, 5, 2, -1},  // Bb up a fourth: Eb
      {4, 0, -4, -7, 0, 0},  // G down a fifth: C
  };
  for (const auto& c : cases) {
    int step = c.step, alter = c.alter;
    MoveNoteName(c.letters, c.semitones, &step, &alter);
    EXPECT_EQ(step, c.want_step);
    EXPECT_EQ(alter, c.want_alter);
  }
}

}  // namespace
}  // namespace tunesmith::abc
