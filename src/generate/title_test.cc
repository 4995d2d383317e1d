#include "generate/title.h"

#include <set>

#include <gtest/gtest.h>

namespace tunesmith::generate {
namespace {

TEST(TitleMaker, SameSeedSameTitle) {
  TitleMaker a, b;
  EXPECT_EQ(a.Make(42, "jig", "6/8"), b.Make(42, "jig", "6/8"));
  EXPECT_FALSE(a.Make(7, "reel", "4/4").empty());
}

// A batch never repeats a title (the corpus's collections do, 0.1% to 8% of
// their tunes: docs/generate.md), even when the patterns run short.
TEST(TitleMaker, NoTitleTwiceInOneBatch) {
  TitleMaker maker;
  std::set<std::string> keys;
  const int n = 3000;
  for (uint64_t s = 0; s < n; ++s) {
    const std::string title = maker.Make(s, s % 2 ? "reel" : "other", s % 2 ? "4/4" : "3/4");
    EXPECT_FALSE(title.empty());
    keys.insert(TitleMaker::TitleKey(title));
  }
  EXPECT_EQ(keys.size(), static_cast<size_t>(n));
}

TEST(TitleMaker, AvoidsTrainingTitles) {
  TitleMaker free_maker;
  const std::string taken = free_maker.Make(7, "jig", "6/8");
  TitleMaker maker({TitleMaker::TitleKey(taken)});
  EXPECT_NE(TitleMaker::TitleKey(maker.Make(7, "jig", "6/8")), TitleMaker::TitleKey(taken));
  EXPECT_EQ(TitleMaker::TitleKey("The Lark's Nest!"), "thelarksnest");
}

TEST(TitleMaker, NamesOnlyTheDanceTheTuneIs) {
  const std::pair<std::pair<const char*, const char*>, const char*> cases[] = {
      {{"jig", "6/8"}, "Jig"},           {{"reel", "4/4"}, "Reel"},       {{"reel", "2/2"}, "Reel"},
      {{"reel", "6/8"}, ""},             {{"jig", "3/4"}, ""},            {{"hornpipe", "2/4"}, "Hornpipe"},
      {{"slip-jig", "9/8"}, "Slip Jig"}, {{"waltz", "3/4"}, "Waltz"},     {{"waltz", "6/8"}, ""},
      {{"polka", "2/4"}, "Polka"},       {{"other", "6/8"}, ""},          {{"jig", ""}, "Jig"},
  };
  for (const auto& [tune, word] : cases) {
    EXPECT_EQ(TitleMaker::DanceWord(tune.first, tune.second), word) << tune.first << " " << tune.second;
  }
  const char* dances[] = {"Jig", "Reel", "Hornpipe", "Waltz", "Polka", "Slide", "March", "Strathspey", "Mazurka"};
  TitleMaker maker;
  int named = 0;
  for (uint64_t s = 0; s < 400; ++s) {
    const bool jig = s % 2 == 0;
    // A jig in 6/8 may be called a jig and nothing else; a "reel" in 6/8 is called no dance.
    const std::string title = jig ? maker.Make(s, "jig", "6/8") : maker.Make(s, "reel", "6/8");
    for (const char* dance : dances) {
      if (title.find(dance) == std::string::npos) continue;
      EXPECT_TRUE(jig && std::string(dance) == "Jig") << title;
      ++named;
    }
  }
  EXPECT_GT(named, 40);  // the dance is named often enough to matter
}

}  // namespace
}  // namespace tunesmith::generate
