#include "eval/classifier.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>

namespace tunesmith::eval {
namespace {

using Matrix = std::vector<std::vector<double>>;

double Sigmoid(double z) {
  if (z >= 0) return 1 / (1 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1 + e);
}

// The penalised negative log-likelihood at θ = (w, b): the bias is last and not penalised.
double Objective(const Matrix& rows, const std::vector<int>& labels, const std::vector<double>& theta, double l2) {
  const std::size_t d = theta.size() - 1;
  double loss = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    double z = theta[d];
    for (std::size_t c = 0; c < d; ++c) z += theta[c] * rows[i][c];
    // log(1 + e^z) - y z, computed without overflow.
    loss += (z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z))) - labels[i] * z;
  }
  for (std::size_t c = 0; c < d; ++c) loss += 0.5 * l2 * theta[c] * theta[c];
  return loss;
}

// Solves A x = b for a symmetric positive definite A by Cholesky
// decomposition; false when A is not positive definite.
bool SolveSpd(Matrix a, std::vector<double> b, std::vector<double>* x) {
  const std::size_t n = b.size();
  for (std::size_t j = 0; j < n; ++j) {
    double d = a[j][j];
    for (std::size_t k = 0; k < j; ++k) d -= a[j][k] * a[j][k];
    if (!(d > 0)) return false;
    a[j][j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < n; ++i) {
      double s = a[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= a[i][k] * a[j][k];
      a[i][j] = s / a[j][j];
    }
  }
  for (std::size_t i = 0; i < n; ++i) {  // L y = b
    for (std::size_t k = 0; k < i; ++k) b[i] -= a[i][k] * b[k];
    b[i] /= a[i][i];
  }
  for (std::size_t i = n; i-- > 0;) {  // L^T x = y
    for (std::size_t k = i + 1; k < n; ++k) b[i] -= a[k][i] * b[k];
    b[i] /= a[i][i];
  }
  *x = std::move(b);
  return true;
}

// A uniform integer in [0, n) from the generator's raw output, the same on
// every platform (the standard's distributions are not).
uint64_t Below(std::mt19937_64& rng, uint64_t n) { return rng() % n; }

void Shuffle(std::vector<int>& v, std::mt19937_64& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Below(rng, i)]);
}

// Stratified folds in which equal rows stay together: the distinct rows
// (groups of equal rows, of either set) are shuffled, then each is given to
// the fold holding the smallest share of its class (of its members' classes,
// weighted, for a group of both), ties to the emptier fold, then the lower
// index: with no equal rows, each class is dealt out evenly. Keeping a row
// and its copy apart would let the model learn the copy's label and score
// the row against it (identical sets would then give an AUC below 0.5).
std::vector<int> AssignFolds(const Matrix& x, const std::vector<int>& labels, int folds, uint64_t seed) {
  // Equal rows, NaN equal to NaN.
  auto less = [&](int a, int b) {
    for (std::size_t c = 0; c < x[a].size(); ++c) {
      const double u = x[a][c], v = x[b][c];
      if (std::isnan(u) || std::isnan(v)) {
        if (std::isnan(u) != std::isnan(v)) return std::isnan(u) < std::isnan(v);
        continue;
      }
      if (u != v) return u < v;
    }
    return false;
  };
  std::vector<int> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), less);
  std::vector<std::vector<int>> groups;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k == 0 || less(order[k - 1], order[k])) groups.emplace_back();
    groups.back().push_back(order[k]);
  }
  std::mt19937_64 rng(seed);
  for (std::size_t i = groups.size(); i > 1; --i) std::swap(groups[i - 1], groups[Below(rng, i)]);

  double total[2] = {0, 0};
  for (int l : labels) total[l] += 1;
  std::vector<std::array<double, 2>> count(folds, {0, 0});
  std::vector<int> fold(x.size(), 0);
  for (const std::vector<int>& g : groups) {
    double add[2] = {0, 0};
    for (int i : g) add[labels[i]] += 1;
    int best = 0;
    double best_own = 0, best_all = 0;
    for (int f = 0; f < folds; ++f) {
      double own = 0, all = 0;
      for (int l : {0, 1}) {
        own += add[l] * count[f][l] / total[l];
        all += count[f][l] / total[l];
      }
      if (f == 0 || own < best_own || (own == best_own && all < best_all)) {
        best = f;
        best_own = own;
        best_all = all;
      }
    }
    for (int l : {0, 1}) count[best][l] += add[l];
    for (int i : g) fold[i] = best;
  }
  return fold;
}

// Column means and standard deviations of the rows `train` of `x` after
// imputation; NaN cells are replaced in place by their column's mean.
struct Scaler {
  std::vector<double> mean, scale;
};

Scaler FitScaler(const Matrix& x, const std::vector<int>& train, std::size_t width) {
  Scaler s{std::vector<double>(width, 0), std::vector<double>(width, 0)};
  for (std::size_t c = 0; c < width; ++c) {
    double sum = 0;
    int n = 0;
    for (int i : train) {
      if (!std::isnan(x[i][c])) {
        sum += x[i][c];
        ++n;
      }
    }
    const double fill = n > 0 ? sum / n : 0;
    // After imputation the mean is `fill`; the variance counts the imputed cells as 0 deviation.
    double ss = 0;
    for (int i : train) {
      const double v = std::isnan(x[i][c]) ? fill : x[i][c];
      ss += (v - fill) * (v - fill);
    }
    s.mean[c] = fill;
    s.scale[c] = train.empty() ? 0 : std::sqrt(ss / static_cast<double>(train.size()));
  }
  return s;
}

std::vector<double> Transform(const Scaler& s, const std::vector<double>& row) {
  std::vector<double> out(row.size());
  for (std::size_t c = 0; c < row.size(); ++c) {
    const double v = std::isnan(row[c]) ? s.mean[c] : row[c];
    out[c] = s.scale[c] > 0 ? (v - s.mean[c]) / s.scale[c] : 0;
  }
  return out;
}

}  // namespace

double LogisticModel::Probability(const std::vector<double>& x) const {
  double z = bias;
  for (std::size_t i = 0; i < weights.size() && i < x.size(); ++i) z += weights[i] * x[i];
  return Sigmoid(z);
}

Result<LogisticModel> FitLogistic(const Matrix& rows, const std::vector<int>& labels, const LogisticOptions& o) {
  if (rows.empty() || rows.size() != labels.size()) return Status::InvalidArgument("logistic regression: no rows, or rows and labels differ in number");
  const std::size_t d = rows[0].size();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].size() != d) return Status::InvalidArgument("logistic regression: row " + std::to_string(i) + " has another width");
    if (labels[i] != 0 && labels[i] != 1) return Status::InvalidArgument("logistic regression: labels must be 0 or 1");
  }
  // Parameters θ = (w_1..w_d, b); the bias is the last and is not penalised.
  const std::size_t p = d + 1;
  std::vector<double> theta(p, 0);
  LogisticModel m;
  for (m.iterations = 0; m.iterations < o.max_iterations;) {
    Matrix h(p, std::vector<double>(p, 0));
    std::vector<double> g(p, 0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double z = theta[d];
      for (std::size_t c = 0; c < d; ++c) z += theta[c] * rows[i][c];
      const double mu = Sigmoid(z), w = mu * (1 - mu), r = mu - labels[i];
      for (std::size_t a = 0; a < p; ++a) {
        const double xa = a < d ? rows[i][a] : 1;
        g[a] += r * xa;
        for (std::size_t b = 0; b <= a; ++b) h[a][b] += w * xa * (b < d ? rows[i][b] : 1);
      }
    }
    for (std::size_t a = 0; a < d; ++a) {
      g[a] += o.l2 * theta[a];
      h[a][a] += o.l2;
    }
    h[d][d] += 1e-9;  // keeps the bias's curvature positive when every μ saturates
    for (std::size_t a = 0; a < p; ++a)
      for (std::size_t b = a + 1; b < p; ++b) h[a][b] = h[b][a];
    std::vector<double> step;
    if (!SolveSpd(h, g, &step)) break;
    // Damped Newton: halve the step until the objective does not rise.
    const double before = Objective(rows, labels, theta, o.l2);
    std::vector<double> next(p);
    for (double t = 1; t > 1e-6; t /= 2) {
      for (std::size_t a = 0; a < p; ++a) next[a] = theta[a] - t * step[a];
      if (Objective(rows, labels, next, o.l2) <= before) break;
    }
    double largest = 0;
    for (std::size_t a = 0; a < p; ++a) largest = std::max(largest, std::abs(next[a] - theta[a]));
    theta = next;
    ++m.iterations;
    if (largest <= o.tolerance) {
      m.converged = true;
      break;
    }
  }
  m.weights.assign(theta.begin(), theta.begin() + static_cast<std::ptrdiff_t>(d));
  m.bias = theta[d];
  return m;
}

double RocAuc(const std::vector<double>& scores, const std::vector<int>& labels) {
  const std::size_t n = scores.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double positive_rank_sum = 0;
  std::size_t positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && scores[order[j]] == scores[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // ranks i+1..j
    for (std::size_t k = i; k < j; ++k) {
      if (labels[order[k]] == 1) {
        positive_rank_sum += mean_rank;
        ++positives;
      }
    }
    i = j;
  }
  const std::size_t negatives = n - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1) / 2) / (p * static_cast<double>(negatives));
}

Result<TwoSampleResult> ClassifierTwoSampleTest(const Matrix& a, const Matrix& b, const TwoSampleOptions& o) {
  if (a.size() < 2 || b.size() < 2) return Status::InvalidArgument("the classifier test needs at least 2 tunes in each set");
  Matrix x(a);
  x.insert(x.end(), b.begin(), b.end());
  const std::size_t width = x[0].size();
  for (const auto& row : x) {
    if (row.size() != width) return Status::InvalidArgument("the classifier test's rows differ in width");
  }
  std::vector<int> labels(x.size(), 0);
  std::fill(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(a.size()), 1);

  TwoSampleResult result;
  result.a = static_cast<int>(a.size());
  result.b = static_cast<int>(b.size());
  result.features = static_cast<int>(width);
  result.folds = std::max(2, std::min<int>({o.folds, result.a, result.b}));

  const std::vector<int> fold = AssignFolds(x, labels, result.folds, o.seed);
  std::vector<double> scores(x.size(), 0.5);
  for (int f = 0; f < result.folds; ++f) {
    std::vector<int> train, test;
    for (std::size_t i = 0; i < x.size(); ++i) (fold[i] == f ? test : train).push_back(static_cast<int>(i));
    const Scaler scaler = FitScaler(x, train, width);
    Matrix train_rows;
    std::vector<int> train_labels;
    for (int i : train) {
      train_rows.push_back(Transform(scaler, x[i]));
      train_labels.push_back(labels[i]);
    }
    auto model = FitLogistic(train_rows, train_labels, o.logistic);
    if (!model.ok()) return model.status();
    std::vector<double> fold_scores;
    std::vector<int> fold_labels;
    for (int i : test) {
      scores[i] = model->Probability(Transform(scaler, x[i]));
      fold_scores.push_back(scores[i]);
      fold_labels.push_back(labels[i]);
    }
    result.fold_auc.push_back(RocAuc(fold_scores, fold_labels));
  }
  result.auc = RocAuc(scores, labels);
  return result;
}

std::vector<int> RandomHalf(int n, uint64_t seed) {
  std::vector<int> all(static_cast<std::size_t>(std::max(n, 0)));
  std::iota(all.begin(), all.end(), 0);
  std::mt19937_64 rng(seed);
  Shuffle(all, rng);
  std::vector<int> half(all.begin(), all.begin() + n / 2);
  std::sort(half.begin(), half.end());
  return half;
}

}  // namespace tunesmith::eval
