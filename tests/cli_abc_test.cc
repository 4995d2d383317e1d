// End-to-end: `tunesmith check` and `tunesmith fmt` as a user runs them
// (exit codes, stdout/stderr split, the JSON summary, speed of one tune).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "base/cli_testing.h"

namespace {

namespace fs = std::filesystem;

using tunesmith::testing::Outcome;

class CliAbcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tunesmith-cli-abc-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "folder" / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }

  Outcome Tunesmith(const std::string& args, const std::string& stdin_text = "") {
    fs::path err = dir_ / "stderr.txt", in = dir_ / "stdin.txt";
    std::ofstream(in) << stdin_text;
    return tunesmith::testing::RunProgram(tunesmith::testing::BuiltBinary(), args, err, in);
  }

  fs::path dir_;
};

const char* kGood = "X:1\nT:Good\nM:6/8\nL:1/8\nK:D\nf|\"D\"ecc c2f|ecc c2:|\n\nX:2\nT:Also good\nM:2/4\nK:G\nAB cd|ef g2|]\n";
const char* kBad = "X:3\nT:Bad\nM:4/4\nK:G\nAB d/0|\n";

TEST_F(CliAbcTest, CheckExitCodesAndSummary) {
  fs::path good = Write("good.abc", kGood);
  Outcome ok = Tunesmith("check " + good.string());
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, "tunes 2, read 2, warnings 0, rejected 0, bars 5, bars off-meter 0\n");

  fs::path bad = Write("bad.abc", kBad);
  Outcome rejected = Tunesmith("check " + good.string() + " " + bad.string());
  EXPECT_EQ(rejected.code, 1);
  EXPECT_EQ(rejected.out, "tunes 3, read 2, warnings 0, rejected 1, bars 5, bars off-meter 0\n");
  EXPECT_NE(rejected.err.find("bad.abc:5:5: error: X:3 \"Bad\": unknown note length '/0'"), std::string::npos)
      << rejected.err;

  EXPECT_EQ(Tunesmith("check " + (dir_ / "missing.abc").string()).code, 2);
  EXPECT_EQ(Tunesmith("check").code, 2);
}

TEST_F(CliAbcTest, CheckFoldersRecursivelyAndStdin) {
  Write("folder/a.abc", kGood);
  Write("folder/sub/b.abc", kGood);
  Write("folder/notes.txt", kBad);  // not *.abc: not read from a folder
  Outcome run = Tunesmith("check " + (dir_ / "folder").string());
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("tunes 4, read 4,", 0), 0u) << run.out;

  Outcome piped = Tunesmith("check -", kBad);
  EXPECT_EQ(piped.code, 1);
  EXPECT_NE(piped.err.find("-:5:5: error"), std::string::npos) << piped.err;
}

TEST_F(CliAbcTest, CheckJson) {
  fs::path good = Write("good.abc", kGood);
  fs::path bad = Write("bad.abc", std::string(kBad) + "\nX:4\nT:Short\nM:4/4\nK:G\nABcd efga|Bcd|ABcd efga|]\n");
  Outcome run = Tunesmith("check --json " + good.string() + " " + bad.string());
  EXPECT_EQ(run.code, 1);
  auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["tunes"], 4);
  EXPECT_EQ(json["read"], 3);
  EXPECT_EQ(json["rejected"], 1);
  EXPECT_EQ(json["bars"], 8);
  EXPECT_EQ(json["bars_off_meter"], 1);
  EXPECT_EQ(json["warnings"], 0);
  ASSERT_EQ(json["problems"].size(), 2u);
  EXPECT_EQ(json["problems"][0]["severity"], "error");
  EXPECT_EQ(json["problems"][1]["kind"], "bar");
  EXPECT_EQ(json["problems"][1]["line"], 11);
}

TEST_F(CliAbcTest, FmtWritesNormalisedAbcOnStdout) {
  fs::path in = Write("in.abc", "X: 5\nT:Reel\nK:G\nM:4/4\n%comment\nL:1/16\nA2B2 c4|]\n");
  Outcome run = Tunesmith("fmt " + Write("t.abc", "X: 5\nT:Reel\nM:4/4\nL:1/16\nR:reel\nK:G\nA2B2 c4|]\n").string());
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "X:5\nT:Reel\nM:4/4\nL:1/16\nR:reel\nK:G\nA2B2c4|]\n");  // beamed by half bar
  Outcome kept = Tunesmith("fmt --keep-beams " + (dir_ / "t.abc").string());
  EXPECT_EQ(kept.out, "X:5\nT:Reel\nM:4/4\nL:1/16\nR:reel\nK:G\nA2B2 c4|]\n");

  Outcome eighths = Tunesmith("fmt --unit-length 1/8 " + (dir_ / "t.abc").string());
  EXPECT_EQ(eighths.out, "X:5\nT:Reel\nM:4/4\nL:1/8\nR:reel\nK:G\nABc2|]\n");

  // G to D is down a fourth (the smaller move): A B c become E F G.
  Outcome moved = Tunesmith("fmt --transpose D " + (dir_ / "t.abc").string());
  EXPECT_EQ(moved.code, 0);
  EXPECT_EQ(moved.out, "X:5\nT:Reel\nM:4/4\nL:1/16\nR:reel\nK:D\nE2F2G4|]\n");

  EXPECT_EQ(Tunesmith("fmt --transpose H " + in.string()).code, 2);
  Outcome bad = Tunesmith("fmt " + Write("bad.abc", kBad).string());
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.out, "");
}

TEST_F(CliAbcTest, CheckOfOneTuneIsFast) {
  fs::path good = Write("good.abc", kGood);
  Tunesmith("check " + good.string());  // warm the page cache
  auto start = std::chrono::steady_clock::now();
  const int runs = 10;
  for (int i = 0; i < runs; ++i) EXPECT_EQ(Tunesmith("check -q " + good.string()).code, 0);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / runs;
  EXPECT_LT(ms, 50.0) << "tunesmith check of one tune took " << ms << " ms (the shell's start included)";
}

}  // namespace
