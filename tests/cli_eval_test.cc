// End-to-end: `tunesmith eval` on a model trained for a second on hand-made
// tunes (abc-token and char), as a user runs it: report.json has the
// documented keys (docs/report.md) with sane values, and the report folder
// holds the page and the audio. (tunesmith-bench has its own test in bench/.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "base/cli_testing.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using tunesmith::testing::Outcome;

Outcome Tunesmith(const std::string& args, const fs::path& err_file) {
  return tunesmith::testing::RunProgram(tunesmith::testing::BuiltBinary(), args, err_file);
}

class CliEvalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tunesmith-cli-eval-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "corpus");
    tunesmith::testing::WriteHandMadeCorpus(dir_ / "corpus" / "tunes.abc", 80, 5);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  // Trains `preset` (a name or a JSON file) for its two epochs, once per suite.
  static std::string Train(const std::string& name, const std::string& preset) {
    const fs::path model = dir_ / (name + ".ckpt");
    if (!fs::exists(model)) {
      Outcome t = Tunesmith("train --config " + preset + " --corpus " + (dir_ / "corpus").string() + " --out " +
                          model.string() + " --threads 1 --epochs 2",
                      dir_ / "train.err");
      EXPECT_EQ(t.code, 0) << t.err;
    }
    return model.string();
  }

  static fs::path dir_;
};

fs::path CliEvalTest::dir_;

void ExpectSummary(const json& s, const std::string& at) {
  for (const char* k : {"count", "mean", "std_dev", "min", "median", "p90", "p95", "max"}) {
    ASSERT_TRUE(s.contains(k) && s[k].is_number()) << at << "." << k;
  }
  EXPECT_LE(s["min"].get<double>(), s["median"].get<double>()) << at;
  EXPECT_LE(s["median"].get<double>(), s["max"].get<double>()) << at;
}

TEST_F(CliEvalTest, EvalWritesTheDocumentedReport) {
  const std::string model = Train("token", "tiny");
  const fs::path report = dir_ / "report";
  Outcome e = Tunesmith("eval --model " + model + " --corpus " + (dir_ / "corpus").string() +
                      " --samples 6 --seed 3 --batch-size 3 --threads 1 --json --report " + report.string(),
                  dir_ / "eval.err");
  ASSERT_EQ(e.code, 0) << e.err;
  const json r = json::parse(e.out);

  EXPECT_EQ(r["format"], "tunesmith-eval-report");
  EXPECT_EQ(r["format_version"], 1);
  EXPECT_EQ(r["model"]["tokenizer"], "abc-token");
  EXPECT_EQ(r["model"]["architecture"], "lstm");
  EXPECT_GT(r["model"]["parameters"].get<int64_t>(), 0);
  const json& tunes = r["corpus"]["tunes"];
  const int test_tunes = tunes["test"].get<int>();
  EXPECT_EQ(tunes["train"].get<int>() + tunes["valid"].get<int>() + test_tunes, 80);
  ASSERT_GE(test_tunes, 2) << "the hand-made corpus must give a test split to compare against";
  EXPECT_EQ(r["settings"]["samples"], 6);
  EXPECT_EQ(r["settings"]["seed"], 3);

  // Held-out likelihood: a briefly trained model is far from perfect, and a
  // tune holds many tokens.
  const json& l = r["likelihood"];
  EXPECT_EQ(l["split"], "test");
  EXPECT_EQ(l["tunes"].get<int>(), test_tunes);
  const double bpt = l["bits_per_token"].get<double>();
  EXPECT_GT(bpt, 0.5);
  EXPECT_LT(bpt, 20);
  EXPECT_NEAR(l["loss"].get<double>(), bpt * std::log(2.0), 1e-9);
  EXPECT_NEAR(l["bits_per_tune"].get<double>(), bpt * l["tokens"].get<double>() / test_tunes, 1e-6 * l["bits_per_tune"].get<double>());

  // Validity: the grammar mask makes every tune readable and every bar whole.
  const json& v = r["validity"];
  EXPECT_EQ(v["samples"], 6);
  EXPECT_EQ(v["read"], 6) << e.err;
  EXPECT_EQ(v["tunes_off_meter"], 0);
  EXPECT_EQ(v["bars_off_meter"], 0);
  EXPECT_GE(v["bars"].get<int>(), 6 * 8);
  EXPECT_LE(v["abc2midi_ok"].get<int>(), 6);
  EXPECT_GE(v["abc2midi_ok"].get<int>(), 1);
  EXPECT_LE(v["tunes_with_warnings"].get<int>(), v["abc2midi_warnings"].get<int>());

  // Features: ten comparisons on the shared grid, histograms for each.
  const json& f = r["features"];
  EXPECT_EQ(f["real_set"], "test");
  EXPECT_EQ(f["real_tunes"].get<int>(), test_tunes);
  EXPECT_EQ(f["generated_tunes"].get<int>(), 6);
  ASSERT_EQ(f["comparison"].size(), 10u);
  EXPECT_EQ(f["comparison"][0]["name"], "pitch_class_histogram");
  for (const json& c : f["comparison"]) {
    EXPECT_GE(c["overlap_area"].get<double>(), 0) << c["name"];
    EXPECT_LE(c["overlap_area"].get<double>(), 1 + 1e-9) << c["name"];
    EXPECT_GE(c["kl_divergence"].get<double>(), 0) << c["name"];
    EXPECT_EQ(c["inter"]["count"].get<int>(), 6 * test_tunes) << c["name"];
    ExpectSummary(c["intra_real"], "intra_real");
  }
  EXPECT_NEAR(f["real_mean"]["scale_consistency"].get<double>(), 1.0, 1e-9) << "hand-made tunes stay in the scale";
  ASSERT_EQ(r["histograms"].size(), 10u);
  for (const json& h : r["histograms"]) EXPECT_EQ(h["real"].size(), h["labels"].size()) << h["name"];

  // Structure figures beside the real test tunes', and the classifier test.
  const json& st = r["structure"];
  EXPECT_EQ(st["real_tunes"].get<int>(), test_tunes);
  EXPECT_EQ(st["generated_tunes"].get<int>(), 6);
  bool has_repeat = false;
  for (const json& fig : st["figures"]) {
    for (const char* k : {"key", "group", "label", "unit", "generated", "real", "generated_count", "real_count"})
      EXPECT_TRUE(fig.contains(k)) << fig;
    has_repeat = has_repeat || fig["key"] == "bar_repeat_exact_4";
  }
  EXPECT_TRUE(has_repeat);
  const json& cl = r["classifier"];
  EXPECT_EQ(cl["features"].size(), 43u);
  EXPECT_EQ(cl["generated_vs_real"]["tunes_a"], 6);
  EXPECT_GE(cl["generated_vs_real"]["auc"].get<double>(), 0);
  EXPECT_LE(cl["generated_vs_real"]["auc"].get<double>(), 1);

  // Novelty side by side: generated and real test tunes.
  for (const char* set : {"generated", "real"}) {
    for (const char* k : {"longest_bar_run", "longest_note_run", "window8_share", "window16_share"}) {
      ExpectSummary(r["novelty"][set][k], std::string(set) + "." + k);
    }
  }
  EXPECT_EQ(r["novelty"]["generated"]["longest_bar_run"]["count"], 6);
  EXPECT_EQ(r["novelty"]["real"]["longest_bar_run"]["count"].get<int>(), test_tunes);
  EXPECT_LE(r["novelty"]["generated"]["longest_bar_run"]["max"].get<double>(), 3) << "the novelty guard's threshold";

  // Training curves from the metrics log: two epochs validated, a test line.
  const json& t = r["training"];
  EXPECT_EQ(t["valid"].size(), 2u);
  EXPECT_FALSE(t["train"].empty());
  EXPECT_TRUE(t.contains("test"));

  // Five examples, each with its audio in the folder.
  ASSERT_EQ(r["examples"].size(), 5u);
  for (const json& ex : r["examples"]) {
    EXPECT_EQ(ex["abc"].get<std::string>().rfind("X:", 0), 0u);
    EXPECT_TRUE(ex.contains("novelty"));
    if (ex.contains("audio")) {
      EXPECT_GT(fs::file_size(report / ex["audio"].get<std::string>()), 1000u);
    }
  }
  EXPECT_TRUE(r["examples"][0].contains("audio")) << e.err;

  // The folder: report.json equal to stdout, and the page.
  std::ifstream saved(report / "report.json");
  EXPECT_EQ(json::parse(saved), r);
  std::ifstream page(report / "report.html");
  const std::string html((std::istreambuf_iterator<char>(page)), {});
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find(r["examples"][0]["title"].get<std::string>()), std::string::npos);

  // The same seed gives the same tunes.
  Outcome again = Tunesmith("eval --model " + model + " --corpus " + (dir_ / "corpus").string() +
                          " --samples 6 --seed 3 --batch-size 3 --threads 1 --json",
                      dir_ / "eval2.err");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["examples"][2]["abc"], r["examples"][2]["abc"]);
}

TEST_F(CliEvalTest, EvalSamplesACharModelPlainly) {
  const fs::path preset = dir_ / "tiny-char.json";
  std::ofstream(preset) << R"({"tokenizer": "char",
    "model": {"type": "lstm", "embedding": 16, "hidden": 32, "layers": 1, "dropout": 0.0},
    "train": {"batching": "tunes", "batch_size": 8, "lr": 0.01, "warmup_steps": 5, "epochs": 2, "patience": 0}})";
  const std::string model = Train("char", preset.string());
  Outcome e = Tunesmith("eval --model " + model + " --corpus " + (dir_ / "corpus").string() +
                      " --samples 4 --seed 1 --threads 1",
                  dir_ / "eval-char.err");
  ASSERT_EQ(e.code, 0) << e.err;
  // The readable summary names the plain sampling and the figures.
  EXPECT_NE(e.out.find("char"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("plain (no grammar mask)"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("bits/tune"), std::string::npos) << e.out;

  Outcome j = Tunesmith("eval --model " + model + " --corpus " + (dir_ / "corpus").string() +
                      " --samples 4 --seed 1 --threads 1 --json",
                  dir_ / "eval-char2.err");
  ASSERT_EQ(j.code, 0) << j.err;
  const json r = json::parse(j.out);
  EXPECT_EQ(r["model"]["tokenizer"], "char");
  EXPECT_EQ(r["settings"]["novelty_guard"], 0);
  const json& v = r["validity"];
  EXPECT_EQ(v["samples"], 4);
  EXPECT_LE(v["read"].get<int>(), 4);
  EXPECT_LE(v["abc2midi_ok"].get<int>(), 4);
  EXPECT_LE(v["bars_off_meter"].get<int>(), v["bars"].get<int>());
  EXPECT_GT(r["likelihood"]["bits_per_tune"].get<double>(), 0);
}

TEST_F(CliEvalTest, EvalWarnsWhenTheCorpusIsNotTheModels) {
  const std::string model = Train("token", "tiny");
  fs::create_directories(dir_ / "other");
  tunesmith::testing::WriteHandMadeCorpus(dir_ / "other" / "tunes.abc", 30, 99);
  Outcome e = Tunesmith("eval --model " + model + " --corpus " + (dir_ / "other").string() +
                            " --samples 2 --threads 1 --json",
                        dir_ / "eval-other.err");
  ASSERT_EQ(e.code, 0) << e.err;
  const json r = json::parse(e.out);
  bool warned = false;
  for (const json& n : r["notes"]) warned = warned || n.get<std::string>().find("fingerprint") != std::string::npos;
  EXPECT_TRUE(warned) << r["notes"];
  EXPECT_NE(e.err.find("differs from the model's training corpus"), std::string::npos) << e.err;
}

// --tunes: tunes already written are judged without a model, by the same code.
TEST_F(CliEvalTest, EvalJudgesTunesFromFilesWithoutAModel) {
  tunesmith::testing::WriteHandMadeCorpus(dir_ / "judged.abc", 12, 17);
  const fs::path report = dir_ / "report-tunes";
  Outcome e = Tunesmith("eval --tunes " + (dir_ / "judged.abc").string() + " --corpus " + (dir_ / "corpus").string() +
                            " --seed 2 --threads 1 --json --report " + report.string(),
                        dir_ / "eval-tunes.err");
  ASSERT_EQ(e.code, 0) << e.err;
  const json r = json::parse(e.out);
  EXPECT_FALSE(r.contains("model"));
  EXPECT_FALSE(r.contains("likelihood"));
  EXPECT_FALSE(r.contains("generation"));
  bool said = false;
  for (const json& n : r["notes"]) said = said || n.get<std::string>().find("likelihood not measured") != std::string::npos;
  EXPECT_TRUE(said) << r["notes"];
  EXPECT_EQ(r["settings"]["sampling"], "read from files");
  EXPECT_EQ(r["settings"]["samples"], 12);
  EXPECT_EQ(r["validity"]["samples"], 12);
  EXPECT_EQ(r["validity"]["read"], 12);
  EXPECT_EQ(r["validity"]["bars_off_meter"], 0);
  EXPECT_EQ(r["features"]["generated_tunes"], 12);
  EXPECT_EQ(r["structure"]["generated_tunes"], 12);
  EXPECT_EQ(r["classifier"]["generated_vs_real"]["tunes_a"], 12);
  EXPECT_EQ(r["novelty"]["generated"]["longest_bar_run"]["count"], 12);
  ASSERT_EQ(r["examples"].size(), 5u);
  EXPECT_EQ(r["examples"][0]["title"], "Hand Made 1");
  EXPECT_FALSE(r["examples"][0].contains("seed"));
  EXPECT_TRUE(fs::exists(report / "report.html"));

  // Neither --model nor --tunes: the bundled model, as generate takes it.
  Outcome bundled = Tunesmith("eval --corpus " + (dir_ / "corpus").string() + " --samples 2 --threads 1 --json",
                              dir_ / "eval-bundled.err");
  ASSERT_EQ(bundled.code, 0) << bundled.err;
  const json b = json::parse(bundled.out);
  EXPECT_EQ(b["model"]["path"], "models/default.ckpt");
  EXPECT_EQ(b["validity"]["samples"], 2);
  Outcome empty = Tunesmith("eval --tunes " + (dir_ / "corpus").string() + "/nothing.abc --corpus " +
                                (dir_ / "corpus").string(),
                            dir_ / "eval-empty.err");
  EXPECT_EQ(empty.code, 3) << "a --tunes file that is not there: exit code 3 (not found)";
}

TEST_F(CliEvalTest, EvalRefusesAMissingModel) {
  Outcome e = Tunesmith("eval --model " + (dir_ / "nothing.ckpt").string() + " --corpus " + (dir_ / "corpus").string(),
                  dir_ / "eval-missing.err");
  EXPECT_EQ(e.code, 3) << "a model file that is not there: exit code 3 (not found)";
  EXPECT_TRUE(e.out.empty());
  EXPECT_NE(e.err.find("nothing.ckpt"), std::string::npos) << e.err;
}

}  // namespace
