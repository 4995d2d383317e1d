// One-dimensional Gaussian kernel density estimates and the two numbers the
// MGEval comparison needs from a pair of them: their overlapping area and the
// Kullback-Leibler divergence, both computed on ONE grid shared by the two
// densities (MGEval's own code evaluates each KDE on its own grid and then
// compares the arrays point by point; that compares densities at different x).
//
// Everything here is deterministic: no random subsampling, fixed grid rules.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace tunesmith::eval {

enum class BandwidthRule {
  kScott,      // h = s * n^(-1/5)   (s: sample standard deviation, ddof 1; scipy's default)
  kSilverman,  // h = 0.9 * min(s, IQR / 1.34) * n^(-1/5)   (falls back to s when IQR is 0)
};
const char* BandwidthRuleName(BandwidthRule rule);  // "scott", "silverman"

// The bandwidth `rule` gives for `samples`; 0 when there are fewer than two
// samples or they are all equal (the caller decides the floor, see CompareKdes).
double RuleBandwidth(std::span<const double> samples, BandwidthRule rule);

// A Gaussian KDE: f(x) = 1/(n h) * sum_i phi((x - x_i) / h).
class GaussianKde {
 public:
  // `bandwidth` must be > 0. Samples are copied and sorted.
  GaussianKde(std::vector<double> samples, double bandwidth);

  double bandwidth() const { return bandwidth_; }
  const std::vector<double>& samples() const { return samples_; }  // sorted

  // log f(x). Sums the kernels within 9 bandwidths of x (the rest are below
  // e^-40 of the nearest one); far from every sample it is the nearest
  // sample's kernel alone, so the log stays finite and accurate in the tails.
  double LogDensity(double x) const;
  double Density(double x) const;

 private:
  std::vector<double> samples_;
  double bandwidth_ = 1;
};

// At most `max_samples` values standing for `values`: the values at evenly
// spaced quantiles (i + 1/2) / max_samples of the sorted input. Used to keep
// KDE evaluation cheap for hundreds of thousands of pairwise distances while
// keeping the empirical distribution to within 1/max_samples. Returns the
// sorted input when it is already small enough.
std::vector<double> QuantileSubsample(std::vector<double> values, std::size_t max_samples);

struct GridOptions {
  double tail_bandwidths = 6;  // the grid reaches this many (larger) bandwidths beyond the data
  double points_per_bandwidth = 10;  // grid step <= (smaller bandwidth) / this
  int min_points = 1001;
  int max_points = 40001;
};

struct KdeComparison {
  double overlap_area = 0;   // integral of min(p, q); 1 for identical densities, 0 when disjoint
  double kl_divergence = 0;  // KL(p || q) = integral of p log(p / q), in nats; >= 0
  double grid_lo = 0, grid_hi = 0;
  int grid_points = 0;
};

// OA and KL(p || q) by the trapezoid rule on one uniform grid covering both
// densities (their samples +- tail_bandwidths * max bandwidth). Each density
// is divided by its own integral over the grid before comparing, so that
// truncating the far tails does not bias OA; KL is clamped at 0 (it can come
// out as -1e-15 for identical densities).
KdeComparison CompareKdes(const GaussianKde& p, const GaussianKde& q, const GridOptions& options = {});

}  // namespace tunesmith::eval
