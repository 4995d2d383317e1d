// MGEval's comparison of two sets of tunes (Yang & Lerch 2018), feature by
// feature: the intra-set distance distribution of the real set (all pairs of
// distinct real tunes) against the inter-set distribution (every real tune
// with every generated tune). Both are smoothed by a Gaussian KDE and compared
// on one shared grid: the overlapping area (OA, 1 = the generated tunes sit
// among the real ones like real tunes do) and KL(intra || inter) in nats
// (0 = the same). See docs/eval.md.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/status.h"
#include "eval/features.h"
#include "eval/kde.h"
#include "eval/stats.h"

namespace tunesmith::eval {

struct CompareOptions {
  BandwidthRule bandwidth_rule = BandwidthRule::kScott;  // per distance distribution
  // The KDEs sum over at most this many evenly spaced quantiles of each
  // distance distribution (the bandwidth is computed from all distances).
  std::size_t max_kde_samples = 4096;
  GridOptions grid;
};

struct FeatureComparison {
  Feature feature = Feature::kPitchRange;
  std::string name;             // FeatureName(feature)
  Summary intra_real;           // distances between pairs of real tunes
  Summary intra_generated;      // distances between pairs of generated tunes (count 0 if < 2 tunes)
  Summary inter;                // distances real <-> generated
  double bandwidth_intra = 0;   // KDE bandwidths actually used (after the floor)
  double bandwidth_inter = 0;
  double overlap_area = 0;      // OA(intra_real, inter), 0..1
  double kl_divergence = 0;     // KL(intra_real || inter), nats
  int grid_points = 0;
};

// The pairwise distances of `f`: all i < j within `a`.
std::vector<double> IntraSetDistances(const std::vector<TuneFeatures>& a, Feature f);
// All pairs (i, j), i in `a`, j in `b`.
std::vector<double> InterSetDistances(const std::vector<TuneFeatures>& a,
                                      const std::vector<TuneFeatures>& b, Feature f);

// OA and KL between two samples of distances, with KDE bandwidths from
// `options.bandwidth_rule`. A sample whose rule bandwidth is 0 (all values
// equal) borrows the other sample's bandwidth, or, when that is 0 too,
// 1% of the pooled range of both samples (1e-3 if they are one single value),
// so that two identical point masses give OA 1 and KL 0. Neither may be empty.
struct DistributionComparison {
  double bandwidth_p = 0, bandwidth_q = 0;
  KdeComparison kde;
};
DistributionComparison CompareDistributions(const std::vector<double>& p, const std::vector<double>& q,
                                            const CompareOptions& options = {});

// One FeatureComparison per Feature in AllFeatures() order. Needs at least two
// real tunes and one generated tune; fails (with nothing computed) otherwise.
Result<std::vector<FeatureComparison>> CompareFeatureSets(const std::vector<TuneFeatures>& real,
                                                          const std::vector<TuneFeatures>& generated,
                                                          const CompareOptions& options = {});

}  // namespace tunesmith::eval
