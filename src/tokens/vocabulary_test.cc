#include "tokens/vocabulary.h"

#include <gtest/gtest.h>

namespace tunesmith::tokens {
namespace {

TEST(VocabularyTest, SpecialsFirstThenSortedUniqueTokens) {
  Vocabulary v(TokenizerKind::kAbcToken, {"|", "C", "<s>", "C", "M:6/8", "</s>"});
  std::vector<std::string> expected = {"<pad>", "<s>", "</s>", "<unk>", "C", "M:6/8", "|"};
  EXPECT_EQ(v.tokens(), expected);
  EXPECT_EQ(v.Id("<pad>"), kPadId);
  EXPECT_EQ(v.Id("<s>"), kBosId);
  EXPECT_EQ(v.Id("</s>"), kEosId);
  EXPECT_EQ(v.Id("<unk>"), kUnkId);
  EXPECT_EQ(v.Id("C"), 4);
  EXPECT_EQ(v.Id("|"), 6);
  EXPECT_EQ(v.Id("^F"), kUnkId);
  EXPECT_TRUE(v.Contains("M:6/8"));
  EXPECT_FALSE(v.Contains("^F"));
}

TEST(VocabularyTest, IdsAndTokensMapBothWays) {
  Vocabulary v(TokenizerKind::kAbcToken, {"C", "D", "|"});
  std::vector<std::string> tune = {"<s>", "C", "D", "^F", "|", "</s>"};
  std::vector<int32_t> ids = v.Ids(tune);
  EXPECT_EQ(ids, (std::vector<int32_t>{kBosId, 4, 5, kUnkId, 6, kEosId}));
  EXPECT_EQ(v.Tokens(ids), (std::vector<std::string>{"<s>", "C", "D", "<unk>", "|", "</s>"}));
  EXPECT_EQ(v.Tokens({99, -1}), (std::vector<std::string>{"<unk>", "<unk>"}));
}

struct RoundTripCase {
  const char* name;
  TokenizerKind kind;
  std::vector<std::string> tokens;
};

TEST(VocabularyTest, SerializeDeserializeRoundTrip) {
  const RoundTripCase cases[] = {
      {"abc-token", TokenizerKind::kAbcToken, {"M:6/8", "K:dor", "R:slip-jig", "\"bVII\"", "^F", "c'", "=B,", "3/2"}},
      {"char with blanks and escapes", TokenizerKind::kChar, {"\n", " ", "\\", "\t", "s", "n", "|", "\"", "'"}},
      {"empty", TokenizerKind::kChar, {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Vocabulary v(c.kind, c.tokens);
    std::string text = v.Serialize();
    auto back = Vocabulary::Deserialize(text);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, v);
    EXPECT_EQ(back->kind(), c.kind);
    for (const auto& t : c.tokens) EXPECT_EQ(back->Id(t), v.Id(t)) << t;
  }
}

TEST(VocabularyTest, SerializedFormIsOneVisibleTokenPerLine) {
  Vocabulary v(TokenizerKind::kChar, {"\n", " ", "\\", "a"});
  EXPECT_EQ(v.Serialize(), "kind char\n<pad>\n<s>\n</s>\n<unk>\n\\n\n\\s\n\\\\\na\n");
}

TEST(VocabularyTest, DeserializeRejectsDamagedText) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "first line"},
      {"kind words\n<pad>\n<s>\n</s>\n<unk>\n", "unknown kind"},
      {"kind char\n<pad>\n<s>\n", "fewer than the four"},
      {"kind char\n<s>\n<pad>\n</s>\n<unk>\n", "id 0 must be <pad>"},
      {"kind char\n<pad>\n<s>\n</s>\n<unk>\nb\na\n", "not sorted"},
      {"kind char\n<pad>\n<s>\n</s>\n<unk>\na\na\n", "not sorted or repeat"},
      {"kind char\n<pad>\n<s>\n</s>\n<unk>\n\\q\n", "unknown escape"},
      {"kind char\n<pad>\n<s>\n</s>\n<unk>\nx\\\n", "lone"},
  };
  for (const auto& [text, why] : cases) {
    auto v = Vocabulary::Deserialize(text);
    ASSERT_FALSE(v.ok()) << "accepted: " << text;
    EXPECT_NE(v.status().message().find(why), std::string::npos) << v.status().message();
  }
}

TEST(VocabularyTest, KindNames) {
  EXPECT_STREQ(TokenizerKindName(TokenizerKind::kAbcToken), "abc-token");
  EXPECT_STREQ(TokenizerKindName(TokenizerKind::kChar), "char");
  EXPECT_EQ(ParseTokenizerKind("char"), TokenizerKind::kChar);
  EXPECT_EQ(ParseTokenizerKind("abc-token"), TokenizerKind::kAbcToken);
  EXPECT_EQ(ParseTokenizerKind("abc"), std::nullopt);
}

}  // namespace
}  // namespace tunesmith::tokens
