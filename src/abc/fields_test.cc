#include "abc/fields.h"

#include <gtest/gtest.h>

namespace tunesmith::abc {
namespace {

TEST(FieldsTest, KeysAcceptedTable) {
  struct Case {
    const char* text;
    const char* canonical;
    int sharps_minus_flats;  // sum of the signature
  };
  const Case cases[] = {
      {"G", "G", 1},           {"D", "D", 2},          {"Am", "Amin", 0},      {"Ador", "Ador", 1},
      {"Edor", "Edor", 2},     {"Gm", "Gmin", -2},     {"F#m", "F#min", 3},    {"Bb", "Bb", -2},
      {"Dmix", "Dmix", 1},     {"AMix", "Amix", 2},    {"D Mixolydian", "Dmix", 1}, {"Dmixm", "Dmix", 1},
      {"Bphr", "Bphr", 1},     {"Glyd", "Glyd", 2},    {"Bloc", "Bloc", 0},    {"C", "C", 0},
      {"", "C", 0},            {"HP", "HP", 2},        {"Hp", "HP", 2},        {"none", "none", 0},
      {"D exp ^f ^c", "D exp ^f ^c", 2},               {"Ador ^g", "Ador ^g", 2},
      {"C#", "C#", 7},         {"Cb", "Cb", -7},       {"G clef=bass", "G", 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<std::string> skipped;
    auto key = ParseKey(c.text, &skipped);
    ASSERT_TRUE(key.ok()) << key.status().message();
    EXPECT_EQ(key->ToString(), c.canonical);
    int sum = 0;
    for (int a : key->Signature()) sum += a;
    EXPECT_EQ(sum, c.sharps_minus_flats);
  }
}

TEST(FieldsTest, KeySignaturesOfModes) {
  // E dorian = D major (F# C#); B phrygian = G major (F#); F lydian = C major.
  auto edor = ParseKey("Edor", nullptr);
  EXPECT_EQ(edor->Signature(), (std::array<int, 7>{1, 0, 0, 1, 0, 0, 0}));
  auto gm = ParseKey("Gm", nullptr);
  EXPECT_EQ(gm->Signature(), (std::array<int, 7>{0, 0, -1, 0, 0, 0, -1}));
  auto flyd = ParseKey("Flyd", nullptr);
  EXPECT_EQ(flyd->Signature(), (std::array<int, 7>{0, 0, 0, 0, 0, 0, 0}));
  auto exp = ParseKey("D exp ^f", nullptr);
  EXPECT_EQ(exp->Signature(), (std::array<int, 7>{0, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(ParseKey("A", nullptr)->TonicPitchClass(), 9);
  EXPECT_EQ(ParseKey("Bbmin", nullptr)->TonicPitchClass(), 10);
}

TEST(FieldsTest, KeysRejectedTable) {
  for (const char* text : {"Bn", "H", "G xyz", "D ^h", "Q"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseKey(text, nullptr).ok());
  }
}

TEST(FieldsTest, MetersTable) {
  struct Case {
    const char* text;
    const char* canonical;
    std::optional<Rational> bar;
  };
  const Case cases[] = {
      {"6/8", "6/8", Rational(3, 4)}, {" 3/4", "3/4", Rational(3, 4)}, {"C", "C", Rational(1)},
      {"C|", "C|", Rational(1)},      {"none", "none", std::nullopt},  {"2+3/8", "5/8", Rational(5, 8)},
      {"12/8", "12/8", Rational(3, 2)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto m = ParseMeter(c.text);
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(m->ToString(), c.canonical);
    EXPECT_EQ(m->BarLength(), c.bar);
  }
  for (const char* bad : {"6/", "x/8", "6/8 extra", "0/4"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseMeter(bad).ok());
  }
}

TEST(FieldsTest, UnitLengthsAndDefaults) {
  EXPECT_EQ(*ParseUnitLength("1/16"), Rational(1, 16));
  EXPECT_EQ(*ParseUnitLength("1"), Rational(1));
  EXPECT_FALSE(ParseUnitLength("1/0").ok());
  EXPECT_FALSE(ParseUnitLength("eighth").ok());
  EXPECT_FALSE(ParseUnitLength("2").ok());      // longer than a whole note
  EXPECT_FALSE(ParseUnitLength("1/512").ok());  // shorter than 1/256
  EXPECT_EQ(DefaultUnitLength(*ParseMeter("2/4")), Rational(1, 16));
  EXPECT_EQ(DefaultUnitLength(*ParseMeter("3/4")), Rational(1, 8));
  EXPECT_EQ(DefaultUnitLength(*ParseMeter("C")), Rational(1, 8));
}

TEST(FieldsTest, TupletDefaults) {
  Meter simple = *ParseMeter("4/4"), compound = *ParseMeter("9/8");
  EXPECT_FALSE(IsCompound(*ParseMeter("3/8")));
  EXPECT_TRUE(IsCompound(compound));
  const int p_values[] = {2, 3, 4, 5, 6, 7, 8, 9};
  const int simple_q[] = {3, 2, 3, 2, 2, 2, 3, 2};
  const int compound_q[] = {3, 2, 3, 3, 2, 3, 3, 3};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(DefaultTupletQ(p_values[i], simple), simple_q[i]) << p_values[i];
    EXPECT_EQ(DefaultTupletQ(p_values[i], compound), compound_q[i]) << p_values[i];
  }
}

}  // namespace
}  // namespace tunesmith::abc
