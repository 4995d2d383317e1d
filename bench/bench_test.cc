// tunesmith-bench --quick end to end, as a developer runs it: its JSON has
// every key docs/performance.md documents, tunesmith's own figures are
// numbers, and the product binary has no bench command of its own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "base/cli_testing.h"

namespace tunesmith {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::BuiltBinary;
using testing::Outcome;
using testing::RunProgram;

class BenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tunesmith-bench-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "corpus");
    std::mt19937 rng(5);
    std::ofstream tunes(dir_ / "corpus" / "tunes.abc");
    for (int x = 1; x <= 40; ++x) tunes << testing::HandMadeTune(x, rng) << "\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(BenchTest, QuickHasEveryKey) {
  Outcome b = RunProgram(BuiltBinary("tunesmith-bench"),
                         "--quick --json --threads 1 --repeats 1 --corpus " + (dir_ / "corpus").string(),
                         dir_ / "bench.err");
  ASSERT_EQ(b.code, 0) << b.err;
  const json r = json::parse(b.out);
  for (const char* k : {"parse_mb_s", "parse_vs_abc2midi", "train_tok_s", "train_gflop_s", "sgemm_gflop_s",
                        "train_vs_python", "sample_tok_s_b1", "sample_tok_s_b64", "sample_vs_python", "ms_per_tune",
                        "rss_train_mb", "rss_generate_mb", "rss_idle_mb", "threads", "cpu", "blas", "notes"}) {
    EXPECT_TRUE(r.contains(k)) << k;
  }
  EXPECT_EQ(r["threads"], 1);
  EXPECT_EQ(r["quick"], true);
  EXPECT_FALSE(r["cpu"].get<std::string>().empty());
  EXPECT_EQ(r["parse_files"], 1);
  EXPECT_EQ(r["parse_tunes"], 40);
  for (const char* k : {"parse_mb_s", "train_tok_s", "train_gflop_s", "sgemm_gflop_s", "sample_tok_s_b1",
                        "sample_tok_s_b64", "ms_per_tune", "sample_model_tok_s_b1", "rss_train_mb", "rss_generate_mb"}) {
    ASSERT_TRUE(r[k].is_number()) << k << ": " << r[k];
    EXPECT_GT(r[k].get<double>(), 0) << k;
  }
  EXPECT_NEAR(r["train_gflop_s"].get<double>(), r["train_tok_s"].get<double>() * r["train_flops_per_token"].get<double>() / 1e9,
              1e-6 * r["train_gflop_s"].get<double>());
  // A process linked to LibTorch holds ~150 MB before it does anything; training holds more.
  EXPECT_GT(r["rss_train_mb"].get<double>(), 50);
  EXPECT_NE(r["blas"]["kind"], "reference") << r["blas"];
  // The peers' ratios are numbers when /usr/bin/python3 has torch; else a note says why not.
  for (const char* k : {"train_vs_python", "sample_vs_python", "parse_vs_abc2midi"}) {
    if (r[k].is_number()) {
      EXPECT_GT(r[k].get<double>(), 0) << k;
    } else {
      EXPECT_FALSE(r["notes"].empty()) << k << " is null without a note";
    }
  }
}

TEST_F(BenchTest, TheProductHasNoBenchCommand) {
  Outcome help = RunProgram(BuiltBinary("tunesmith"), "--help", dir_ / "help.err");
  ASSERT_EQ(help.code, 0) << help.err;
  EXPECT_NE(help.out.find("generate"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("bench"), std::string::npos) << help.out;
  Outcome bench = RunProgram(BuiltBinary("tunesmith"), "bench --quick", dir_ / "bench.err");
  EXPECT_EQ(bench.code, 2) << bench.out << bench.err;
}

}  // namespace
}  // namespace tunesmith
