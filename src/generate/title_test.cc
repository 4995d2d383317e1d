#include "generate/title.h"

#include <set>

#include <gtest/gtest.h>

namespace tunesmith::generate {
namespace {

TEST(TitleMaker, SameSeedSameTitle) {
  TitleMaker maker;
  EXPECT_EQ(maker.Make(42, "jig"), maker.Make(42, "jig"));
  std::set<std::string> titles;
  for (uint64_t s = 0; s < 200; ++s) titles.insert(maker.Make(s, "reel"));
  EXPECT_GT(titles.size(), 150u);  // varied
  for (const auto& t : titles) EXPECT_FALSE(t.empty());
}

TEST(TitleMaker, AvoidsTrainingTitles) {
  TitleMaker free_maker;
  const std::string taken = free_maker.Make(7, "jig");
  TitleMaker maker({TitleMaker::TitleKey(taken)});
  EXPECT_NE(TitleMaker::TitleKey(maker.Make(7, "jig")), TitleMaker::TitleKey(taken));
  EXPECT_EQ(TitleMaker::TitleKey("The Lark's Nest!"), "thelarksnest");
}

}  // namespace
}  // namespace tunesmith::generate
