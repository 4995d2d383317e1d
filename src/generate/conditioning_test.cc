#include "generate/conditioning.h"

#include <gtest/gtest.h>

#include "generate/test_vocabulary.h"

namespace tunesmith::generate {
namespace {

using testing::TestVocabulary;

TEST(Conditioning, HeaderTokens) {
  const auto v = TestVocabulary();
  EXPECT_EQ(*MeterToken("6/8", v), "M:6/8");
  EXPECT_EQ(*MeterToken(" C ", v), "M:4/4");
  EXPECT_EQ(*MeterToken("C|", v), "M:2/2");
  EXPECT_EQ(*ModeToken("min", v), "K:min");
  EXPECT_EQ(*ModeToken("Minor", v), "K:min");
  EXPECT_EQ(*ModeToken("dorian", v), "K:dor");
  EXPECT_EQ(*RhythmToken("Reel", v), "R:reel");
  EXPECT_EQ(*RhythmToken("slip jig", v), "R:slip-jig");
}

TEST(Conditioning, RefusalsListWhatTheModelKnows) {
  const auto v = TestVocabulary();
  auto m = MeterToken("5/4", v);  // a meter, but not one the model saw
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("6/8"), std::string::npos) << m.status().message();
  EXPECT_FALSE(MeterToken("six eight", v).ok());
  auto mode = ModeToken("lyd", v);
  ASSERT_FALSE(mode.ok());
  EXPECT_NE(mode.status().message().find("dor"), std::string::npos);
  EXPECT_FALSE(ModeToken("happy", v).ok());
  auto r = RhythmToken("tango", v);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("hornpipe"), std::string::npos) << r.status().message();
  EXPECT_FALSE(RhythmToken("polka", v).ok());  // known rhythm, not in this model
}

TEST(Conditioning, Keys) {
  auto d = ParseKey("D");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->tonic.step, 1);
  EXPECT_FALSE(d->mode.has_value());
  auto bb = ParseKey("Bb");
  EXPECT_EQ(bb->tonic.step, 6);
  EXPECT_EQ(bb->tonic.alter, -1);
  auto em = ParseKey("Em");
  EXPECT_EQ(em->mode, abc::Mode::kMinor);
  auto fsdor = ParseKey("F#dor");
  EXPECT_EQ(fsdor->tonic.alter, 1);
  EXPECT_EQ(fsdor->mode, abc::Mode::kDorian);
  EXPECT_FALSE(ParseKey("H").ok());
  EXPECT_FALSE(ParseKey("Dxyz").ok());
  EXPECT_FALSE(ParseKey("").ok());
}

TEST(Conditioning, PrimeIsTransposedToC) {
  const auto v = TestVocabulary();
  // In D major: D E F# A -> C D E G in the root-C stream.
  auto tokens = PrimeTokens("DEFA d2 | f2", "M:4/4", "K:maj", {1, 0}, v);
  ASSERT_TRUE(tokens.ok()) << tokens.status().message();
  EXPECT_EQ(*tokens, (std::vector<std::string>{"C", "D", "E", "G", "c", "2", "|", "e", "2"}));
}

TEST(Conditioning, BadPrimesPointAtTheProblem) {
  const auto v = TestVocabulary();
  auto bad = PrimeTokens("CDEF GA%B c &&", "M:4/4", "K:maj", {0, 0}, v);
  auto unreadable = PrimeTokens("CDEF | GA(B", "M:4/4", "K:maj", {0, 0}, v);
  auto too_long = PrimeTokens("CDEF GABc d | c4", "M:4/4", "K:maj", {0, 0}, v);
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.status().message().find("^"), std::string::npos) << too_long.status().message();
  EXPECT_NE(too_long.status().message().find("CDEF GABc d"), std::string::npos);
  auto unknown = PrimeTokens("C/8 D |", "M:4/4", "K:maj", {0, 0}, v);  // a length the model lacks
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("/8"), std::string::npos) << unknown.status().message();
  auto nothing = PrimeTokens("", "M:4/4", "K:maj", {0, 0}, v);
  EXPECT_FALSE(nothing.ok());
  // Reader errors come with a caret too (whatever the reader calls an error).
  for (const auto* r : {&bad, &unreadable}) {
    if (!r->ok()) {
      EXPECT_NE(r->status().message().find("--prime"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace tunesmith::generate
