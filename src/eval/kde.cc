#include "eval/kde.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

#include "eval/stats.h"

namespace tunesmith::eval {
namespace {

// Kernels further than this many bandwidths from x add less than e^-40 of
// the nearest one's weight; LogDensity leaves them out.
constexpr double kWindowBandwidths = 9;

double Trapezoid(const std::vector<double>& y, double step) {
  if (y.size() < 2) return 0;
  double sum = 0.5 * (y.front() + y.back());
  for (std::size_t i = 1; i + 1 < y.size(); ++i) sum += y[i];
  return sum * step;
}

}  // namespace

const char* BandwidthRuleName(BandwidthRule rule) {
  switch (rule) {
    case BandwidthRule::kScott: return "scott";
    case BandwidthRule::kSilverman: return "silverman";
  }
  return "?";
}

double RuleBandwidth(std::span<const double> samples, BandwidthRule rule) {
  const std::size_t n = samples.size();
  if (n < 2) return 0;
  const double s = SampleStdDev(samples);
  const double factor = std::pow(static_cast<double>(n), -0.2);
  switch (rule) {
    case BandwidthRule::kScott:
      return s * factor;
    case BandwidthRule::kSilverman: {
      std::vector<double> sorted(samples.begin(), samples.end());
      std::sort(sorted.begin(), sorted.end());
      const double iqr = SortedQuantile(sorted, 0.75) - SortedQuantile(sorted, 0.25);
      const double spread = iqr > 0 ? std::min(s, iqr / 1.34) : s;
      return 0.9 * spread * factor;
    }
  }
  return 0;
}

GaussianKde::GaussianKde(std::vector<double> samples, double bandwidth)
    : samples_(std::move(samples)), bandwidth_(bandwidth) {
  assert(bandwidth_ > 0);
  assert(!samples_.empty());
  std::sort(samples_.begin(), samples_.end());
}

double GaussianKde::LogDensity(double x) const {
  const double h = bandwidth_;
  const double log_norm =
      std::log(static_cast<double>(samples_.size()) * h * std::sqrt(2 * std::numbers::pi));
  auto lo = std::lower_bound(samples_.begin(), samples_.end(), x - kWindowBandwidths * h);
  auto hi = std::upper_bound(samples_.begin(), samples_.end(), x + kWindowBandwidths * h);
  if (lo == hi) {
    // Far from every sample: the nearest kernel dominates the sum.
    double nearest;
    if (lo == samples_.end()) {
      nearest = samples_.back();
    } else if (lo == samples_.begin()) {
      nearest = samples_.front();
    } else {
      nearest = (x - *(lo - 1) < *lo - x) ? *(lo - 1) : *lo;
    }
    const double z = (x - nearest) / h;
    return -0.5 * z * z - log_norm;
  }
  double min_z2 = INFINITY;
  for (auto it = lo; it != hi; ++it) {
    const double z = (x - *it) / h;
    min_z2 = std::min(min_z2, z * z);
  }
  double sum = 0;
  for (auto it = lo; it != hi; ++it) {
    const double z = (x - *it) / h;
    sum += std::exp(-0.5 * (z * z - min_z2));
  }
  return -0.5 * min_z2 + std::log(sum) - log_norm;
}

double GaussianKde::Density(double x) const { return std::exp(LogDensity(x)); }

std::vector<double> QuantileSubsample(std::vector<double> values, std::size_t max_samples) {
  std::sort(values.begin(), values.end());
  if (max_samples == 0 || values.size() <= max_samples) return values;
  std::vector<double> out(max_samples);
  for (std::size_t i = 0; i < max_samples; ++i) {
    const double q = (static_cast<double>(i) + 0.5) / static_cast<double>(max_samples);
    out[i] = SortedQuantile(values, q);
  }
  return out;
}

KdeComparison CompareKdes(const GaussianKde& p, const GaussianKde& q, const GridOptions& options) {
  const double h_max = std::max(p.bandwidth(), q.bandwidth());
  const double h_min = std::min(p.bandwidth(), q.bandwidth());
  const double data_lo = std::min(p.samples().front(), q.samples().front());
  const double data_hi = std::max(p.samples().back(), q.samples().back());

  KdeComparison out;
  out.grid_lo = data_lo - options.tail_bandwidths * h_max;
  out.grid_hi = data_hi + options.tail_bandwidths * h_max;
  const double wanted_step = h_min / options.points_per_bandwidth;
  const double wanted_points = std::ceil((out.grid_hi - out.grid_lo) / wanted_step) + 1;
  out.grid_points = static_cast<int>(std::clamp(wanted_points, static_cast<double>(options.min_points),
                                                static_cast<double>(options.max_points)));
  const int m = out.grid_points;
  const double step = (out.grid_hi - out.grid_lo) / (m - 1);

  std::vector<double> log_p(m), log_q(m), dens_p(m), dens_q(m);
  for (int i = 0; i < m; ++i) {
    const double x = out.grid_lo + step * i;
    log_p[i] = p.LogDensity(x);
    log_q[i] = q.LogDensity(x);
    dens_p[i] = std::exp(log_p[i]);
    dens_q[i] = std::exp(log_q[i]);
  }
  // Normalise each density over the grid.
  const double log_zp = std::log(Trapezoid(dens_p, step));
  const double log_zq = std::log(Trapezoid(dens_q, step));
  std::vector<double> overlap(m), kl_terms(m);
  for (int i = 0; i < m; ++i) {
    const double lp = log_p[i] - log_zp;
    const double lq = log_q[i] - log_zq;
    const double pn = std::exp(lp);
    overlap[i] = std::min(pn, std::exp(lq));
    kl_terms[i] = pn > 0 ? pn * (lp - lq) : 0;
  }
  out.overlap_area = std::min(1.0, Trapezoid(overlap, step));
  out.kl_divergence = std::max(0.0, Trapezoid(kl_terms, step));
  return out;
}

}  // namespace tunesmith::eval
