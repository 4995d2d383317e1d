#include "serve/abc_edit.h"

#include <gtest/gtest.h>

#include "abc/bar_check.h"

namespace tunesmith::serve {
namespace {

const char* kReel =
    "X:1\nT:Test Reel\nM:4/4\nL:1/8\nR:reel\nK:G\n"
    "|:GABc dedB|GABc d2B2|GABc dedB|A2F2 G4:|\n"
    "|:gfed cBAG|gfed c2A2|gfed cBAG|A2F2 G4:|\n";

TEST(AbcEdit, PartsOfAnAABBTune) {
  auto tune = ReadOneTune(kReel);
  ASSERT_TRUE(tune.ok()) << tune.status().message();
  auto a = Part(*tune, "A");
  auto b = Part(*tune, "B");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok()) << b.status().message();
  const std::string at = WriteAbc(*a), bt = WriteAbc(*b);
  EXPECT_NE(at.find("GABc"), std::string::npos) << at;
  EXPECT_EQ(at.find("gfed"), std::string::npos) << at;
  EXPECT_NE(bt.find("gfed"), std::string::npos) << bt;
  EXPECT_EQ(bt.find("GABc"), std::string::npos) << bt;
  EXPECT_EQ(abc::CheckBars(*a).off_meter, 0);
  EXPECT_EQ(abc::CheckBars(*b).off_meter, 0);
  // One part only: no B.
  auto single = ReadOneTune("X:1\nT:s\nM:4/4\nL:1/8\nK:C\nCDEF GABc|c2B2 A4|]\n");
  ASSERT_TRUE(single.ok());
  EXPECT_FALSE(Part(*single, "B").ok());
}

TEST(AbcEdit, PrimeOfFirstBarsAndOfThePart) {
  auto tune = ReadOneTune(kReel);
  ASSERT_TRUE(tune.ok());
  auto two = PrimeOfFirstBars(*tune, 2);
  ASSERT_TRUE(two.ok()) << two.status().message();
  EXPECT_EQ(two->bars, 2);
  EXPECT_EQ(two->tune_bars, 8);
  EXPECT_NE(two->fragment.find("GABc"), std::string::npos) << two->fragment;
  EXPECT_EQ(two->fragment.find("A2F2"), std::string::npos) << two->fragment;
  auto part = PrimeOfFirstPart(*tune);
  ASSERT_TRUE(part.ok()) << part.status().message();
  EXPECT_EQ(part->bars, 4);
  EXPECT_NE(part->fragment.find(":|"), std::string::npos) << part->fragment;
  EXPECT_EQ(part->fragment.find("gfed"), std::string::npos) << part->fragment;
  EXPECT_FALSE(PrimeOfFirstBars(*tune, 8).ok());
  EXPECT_FALSE(PrimeOfFirstBars(*tune, 50).ok());
}

TEST(AbcEdit, TransposeTempoSwing) {
  auto tune = ReadOneTune(kReel);
  ASSERT_TRUE(tune.ok());
  auto up = Transpose(*tune, 2);
  ASSERT_TRUE(up.ok()) << up.status().message();
  EXPECT_NE(WriteAbc(*up).find("K:A"), std::string::npos) << WriteAbc(*up);
  auto down = Transpose(*tune, -7);
  ASSERT_TRUE(down.ok());
  EXPECT_NE(WriteAbc(*down).find("K:C"), std::string::npos) << WriteAbc(*down);
  const std::string slow = WriteAbc(WithTempo(*tune, 90));
  EXPECT_NE(slow.find("Q:1/4=90"), std::string::npos) << slow;
  const abc::Tune swung = Swung(*tune);
  const std::string s = WriteAbc(swung);
  EXPECT_NE(s.find('>'), std::string::npos) << s;
  EXPECT_EQ(abc::CheckBars(swung).off_meter, 0) << s;
  // A jig keeps its even eighths.
  auto jig = ReadOneTune("X:1\nT:j\nM:6/8\nL:1/8\nK:D\nDEF GAB|A3 F3|]\n");
  ASSERT_TRUE(jig.ok());
  EXPECT_EQ(WriteAbc(Swung(*jig)).find('>'), std::string::npos);
}

}  // namespace
}  // namespace tunesmith::serve
