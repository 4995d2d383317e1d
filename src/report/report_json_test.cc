#include "report/report_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tunesmith::report {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

eval::TuneFeatures Tune(int notes, double pitch_range, double scale_consistency, double ends_on_tonic,
                        int tonic_share_bin) {
  eval::TuneFeatures t;
  t.notes = notes;
  t.bars = 8;
  t.pitch_range = pitch_range;
  t.scale_consistency = scale_consistency;
  t.ends_on_tonic = ends_on_tonic;
  t.pitch_class_histogram[tonic_share_bin] = 1.0;
  t.interval_histogram[eval::kMaxHistogramInterval] = 1.0;  // all repeated notes
  t.note_length_histogram[3] = 1.0;                          // all quavers
  return t;
}

const nlohmann::json* Histogram(const nlohmann::json& all, const std::string& name) {
  for (const auto& h : all)
    if (h["name"] == name) return &h;
  return nullptr;
}

TEST(ReportJsonTest, NewReportPassesItsOwnFormatCheck) {
  EXPECT_TRUE(CheckReportFormat(NewReport()).ok());
  nlohmann::json old = NewReport();
  old["format_version"] = 0;
  EXPECT_THAT(CheckReportFormat(old).message(), HasSubstr("rerun `tunesmith eval --report DIR`"));
  EXPECT_THAT(CheckReportFormat({{"format", "other"}}).message(), HasSubstr("not a tunesmith eval report"));
}

TEST(ReportJsonTest, SummaryKeys) {
  eval::Summary s;
  s.count = 4;
  s.mean = 2.5;
  s.median = 2.5;
  s.p90 = 3.7;
  s.max = 4;
  const nlohmann::json j = SummaryToJson(s);
  EXPECT_EQ(j["count"], 4);
  EXPECT_EQ(j["mean"], 2.5);
  EXPECT_EQ(j["p90"], 3.7);
  EXPECT_EQ(j["max"], 4.0);
  for (const char* key : {"std_dev", "min", "median", "p95"}) EXPECT_TRUE(j.contains(key)) << key;
}

TEST(ReportJsonTest, FeatureComparisonRowsKeepTheirNumbers) {
  eval::FeatureComparison c;
  c.feature = eval::Feature::kPitchRange;
  c.overlap_area = 0.75;
  c.kl_divergence = 0.125;
  c.inter.mean = 3;
  c.grid_points = 1001;
  const nlohmann::json j = FeatureComparisonsToJson({c});
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["name"], "pitch_range");  // from the feature when the name is empty
  EXPECT_EQ(j[0]["overlap_area"], 0.75);
  EXPECT_EQ(j[0]["kl_divergence"], 0.125);
  EXPECT_EQ(j[0]["inter"]["mean"], 3.0);
  EXPECT_EQ(j[0]["grid_points"], 1001);
}

TEST(ReportJsonTest, HistogramsSideBySideOnSharedBins) {
  // Real: two tunes, tonic-only and fifth-only; generated: one tonic-only tune and one without notes.
  const std::vector<eval::TuneFeatures> real = {Tune(10, 12, 1.0, 1, 0), Tune(10, 14, 0.75, 0, 7)};
  const std::vector<eval::TuneFeatures> generated = {Tune(10, 13, 1.0, 1, 0), Tune(0, 99, 0, 0, 0)};
  const nlohmann::json all = FeatureHistogramsToJson(real, generated);
  ASSERT_EQ(all.size(), eval::AllFeatures().size());

  const nlohmann::json* pc = Histogram(all, "pitch_class_histogram");
  ASSERT_TRUE(pc);
  ASSERT_EQ((*pc)["labels"].size(), 12u);
  EXPECT_EQ((*pc)["real"][0], 0.5);
  EXPECT_EQ((*pc)["real"][7], 0.5);
  EXPECT_EQ((*pc)["generated"][0], 1.0);  // the tune without notes is left out
  EXPECT_EQ((*pc)["y_label"], "share of notes");

  const nlohmann::json* intervals = Histogram(all, "interval_histogram");
  ASSERT_EQ((*intervals)["labels"].size(), 25u);
  EXPECT_EQ((*intervals)["labels"][0], "-12");
  EXPECT_EQ((*intervals)["labels"][12], "0");
  EXPECT_EQ((*intervals)["labels"][24], "+12");
  EXPECT_EQ((*intervals)["real"][12], 1.0);

  const nlohmann::json* lengths = Histogram(all, "note_length_histogram");
  ASSERT_EQ((*lengths)["labels"].size(), 12u);
  EXPECT_EQ((*lengths)["labels"][3], "1/8");
  EXPECT_EQ((*lengths)["labels"][11], "other");

  // pitch_range: integers 12..14, one bin each (99 belonged to the empty tune).
  const nlohmann::json* range = Histogram(all, "pitch_range");
  EXPECT_EQ((*range)["labels"], nlohmann::json({"12", "13", "14"}));
  EXPECT_EQ((*range)["real"], nlohmann::json({0.5, 0.0, 0.5}));
  EXPECT_EQ((*range)["generated"], nlohmann::json({0.0, 1.0, 0.0}));

  const nlohmann::json* tonic = Histogram(all, "ends_on_tonic");
  EXPECT_EQ((*tonic)["labels"], nlohmann::json({"other", "tonic"}));
  EXPECT_EQ((*tonic)["real"], nlohmann::json({0.5, 0.5}));
  EXPECT_EQ((*tonic)["generated"], nlohmann::json({0.0, 1.0}));

  // scale_consistency: non-integers over [0.75, 1]: 10 bins, the top value in the last.
  const nlohmann::json* scale = Histogram(all, "scale_consistency");
  ASSERT_EQ((*scale)["labels"].size(), 10u);
  EXPECT_EQ((*scale)["labels"][0], "0.75");
  EXPECT_EQ((*scale)["real"][0], 0.5);
  EXPECT_EQ((*scale)["real"][9], 0.5);
  EXPECT_EQ((*scale)["generated"][9], 1.0);
}

TEST(ReportJsonTest, FeatureMeans) {
  const nlohmann::json means = FeatureMeansToJson({Tune(10, 12, 1.0, 1, 0), Tune(10, 14, 0.5, 0, 7), Tune(0, 50, 0, 0, 0)});
  EXPECT_EQ(means["pitch_range"], 13.0);
  EXPECT_EQ(means["scale_consistency"], 0.75);
  EXPECT_EQ(means["ends_on_tonic"], 0.5);
  ASSERT_TRUE(means["pitch_class_histogram"].is_array());
  EXPECT_EQ(means["pitch_class_histogram"][0], 0.5);
  EXPECT_TRUE(FeatureMeansToJson({}).empty());
}

TEST(ReportJsonTest, TuneNoveltyKeys) {
  eval::TuneNovelty n;
  n.longest_bar_run = 3;
  n.bar_run_title = "The Kesh";
  n.window8_share = 0.25;
  const nlohmann::json j = TuneNoveltyToJson(n);
  EXPECT_EQ(j["longest_bar_run"], 3);
  EXPECT_EQ(j["bar_run_title"], "The Kesh");
  EXPECT_EQ(j["window8_share"], 0.25);
  EXPECT_TRUE(j.contains("nearest_title"));
  eval::NoveltySummary s;
  s.longest_bar_run.max = 7;
  EXPECT_EQ(NoveltySummaryToJson(s)["longest_bar_run"]["max"], 7.0);
}

TEST(ReportJsonTest, TrainingCurvesFromAMetricsLogWithAResume) {
  const fs::path path = fs::temp_directory_path() / "tunesmith_report_test.metrics.jsonl";
  {
    std::ofstream out(path);
    out << R"({"kind":"start","step":0,"parameters":4242,"config":{}})" << "\n"
        << R"({"kind":"train","step":10,"epoch":1,"loss":3.0,"lr":0.001,"tok_s":1000,"elapsed_s":1})" << "\n"
        << R"({"kind":"valid","step":20,"epoch":1,"loss":2.5,"bits_per_token":3.6,"bits_per_tune":400,"tokens":100,"tunes":5,"best":true})" << "\n"
        << R"({"kind":"train","step":30,"epoch":2,"loss":2.2,"lr":0.001})" << "\n"
        << R"({"kind":"train","step":40,"ep)" << "\n"  // cut by a crash
        << "\n"
        << R"({"kind":"resume","step":20,"parameters":4242})" << "\n"
        << R"({"kind":"train","step":30,"epoch":2,"loss":2.1,"lr":0.001})" << "\n"
        << R"({"kind":"valid","step":40,"epoch":2,"loss":2.0,"bits_per_token":2.9,"bits_per_tune":350,"best":true})" << "\n"
        << R"({"kind":"stop","step":40,"reason":"epochs","seconds":12.5})" << "\n"
        << R"({"kind":"test","step":40,"loss":2.05,"bits_per_token":2.95,"bits_per_tune":355,"tokens":90,"tunes":4})" << "\n";
  }
  auto curves = ReadTrainingCurves(path.string());
  ASSERT_TRUE(curves.ok()) << curves.status().message();
  const nlohmann::json& c = *curves;
  EXPECT_EQ(c["metrics_log"], path.string());
  EXPECT_EQ(c["parameters"], 4242);
  // The step-30 point logged before the crash is replaced by the one after the resume.
  ASSERT_EQ(c["train"].size(), 2u);
  EXPECT_EQ(c["train"][0]["step"], 10);
  EXPECT_EQ(c["train"][1]["step"], 30);
  EXPECT_EQ(c["train"][1]["loss"], 2.1);
  ASSERT_EQ(c["valid"].size(), 2u);
  EXPECT_EQ(c["valid"][0]["bits_per_tune"], 400.0);
  EXPECT_EQ(c["valid"][1]["epoch"], 2);
  EXPECT_EQ(c["valid"][1]["best"], true);
  EXPECT_EQ(c["test"]["bits_per_tune"], 355.0);
  EXPECT_FALSE(c["test"].contains("kind"));
  EXPECT_EQ(c["stop_reason"], "epochs");
  EXPECT_EQ(c["resumes"], 1);
  EXPECT_EQ(c["unreadable_lines"], 1);
  fs::remove(path);

  auto missing = ReadTrainingCurves("/nonexistent/model.metrics.jsonl");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/model.metrics.jsonl"));
}

}  // namespace
}  // namespace tunesmith::report
