#include "eval/kde.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace tunesmith::eval {
namespace {

// The KDE of a single sample at mu with bandwidth h is exactly N(mu, h^2), so
// comparisons of one-sample KDEs have closed forms.
TEST(KdeTest, OneSampleKdeIsTheNormalDensity) {
  const GaussianKde kde({2.0}, 0.5);
  for (double x : {2.0, 2.3, 1.0, -3.0}) {
    const double z = (x - 2.0) / 0.5;
    EXPECT_NEAR(kde.LogDensity(x), -0.5 * z * z - std::log(0.5 * std::sqrt(2 * std::numbers::pi)), 1e-12) << x;
  }
}

TEST(KdeTest, DensityIsTheMeanOfKernels) {
  const GaussianKde kde({0.0, 1.0}, 1.0);
  const double phi0 = 1 / std::sqrt(2 * std::numbers::pi);
  const double phi1 = phi0 * std::exp(-0.5);
  EXPECT_NEAR(kde.Density(0.0), 0.5 * (phi0 + phi1), 1e-12);
  EXPECT_NEAR(kde.Density(0.5), phi0 * std::exp(-0.125), 1e-12);
}

TEST(KdeTest, FarTailsStayFinite) {
  const GaussianKde kde({0.0}, 1.0);
  // 100 bandwidths out: exp underflows, the log does not.
  EXPECT_NEAR(kde.LogDensity(100.0), -5000 - std::log(std::sqrt(2 * std::numbers::pi)), 1e-9);
}

TEST(KdeTest, IdenticalGaussiansOverlapFully) {
  const GaussianKde p({1.0}, 0.7), q({1.0}, 0.7);
  const KdeComparison c = CompareKdes(p, q);
  EXPECT_NEAR(c.overlap_area, 1.0, 1e-9);
  EXPECT_NEAR(c.kl_divergence, 0.0, 1e-9);
}

struct ShiftCase {
  double shift;  // distance between the means, in bandwidths (h = 1)
};
class ShiftedGaussiansTest : public ::testing::TestWithParam<ShiftCase> {};

// Two N(0,1) and N(d,1): OA = 2 Phi(-d/2) = erfc(d / (2 sqrt 2)), KL = d^2 / 2.
TEST_P(ShiftedGaussiansTest, MatchesClosedForm) {
  const double d = GetParam().shift;
  const GaussianKde p({0.0}, 1.0), q({d}, 1.0);
  const KdeComparison c = CompareKdes(p, q);
  EXPECT_NEAR(c.overlap_area, std::erfc(d / (2 * std::sqrt(2.0))), 1e-4);
  EXPECT_NEAR(c.kl_divergence, d * d / 2, 1e-3 * std::max(1.0, d * d / 2));
}

INSTANTIATE_TEST_SUITE_P(Shifts, ShiftedGaussiansTest,
                         ::testing::Values(ShiftCase{0.5}, ShiftCase{1}, ShiftCase{2}, ShiftCase{4},
                                           ShiftCase{10}));

TEST(KdeTest, WellSeparatedOverlapIsNearZero) {
  const GaussianKde p({0.0, 0.1, 0.2}, 0.1), q({50.0, 50.1}, 0.1);
  const KdeComparison c = CompareKdes(p, q);
  EXPECT_LT(c.overlap_area, 1e-12);
  EXPECT_GT(c.kl_divergence, 1e4);
}

// KL(p||q) for N(0, s1^2), N(0, s2^2): log(s2/s1) + s1^2 / (2 s2^2) - 1/2.
TEST(KdeTest, DifferentWidthsMatchClosedForm) {
  const GaussianKde p({0.0}, 1.0), q({0.0}, 2.0);
  const KdeComparison c = CompareKdes(p, q);
  EXPECT_NEAR(c.kl_divergence, std::log(2.0) + 1.0 / 8 - 0.5, 1e-4);
  // The densities cross where x^2 = 8 ln 2 / 3; OA = 1 - 2 (Phi(a) - Phi(a / 2)), a = sqrt(8 ln 2 / 3).
  const double a = std::sqrt(8 * std::log(2.0) / 3);
  auto phi = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
  EXPECT_NEAR(c.overlap_area, 1 - 2 * (phi(a) - phi(a / 2)), 1e-4);
}

TEST(KdeTest, ComparisonIsOnOneGridCoveringBoth) {
  const GaussianKde p({0.0, 1.0}, 0.5), q({10.0}, 2.0);
  const KdeComparison c = CompareKdes(p, q);
  EXPECT_LE(c.grid_lo, 0.0 - 6 * 2.0);
  EXPECT_GE(c.grid_hi, 10.0 + 6 * 2.0);
  EXPECT_GE(c.grid_points, 1001);
}

TEST(KdeTest, ScottAndSilvermanBandwidths) {
  const std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const double s = std::sqrt(55.0 / 6.0);  // sample std of 1..10
  const double factor = std::pow(10.0, -0.2);
  EXPECT_NEAR(RuleBandwidth(x, BandwidthRule::kScott), s * factor, 1e-12);
  // IQR (linear quantiles) = 7.75 - 3.25 = 4.5; 4.5 / 1.34 = 3.358 > s = 3.028.
  EXPECT_NEAR(RuleBandwidth(x, BandwidthRule::kSilverman), 0.9 * std::min(s, 4.5 / 1.34) * factor, 1e-12);
  EXPECT_EQ(RuleBandwidth(std::vector<double>{3, 3, 3}, BandwidthRule::kScott), 0);
  EXPECT_EQ(RuleBandwidth(std::vector<double>{3}, BandwidthRule::kScott), 0);
}

TEST(KdeTest, QuantileSubsampleKeepsTheDistribution) {
  std::vector<double> values;
  for (int i = 0; i < 10000; ++i) values.push_back(i % 2 == 0 ? 0.0 : 1.0);  // half zeros, half ones
  const std::vector<double> sub = QuantileSubsample(values, 100);
  ASSERT_EQ(sub.size(), 100u);
  EXPECT_EQ(std::count(sub.begin(), sub.end(), 0.0), 50);
  EXPECT_EQ(std::count(sub.begin(), sub.end(), 1.0), 50);
  EXPECT_EQ(QuantileSubsample({3, 1, 2}, 100), (std::vector<double>{1, 2, 3}));
}

}  // namespace
}  // namespace tunesmith::eval
