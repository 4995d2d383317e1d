#include "eval/set_comparison.h"

#include <algorithm>

namespace tunesmith::eval {

std::vector<double> IntraSetDistances(const std::vector<TuneFeatures>& a, Feature f) {
  std::vector<double> out;
  if (a.size() >= 2) out.reserve(a.size() * (a.size() - 1) / 2);
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = i + 1; j < a.size(); ++j) out.push_back(FeatureDistance(a[i], a[j], f));
  }
  return out;
}

std::vector<double> InterSetDistances(const std::vector<TuneFeatures>& a,
                                      const std::vector<TuneFeatures>& b, Feature f) {
  std::vector<double> out;
  out.reserve(a.size() * b.size());
  for (const TuneFeatures& x : a) {
    for (const TuneFeatures& y : b) out.push_back(FeatureDistance(x, y, f));
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
    return Status::Error("comparing tune sets needs at least 2 real tunes, got " +
                         std::to_string(real.size()));
  }
  if (generated.empty()) return Status::Error("comparing tune sets needs at least 1 generated tune, got 0");
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
