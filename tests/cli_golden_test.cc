// The same seeds give the same outputs, before and after a change that is
// meant not to change them (House moved the pipeline out of src/cli/): the
// bundled model's `generate --json` for three sets of flags, `eval --json`
// on hand-made tunes and `train --json` on the tiny preset are compared with
// the files in tests/golden/, written by the code before the move.
//
// Numbers are compared with a relative tolerance (1e-6 for inference, 1e-3
// for training, whose BLAS sums may round differently on another CPU); text,
// keys and array lengths must match exactly. Timings, the date and the
// version are not compared. Paths are written as $SRC and $DIR.
//
// To accept new outputs on purpose (a change that should change them, said in
// its commit message):  TUNESMITH_UPDATE_GOLDEN=1 ctest -R Golden
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "base/cli_testing.h"

namespace tunesmith {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::set<std::string> kNotCompared = {"created",     "seconds",       "ms_per_tune",  "tokens_per_second",
                                            "train_seconds", "train_tok_s", "tunesmith_version"};

fs::path SourceDir() {
  const char* src = std::getenv("TUNESMITH_SOURCE_DIR");
  return src ? fs::path(src) : fs::path(".");
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

// Collects every difference between `want` and `got` under `at`.
void Compare(const json& want, const json& got, const std::string& at, double tolerance, std::vector<std::string>& out) {
  if (want.is_number() && got.is_number()) {
    const double a = want.get<double>(), b = got.get<double>();
    if (std::fabs(a - b) > tolerance * std::max(1.0, std::fabs(a)))
      out.push_back(at + ": " + want.dump() + " became " + got.dump());
    return;
  }
  if (want.type() != got.type()) {
    out.push_back(at + ": " + want.dump().substr(0, 80) + " became " + got.dump().substr(0, 80));
    return;
  }
  if (want.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (kNotCompared.count(k)) continue;
      if (!got.contains(k)) out.push_back(at + "." + k + ": missing");
      else Compare(v, got[k], at + "." + k, tolerance, out);
    }
    for (const auto& [k, v] : got.items())
      if (!want.contains(k) && !kNotCompared.count(k)) out.push_back(at + "." + k + ": new");
    return;
  }
  if (want.is_array()) {
    if (want.size() != got.size()) {
      out.push_back(at + ": " + std::to_string(want.size()) + " items became " + std::to_string(got.size()));
      return;
    }
    for (size_t i = 0; i < want.size(); ++i) Compare(want[i], got[i], at + "[" + std::to_string(i) + "]", tolerance, out);
    return;
  }
  if (want != got) out.push_back(at + ": " + want.dump().substr(0, 200) + " became " + got.dump().substr(0, 200));
}

// One JSON document (eval, train) or one per line (generate).
std::vector<json> Documents(const std::string& text) {
  if (json::accept(text)) return {json::parse(text)};
  std::vector<json> docs;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) docs.push_back(json::parse(line));
  return docs;
}

class Golden : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("tunesmith-golden-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "corpus");
    testing::WriteHandMadeCorpus(dir_ / "corpus" / "tunes.abc", 80, 5);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  void SetUp() override {
    if (!fs::exists(testing::BuiltBinary("tunesmith-nn"))) GTEST_SKIP() << "tunesmith-nn is not built";
    if (!fs::exists(SourceDir() / "models" / "default.ckpt")) GTEST_SKIP() << "models/default.ckpt is absent";
  }

  // Runs tunesmith with `args` ($SRC and $DIR expanded) and returns stdout
  // with the two folders written back as $SRC and $DIR.
  static std::string Run(std::string args) {
    ReplaceAll(args, "$SRC", SourceDir().string());
    ReplaceAll(args, "$DIR", dir_.string());
    const testing::Outcome o = testing::RunProgram(testing::BuiltBinary(), args, dir_ / "stderr");
    EXPECT_EQ(o.code, 0) << args << "\n" << o.err;
    std::string out = o.out;
    ReplaceAll(out, dir_.string(), "$DIR");
    ReplaceAll(out, SourceDir().string(), "$SRC");
    return out;
  }

  // Compares the JSON lines of `out` with tests/golden/NAME, or writes them
  // there when TUNESMITH_UPDATE_GOLDEN is set.
  static void Check(const std::string& name, const std::string& out, double tolerance) {
    const fs::path file = SourceDir() / "tests" / "golden" / name;
    if (std::getenv("TUNESMITH_UPDATE_GOLDEN")) {
      std::ofstream(file) << out;
      GTEST_SKIP() << "wrote " << file;
    }
    std::ifstream in(file);
    ASSERT_TRUE(in) << "no golden file " << file << " (TUNESMITH_UPDATE_GOLDEN=1 writes it)";
    const std::string golden((std::istreambuf_iterator<char>(in)), {});
    const std::vector<json> want = Documents(golden), got = Documents(out);
    ASSERT_EQ(want.size(), got.size()) << name;
    std::vector<std::string> differences;
    for (size_t i = 0; i < want.size(); ++i) Compare(want[i], got[i], name + "[" + std::to_string(i) + "]", tolerance, differences);
    std::string listed;
    for (size_t i = 0; i < differences.size() && i < 20; ++i) listed += "\n  " + differences[i];
    EXPECT_TRUE(differences.empty()) << differences.size() << " differences from " << file << ":" << listed;
  }

  static fs::path dir_;
};

fs::path Golden::dir_;

TEST_F(Golden, GenerateDefault) {
  Check("generate-default.jsonl", Run("generate --model $SRC/models/default.ckpt -n 4 --seed 11 --threads 1 --json -q"),
        1e-6);
}

TEST_F(Golden, GenerateJigInADorianWithCandidatesOneAtATime) {
  Check("generate-jig.jsonl",
        Run("generate --model $SRC/models/default.ckpt -n 2 --seed 5 --rhythm jig --key Ador --candidates 2 "
            "--no-chords --instrument whistle --batch-size 1 --threads 1 --json -q"),
        1e-6);
}

TEST_F(Golden, GenerateFreeFormUnguardedAndCooler) {
  Check("generate-free.jsonl",
        Run("generate --model $SRC/models/default.ckpt -n 3 --seed 3 --parts free --no-novelty-guard "
            "--temperature 0.6 --top-p 0.95 --threads 1 --json -q"),
        1e-6);
}

TEST_F(Golden, EvalOnHandMadeTunes) {
  Check("eval.json",
        Run("eval --model $SRC/models/default.ckpt --corpus $DIR/corpus --samples 8 --seed 2 --batch-size 4 "
            "--threads 1 --json"),
        1e-6);
}

TEST_F(Golden, TrainTinyPreset) {
  Check("train.json",
        Run("train --config tiny --corpus $DIR/corpus --out $DIR/tiny.ckpt --threads 1 --seed 1 --epochs 2 --json"), 1e-3);
}

}  // namespace
}  // namespace tunesmith
