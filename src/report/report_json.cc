#include "report/report_json.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "report/svg_chart.h"

namespace tunesmith::report {
namespace {

using nlohmann::json;

struct HistogramText {
  const char* title;
  const char* x_label;
  const char* y_label;
};

HistogramText TextOf(eval::Feature f) {
  using F = eval::Feature;
  switch (f) {
    case F::kPitchClassHistogram: return {"Pitch classes", "semitones above the tonic", "share of notes"};
    case F::kPitchRange: return {"Pitch range", "semitones", "share of tunes"};
    case F::kMeanAbsInterval: return {"Mean absolute interval", "semitones (bin start)", "share of tunes"};
    case F::kIntervalHistogram: return {"Melodic intervals", "semitones, signed (leaps clamped at 12)", "share of steps"};
    case F::kNoteLengthHistogram: return {"Note lengths", "whole notes", "share of notes"};
    case F::kNotesPerBar: return {"Notes per bar", "notes (bin start)", "share of tunes"};
    case F::kPitchClassEntropy: return {"Pitch-class entropy", "bits (bin start)", "share of tunes"};
    case F::kScaleConsistency: return {"Scale consistency", "share in the best diatonic scale (bin start)", "share of tunes"};
    case F::kEndsOnTonic: return {"Last note", "pitch class of the last note", "share of tunes"};
    case F::kRepeatedPhraseRate: return {"Repeated 2-bar phrases", "share of phrases (bin start)", "share of tunes"};
  }
  return {"", "", ""};
}

std::vector<std::string> HistogramLabels(eval::Feature f) {
  std::vector<std::string> labels;
  switch (f) {
    case eval::Feature::kPitchClassHistogram:
      for (int i = 0; i < 12; ++i) labels.push_back(std::to_string(i));
      break;
    case eval::Feature::kIntervalHistogram:
      for (int i = -eval::kMaxHistogramInterval; i <= eval::kMaxHistogramInterval; ++i)
        labels.push_back(i > 0 ? std::string("+").append(std::to_string(i)) : std::to_string(i));
      break;
    case eval::Feature::kNoteLengthHistogram:
      for (const auto& r : eval::kNoteLengthBins) labels.push_back(r.ToString());
      labels.push_back("other");
      break;
    default:
      break;
  }
  return labels;
}

bool IsHistogramFeature(eval::Feature f) { return !HistogramLabels(f).empty(); }

std::vector<const eval::TuneFeatures*> WithNotes(const std::vector<eval::TuneFeatures>& tunes) {
  std::vector<const eval::TuneFeatures*> out;
  for (const auto& t : tunes)
    if (t.notes > 0) out.push_back(&t);
  return out;
}

std::vector<double> MeanVector(const std::vector<const eval::TuneFeatures*>& tunes, eval::Feature f) {
  std::vector<double> sum;
  for (const auto* t : tunes) {
    const std::vector<double> v = eval::FeatureVector(*t, f);
    if (sum.empty()) sum.assign(v.size(), 0.0);
    for (std::size_t i = 0; i < v.size() && i < sum.size(); ++i) sum[i] += v[i];
  }
  for (double& s : sum) s /= static_cast<double>(tunes.size());
  return sum;
}

// Shared bins for a scalar feature over both sets: their labels and a function from value to bin.
struct Bins {
  std::vector<std::string> labels;
  double lo = 0, width = 1;
  bool integer = false;
  int Index(double v) const {
    const int n = static_cast<int>(labels.size());
    const int i = integer ? static_cast<int>(std::llround(v - lo)) : static_cast<int>(std::floor((v - lo) / width));
    return std::clamp(i, 0, n - 1);
  }
};

Bins ScalarBins(eval::Feature f, const std::vector<double>& pooled) {
  Bins b;
  if (f == eval::Feature::kEndsOnTonic) {
    b.labels = {"other", "tonic"};
    b.integer = true;
    return b;
  }
  if (pooled.empty()) return b;  // no labels: nothing to draw
  const auto [lo_it, hi_it] = std::minmax_element(pooled.begin(), pooled.end());
  const double lo = *lo_it, hi = *hi_it;
  const bool integers =
      std::all_of(pooled.begin(), pooled.end(), [](double v) { return std::abs(v - std::round(v)) < 1e-9; });
  b.lo = lo;
  if (integers && hi - lo <= 30) {
    b.integer = true;
    for (long long v = std::llround(lo); v <= std::llround(hi); ++v) b.labels.push_back(std::to_string(v));
    return b;
  }
  if (hi - lo < 1e-12) {
    b.labels = {FormatNumber(lo, 3)};
    return b;
  }
  constexpr int kBins = 10;
  b.width = (hi - lo) / kBins;
  const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(b.width))), 0, 4);
  for (int i = 0; i < kBins; ++i) b.labels.push_back(FormatNumber(lo + i * b.width, decimals));
  return b;
}

std::vector<double> Shares(const std::vector<const eval::TuneFeatures*>& tunes, eval::Feature f, const Bins& bins) {
  std::vector<double> shares(bins.labels.size(), 0.0);
  if (bins.labels.empty() || tunes.empty()) return shares;
  for (const auto* t : tunes) shares[bins.Index(eval::FeatureVector(*t, f).at(0))] += 1;
  for (double& s : shares) s /= static_cast<double>(tunes.size());
  return shares;
}

}  // namespace

nlohmann::json NewReport() { return {{"format", kReportFormat}, {"format_version", kReportFormatVersion}}; }

Status CheckReportFormat(const nlohmann::json& report) {
  if (!report.is_object()) return Status::Corruption("report.json: expected a JSON object, found " + std::string(report.type_name()));
  const auto format = report.find("format");
  if (format == report.end() || !format->is_string() || format->get<std::string>() != kReportFormat)
    return Status::NotSupported(std::string("report.json: \"format\" is not \"") + kReportFormat +
                         "\": not a tunesmith eval report");
  const auto version = report.find("format_version");
  if (version == report.end() || !version->is_number_integer() || version->get<int>() != kReportFormatVersion) {
    return Status::NotSupported("report.json: format_version " + (version == report.end() ? std::string("missing") : version->dump()) +
                         ", this build reads version " + std::to_string(kReportFormatVersion) +
                         "; rerun `tunesmith eval --report DIR` with this build");
  }
  return Status::Ok();
}

nlohmann::json SummaryToJson(const eval::Summary& s) {
  return {{"count", s.count}, {"mean", s.mean},     {"std_dev", s.std_dev}, {"min", s.min},
          {"median", s.median}, {"p90", s.p90}, {"p95", s.p95},         {"max", s.max}};
}

nlohmann::json FeatureComparisonsToJson(const std::vector<eval::FeatureComparison>& table) {
  json out = json::array();
  for (const auto& c : table) {
    out.push_back({{"name", c.name.empty() ? eval::FeatureName(c.feature) : c.name},
                   {"overlap_area", c.overlap_area},
                   {"kl_divergence", c.kl_divergence},
                   {"intra_real", SummaryToJson(c.intra_real)},
                   {"intra_generated", SummaryToJson(c.intra_generated)},
                   {"inter", SummaryToJson(c.inter)},
                   {"bandwidth_intra", c.bandwidth_intra},
                   {"bandwidth_inter", c.bandwidth_inter},
                   {"grid_points", c.grid_points}});
  }
  return out;
}

nlohmann::json FeatureMeansToJson(const std::vector<eval::TuneFeatures>& tunes) {
  json out = json::object();
  const auto kept = WithNotes(tunes);
  if (kept.empty()) return out;
  for (eval::Feature f : eval::AllFeatures()) {
    const std::vector<double> mean = MeanVector(kept, f);
    if (IsHistogramFeature(f)) {
      out[eval::FeatureName(f)] = mean;
    } else {
      out[eval::FeatureName(f)] = mean.empty() ? 0.0 : mean[0];
    }
  }
  return out;
}

nlohmann::json FeatureHistogramsToJson(const std::vector<eval::TuneFeatures>& real,
                                       const std::vector<eval::TuneFeatures>& generated) {
  const auto r = WithNotes(real), g = WithNotes(generated);
  json out = json::array();
  for (eval::Feature f : eval::AllFeatures()) {
    const HistogramText text = TextOf(f);
    json h = {{"name", eval::FeatureName(f)}, {"title", text.title}, {"x_label", text.x_label}, {"y_label", text.y_label}};
    if (IsHistogramFeature(f)) {
      const std::vector<std::string> labels = HistogramLabels(f);
      std::vector<double> rv = r.empty() ? std::vector<double>(labels.size(), 0.0) : MeanVector(r, f);
      std::vector<double> gv = g.empty() ? std::vector<double>(labels.size(), 0.0) : MeanVector(g, f);
      h["labels"] = labels;
      h["real"] = rv;
      h["generated"] = gv;
    } else {
      std::vector<double> pooled;
      for (const auto* set : {&r, &g})
        for (const auto* t : *set) pooled.push_back(eval::FeatureVector(*t, f).at(0));
      const Bins bins = ScalarBins(f, pooled);
      h["labels"] = bins.labels;
      h["real"] = Shares(r, f, bins);
      h["generated"] = Shares(g, f, bins);
    }
    out.push_back(std::move(h));
  }
  return out;
}

nlohmann::json NoveltySummaryToJson(const eval::NoveltySummary& s) {
  return {{"longest_bar_run", SummaryToJson(s.longest_bar_run)},
          {"longest_note_run", SummaryToJson(s.longest_note_run)},
          {"window8_share", SummaryToJson(s.window8_share)},
          {"window16_share", SummaryToJson(s.window16_share)}};
}

nlohmann::json TuneNoveltyToJson(const eval::TuneNovelty& n) {
  return {{"bars", n.bars},
          {"notes", n.notes},
          {"longest_bar_run", n.longest_bar_run},
          {"bar_run_title", n.bar_run_title},
          {"longest_note_run", n.longest_note_run},
          {"note_run_title", n.note_run_title},
          {"window8_share", n.window8_share},
          {"window16_share", n.window16_share},
          {"nearest_title", n.nearest_title}};
}

Result<nlohmann::json> ReadTrainingCurves(const std::string& metrics_log_path) {
  std::ifstream in(metrics_log_path);
  if (!in) return Status::NotFound("cannot read the metrics log " + metrics_log_path);
  json train = json::array(), valid = json::array();
  json out = {{"metrics_log", metrics_log_path}};
  int resumes = 0, unreadable = 0;
  std::string line;
  // A resumed run restarts at its checkpoint's step: forget what was logged after it.
  auto drop_after = [](json& points, int64_t step) {
    json kept = json::array();
    for (auto& p : points)
      if (p.value("step", int64_t{0}) <= step) kept.push_back(std::move(p));
    points = std::move(kept);
  };
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    // A crash can leave a half-written last line; one bad line should not sink the report.
    if (j.is_discarded() || !j.is_object()) {
      ++unreadable;
      continue;
    }
    const std::string kind = j.value("kind", "");
    const int64_t step = j.value("step", int64_t{0});
    if (kind == "start" || kind == "resume") {
      if (kind == "resume") {
        ++resumes;
        drop_after(train, step);
        drop_after(valid, step);
      }
      if (j.contains("parameters")) out["parameters"] = j["parameters"];
    } else if (kind == "train") {
      train.push_back({{"step", step}, {"epoch", j.value("epoch", int64_t{0})}, {"loss", j.value("loss", 0.0)},
                       {"lr", j.value("lr", 0.0)}});
    } else if (kind == "valid") {
      valid.push_back({{"step", step},
                       {"epoch", j.value("epoch", int64_t{0})},
                       {"loss", j.value("loss", 0.0)},
                       {"bits_per_token", j.value("bits_per_token", 0.0)},
                       {"bits_per_tune", j.value("bits_per_tune", 0.0)},
                       {"best", j.value("best", false)}});
    } else if (kind == "test") {
      json t = j;
      t.erase("kind");
      out["test"] = std::move(t);
    } else if (kind == "stop") {
      out["stop_reason"] = j.value("reason", "");
    }
  }
  out["train"] = std::move(train);
  out["valid"] = std::move(valid);
  out["resumes"] = resumes;
  out["unreadable_lines"] = unreadable;
  return out;
}

}  // namespace tunesmith::report
