#include "eval/set_judgement.h"

#include <algorithm>

namespace tunesmith::eval {
namespace {

constexpr Feature kScalarFeatures[] = {Feature::kPitchRange,        Feature::kMeanAbsInterval,
                                       Feature::kNotesPerBar,       Feature::kPitchClassEntropy,
                                       Feature::kScaleConsistency,  Feature::kEndsOnTonic,
                                       Feature::kRepeatedPhraseRate};

void Measure(const std::vector<const abc::Tune*>& tunes, std::vector<TuneFeatures>& features,
             std::vector<TuneStructure>& structure, int& empty) {
  for (const abc::Tune* t : tunes) {
    TuneFeatures f = ComputeFeatures(*t);
    if (f.notes == 0) {
      ++empty;
      continue;
    }
    features.push_back(f);
    structure.push_back(ComputeStructure(*t));
  }
}

std::vector<std::vector<double>> Rows(const std::vector<TuneFeatures>& f, const std::vector<TuneStructure>& s,
                                      const std::vector<int>& which) {
  std::vector<std::vector<double>> rows;
  for (int i : which) rows.push_back(ClassifierFeatures(f[i], s[i]));
  return rows;
}

// `rows` without the columns named in `drop`.
std::vector<std::vector<double>> Without(const std::vector<std::vector<double>>& rows,
                                         const std::vector<std::string>& drop) {
  const std::vector<std::string>& names = ClassifierFeatureNames();
  std::vector<std::vector<double>> out;
  for (const auto& row : rows) {
    std::vector<double> kept;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (std::find(drop.begin(), drop.end(), names[c]) == drop.end()) kept.push_back(row[c]);
    }
    out.push_back(std::move(kept));
  }
  return out;
}

std::vector<int> All(std::size_t n) {
  std::vector<int> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<int>(i);
  return v;
}

}  // namespace

std::vector<double> ClassifierFeatures(const TuneFeatures& f, const TuneStructure& s) {
  std::vector<double> row;
  for (Feature k : kScalarFeatures) row.push_back(FeatureVector(f, k)[0]);
  const std::vector<double> structure = StructureFeatureVector(s);
  row.insert(row.end(), structure.begin(), structure.end());
  return row;
}

const std::vector<std::string>& ClassifierFeatureNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (Feature k : kScalarFeatures) names.push_back(FeatureName(k));
    for (const std::string& n : StructureFeatureNames()) names.push_back(n);
    return names;
  }();
  return kNames;
}

const std::vector<std::string>& KeyDependentFeatures() {
  static const std::vector<std::string> kNames = {"key_in_dgae", "highest", "lowest"};
  return kNames;
}

SetJudgement JudgeSets(const std::vector<const abc::Tune*>& generated, const std::vector<const abc::Tune*>& real,
                       const JudgeOptions& options) {
  SetJudgement j;
  Measure(generated, j.generated_features, j.generated_structure, j.generated_empty);
  Measure(real, j.real_features, j.real_structure, j.real_empty);

  auto table = CompareFeatureSets(j.real_features, j.generated_features);
  if (table.ok()) j.comparison = *table;
  else j.comparison_error = table.status().message();

  j.structure = CompareStructure(j.generated_structure, j.real_structure);

  TwoSampleOptions c = options.classifier;
  c.seed = options.seed;
  const auto gen_rows = Rows(j.generated_features, j.generated_structure, All(j.generated_features.size()));
  const auto real_rows = Rows(j.real_features, j.real_structure, All(j.real_features.size()));
  auto gvr = ClassifierTwoSampleTest(gen_rows, real_rows, c);
  if (gvr.ok()) j.generated_vs_real = *gvr;
  else j.generated_vs_real_error = gvr.status().message();
  auto key_free = ClassifierTwoSampleTest(Without(gen_rows, KeyDependentFeatures()),
                                          Without(real_rows, KeyDependentFeatures()), c);
  if (key_free.ok()) j.generated_vs_real_key_free = *key_free;

  const int n = static_cast<int>(real_rows.size());
  if (n < 4) {
    j.real_vs_real_error = "the real set has fewer than 4 tunes to cut in halves";
  } else {
    for (int k = 1; k <= std::max(1, options.halvings); ++k) {
      const std::vector<int> first = RandomHalf(n, options.seed + static_cast<uint64_t>(k));
      std::vector<bool> in_first(n, false);
      for (int i : first) in_first[i] = true;
      std::vector<std::vector<double>> half_a, half_b;
      for (int i = 0; i < n; ++i) (in_first[i] ? half_a : half_b).push_back(real_rows[i]);
      auto rvr = ClassifierTwoSampleTest(half_a, half_b, c);
      if (!rvr.ok()) {
        j.real_vs_real_error = rvr.status().message();
        break;
      }
      if (k == 1) j.real_vs_real = *rvr;
      j.real_vs_real_halvings.push_back(rvr->auc);
    }
  }
  return j;
}

}  // namespace tunesmith::eval
