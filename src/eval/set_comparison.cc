#include "eval/set_comparison.h"

#include <algorithm>
#include <cmath>

namespace tunesmith::eval {

namespace {

using Vectors = std::vector<std::vector<double>>;

Vectors FeatureVectors(const std::vector<TuneFeatures>& set, Feature f) {
  Vectors out;
  out.reserve(set.size());
  for (const TuneFeatures& t : set) out.push_back(FeatureVector(t, f));
  return out;
}

double Euclidean(const std::vector<double>& a, const std::vector<double>& b) {
  double ss = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ss += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(ss);
}

}  // namespace

std::vector<double> IntraSetDistances(const std::vector<TuneFeatures>& a, Feature f) {
  const Vectors v = FeatureVectors(a, f);
  std::vector<double> out;
  if (v.size() >= 2) out.reserve(v.size() * (v.size() - 1) / 2);
  for (std::size_t i = 0; i < v.size(); ++i) {
    for (std::size_t j = i + 1; j < v.size(); ++j) out.push_back(Euclidean(v[i], v[j]));
  }
  return out;
}

std::vector<double> InterSetDistances(const std::vector<TuneFeatures>& a,
                                      const std::vector<TuneFeatures>& b, Feature f) {
  const Vectors va = FeatureVectors(a, f), vb = FeatureVectors(b, f);
  std::vector<double> out;
  out.reserve(va.size() * vb.size());
  for (const auto& x : va) {
    for (const auto& y : vb) out.push_back(Euclidean(x, y));
  }
  return out;
}

DistributionComparison CompareDistributions(const std::vector<double>& p, const std::vector<double>& q,
                                            const CompareOptions& options) {
  DistributionComparison out;
  double hp = RuleBandwidth(p, options.bandwidth_rule);
  double hq = RuleBandwidth(q, options.bandwidth_rule);
  if (hp <= 0) hp = hq;
  if (hq <= 0) hq = hp;
  if (hp <= 0) {
    const auto [p_lo, p_hi] = std::minmax_element(p.begin(), p.end());
    const auto [q_lo, q_hi] = std::minmax_element(q.begin(), q.end());
    const double range = std::max(*p_hi, *q_hi) - std::min(*p_lo, *q_lo);
    hp = hq = range > 0 ? 0.01 * range : 1e-3;
  }
  out.bandwidth_p = hp;
  out.bandwidth_q = hq;
  const GaussianKde kde_p(QuantileSubsample(p, options.max_kde_samples), hp);
  const GaussianKde kde_q(QuantileSubsample(q, options.max_kde_samples), hq);
  out.kde = CompareKdes(kde_p, kde_q, options.grid);
  return out;
}

Result<std::vector<FeatureComparison>> CompareFeatureSets(const std::vector<TuneFeatures>& real,
                                                          const std::vector<TuneFeatures>& generated,
                                                          const CompareOptions& options) {
  if (real.size() < 2) {
    return Status::InvalidArgument("comparing tune sets needs at least 2 real tunes, got " +
                         std::to_string(real.size()));
  }
  if (generated.empty()) return Status::InvalidArgument("comparing tune sets needs at least 1 generated tune, got 0");
  std::vector<FeatureComparison> out;
  for (Feature f : AllFeatures()) {
    FeatureComparison c;
    c.feature = f;
    c.name = FeatureName(f);
    const std::vector<double> intra = IntraSetDistances(real, f);
    const std::vector<double> inter = InterSetDistances(real, generated, f);
    c.intra_real = Summarise(intra);
    c.intra_generated = Summarise(IntraSetDistances(generated, f));
    c.inter = Summarise(inter);
    const DistributionComparison d = CompareDistributions(intra, inter, options);
    c.bandwidth_intra = d.bandwidth_p;
    c.bandwidth_inter = d.bandwidth_q;
    c.overlap_area = d.kde.overlap_area;
    c.kl_divergence = d.kde.kl_divergence;
    c.grid_points = d.kde.grid_points;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace tunesmith::eval
