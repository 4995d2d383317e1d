// A classifier two-sample test (Lopez-Paz & Oquab 2017, "Revisiting
// classifier two-sample tests"): can a logistic regression on per-tune
// features tell set A from set B? Cross-validated ROC AUC: 0.5 means the
// sets are indistinguishable by these features, 1.0 perfectly separable.
// docs/eval.md ("Classifier two-sample test") gives the details.
//
//   TwoSampleOptions o;                 // 5 folds, L2 1.0, seed 1
//   auto r = ClassifierTwoSampleTest(generated_rows, real_rows, o);
//   r->auc                              // pooled out-of-fold ROC AUC
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"

namespace tunesmith::eval {

// An L2-regularised logistic regression, fitted by Newton's method (IRLS).
struct LogisticModel {
  std::vector<double> weights;  // one per feature
  double bias = 0;
  int iterations = 0;           // Newton steps taken
  bool converged = false;       // the last step moved no weight by more than the tolerance

  // P(label 1 | x) for one row of the same width as `weights`.
  double Probability(const std::vector<double>& x) const;
};

struct LogisticOptions {
  double l2 = 1.0;           // penalty λ/2 · |w|² on the weights (not the bias), on standardised features
  int max_iterations = 100;  // Newton steps at most
  double tolerance = 1e-9;   // stop when no weight moves more than this
};

// Fits `rows` (all of one width, finite) against `labels` (0 or 1). Fails
// when the inputs are empty, ragged, or labels are not 0/1.
Result<LogisticModel> FitLogistic(const std::vector<std::vector<double>>& rows, const std::vector<int>& labels,
                                  const LogisticOptions& options = {});

// The area under the ROC curve of `scores` for `labels` (1 positive, 0
// negative), by ranks (Mann-Whitney U / (n1 n0)); tied scores share their
// mean rank, so a tie between a positive and a negative counts one half.
// 0.5 when either class is empty.
double RocAuc(const std::vector<double>& scores, const std::vector<int>& labels);

struct TwoSampleOptions {
  int folds = 5;           // stratified k-fold cross-validation; equal rows share a fold
  uint64_t seed = 1;       // shuffles the rows before they are dealt into folds
  LogisticOptions logistic;
};

struct TwoSampleResult {
  double auc = 0.5;             // pooled out-of-fold ROC AUC, set A as positives
  int a = 0, b = 0;             // rows of each set
  int folds = 0;                // folds used (fewer than asked when a set is smaller)
  int features = 0;             // columns
  std::vector<double> fold_auc; // each fold's own AUC, for the spread
};

// Cross-validated classifier two-sample test of `a` against `b` (rows of one
// width; NaN marks a value that does not apply). For each fold the model is
// fitted on the other folds: a NaN is replaced by its column's mean over
// the training rows (0 when the column has none), then every column is
// standardised with the training rows' mean and standard deviation (a
// constant column becomes 0). The out-of-fold probabilities of all rows are
// pooled into one AUC. Deterministic for a given seed. Fails when either set
// has fewer than 2 rows or the rows are ragged.
Result<TwoSampleResult> ClassifierTwoSampleTest(const std::vector<std::vector<double>>& a,
                                                const std::vector<std::vector<double>>& b,
                                                const TwoSampleOptions& options = {});

// Splits `n` items into two halves at random (deterministic by seed): the
// indices of the first half (n/2 of them, sorted), the rest being the second.
std::vector<int> RandomHalf(int n, uint64_t seed);

}  // namespace tunesmith::eval
