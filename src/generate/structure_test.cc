#include "generate/structure.h"

#include <gtest/gtest.h>

#include "generate/test_vocabulary.h"

namespace tunesmith::generate {
namespace {

using testing::Split;

TEST(ParseStructure, Accepted) {
  struct Case {
    std::string parts;
    int bars;
    std::string expect;
  };
  for (const Case& c : std::vector<Case>{{"AABB", 8, "AABB, 8 bars per part"},
                                         {"aabb", 0, "AABB, 8 bars per part"},
                                         {"AB", 4, "AB, 4 bars per part"},
                                         {"AABBCC", 16, "AABBCC, 16 bars per part"},
                                         {"AAB", 8, "AAB, 8 bars per part"},
                                         {"", 16, "A, 16 bars per part"},
                                         {"", 0, "free form"}}) {
    auto s = ParseStructure(c.parts, c.bars);
    ASSERT_TRUE(s.ok()) << c.parts << ": " << s.status().message();
    EXPECT_EQ(s->ToString(), c.expect);
  }
  auto aabb = ParseStructure("AABB", 8);
  ASSERT_EQ(aabb->parts.size(), 2u);
  EXPECT_TRUE(aabb->parts[0].repeated);
  EXPECT_EQ(aabb->parts[1].letter, 'B');
}

TEST(ParseStructure, Refused) {
  for (auto [parts, bars] : std::vector<std::pair<std::string, int>>{
           {"AAAB", 8}, {"ABA", 8}, {"A-B", 8}, {"AB", 0 - 1}, {"AB", 65}, {"A1", 8}}) {
    auto s = ParseStructure(parts, bars);
    EXPECT_FALSE(s.ok()) << parts << " " << bars;
  }
  EXPECT_NE(ParseStructure("ABA", 8).status().message().find("AABB"), std::string::npos);
}

TEST(CheckStructure, AcceptsWhatTheFormSays) {
  auto aabb = *ParseStructure("AABB", 2);
  const std::vector<std::string> good = {
      "<s> M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 4 :| </s>",
      "<s> M:2/4 K:maj R:other |: A 4 | B 4 :| |: C 4 | D 4 :| </s>",
      "<s> M:2/4 K:maj R:other |: G | A 4 | B 3 :: G | C 4 | D 3 :| </s>",  // pickup and complements
      "<s> M:2/4 K:maj R:other |: A 4 | [1 B 4 :| [2 c 4 |: C 4 | D 4 :| </s>",
      "<s> M:2/4 K:maj R:other A 4 | B 4 :: C 4 | D 4 :| </s>",  // A repeats from the start without |:
  };
  for (const auto& t : good) {
    Status s = CheckStructure(Split(t), aabb);
    EXPECT_TRUE(s.ok()) << t << ": " << s.message();
  }
  const std::vector<std::string> bad = {
      "<s> M:2/4 K:maj R:other A 4 | B 4 :| C 4 | D 4 :| </s>",           // B does not open with |:
      "<s> M:2/4 K:maj R:other |: A 4 | B 4 | c 4 :: C 4 | D 4 :| </s>",  // A has 3 bars
      "<s> M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 4 |] </s>",        // B not repeated
      "<s> M:2/4 K:maj R:other |: A 4 | B 4 :| C 4 | D 4 :| </s>",        // B does not open with |:
      "<s> M:2/4 K:maj R:other |: A 4 | B 3 :: C 4 | D 4 :| </s>",        // a short bar, no pickup
      "<s> M:2/4 K:maj R:other |: A 4 | B 4 :: C 4 | D 4 :| E 4 | </s>",  // music after the form
  };
  for (const auto& t : bad) EXPECT_FALSE(CheckStructure(Split(t), aabb).ok()) << t;
  auto ab = *ParseStructure("AB", 2);
  EXPECT_TRUE(CheckStructure(Split("<s> M:2/4 K:maj R:other A 4 | B 4 || C 4 | D 4 |] </s>"), ab).ok());
  EXPECT_TRUE(CheckStructure(Split("<s> M:2/4 K:maj R:other A 4 | B 4 || C 4 | D 4 || </s>"), ab).ok());
  EXPECT_FALSE(CheckStructure(Split("<s> M:2/4 K:maj R:other A 4 | B 4 | C 4 | D 4 |] </s>"), ab).ok());
  EXPECT_TRUE(CheckStructure(Split("<s> M:2/4 K:maj R:other A 4 | B 4 |] </s>"), Structure{}).ok());
}

}  // namespace
}  // namespace tunesmith::generate
