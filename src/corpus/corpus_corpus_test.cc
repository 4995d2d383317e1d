// The real corpus through LoadCorpus: what is kept, rejected and duplicated,
// that the split ignores the order of the paths, and how long loading takes.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "base/testing.h"
#include "corpus/corpus.h"
#include "tokens/tokenizer.h"

namespace tunesmith::corpus {
namespace {

std::string Folder(const char* name) { return (testing::CorpusDir() / name).string(); }

Corpus LoadTimed(const std::vector<std::string>& paths, const char* label) {
  auto start = std::chrono::steady_clock::now();
  auto c = LoadCorpus(paths);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(c.ok()) << c.status().message();
  if (!c.ok()) return {};
  const LoadStats& s = c->stats;
  std::cout << label << ": " << s.tunes_seen << " seen, " << s.rejected_by_reader << " rejected by the reader, "
            << s.rejected_by_tokenizer << " by the tokenizer, " << s.duplicates << " duplicates, " << s.kept
            << " kept (" << s.train << "/" << s.valid << "/" << s.test << "), loaded in " << seconds << " s\n";
  return std::move(c).value();
}

TEST(CorpusCorpusTest, EachFolderLoadsAlmostWhole) {
  if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage();
  for (const char* name : {"nottingham", "nottingham-cleaned", "oneills1850", "ryans-mammoth"}) {
    Corpus c = LoadTimed({Folder(name)}, name);
    const LoadStats& s = c.stats;
    EXPECT_EQ(s.kept + s.rejected + s.duplicates, s.tunes_seen) << name;
    EXPECT_EQ(s.train + s.valid + s.test, s.kept) << name;
    EXPECT_LT(s.rejected, s.tunes_seen / 100) << name;  // the reader and tokenizers take nearly every tune
    // Split shares near 90/5/5.
    EXPECT_NEAR(static_cast<double>(s.valid) / s.kept, 0.05, 0.02) << name;
    EXPECT_NEAR(static_cast<double>(s.test) / s.kept, 0.05, 0.02) << name;
  }
}

TEST(CorpusCorpusTest, SplitDoesNotDependOnPathOrder) {
  if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage();
  Corpus a = LoadTimed({Folder("nottingham-cleaned"), Folder("oneills1850")}, "nottingham-cleaned + oneills1850");
  Corpus b = LoadTimed({Folder("oneills1850"), Folder("nottingham-cleaned")}, "oneills1850 + nottingham-cleaned");
  EXPECT_EQ(a.stats.kept, b.stats.kept);
  EXPECT_EQ(a.stats.duplicates, b.stats.duplicates);
  EXPECT_EQ(a.Fingerprint(), b.Fingerprint());
}

TEST(CorpusCorpusTest, TheTwoNottinghamEditionsShareManyExactTunes) {
  if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage();
  Corpus one = LoadTimed({Folder("nottingham")}, "nottingham");
  Corpus both = LoadTimed({Folder("nottingham"), Folder("nottingham-cleaned")}, "nottingham + nottingham-cleaned");
  int across = both.stats.duplicates - one.stats.duplicates;
  std::cout << "exact duplicates across the two NMD editions: " << across << "\n";
  EXPECT_GT(across, 0);
  EXPECT_LT(both.stats.kept, 2 * one.stats.kept);
}

TEST(CorpusCorpusTest, CachedTokensAreTheTokenizers) {
  if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage();
  Corpus c = LoadTimed({Folder("nottingham-cleaned")}, "nottingham-cleaned");
  ASSERT_FALSE(c.tunes.empty());
  for (size_t i = 0; i < c.tunes.size(); i += 7) {
    for (auto kind : {tokens::TokenizerKind::kAbcToken, tokens::TokenizerKind::kChar}) {
      auto direct = tokens::EncodeTune(c.tunes[i].tune, kind);
      ASSERT_TRUE(direct.ok());
      EXPECT_EQ(c.tunes[i].Tokens(kind), *direct) << c.tunes[i].tune.Describe();
    }
  }
  for (auto kind : {tokens::TokenizerKind::kAbcToken, tokens::TokenizerKind::kChar}) {
    tokens::Vocabulary v = BuildVocabulary(c, kind);
    std::cout << tokens::TokenizerKindName(kind) << " vocabulary: " << v.size() << " tokens\n";
    EXPECT_GT(v.size(), 4);
    EncodedSplit test = EncodeSplit(c, v, Split::kTest);
    EXPECT_EQ(static_cast<int>(test.tunes.size()), c.stats.test);
  }
}

}  // namespace
}  // namespace tunesmith::corpus
