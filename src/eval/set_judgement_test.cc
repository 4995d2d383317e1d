#include "eval/set_judgement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "abc/reader.h"

namespace tunesmith::eval {
namespace {

std::vector<abc::Tune> Tunes(const std::vector<std::string>& bodies, const std::string& header) {
  std::vector<abc::Tune> out;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    const std::string text = "X:" + std::to_string(i + 1) + "\nT:t\n" + header + "\nL:1/8\n" + bodies[i] + "\n";
    abc::ReadResult r = abc::ReadAbc(text, "test.abc");
    EXPECT_EQ(r.tunes.size(), 1u) << text;
    for (abc::Tune& t : r.tunes) out.push_back(std::move(t));
  }
  return out;
}

std::vector<const abc::Tune*> Pointers(const std::vector<abc::Tune>& tunes) {
  std::vector<const abc::Tune*> out;
  for (const abc::Tune& t : tunes) out.push_back(&t);
  return out;
}

TEST(SetJudgementTest, ClassifierColumnsAreNamedAndKeyColumnsAmongThem) {
  const std::vector<std::string>& names = ClassifierFeatureNames();
  EXPECT_EQ(names.size(), 7 + StructureFeatureNames().size());
  EXPECT_EQ(names.front(), "pitch_range");
  for (const std::string& k : KeyDependentFeatures())
    EXPECT_NE(std::find(names.begin(), names.end(), k), names.end()) << k;
  const std::vector<abc::Tune> t = Tunes({"GABc dBAG|"}, "M:4/4\nK:G");
  const std::vector<double> row = ClassifierFeatures(ComputeFeatures(t[0]), ComputeStructure(t[0]));
  ASSERT_EQ(row.size(), names.size());
  EXPECT_DOUBLE_EQ(row[0], 7);  // pitch range G..d
}

TEST(SetJudgementTest, JudgesTwoSetsWithEveryPart) {
  // Eight 6/8 tunes in D against eight 4/4 tunes in C: every figure differs.
  std::vector<std::string> jigs, reels;
  const char* jig_bars[] = {"DFA dAF", "GBd gdB", "A3 F3", "EFG FED"};
  const char* reel_bars[] = {"CDEF GABc", "cBAG FEDC", "E2G2 c4", "CEGc BGEC"};
  for (int i = 0; i < 8; ++i) {
    jigs.push_back(std::string("|:") + jig_bars[i % 4] + "|" + jig_bars[(i + 1) % 4] + "|" + jig_bars[(i + 2) % 4] +
                   "|D3 D3:|");
    reels.push_back(std::string(reel_bars[i % 4]) + "|" + reel_bars[(i + 3) % 4] + "|C8|]");
  }
  const std::vector<abc::Tune> gen = Tunes(reels, "M:4/4\nK:C"), real = Tunes(jigs, "M:6/8\nK:D");
  std::vector<abc::Tune> with_empty = gen;
  with_empty.push_back(Tunes({"z8|"}, "M:4/4\nK:C")[0]);  // a tune of rests only is left out

  JudgeOptions o;
  o.halvings = 4;
  const SetJudgement j = JudgeSets(Pointers(with_empty), Pointers(real), o);
  EXPECT_EQ(j.generated_empty, 1);
  EXPECT_EQ(j.real_empty, 0);
  EXPECT_EQ(j.generated_features.size(), 8u);
  EXPECT_EQ(j.real_structure.size(), 8u);
  ASSERT_TRUE(j.comparison.has_value()) << j.comparison_error;
  EXPECT_EQ(j.comparison->size(), AllFeatures().size());

  const std::vector<StructureRow> rows = CompareStructure(j.generated_structure, j.real_structure);
  ASSERT_EQ(j.structure.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(j.structure[i].key, rows[i].key);

  ASSERT_TRUE(j.generated_vs_real.has_value()) << j.generated_vs_real_error;
  EXPECT_DOUBLE_EQ(j.generated_vs_real->auc, 1.0);  // meter, key, rhythm: nothing alike
  EXPECT_EQ(j.generated_vs_real->features, static_cast<int>(ClassifierFeatureNames().size()));
  ASSERT_TRUE(j.generated_vs_real_key_free.has_value());
  EXPECT_EQ(j.generated_vs_real_key_free->features,
            static_cast<int>(ClassifierFeatureNames().size() - KeyDependentFeatures().size()));
  EXPECT_GT(j.generated_vs_real_key_free->auc, 0.8);  // note lengths, bars, ... still tell 6/8 from 4/4
  ASSERT_TRUE(j.real_vs_real.has_value()) << j.real_vs_real_error;
  EXPECT_EQ(j.real_vs_real->a, 4);
  EXPECT_EQ(j.real_vs_real->b, 4);
  ASSERT_EQ(j.real_vs_real_halvings.size(), 4u);
  EXPECT_DOUBLE_EQ(j.real_vs_real_halvings[0], j.real_vs_real->auc);

  // The same sets judged again give the same numbers.
  const SetJudgement again = JudgeSets(Pointers(with_empty), Pointers(real), o);
  EXPECT_EQ(again.real_vs_real_halvings, j.real_vs_real_halvings);
}

TEST(SetJudgementTest, TooFewTunesSayWhy) {
  const std::vector<abc::Tune> one = Tunes({"GABc dBAG|"}, "M:4/4\nK:G");
  const SetJudgement j = JudgeSets(Pointers(one), Pointers(one));
  EXPECT_FALSE(j.comparison.has_value());
  EXPECT_FALSE(j.comparison_error.empty());
  EXPECT_FALSE(j.generated_vs_real.has_value());
  EXPECT_NE(j.generated_vs_real_error.find("at least 2"), std::string::npos) << j.generated_vs_real_error;
  EXPECT_FALSE(j.real_vs_real.has_value());
  EXPECT_FALSE(j.real_vs_real_error.empty());
  EXPECT_FALSE(j.structure.empty());  // the figures are still there
}

}  // namespace
}  // namespace tunesmith::eval
