// The pieces of report.json (docs/report.md defines every key), built from
// the metrics library's results, and the training curves read from a model's
// metrics log. The eval command assembles the whole object:
//
//   nlohmann::json r = report::NewReport();
//   r["likelihood"] = {...};                                  // see docs/report.md
//   r["features"]["comparison"] = report::FeatureComparisonsToJson(*table);
//   r["histograms"] = report::FeatureHistogramsToJson(real, generated);
//   r["novelty"] = {{"generated", report::NoveltySummaryToJson(g)}, {"real", report::NoveltySummaryToJson(t)}};
//   if (auto curves = report::ReadTrainingCurves(metrics_path); curves.ok()) r["training"] = *curves;
//   report::WriteReportFiles(r, dir, {});                     // report_html.h
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "eval/features.h"
#include "eval/novelty.h"
#include "eval/set_comparison.h"
#include "eval/stats.h"

namespace tunesmith::report {

// report.json's "format" and "format_version"; a reader refuses another version.
inline constexpr const char* kReportFormat = "tunesmith-eval-report";
inline constexpr int kReportFormatVersion = 1;

// {"format": kReportFormat, "format_version": kReportFormatVersion}: the start of every report.
nlohmann::json NewReport();

// OK when `report` carries this format and version; otherwise a message
// naming what it found and what this build reads.
Status CheckReportFormat(const nlohmann::json& report);

// {"count", "mean", "std_dev", "min", "median", "p90", "p95", "max"}.
nlohmann::json SummaryToJson(const eval::Summary& s);

// One object per feature, in the given order: {"name", "overlap_area",
// "kl_divergence", "intra_real", "intra_generated", "inter" (summaries),
// "bandwidth_intra", "bandwidth_inter", "grid_points"}.
nlohmann::json FeatureComparisonsToJson(const std::vector<eval::FeatureComparison>& table);

// {feature name: set mean}: a number for a scalar feature, an array (mean
// share per bin) for a histogram feature. Tunes without notes are left out;
// an empty set gives an empty object.
nlohmann::json FeatureMeansToJson(const std::vector<eval::TuneFeatures>& tunes);

// The histograms the report draws, real and generated side by side, one per
// feature in eval::AllFeatures() order: {"name", "title", "x_label",
// "y_label", "labels", "real", "generated"}.
//  - pitch_class_histogram, interval_histogram, note_length_histogram: the
//    mean share of notes per bin over each set;
//  - the scalar features: the share of tunes per bin, on bins shared by both
//    sets (one per integer for integer features spanning <= 30 values, e.g.
//    pitch_range; else 10 equal bins over the pooled range, labelled by their
//    lower edge; ends_on_tonic has the two bins "other" and "tonic").
// Tunes without notes are left out of both sets.
nlohmann::json FeatureHistogramsToJson(const std::vector<eval::TuneFeatures>& real,
                                       const std::vector<eval::TuneFeatures>& generated);

// {"longest_bar_run", "longest_note_run", "window8_share", "window16_share"}, each a summary.
nlohmann::json NoveltySummaryToJson(const eval::NoveltySummary& s);

// One tune's figures: {"bars", "notes", "longest_bar_run", "bar_run_title",
// "longest_note_run", "note_run_title", "window8_share", "window16_share", "nearest_title"}.
nlohmann::json TuneNoveltyToJson(const eval::TuneNovelty& n);

// The training curves of a model from its metrics log (MODEL.metrics.jsonl,
// src/train/trainer.h): {"metrics_log", "train": [{"step", "epoch", "loss",
// "lr"}], "valid": [{"step", "epoch", "loss", "bits_per_token",
// "bits_per_tune", "best"}], "test" (the last test line, if any),
// "parameters", "stop_reason", "resumes", "unreadable_lines"}. A resumed run re-logs the steps
// after its checkpoint: at each "resume" line, points past its step are
// dropped so every step appears once. Lines that are not JSON objects (a
// crash can cut the last one) are counted in "unreadable_lines" and skipped,
// as are lines of other kinds. Fails only when the file cannot be read.
Result<nlohmann::json> ReadTrainingCurves(const std::string& metrics_log_path);

}  // namespace tunesmith::report
