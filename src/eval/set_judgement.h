// Judges a set of tunes against real ones: the musical features and their
// MGEval comparison, the structure figures side by side, and the classifier
// two-sample test (generated vs real, and real vs real as the yardstick).
// The eval command calls it on sampled tunes and on tunes read from files
// (--tunes), so every set is measured by the same code.
//
//   SetJudgement j = JudgeSets(generated, real_test, {});
//   j.structure        // rows: key, generated, real, ...
//   j.generated_vs_real->auc
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "abc/tune.h"
#include "eval/classifier.h"
#include "eval/features.h"
#include "eval/set_comparison.h"
#include "eval/structure.h"
#include "eval/structure_summary.h"

namespace tunesmith::eval {

struct JudgeOptions {
  uint64_t seed = 1;            // the classifier's folds; the real set's k-th halving uses seed + k
  TwoSampleOptions classifier;  // folds, L2 penalty (its seed is replaced by `seed`)
  int halvings = 10;            // random halvings of the real set for the real-vs-real noise level
};

struct SetJudgement {
  // Tunes without notes are left out of everything below, and counted here.
  int generated_empty = 0, real_empty = 0;
  std::vector<TuneFeatures> generated_features, real_features;
  std::vector<TuneStructure> generated_structure, real_structure;

  // MGEval comparison (features.h, set_comparison.h); nullopt with the reason
  // in comparison_error when it cannot be made (an empty set).
  std::optional<std::vector<FeatureComparison>> comparison;
  std::string comparison_error;

  std::vector<StructureRow> structure;  // CompareStructure(generated, real)

  // Classifier two-sample tests on ClassifierFeatures; nullopt with the
  // reason when a set has fewer than 2 tunes (the real set needs 4 to halve).
  std::optional<TwoSampleResult> generated_vs_real;
  std::string generated_vs_real_error;
  // The same without the columns that depend on the key a tune is written in
  // (KeyDependentFeatures): tunesmith picks the output key at generation
  // time, so this says how far the music itself is from the real tunes.
  std::optional<TwoSampleResult> generated_vs_real_key_free;
  std::optional<TwoSampleResult> real_vs_real;  // the real set cut in two random halves (halving 1)
  std::string real_vs_real_error;
  std::vector<double> real_vs_real_halvings;    // AUC of each halving, 1..options.halvings
};

// Judges `generated` against `real`. Never fails as a whole: a part that
// cannot be measured is left empty with its reason.
SetJudgement JudgeSets(const std::vector<const abc::Tune*>& generated, const std::vector<const abc::Tune*>& real,
                       const JudgeOptions& options = {});

// One tune's row for the classifier: the scalar features of TuneFeatures
// (pitch range, mean interval, notes per bar, entropy, scale consistency,
// ends on tonic, repeated-phrase rate), then StructureFeatureVector; NaN
// where a figure does not apply. ClassifierFeatureNames() names the columns.
std::vector<double> ClassifierFeatures(const TuneFeatures& f, const TuneStructure& s);
const std::vector<std::string>& ClassifierFeatureNames();

// The classifier columns that change when a tune is transposed: "key_in_dgae",
// "highest", "lowest".
const std::vector<std::string>& KeyDependentFeatures();

}  // namespace tunesmith::eval
