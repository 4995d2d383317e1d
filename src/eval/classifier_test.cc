#include "eval/classifier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>

namespace tunesmith::eval {
namespace {

using Matrix = std::vector<std::vector<double>>;

struct AucCase {
  const char* name;
  std::vector<double> scores;
  std::vector<int> labels;
  double auc;
};

TEST(RocAucTest, HandMadeScoreLists) {
  const AucCase cases[] = {
      {"textbook: 3 of 4 pairs ordered", {0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}, 0.75},
      {"perfect", {1, 2, 3}, {0, 1, 1}, 1.0},
      {"reversed", {3, 2, 1}, {0, 1, 1}, 0.0},
      {"a positive and a negative tied count one half", {0.2, 0.5, 0.5, 0.9}, {0, 1, 0, 1}, 0.875},
      {"all tied", {0.5, 0.5, 0.5, 0.5}, {1, 0, 1, 0}, 0.5},
      {"no negatives", {0.1, 0.2}, {1, 1}, 0.5},
      {"no positives", {0.1, 0.2}, {0, 0}, 0.5},
  };
  for (const AucCase& c : cases) EXPECT_DOUBLE_EQ(RocAuc(c.scores, c.labels), c.auc) << c.name;
}

TEST(LogisticTest, SymmetricPairMeetsTheStationaryCondition) {
  // x = -1 (label 0) and x = +1 (label 1): by symmetry b = 0, and the penalised
  // gradient vanishes where l2 * w = 2 * sigmoid(-w).
  for (double l2 : {0.1, 1.0, 10.0}) {
    LogisticOptions o;
    o.l2 = l2;
    auto m = FitLogistic({{-1}, {1}}, {0, 1}, o);
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m->converged);
    const double w = m->weights[0];
    EXPECT_NEAR(m->bias, 0, 1e-12);
    EXPECT_NEAR(l2 * w, 2 / (1 + std::exp(w)), 1e-10) << l2;
  }
}

TEST(LogisticTest, InterceptIsTheLogOddsWhenFeaturesSayNothing) {
  auto m = FitLogistic({{0}, {0}, {0}, {0}}, {1, 1, 1, 0});
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(m->bias, std::log(3.0), 1e-9);
  EXPECT_NEAR(m->weights[0], 0, 1e-12);
  EXPECT_NEAR(m->Probability({0}), 0.75, 1e-9);
}

TEST(LogisticTest, RejectsBadInput) {
  EXPECT_FALSE(FitLogistic({}, {}).ok());
  EXPECT_FALSE(FitLogistic({{1}, {1, 2}}, {0, 1}).ok());
  EXPECT_FALSE(FitLogistic({{1}, {2}}, {0, 2}).ok());
  EXPECT_FALSE(FitLogistic({{1}, {2}}, {0}).ok());
}

// `n` rows of `width` standard normal values, the first column shifted by `shift`.
Matrix Normal(int n, int width, double shift, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Matrix rows(n, std::vector<double>(width));
  for (auto& row : rows) {
    for (double& v : row) v = normal(rng);
    row[0] += shift;
  }
  return rows;
}

TEST(TwoSampleTest, SameDistributionGivesHalf) {
  auto r = ClassifierTwoSampleTest(Normal(300, 5, 0, 1), Normal(300, 5, 0, 2));
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->auc, 0.5, 0.07);
  EXPECT_EQ(r->folds, 5);
  EXPECT_EQ(r->fold_auc.size(), 5u);
  EXPECT_EQ(r->a, 300);
  EXPECT_EQ(r->features, 5);
}

TEST(TwoSampleTest, IdenticalSetsGiveHalf) {
  const Matrix rows = Normal(200, 3, 0, 3);
  auto r = ClassifierTwoSampleTest(rows, rows);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->auc, 0.5, 0.07);
}

TEST(TwoSampleTest, SeparableSetsGiveOne) {
  auto r = ClassifierTwoSampleTest(Normal(100, 4, 4, 4), Normal(100, 4, -4, 5));
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r->auc, 0.995);
}

TEST(TwoSampleTest, OneStandardDeviationApartGivesTheGaussianAnswer) {
  // Two unit normals one standard deviation apart: AUC = Phi(1 / sqrt 2) = 0.7602.
  auto r = ClassifierTwoSampleTest(Normal(800, 1, 1, 6), Normal(800, 1, 0, 7));
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->auc, 0.7602, 0.03);
}

TEST(TwoSampleTest, MissingValuesAreImputedAndConstantColumnsIgnored) {
  Matrix a = Normal(100, 3, 4, 8), b = Normal(100, 3, -4, 9);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (auto* set : {&a, &b}) {
    for (std::size_t i = 0; i < set->size(); ++i) {
      (*set)[i][1] = nan;                          // never known
      if (i % 3 == 0) (*set)[i][0] = nan;          // sometimes unknown
      (*set)[i][2] = 7;                            // constant
    }
  }
  auto r = ClassifierTwoSampleTest(a, b);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isfinite(r->auc));
  EXPECT_GT(r->auc, 0.8);  // two thirds of the rows carry the separating value
}

TEST(TwoSampleTest, DeterministicBySeed) {
  const Matrix a = Normal(60, 2, 0.5, 10), b = Normal(60, 2, 0, 11);
  TwoSampleOptions o;
  o.seed = 42;
  auto first = ClassifierTwoSampleTest(a, b, o), again = ClassifierTwoSampleTest(a, b, o);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->auc, again->auc);
  EXPECT_EQ(first->fold_auc, again->fold_auc);
  o.seed = 43;
  auto other = ClassifierTwoSampleTest(a, b, o);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(first->fold_auc, other->fold_auc);
}

TEST(TwoSampleTest, SmallOrRaggedSetsFail) {
  EXPECT_FALSE(ClassifierTwoSampleTest({{1}}, {{1}, {2}}).ok());
  EXPECT_FALSE(ClassifierTwoSampleTest({{1}, {2}}, {{1}, {2, 3}}).ok());
  auto three = ClassifierTwoSampleTest({{1}, {2}, {3}}, {{4}, {5}, {6}});
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(three->folds, 3);  // no more folds than the smaller set has rows
}

TEST(RandomHalfTest, HalfOfTheIndicesDeterministically) {
  const std::vector<int> h = RandomHalf(11, 5);
  EXPECT_EQ(h.size(), 5u);
  EXPECT_TRUE(std::is_sorted(h.begin(), h.end()));
  EXPECT_EQ(std::set<int>(h.begin(), h.end()).size(), h.size());
  for (int i : h) EXPECT_TRUE(i >= 0 && i < 11);
  EXPECT_EQ(RandomHalf(11, 5), h);
  EXPECT_NE(RandomHalf(100, 5), RandomHalf(100, 6));
  EXPECT_TRUE(RandomHalf(1, 5).empty());
}

}  // namespace
}  // namespace tunesmith::eval
