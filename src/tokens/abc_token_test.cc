#include "tokens/abc_token.h"

#include <gtest/gtest.h>

namespace tunesmith::tokens {
namespace {

TEST(AbcTokenTest, ParsesEveryClass) {
  const std::pair<const char*, TokenClass> cases[] = {
      {"<s>", TokenClass::kSpecial},       {"</s>", TokenClass::kSpecial},     {"<pad>", TokenClass::kSpecial},
      {"M:6/8", TokenClass::kMeter},       {"M:4/4", TokenClass::kMeter},      {"M:12/8", TokenClass::kMeter},
      {"K:maj", TokenClass::kMode},        {"K:dor", TokenClass::kMode},       {"K:loc", TokenClass::kMode},
      {"R:jig", TokenClass::kRhythm},      {"R:slip-jig", TokenClass::kRhythm}, {"R:other", TokenClass::kRhythm},
      {"[M:2/4]", TokenClass::kInlineMeter}, {"[K:Fmaj]", TokenClass::kInlineKey},
      {"[K:Bbmin]", TokenClass::kInlineKey},
      {"[K:F#dor]", TokenClass::kInlineKey}, {"C", TokenClass::kPitch},        {"^F", TokenClass::kPitch},
      {"=B,", TokenClass::kPitch},         {"c'", TokenClass::kPitch},         {"__e''", TokenClass::kPitch},
      {"^^G,,", TokenClass::kPitch},       {"_b", TokenClass::kPitch},         {"z", TokenClass::kRest},
      {"[", TokenClass::kChordStart},      {"]", TokenClass::kChordEnd},       {"2", TokenClass::kDuration},
      {"/2", TokenClass::kDuration},       {"3/2", TokenClass::kDuration},     {"12", TokenClass::kDuration},
      {"/4", TokenClass::kDuration},       {"7/4", TokenClass::kDuration},     {"-", TokenClass::kTie},
      {"|", TokenClass::kBar},             {"||", TokenClass::kBar},           {"|]", TokenClass::kBar},
      {"|:", TokenClass::kBar},            {":|", TokenClass::kBar},           {"::", TokenClass::kBar},
      {"[1", TokenClass::kEnding},         {"[2", TokenClass::kEnding},        {"[1,3", TokenClass::kEnding},
      {"[1-2", TokenClass::kEnding},       {"(3", TokenClass::kTuplet},        {"(2", TokenClass::kTuplet},
      {"(5:4:5", TokenClass::kTuplet},     {"(3:2:2", TokenClass::kTuplet},    {">", TokenClass::kBroken},
      {"<<", TokenClass::kBroken},         {">>>", TokenClass::kBroken},       {"<<<", TokenClass::kBroken},
      {"\"V7\"", TokenClass::kChordSymbol}, {"\"bVII\"", TokenClass::kChordSymbol},
      {"\"I/3\"", TokenClass::kChordSymbol}, {"\"viio7\"", TokenClass::kChordSymbol},
  };
  for (const auto& [text, cls] : cases) {
    auto t = ParseToken(text);
    ASSERT_TRUE(t.has_value()) << text;
    EXPECT_EQ(t->cls, cls) << text << " read as " << TokenClassName(t->cls);
    EXPECT_EQ(t->text, text);
  }
}

TEST(AbcTokenTest, RejectsWhatTheEncoderNeverWrites) {
  const char* cases[] = {
      "",      "M:C",   "M:6/0",  "M:06/8", "K:Dmaj", "K:major", "K:",   "R:Jig",   "R:slip jig", "R:hop",
      "[K:dor]", "[K:fmaj]", "[K:F#]", "[M:C]", "H",   "c,",     "C'",    "^",      "^^^F",       "1",
      "2/1",   "4/2",   "/",      "//",     "0",      "02",      "/0",   "1/2",    "(3:2:3",     "(5",
      "(0",    "(3:2",  ">>>>",   "<<<<",   "<>",     "\"\"",   "\"G\"",   "\"V9\"", "[a",    "[1,",
      "|1",    ":|2",   "[|",     "x",      "Z",      "-2",
  };
  for (const char* c : cases) {
    EXPECT_FALSE(ParseToken(c).has_value()) << "accepted: " << c;
  }
}

TEST(AbcTokenTest, MeaningsOfParsedTokens) {
  EXPECT_EQ(ParseToken("3/2")->duration, abc::Rational(3, 2));
  EXPECT_EQ(ParseToken("/4")->duration, abc::Rational(1, 4));
  EXPECT_EQ(ParseToken("6")->duration, abc::Rational(6));

  auto p = ParseToken("=B,,")->pitch;
  EXPECT_EQ(p.step, 6);
  EXPECT_EQ(p.octave, -2);
  EXPECT_EQ(p.accidental, abc::Accidental::kNatural);
  p = ParseToken("^c''")->pitch;
  EXPECT_EQ(p.step, 0);
  EXPECT_EQ(p.octave, 3);
  EXPECT_EQ(p.accidental, abc::Accidental::kSharp);

  auto tuplet = ParseToken("(3")->tuplet;
  EXPECT_EQ(tuplet, (abc::Tuplet{3, 2, 3}));
  EXPECT_EQ(ParseToken("(2")->tuplet, (abc::Tuplet{2, 3, 2}));
  EXPECT_EQ(ParseToken("(5:4:5")->tuplet, (abc::Tuplet{5, 4, 5}));

  EXPECT_EQ(ParseToken(">>")->broken, 2);
  EXPECT_EQ(ParseToken("<")->broken, -1);
  EXPECT_EQ(ParseToken(":|")->bar, abc::BarKind::kRepeatEnd);
  EXPECT_EQ(ParseToken("[1,3")->ending, "1,3");

  auto key = ParseToken("[K:Bbmix]");
  EXPECT_EQ(key->key_tonic, (NoteName{6, -1}));
  EXPECT_EQ(key->mode, abc::Mode::kMixolydian);
  EXPECT_EQ(ParseToken("K:phr")->mode, abc::Mode::kPhrygian);
  EXPECT_EQ(ParseToken("M:9/8")->meter.num, 9);
  EXPECT_EQ(ParseToken("M:9/8")->meter.den, 8);
  EXPECT_EQ(ParseToken("R:set-dance")->rhythm, "set-dance");

  auto chord = ParseToken("\"V7/2\"")->chord;
  EXPECT_EQ(chord.root, (Degree{4, 0}));
  EXPECT_EQ(chord.quality, ChordQuality::kDominant7);
  EXPECT_EQ(chord.bass, (Degree{1, 0}));
}

TEST(AbcTokenTest, FormatsAndParsesBackEveryPitchAndDuration) {
  for (int step = 0; step < 7; ++step) {
    for (int octave = -3; octave <= 3; ++octave) {
      for (auto acc : {abc::Accidental::kNone, abc::Accidental::kNatural, abc::Accidental::kSharp,
                       abc::Accidental::kFlat, abc::Accidental::kDoubleSharp, abc::Accidental::kDoubleFlat}) {
        abc::Pitch p{step, octave, acc};
        std::string text = FormatPitch(p);
        auto t = ParseToken(text);
        ASSERT_TRUE(t.has_value()) << text;
        EXPECT_EQ(t->pitch, p) << text;
      }
    }
  }
  for (int num = 1; num <= 32; ++num) {
    for (int den : {1, 2, 3, 4, 8, 16}) {
      abc::Rational d(num, den);
      auto text = FormatDuration(d);
      ASSERT_TRUE(text.has_value());
      if (d == abc::Rational(1)) {
        EXPECT_EQ(*text, "");
        continue;
      }
      auto t = ParseToken(*text);
      ASSERT_TRUE(t.has_value()) << *text;
      EXPECT_EQ(t->duration, d) << *text;
    }
  }
  EXPECT_FALSE(FormatDuration(abc::Rational(0)).has_value());
}

TEST(AbcTokenTest, FormatsTheExamplesOfTheDesign) {
  EXPECT_EQ(FormatPitch({3, 0, abc::Accidental::kSharp}), "^F");
  EXPECT_EQ(FormatPitch({6, -1, abc::Accidental::kNatural}), "=B,");
  EXPECT_EQ(FormatPitch({0, 2, abc::Accidental::kNone}), "c'");
  EXPECT_EQ(FormatDuration(abc::Rational(2)), "2");
  EXPECT_EQ(FormatDuration(abc::Rational(1, 2)), "/2");
  EXPECT_EQ(FormatDuration(abc::Rational(3, 2)), "3/2");
  EXPECT_EQ(FormatBar(abc::BarKind::kStart), "||");
  EXPECT_EQ(FormatBar(abc::BarKind::kRepeatBoth), "::");
  EXPECT_EQ(FormatTuplet({3, 2, 3}), "(3");
  EXPECT_EQ(FormatTuplet({3, 2, 2}), "(3:2:2");
  EXPECT_EQ(FormatTuplet({5, 2, 5}), "(5:2:5");
  EXPECT_EQ(FormatBroken(1), ">");
  EXPECT_EQ(FormatBroken(-2), "<<");
  EXPECT_EQ(FormatInlineKey({3, 1}, abc::Mode::kDorian), "[K:F#dor]");
  abc::Meter m;
  m.num = 6;
  m.den = 8;
  EXPECT_EQ(FormatMeter(m), "M:6/8");
  EXPECT_EQ(FormatInlineMeter(m), "[M:6/8]");
  EXPECT_EQ(FormatMode(abc::Mode::kMinor), "K:min");
}

TEST(AbcTokenTest, NormalisesRhythms) {
  const std::pair<const char*, const char*> cases[] = {
      {"jig", "jig"},           {"Jig", "jig"},         {"double jig", "jig"},    {"Single Jig", "jig"},
      {"slip jig", "slip-jig"}, {"slipjig", "slip-jig"}, {"Slip-Jig", "slip-jig"}, {"reel", "reel"},
      {"Hornpipe", "hornpipe"}, {"waltz", "waltz"},     {"polka", "polka"},       {"slide", "slide"},
      {"march", "march"},       {"Strathspey", "strathspey"}, {"set dance", "set-dance"}, {"air", "air"},
      {"slow air", "air"},      {"", "other"},          {"fling", "other"},       {"reel; jig", "other"},
      {"Clog", "hornpipe"},
  };
  for (const auto& [value, rhythm] : cases) EXPECT_EQ(NormaliseRhythm(value), rhythm) << value;
  EXPECT_EQ(RhythmFieldValue("slip-jig"), "slip jig");
  EXPECT_EQ(RhythmFieldValue("other"), "");
}

}  // namespace
}  // namespace tunesmith::tokens
