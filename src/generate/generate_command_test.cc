// `tunesmith generate` end to end: a small random model written as a real
// checkpoint (with a novelty index in its extras, or without), then the
// tunesmith-nn binary run on it: JSON output and its checks, reproduction
// from a tune's N: line, the form, and the errors a user meets.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/cli_testing.h"
#include "generate/novelty_guard.h"
#include "generate/test_models.h"
#include "model/checkpoint.h"

namespace tunesmith::generate {
namespace {

namespace fs = std::filesystem;

using tunesmith::testing::Outcome;

class GenerateCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = tunesmith::testing::BuiltBinary("tunesmith-nn");
    if (!fs::exists(binary_)) GTEST_SKIP() << "tunesmith-nn is not built";
    dir_ = fs::temp_directory_path() / ("ts_generate_cmd_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const model::Checkpoint c = testing::SmallLstmCheckpoint();
    ASSERT_TRUE(model::WriteCheckpoint((dir_ / "plain.ckpt").string(), c).ok());
    // The same model carrying a novelty index of one training tune.
    ASSERT_TRUE(model::WriteCheckpoint((dir_ / "indexed.ckpt").string(), testing::WithOneTrainingTune(c)).ok());
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  Outcome Generate(const std::string& args) {
    const fs::path err = dir_ / "stderr.txt";
    return tunesmith::testing::RunProgram(binary_, "generate --threads 1 " + args, err);
  }
  std::vector<nlohmann::json> Tunes(const Outcome& r) {
    std::vector<nlohmann::json> out;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    }
    return out;
  }
  std::string Model(const char* name) { return (dir_ / name).string(); }

  fs::path binary_, dir_;
};

// The ABC without its X: line (the same tune numbered differently).
std::string Body(const std::string& abc) { return abc.substr(abc.find('\n') + 1); }

TEST_F(GenerateCommand, JsonChecksAndReproduction) {
  Outcome r = Generate("--model " + Model("indexed.ckpt") + " -n 3 --seed 5 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto tunes = Tunes(r);
  ASSERT_EQ(tunes.size(), 3u);
  for (const auto& t : tunes) {
    EXPECT_TRUE(t["checks"]["read"].get<bool>());
    EXPECT_EQ(t["checks"]["off_meter_bars"], 0);
    EXPECT_EQ(t["checks"]["structure"], true);
    EXPECT_TRUE(t["novelty"]["known"].get<bool>());
    EXPECT_TRUE(t["novelty"]["guard"]["on"].get<bool>());
    const std::string abc = t["abc"];
    EXPECT_NE(abc.find("\nN:tunesmith generate --model"), std::string::npos) << abc;
    for (const char* field : {"X:", "\nT:", "\nM:", "\nL:1/8", "\nK:"}) EXPECT_NE(abc.find(field), std::string::npos) << field;
  }
  EXPECT_EQ(tunes[1]["seed"], 6);
  // The N: line's command makes tune 2 again on its own.
  const std::string command = tunes[1]["settings"]["command"];
  const std::string args = command.substr(std::string("tunesmith generate ").size());
  Outcome again = Generate(args + " --json");
  ASSERT_EQ(again.code, 0) << again.err;
  auto one = Tunes(again);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(Body(one[0]["abc"]), Body(tunes[1]["abc"]));
}

TEST_F(GenerateCommand, AbcOnStdoutAndNoveltyUnknownWithoutIndex) {
  Outcome r = Generate("--model " + Model("plain.ckpt") + " -n 2 --seed 1 --meter 6/8 --key D --mode min");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("novelty is reported as unknown"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("X:2\n"), std::string::npos);
  EXPECT_NE(r.out.find("M:6/8\n"), std::string::npos);
  EXPECT_NE(r.out.find("K:Dmin\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("% novelty: unknown"), std::string::npos);
}

TEST_F(GenerateCommand, Form) {
  Outcome r = Generate("--model " + Model("plain.ckpt") + " -n 2 --seed 2 --parts AABB --bars 4 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const auto& t : Tunes(r)) {
    EXPECT_EQ(t["checks"]["structure"], true) << t["abc"];
    EXPECT_EQ(t["settings"]["structure"], "AABB, 4 bars per part");
  }
  // Without --parts: two repeated 8-bar parts; --parts free lets the model decide.
  Outcome plain = Generate("--model " + Model("plain.ckpt") + " --seed 2 --json");
  ASSERT_EQ(plain.code, 0) << plain.err;
  EXPECT_EQ(Tunes(plain)[0]["settings"]["structure"], "AABB, 8 bars per part");
  EXPECT_EQ(Tunes(plain)[0]["checks"]["structure"], true);
  Outcome free = Generate("--model " + Model("plain.ckpt") + " --seed 2 --parts free --json");
  ASSERT_EQ(free.code, 0) << free.err;
  EXPECT_EQ(Tunes(free)[0]["settings"]["structure"], "free form");
  Outcome one_part = Generate("--model " + Model("plain.ckpt") + " --seed 2 --bars 12 --json");
  ASSERT_EQ(one_part.code, 0) << one_part.err;
  EXPECT_EQ(Tunes(one_part)[0]["settings"]["structure"], "A, 12 bars per part");
  Outcome bad = Generate("--model " + Model("plain.ckpt") + " --parts free --bars 4");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("--parts free"), std::string::npos) << bad.err;
}

TEST_F(GenerateCommand, ErrorsTellTheUserWhatIsAccepted) {
  Outcome meter = Generate("--model " + Model("plain.ckpt") + " --meter 5/4");
  EXPECT_EQ(meter.code, 2);
  EXPECT_NE(meter.err.find("it knows"), std::string::npos) << meter.err;
  EXPECT_NE(meter.err.find("6/8"), std::string::npos);
  Outcome rhythm = Generate("--model " + Model("plain.ckpt") + " --rhythm tango");
  EXPECT_EQ(rhythm.code, 2);
  EXPECT_NE(rhythm.err.find("hornpipe"), std::string::npos) << rhythm.err;
  Outcome prime = Generate("--model " + Model("plain.ckpt") + " --prime 'CDEF GABc d | c8 |'");
  EXPECT_EQ(prime.code, 2);
  EXPECT_NE(prime.err.find("  CDEF GABc d | c8 |\n  ^"), std::string::npos) << prime.err;
  Outcome missing = Generate("--model " + Model("nope.ckpt"));
  EXPECT_EQ(missing.code, 3) << "a file that is not there: exit code 3 (not found)";
  EXPECT_NE(missing.err.find("nope.ckpt"), std::string::npos) << missing.err;
  Outcome parts = Generate("--model " + Model("plain.ckpt") + " --parts ABA");
  EXPECT_EQ(parts.code, 2);
  EXPECT_NE(parts.err.find("AABB"), std::string::npos) << parts.err;
}

}  // namespace
}  // namespace tunesmith::generate
