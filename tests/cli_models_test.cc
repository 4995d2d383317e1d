// End-to-end: what `train`, `eval` and `generate` do with damaged model files,
// bad arguments, an empty corpus and Ctrl-C (issue 13, Harden: findings 4,
// 16 and the Must-shows "Damaged models" and "Bad arguments").
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "base/cli_testing.h"

namespace {

namespace fs = std::filesystem;
using tunesmith::testing::Outcome;
using Clock = std::chrono::steady_clock;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class CliModelsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tunesmith-cli-models-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "corpus");
    tunesmith::testing::WriteHandMadeCorpus(dir_ / "corpus" / "tunes.abc", 60, 7);
    std::ofstream(dir_ / "empty.abc") << "";
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static Outcome Run(const std::string& args) {
    return tunesmith::testing::RunProgram(tunesmith::testing::BuiltBinary(), args, dir_ / "err.txt");
  }
  // The tiny preset's model, trained once per suite.
  static std::string Model() {
    const fs::path model = dir_ / "tiny.ckpt";
    if (!fs::exists(model)) {
      Outcome t = Run("train --config tiny --corpus " + (dir_ / "corpus").string() + " --out " + model.string() +
                      " --threads 1 --epochs 1");
      EXPECT_EQ(t.code, 0) << t.err;
    }
    return model.string();
  }
  static fs::path dir_;
};

fs::path CliModelsTest::dir_;

// Damaged models through the commands a user runs: a clear error naming the
// file and what to do, exit 3 (missing) or 4 (damaged) or 2 (another
// version) — never exit 134 from an abort inside LibTorch.
TEST_F(CliModelsTest, DamagedModelsAreClearErrorsNotAborts) {
  const std::string good = Slurp(Model());
  ASSERT_GT(good.size(), 1000u);
  struct Case {
    const char* name;
    std::string bytes;
    int code;
    const char* expected;
  };
  std::string flipped = good;
  flipped.at(flipped.size() / 2) ^= 0x04;
  std::string newer = good;
  newer.at(8) = 9;
  const std::vector<Case> cases = {
      {"truncated", good.substr(0, good.size() * 2 / 3), 4, "truncated"},
      {"bit-flipped", flipped, 4, "checksum mismatch"},
      {"wrong version", newer, 2, "format version 9"},
      {"not a model", "X:1\nT:t\nK:G\nGABc|\n", 4, "not a tunesmith checkpoint"},
      {"empty", "", 4, "not a tunesmith checkpoint"},
  };
  for (const auto& c : cases) {
    const fs::path bad = dir_ / "bad.ckpt";
    std::ofstream(bad, std::ios::binary | std::ios::trunc) << c.bytes;
    for (const std::string& command : {"generate --model " + bad.string() + " -n 1 --threads 1",
                                      "eval --model " + bad.string() + " --corpus " + (dir_ / "corpus").string() +
                                          " --samples 2 --threads 1"}) {
      Outcome r = Run(command);
      EXPECT_EQ(r.code, c.code) << c.name << ": " << command << "\n" << r.err;
      EXPECT_NE(r.err.find(bad.string()), std::string::npos) << c.name << ": names the file: " << r.err;
      EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << ": " << r.err;
      EXPECT_NE(r.err.find("HINT"), std::string::npos) << c.name << ": says what to do: " << r.err;
    }
  }
  Outcome missing = Run("generate --model " + (dir_ / "absent.ckpt").string() + " -n 1");
  EXPECT_EQ(missing.code, 3) << missing.err;
}

// Bad arguments to train and eval are answered before any work starts (no
// corpus read, no file written, well under a second or two), with the
// accepted range; exit 2 (usage) or 3 (a named file is missing).
TEST_F(CliModelsTest, BadArgumentsAreAnsweredBeforeAnyWork) {
  const std::string corpus = (dir_ / "corpus").string();
  const std::string out = (dir_ / "never.ckpt").string();
  const std::string train = "train --config tiny --corpus " + corpus + " --out " + out + " --threads 1 ";
  const std::string eval = "eval --corpus " + corpus + " --threads 1 ";
  struct Case {
    std::string args;
    int code;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {train + "--epochs -3", 2, "--epochs: -3 is outside the accepted range 0 to 100000"},
      {train + "--epochs 1000000000", 2, "accepted range 0 to 100000"},
      {train + "--epochs 99999999999999999999", 2, "--epochs"},
      {train + "--epochs nan", 2, "--epochs"},
      {train + "--max-minutes -1", 2, "--max-minutes: -1 is outside the accepted range 0 to 1e+06"},
      {train + "--max-minutes nan", 2, "nan is outside the accepted range"},
      {train + "--max-minutes inf", 2, "inf is outside the accepted range"},
      {train + "--max-minutes 1e300", 2, "accepted range 0 to 1e+06"},
      {"train --config tiny --corpus " + corpus + " --out " + out + " --threads -2", 2, "0 to 1024"},
      {"train --config tiny --corpus " + corpus + " --out " + out + " --threads 100000", 2, "0 to 1024"},
      {train + "--seed -1", 2, "--seed"},
      {train + "--no-such-flag", 2, "no-such-flag"},
      {"train --config no-such-preset --corpus " + corpus + " --out " + out, 3, "--config"},
      {train + "--resume", 3, "--resume"},
      {"train --config tiny --corpus " + corpus + " --out " + (dir_ / "no" / "such" / "m.ckpt").string(), 3, "does not exist"},
      {eval + "--samples 0", 2, "--samples: 0 is outside the accepted range 1 to 100000"},
      {eval + "--samples -5", 2, "accepted range 1 to 100000"},
      {eval + "--program 999", 2, "--program: 999 is outside the accepted range 0 to 127"},
      {eval + "--examples -1", 2, "--examples"},
      {"eval --corpus " + corpus + " --threads -2", 2, "0 to 1024"},
      {eval + "--model " + (dir_ / "absent.ckpt").string(), 3, "absent.ckpt"},
      {"eval --corpus " + (dir_ / "absent-corpus").string(), 3, "absent-corpus"},
  };
  for (const auto& c : cases) {
    const auto start = Clock::now();
    Outcome r = Run(c.args);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_EQ(r.code, c.code) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_EQ(r.err.find(" train, "), std::string::npos) << c.args << ": the corpus was read\n" << r.err;
    EXPECT_LT(seconds, 5.0) << c.args;
    EXPECT_FALSE(fs::exists(out)) << c.args;
    EXPECT_FALSE(fs::exists(out + ".metrics.jsonl")) << c.args;
  }
}

// Finding 16: `train --out DIR` failed only after the first epoch.
TEST_F(CliModelsTest, F16_TrainOutFolderFailsBeforeTheFirstEpoch) {
  fs::create_directories(dir_ / "a-folder");
  const auto start = Clock::now();
  Outcome r = Run("train --config tiny --corpus " + (dir_ / "corpus").string() + " --out " + (dir_ / "a-folder").string());
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--out " + (dir_ / "a-folder").string() + " is a folder"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("model.ckpt"), std::string::npos) << "suggests a file name: " << r.err;
  EXPECT_EQ(r.err.find("epoch"), std::string::npos) << r.err;
  EXPECT_LT(seconds, 5.0);
  EXPECT_TRUE(fs::is_empty(dir_ / "a-folder"));
}

// Finding 16: `eval` on an empty corpus exited 0.
TEST_F(CliModelsTest, F16_EvalOnAnEmptyCorpusFails) {
  for (const std::string& tunes : {std::string(""), " --tunes " + (dir_ / "corpus").string()}) {
    Outcome r = Run("eval --model " + Model() + " --corpus " + (dir_ / "empty.abc").string() + " --samples 2" + tunes);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("no tune could be read"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find((dir_ / "empty.abc").string()), std::string::npos) << r.err;
  }
}

// Finding 16: `train` stopped by SIGINT exited 0. It exits 130, after
// writing MODEL.last, and says how to continue; --resume then finishes.
TEST_F(CliModelsTest, F16_TrainStoppedBySigintExits130) {
  const fs::path model = dir_ / "sigint.ckpt";
  const std::string err = (dir_ / "sigint.err").string();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  const std::string bin = tunesmith::testing::BuiltBinary().string();
  const std::string corpus = (dir_ / "corpus").string();
  if (child == 0) {
    std::freopen(err.c_str(), "w", stderr);
    std::freopen("/dev/null", "w", stdout);
    ::execl(bin.c_str(), bin.c_str(), "train", "--config", "tiny", "--corpus", corpus.c_str(), "--out",
            model.string().c_str(), "--threads", "1", "--epochs", "500", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until training runs (the first metrics line), then Ctrl-C.
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline && Slurp(model.string() + ".metrics.jsonl").find("\"kind\":\"train\"") == std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(child, SIGINT);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "ended by a signal";
  const std::string said = Slurp(err);
  EXPECT_EQ(WEXITSTATUS(status), 130) << said;
  EXPECT_NE(said.find("interrupted"), std::string::npos) << said;
  EXPECT_NE(said.find("--resume"), std::string::npos) << said;
  EXPECT_TRUE(fs::exists(model.string() + ".last"));
  Outcome resumed = Run("train --config tiny --corpus " + corpus + " --out " + model.string() +
                        " --threads 1 --epochs 2 --resume");
  EXPECT_EQ(resumed.code, 0) << resumed.err;
}

}  // namespace
