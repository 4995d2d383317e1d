#include "eval/set_comparison.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tunesmith::eval {
namespace {

// A tune whose features vary with `i` (every feature, so each comparison has
// a spread of distances).
TuneFeatures Varied(int i) {
  TuneFeatures f;
  f.notes = 10;
  f.pitch_class_histogram[i % 12] = 0.5;
  f.pitch_class_histogram[(i * 5) % 12] += 0.5;
  f.pitch_range = 7 + i % 9;
  f.mean_abs_interval = 1.5 + 0.1 * (i % 13);
  f.interval_histogram[12 + i % 5] = 1;
  f.note_length_histogram[i % 4] = 1;
  f.notes_per_bar = 4 + i % 5;
  f.pitch_class_entropy = 2 + 0.05 * (i % 17);
  f.scale_consistency = 0.8 + 0.01 * (i % 20);
  f.ends_on_tonic = i % 3 == 0 ? 0 : 1;
  f.repeated_phrase_rate = 0.1 * (i % 7);
  return f;
}

TEST(SetComparisonTest, PairwiseDistances) {
  TuneFeatures a, b, c;
  a.pitch_range = 1;
  b.pitch_range = 4;
  c.pitch_range = 10;
  const std::vector<double> intra = IntraSetDistances({a, b, c}, Feature::kPitchRange);
  EXPECT_EQ(intra, (std::vector<double>{3, 9, 6}));
  const std::vector<double> inter = InterSetDistances({a, b}, {c}, Feature::kPitchRange);
  EXPECT_EQ(inter, (std::vector<double>{9, 6}));
}

TEST(SetComparisonTest, IdenticalTunesGiveFullOverlapAndNoDivergence) {
  const std::vector<TuneFeatures> real(5, Varied(3)), generated(4, Varied(3));
  auto result = CompareFeatureSets(real, generated);
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->size(), AllFeatures().size());
  for (const FeatureComparison& c : *result) {
    EXPECT_EQ(c.intra_real.max, 0) << c.name;
    EXPECT_EQ(c.inter.max, 0) << c.name;
    EXPECT_NEAR(c.overlap_area, 1, 1e-9) << c.name;
    EXPECT_NEAR(c.kl_divergence, 0, 1e-9) << c.name;
  }
}

TEST(SetComparisonTest, ASetAgainstItselfOverlapsAlmostFully) {
  std::vector<TuneFeatures> set;
  for (int i = 0; i < 40; ++i) set.push_back(Varied(i));
  auto result = CompareFeatureSets(set, set);
  ASSERT_TRUE(result.ok());
  for (const FeatureComparison& c : *result) {
    // Inter = every intra pair twice plus 40 zero self-distances out of 1600:
    // the two distributions differ only by those 2.5% zeros.
    EXPECT_GT(c.overlap_area, 0.9) << c.name;
    EXPECT_LT(c.kl_divergence, 0.1) << c.name;
    EXPECT_DOUBLE_EQ(c.intra_real.mean, c.intra_generated.mean) << c.name;
  }
}

TEST(SetComparisonTest, FarAwaySetOverlapsNothing) {
  std::vector<TuneFeatures> real, generated;
  for (int i = 0; i < 20; ++i) real.push_back(Varied(i));
  for (int i = 0; i < 20; ++i) {
    TuneFeatures f = Varied(i);
    f.pitch_range += 1000;
    generated.push_back(f);
  }
  auto result = CompareFeatureSets(real, generated);
  ASSERT_TRUE(result.ok());
  for (const FeatureComparison& c : *result) {
    if (c.feature == Feature::kPitchRange) {
      EXPECT_LT(c.overlap_area, 1e-6);
      EXPECT_GT(c.kl_divergence, 100);
    } else {
      EXPECT_GT(c.overlap_area, 0.9) << c.name;  // the other features did not move
    }
  }
}

TEST(SetComparisonTest, PointMassesBorrowAFlooredBandwidth) {
  // Both all zeros: the same point mass.
  DistributionComparison same = CompareDistributions({0, 0, 0}, {0, 0});
  EXPECT_NEAR(same.kde.overlap_area, 1, 1e-9);
  EXPECT_NEAR(same.kde.kl_divergence, 0, 1e-9);
  // Point masses at 0 and 1: bandwidth 1% of the range, so two normals 100
  // bandwidths apart: KL = 100^2 / 2.
  DistributionComparison apart = CompareDistributions({0, 0}, {1, 1, 1});
  EXPECT_DOUBLE_EQ(apart.bandwidth_p, 0.01);
  EXPECT_NEAR(apart.kde.kl_divergence, 5000, 5);
  EXPECT_LT(apart.kde.overlap_area, 1e-12);
  // One spread sample, one point mass: the point mass takes the other's bandwidth.
  DistributionComparison mixed = CompareDistributions({1, 2, 3, 4}, {2, 2});
  EXPECT_GT(mixed.bandwidth_p, 0);
  EXPECT_DOUBLE_EQ(mixed.bandwidth_q, mixed.bandwidth_p);
}

TEST(SetComparisonTest, TooFewTunesIsAnError) {
  EXPECT_FALSE(CompareFeatureSets({Varied(1)}, {Varied(2)}).ok());
  EXPECT_FALSE(CompareFeatureSets({Varied(1), Varied(2)}, {}).ok());
}

TEST(SetComparisonTest, Deterministic) {
  std::vector<TuneFeatures> real, generated;
  for (int i = 0; i < 30; ++i) real.push_back(Varied(i));
  for (int i = 0; i < 25; ++i) generated.push_back(Varied(3 * i + 1));
  auto a = CompareFeatureSets(real, generated);
  auto b = CompareFeatureSets(real, generated);
  ASSERT_TRUE(a.ok() && b.ok());
  for (std::size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].overlap_area, (*b)[i].overlap_area);
    EXPECT_EQ((*a)[i].kl_divergence, (*b)[i].kl_divergence);
  }
}

}  // namespace
}  // namespace tunesmith::eval
