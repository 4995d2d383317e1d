// For the tests: a small, complete report.json object with known numbers.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/report_json.h"

namespace tunesmith::report::test_data {

inline nlohmann::json Summary(double mean, double median, double p90, double max, int count) {
  return {{"count", count}, {"mean", mean}, {"std_dev", 0.5}, {"min", 0},
          {"median", median}, {"p90", p90}, {"p95", p90}, {"max", max}};
}

inline const char* kJigAbc =
    "X:1\nT:Test Jig <one> & \"two\"\nM:6/8\nL:1/8\nK:D\n|:\"D\"A2D FED|\"G\"B2G \"A\"A2F|\"D\"d2A FED|\"A\"E3 \"D\"D3:|\n";

inline nlohmann::json SampleReport() {
  nlohmann::json r = NewReport();
  r["tunesmith_version"] = "0.1.0";
  r["created"] = "2026-11-25T12:00:00Z";
  r["command"] = "tunesmith eval --model models/default.ts --corpus data/corpus --report out";
  r["model"] = {{"path", "models/default.ts"}, {"architecture", "lstm"}, {"tokenizer", "abc-token"},
                {"parameters", 1234567}, {"config", {{"layers", 3}, {"hidden", 512}}}};
  r["corpus"] = {{"paths", {"data/corpus/nmd"}}, {"fingerprint", "abc123"},
                 {"tunes", {{"train", 900}, {"valid", 50}, {"test", 48}}}};
  r["settings"] = {{"samples", 100}, {"seed", 7}, {"temperature", 1.0}};
  r["likelihood"] = {{"split", "test"}, {"tunes", 48}, {"tokens", 12000}, {"loss", 0.85},
                     {"bits_per_token", 1.23456}, {"bits_per_tune", 310.256}};
  r["validity"] = {{"samples", 100}, {"read", 98}, {"tunes_off_meter", 3}, {"bars", 1600}, {"bars_off_meter", 4},
                   {"abc2midi_ok", 97}, {"abc2midi_warnings", 5}, {"tunes_with_warnings", 2}};
  nlohmann::json comparison = nlohmann::json::array();
  comparison.push_back({{"name", "pitch_class_histogram"}, {"overlap_area", 0.91234}, {"kl_divergence", 0.0456},
                        {"intra_real", Summary(0.2, 0.2, 0.3, 0.5, 1128)}, {"intra_generated", Summary(0.2, 0.2, 0.3, 0.5, 4950)},
                        {"inter", Summary(0.25, 0.2, 0.3, 0.6, 4800)}, {"bandwidth_intra", 0.01},
                        {"bandwidth_inter", 0.01}, {"grid_points", 1001}});
  comparison.push_back({{"name", "pitch_range"}, {"overlap_area", 0.8}, {"kl_divergence", 0.1},
                        {"intra_real", Summary(3, 3, 6, 9, 1128)}, {"intra_generated", Summary(3, 3, 6, 9, 4950)},
                        {"inter", Summary(3.5, 3, 7, 10, 4800)}, {"bandwidth_intra", 0.5},
                        {"bandwidth_inter", 0.6}, {"grid_points", 1001}});
  r["features"] = {{"real_set", "test"}, {"real_tunes", 48}, {"generated_tunes", 98}, {"comparison", comparison},
                   {"real_mean", {{"pitch_range", 13.5}, {"pitch_class_histogram", std::vector<double>(12, 1.0 / 12)}}},
                   {"generated_mean", {{"pitch_range", 12.25}}}};
  r["histograms"] = {{{"name", "pitch_class_histogram"}, {"title", "Pitch classes"},
                      {"x_label", "semitones above the tonic"}, {"y_label", "share of notes"},
                      {"labels", {"0", "1", "2"}}, {"real", {0.5, 0.1, 0.4}}, {"generated", {0.6, 0.0, 0.4}}},
                     {{"name", "pitch_range"}, {"title", "Pitch range"}, {"x_label", "semitones"},
                      {"y_label", "share of tunes"}, {"labels", {"10", "11"}}, {"real", {0.25, 0.75}},
                      {"generated", {0.5, 0.5}}}};
  r["novelty"] = {{"generated",
                   {{"longest_bar_run", Summary(1.5, 1, 3, 4, 98)}, {"longest_note_run", Summary(9, 8, 14, 20, 98)},
                    {"window8_share", Summary(0.4, 0.4, 0.6, 0.8, 98)}, {"window16_share", Summary(0.1, 0.05, 0.2, 0.4, 98)}}},
                  {"real",
                   {{"longest_bar_run", Summary(2, 2, 5, 8, 48)}, {"longest_note_run", Summary(11, 10, 18, 30, 48)},
                    {"window8_share", Summary(0.5, 0.5, 0.7, 0.9, 48)}, {"window16_share", Summary(0.2, 0.1, 0.4, 0.7, 48)}}}};
  r["training"] = {{"metrics_log", "models/default.ts.metrics.jsonl"},
                   {"train", {{{"step", 10}, {"epoch", 1}, {"loss", 2.5}, {"lr", 0.001}},
                              {{"step", 20}, {"epoch", 1}, {"loss", 2.0}, {"lr", 0.001}},
                              {{"step", 30}, {"epoch", 2}, {"loss", 1.7}, {"lr", 0.001}}}},
                   {"valid", {{{"step", 20}, {"epoch", 1}, {"loss", 2.1}, {"bits_per_token", 3.03}, {"bits_per_tune", 400.5}, {"best", true}},
                              {{"step", 40}, {"epoch", 2}, {"loss", 1.9}, {"bits_per_token", 2.74}, {"bits_per_tune", 350.25}, {"best", true}}}},
                   {"stop_reason", "epochs"}, {"resumes", 0}, {"unreadable_lines", 0}};
  r["structure"] = {
      {"real_set", "test"}, {"real_tunes", 48}, {"generated_tunes", 98}, {"similar_bar_threshold", 0.75},
      {"instrument_range", {{"lowest", 55}, {"highest", 83}}},
      {"figures",
       {{{"key", "bar_repeat_exact_4"}, {"group", "repetition"}, {"label", "bar n+4 repeats bar n exactly"},
         {"unit", "share of bar pairs"}, {"generated", 0.016}, {"real", 0.195}, {"generated_count", 1200},
         {"real_count", 600}},
        {{"key", "phrase_similarity"}, {"group", "repetition"}, {"label", "bars 1-3 against bars 5-7"},
         {"unit", "mean over 8-bar phrases"}, {"generated", 0.12}, {"real", 0.58}, {"generated_count", 190},
         {"real_count", 90}},
        {{"key", "register_rise"}, {"group", "form"}, {"label", "part 2 minus part 1, mean pitch"},
         {"unit", "median over tunes with 2+ parts, semitones"}, {"generated", 0.9}, {"real", 2.0},
         {"generated_count", 95}, {"real_count", 45}},
        {{"key", "jig_classic_bars"}, {"group", "rhythm"}, {"label", "6/8 bars made of classic jig figures"},
         {"unit", "share of full 6/8 bars"}, {"generated", nullptr}, {"real", 0.86}, {"generated_count", 0},
         {"real_count", 300}}}}};
  r["classifier"] = {{"method", "logistic regression"}, {"features", {"pitch_range", "bars"}}, {"folds", 5},
                     {"l2", 1.0}, {"seed", 7},
                     {"generated_vs_real",
                      {{"auc", 0.912}, {"tunes_a", 98}, {"tunes_b", 48}, {"folds", 5},
                       {"fold_auc", {0.88, 0.95, 0.9, 0.91, 0.93}}}},
                     {"generated_vs_real_key_free",
                      {{"auc", 0.85}, {"tunes_a", 98}, {"tunes_b", 48}, {"folds", 5},
                       {"fold_auc", {0.8, 0.9, 0.85, 0.84, 0.86}}}},
                     {"real_vs_real",
                      {{"auc", 0.48}, {"tunes_a", 24}, {"tunes_b", 24}, {"folds", 5},
                       {"fold_auc", {0.4, 0.6, 0.45, 0.5, 0.55}},
                       {"halvings", {{"count", 3}, {"mean", 0.51}, {"min", 0.48}, {"max", 0.55},
                                     {"auc", {0.48, 0.5, 0.55}}}}}}};
  nlohmann::json examples = nlohmann::json::array();
  for (int i = 1; i <= 5; ++i) {
    nlohmann::json ex = {{"title", "Tune " + std::to_string(i)}, {"abc", kJigAbc}, {"seed", 100 + i},
                         {"novelty", {{"longest_bar_run", 2}, {"bar_run_title", "The Old One"}, {"longest_note_run", 9},
                                      {"window8_share", 0.375}, {"nearest_title", "The Old One"}}}};
    if (i == 1) ex["audio"] = "audio/tune 1.wav";
    if (i == 2) ex["midi"] = "midi/tune2.mid";
    examples.push_back(ex);
  }
  r["examples"] = examples;
  return r;
}

}  // namespace tunesmith::report::test_data
