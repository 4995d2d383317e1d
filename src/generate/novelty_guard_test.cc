#include "generate/novelty_guard.h"
#include "corpus/novelty.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "abc/reader.h"
#include "generate/test_vocabulary.h"
#include "tokens/tokenizer.h"

namespace tunesmith::generate {
namespace {

using testing::Split;

// A training tune of eight distinct bars.
const std::string kTraining =
    "<s> M:4/4 K:maj R:reel C D E F G A B c | d c B A G F E D | C E G c e c G E | D F A d f d A F | "
    "E G B e g e B G | F A c f a f c A | G B d g b g d B | c 8 |] </s>";

std::shared_ptr<const corpus::NoveltyIndex> IndexOf(const std::vector<std::string>& training_tokens) {
  corpus::IndexedTune t;
  t.title = "The Training Reel";
  t.bars = corpus::BarHashesOfTokens(training_tokens);
  return std::make_shared<corpus::NoveltyIndex>(std::vector<corpus::IndexedTune>{t}, "test");
}

// Feeds `tokens` to a tracker; returns the run the guard sees at each bar line.
std::vector<int> RunsAtBarLines(const NoveltyGuard& guard, const std::vector<std::string>& tokens) {
  NoveltyGuard::Tracker tracker = guard.Start();
  std::vector<int> runs;
  for (const std::string& t : tokens) {
    if (t == "|" || t == "|]") runs.push_back(tracker.RunIfClosed());
    tracker.Push(t);
  }
  return runs;
}

TEST(NoveltyGuard, SeesTheRunGrowBarByBar) {
  const auto training = Split(kTraining);
  NoveltyGuard guard(IndexOf(training), 3);
  EXPECT_EQ(RunsAtBarLines(guard, training), (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  // The same bars a fifth higher and an octave up are the same bars (root-C stream: same tokens).
  const auto other = Split("<s> M:4/4 K:maj R:reel C D E F G A B c | C C C C C C C C | d c B A G F E D |] </s>");
  EXPECT_EQ(RunsAtBarLines(guard, other), (std::vector<int>{1, 0, 1}));
}

TEST(NoveltyGuard, BlocksTheBarThatWouldExceedTheThreshold) {
  const auto training = Split(kTraining);
  NoveltyGuard guard(IndexOf(training), 3);
  auto rules = GrammarRules::Make(testing::TestVocabulary(), {});
  ASSERT_TRUE(rules.ok());
  GrammarState state(rules->get());
  NoveltyGuard::Tracker tracker = guard.Start();
  std::vector<uint8_t> allowed;
  int bar_lines = 0;
  bool blocked = false;
  for (size_t i = 1; i < training.size(); ++i) {  // the mask starts after <s>
    if (i == 1) tracker.Push(training[0]);
    const std::string& t = training[i];
    state.Allowed(&allowed);
    const int32_t id = (*rules)->vocabulary().Id(t);
    if (t == "|") {
      ASSERT_TRUE(allowed[id]) << "the mask alone allows the bar line";
      const bool cleared = guard.Filter(tracker, **rules, &allowed);
      if (bar_lines < 3) {
        EXPECT_FALSE(cleared) << "bar " << bar_lines + 1;
        EXPECT_TRUE(allowed[id]);
      } else {
        // The fourth shared bar: no bar line may close it.
        EXPECT_TRUE(cleared);
        for (int32_t b = 0; b < (*rules)->size(); ++b) {
          if ((*rules)->info(b).token.cls == tokens::TokenClass::kBar) {
            EXPECT_FALSE(allowed[b]);
          }
        }
        blocked = true;
        break;
      }
      ++bar_lines;
    }
    ASSERT_TRUE(state.Accept(id).ok()) << t;
    tracker.Push(t);
  }
  EXPECT_TRUE(blocked);
}

TEST(NoveltyGuard, WithoutAnIndexNothingIsBlocked) {
  NoveltyGuard guard(nullptr, 1);
  EXPECT_EQ(RunsAtBarLines(guard, Split(kTraining)), std::vector<int>(8, 0));
  auto rules = GrammarRules::Make(testing::TestVocabulary(), {});
  std::vector<uint8_t> allowed((*rules)->size(), 1);
  EXPECT_FALSE(guard.Filter(guard.Start(), **rules, &allowed));
}

TEST(NoveltyOfAGeneratedTune, NamesTheNearestTuneAndTheRuns) {
  const auto training = Split(kTraining);
  auto index = IndexOf(training);
  auto tune = tokens::DecodeTune(training, tokens::TokenizerKind::kAbcToken);
  ASSERT_TRUE(tune.ok());
  corpus::TuneNovelty copy = corpus::MeasureNovelty(*index, training, *tune);
  EXPECT_EQ(copy.longest_bar_run, 8);
  EXPECT_EQ(copy.bars, 8);
  EXPECT_EQ(copy.nearest_title, "The Training Reel");
  const auto fresh = Split("<s> M:4/4 K:maj R:reel C 6 D 2 | E 6 F 2 | G 4 z 4 |] </s>");
  auto fresh_tune = tokens::DecodeTune(fresh, tokens::TokenizerKind::kAbcToken);
  corpus::TuneNovelty report = corpus::MeasureNovelty(*index, fresh, *fresh_tune);
  EXPECT_EQ(report.longest_bar_run, 0);
  EXPECT_TRUE(report.nearest_title.empty());
}

TEST(NoveltyBlob, BuildsFromACorpusAndTravelsInExtras) {
  const auto dir = std::filesystem::temp_directory_path() / ("ts_novelty_blob_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "tunes.abc");
    const char* bodies[] = {"CDEF GABc|dcBA GFED|CEGc ecGE|DFAd fdAF|]", "GABc dcBA|GFED CDEF|GBdg bgdB|c8|]",
                            "EFGA BcBA|GFED CDEF|E2G2 c2G2|C8|]", "cBAG FEDC|DEFG ABcd|ecGE CEGc|c8|]"};
    int x = 1;
    for (const char* body : bodies) {
      f << "X:" << x << "\nT:Tune " << x << "\nM:4/4\nL:1/8\nR:reel\nK:C\n" << body << "\n\n";
      ++x;
    }
  }
  auto corpus = corpus::LoadCorpus({dir.string()});
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(corpus.ok()) << corpus.status().message();
  const std::string blob = NoveltyBlobFor(*corpus);
  std::map<std::string, std::string> extras{{kNoveltyExtraKey, blob}};
  auto index = NoveltyIndexFromExtras(extras);
  ASSERT_TRUE(index.ok()) << index.status().message();
  ASSERT_TRUE(index->has_value());
  EXPECT_EQ((*index)->size(), corpus->stats.train);
  EXPECT_TRUE((*index)->has_notes());

  auto none = NoveltyIndexFromExtras({});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  extras[kNoveltyExtraKey] = blob.substr(0, blob.size() / 2);
  EXPECT_FALSE(NoveltyIndexFromExtras(extras).ok());
}

}  // namespace
}  // namespace tunesmith::generate
