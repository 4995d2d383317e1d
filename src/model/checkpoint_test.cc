#include "model/checkpoint.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "base/files.h"
#include "model/lstm_lm.h"
#include "model/weights.h"

namespace tunesmith::model {
namespace {

namespace fs = std::filesystem;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ts_ckpt_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Checkpoint Sample() {
    Checkpoint c;
    c.model.vocab_size = 12;
    c.model.embedding = 4;
    c.model.hidden = 6;
    c.model.layers = 2;
    c.vocabulary = "abc-token\n<pad>\n<s>\n</s>\n<unk>\n";
    torch::manual_seed(2);
    LstmLm net(c.model);
    c.weights = SerializeWeights(net);
    c.corpus_fingerprint = "f00dfeed";
    c.train_config = {{"lr", 0.002}};
    c.train_state = {{"step", 42}, {"epoch", 3}};
    c.optimizer = std::string("opt\0bytes", 9);
    c.rng = std::string(5056, '\x07');
    c.extras["novelty"] = std::string("\x00\x01\x02", 3);
    return c;
  }

  std::string Slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Spit(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  fs::path dir_;
};

TEST_F(CheckpointTest, RoundTrip) {
  const Checkpoint c = Sample();
  const std::string path = (dir_ / "m.ckpt").string();
  ASSERT_TRUE(WriteCheckpoint(path, c).ok());
  auto r = ReadCheckpoint(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(ModelConfigToJson(r->model), ModelConfigToJson(c.model));
  EXPECT_EQ(r->vocabulary, c.vocabulary);
  EXPECT_EQ(r->weights, c.weights);
  EXPECT_EQ(r->corpus_fingerprint, c.corpus_fingerprint);
  EXPECT_EQ(r->train_config, c.train_config);
  EXPECT_EQ(r->train_state, c.train_state);
  EXPECT_EQ(r->optimizer, c.optimizer);
  EXPECT_EQ(r->rng, c.rng);
  EXPECT_EQ(r->extras, c.extras);
  // No temporary file is left beside it.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(CheckpointTest, WeightsRoundTripIntoAFreshNetwork) {
  const Checkpoint c = Sample();
  torch::manual_seed(99);  // different initial weights
  LstmLm fresh(c.model);
  ASSERT_TRUE(LoadWeights(fresh, c.weights).ok());
  EXPECT_EQ(SerializeWeights(fresh), c.weights);
}

TEST_F(CheckpointTest, WeightsOfAnotherShapeAreRejected) {
  const Checkpoint c = Sample();
  ModelConfig other = c.model;
  other.hidden = 8;
  LstmLm net(other);
  Status st = LoadWeights(net, c.weights);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("shape"), std::string::npos) << st.message();
}

TEST_F(CheckpointTest, ModelOnlyFileHasNoTrainingState) {
  Checkpoint c = Sample();
  c.train_config = nullptr;
  c.train_state = nullptr;
  c.optimizer.clear();
  c.rng.clear();
  auto r = DecodeCheckpoint(EncodeCheckpoint(c), "m");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->train_state.is_null());
  EXPECT_TRUE(r->optimizer.empty());
}

struct BadFileCase {
  const char* name;
  std::function<std::string(std::string)> damage;
  const char* expected;  // part of the message
};

TEST_F(CheckpointTest, DamagedFilesAreClearErrors) {
  const std::string good = EncodeCheckpoint(Sample());
  const std::vector<BadFileCase> cases = {
      {"empty", [](std::string) { return std::string(); }, "not a tunesmith checkpoint"},
      {"bad magic", [](std::string b) { b[0] = 'X'; return b; }, "not a tunesmith checkpoint"},
      {"text file", [](std::string) { return std::string("X:1\nT:a tune\nK:G\nGABc|\n"); }, "not a tunesmith checkpoint"},
      {"newer version", [](std::string b) { b[8] = 3; return b; }, "format version 3"},
      {"truncated header", [](std::string b) { return b.substr(0, 12); }, "truncated"},
      {"truncated in weights", [](std::string b) { return b.substr(0, b.size() / 2); }, "truncated"},
      {"checksum cut", [](std::string b) { return b.substr(0, b.size() - 3); }, "truncated"},
      {"one byte flipped", [](std::string b) { b[b.size() / 2] ^= 0x40; return b; }, "checksum mismatch"},
      {"trailing garbage", [](std::string b) { return b + "xyz"; }, "trailing"},
  };
  for (const auto& bad : cases) {
    const fs::path p = dir_ / "bad.ckpt";
    Spit(p, bad.damage(good));
    auto r = ReadCheckpoint(p.string());
    ASSERT_FALSE(r.ok()) << bad.name;
    // A newer format is well-formed but unreadable here; everything else is damage.
    if (std::string(bad.name) == "newer version") {
      EXPECT_TRUE(r.status().IsNotSupported()) << r.status().ToString();
    } else {
      EXPECT_TRUE(r.status().IsCorruption()) << bad.name << ": " << r.status().ToString();
    }
    EXPECT_NE(r.status().message().find(bad.expected), std::string::npos)
        << bad.name << ": " << r.status().message();
    EXPECT_NE(r.status().message().find(p.string()), std::string::npos) << bad.name << ": names the file";
  }
}

TEST_F(CheckpointTest, MissingFileIsAnError) {
  auto r = ReadCheckpoint((dir_ / "nope.ckpt").string());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("cannot open"), std::string::npos);
}

TEST_F(CheckpointTest, OverwriteKeepsTheFileWhole) {
  const std::string path = (dir_ / "m.ckpt").string();
  Checkpoint c = Sample();
  ASSERT_TRUE(WriteCheckpoint(path, c).ok());
  c.train_state["step"] = 43;
  ASSERT_TRUE(WriteCheckpoint(path, c).ok());
  auto r = ReadCheckpoint(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->train_state["step"], 43);
}

TEST_F(CheckpointTest, UnwritableFolderIsAnError) {
  Status st = WriteCheckpoint((dir_ / "no" / "such" / "dir" / "m.ckpt").string(), Sample());
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.IsNotFound()) << st.ToString();
  EXPECT_NE(st.message().find("checkpoint: cannot write"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("m.ckpt"), std::string::npos) << st.message();
}

// The files in `dir` whose name has ".tmp." in it: WriteFileAtomically's temporaries.
std::vector<std::string> TemporaryFiles(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(e.path().filename().string());
  }
  return found;
}

// Finding 10: SIGKILL during a checkpoint write left `.NAME.tmp.PID...`
// files that no later run removed. 25 writers killed at random moments: the
// file on disk is whole at every moment, and the next write clears what the
// killed ones left.
TEST_F(CheckpointTest, F10_KilledCheckpointWriteLeavesNoTempFiles) {
  const std::string path = (dir_ / "m.ckpt.last").string();
  Checkpoint c = Sample();
  c.weights += std::string(4 << 20, '\x01');  // a few MB, so that a kill often lands inside a write
  // (the weights are opaque to the container; only the checksum must hold)
  ASSERT_TRUE(WriteCheckpoint(path, c).ok());
  std::mt19937 rng(10);
  int leftovers_seen = 0;
  for (int kill = 0; kill < 25; ++kill) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      Checkpoint mine = c;
      for (int step = 0;; ++step) {
        mine.train_state["step"] = step;
        if (!WriteCheckpoint(path, mine).ok()) ::_exit(1);
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 40000));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed instead of being killed";
    leftovers_seen += static_cast<int>(TemporaryFiles(dir_).size());
    auto r = ReadCheckpoint(path);
    ASSERT_TRUE(r.ok()) << "after kill " << kill << ": " << r.status().message();
  }
  // The next writer (this process) removes what the dead ones left.
  ASSERT_TRUE(WriteCheckpoint(path, c).ok());
  EXPECT_EQ(TemporaryFiles(dir_), std::vector<std::string>{}) << leftovers_seen << " leftovers were seen";
  std::cout << "25 killed writers left " << leftovers_seen << " temporary files; all removed by the next write\n";
}

// A temporary file of a running writer is not touched; one of a dead writer is.
TEST_F(CheckpointTest, StaleTemporaryFilesOfLiveWritersStay) {
  const fs::path target = dir_ / "m.ckpt";
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  std::ofstream(dir_ / (".m.ckpt.tmp." + std::to_string(dead) + ".00000000deadbeef")) << "half";
  std::ofstream(dir_ / ".m.ckpt.tmp.1.0000000000000001") << "init's";  // pid 1 runs
  std::ofstream(dir_ / (".m.ckpt.tmp." + std::to_string(::getpid()) + ".0000000000000002")) << "ours";
  std::ofstream(dir_ / ".other.tmp.999999999.x") << "another file's";
  EXPECT_EQ(base::RemoveStaleTemporaryFiles(target), 1);
  EXPECT_FALSE(fs::exists(dir_ / (".m.ckpt.tmp." + std::to_string(dead) + ".00000000deadbeef")));
  EXPECT_EQ(TemporaryFiles(dir_).size(), 3u);
}

// A full disk while writing a checkpoint (here a file-size limit, as
// `ulimit -f` sets) keeps the previous checkpoint whole and says so.
TEST_F(CheckpointTest, FullDiskKeepsThePreviousCheckpointAndSaysSo) {
  const std::string path = (dir_ / "m.ckpt.last").string();
  Checkpoint c = Sample();
  ASSERT_TRUE(WriteCheckpoint(path, c).ok());
  const std::string before = Slurp(path);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG, as with ENOSPC
    struct rlimit limit = {static_cast<rlim_t>(before.size() / 2), static_cast<rlim_t>(before.size() / 2)};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    Checkpoint bigger = c;
    bigger.train_state["step"] = 99;
    Status st = WriteCheckpoint(path, bigger);
    const bool said = !st.ok() && st.IsIOError() &&
                      st.message().find(path + " still holds the previous checkpoint, intact") != std::string::npos &&
                      st.message().find("HINT") != std::string::npos;
    if (!said) std::fprintf(stderr, "status: %s\n", st.ToString().c_str());
    ::_exit(said ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the failed write must say the previous checkpoint is intact";
  EXPECT_EQ(Slurp(path), before);
  EXPECT_EQ(TemporaryFiles(dir_), std::vector<std::string>{});
  EXPECT_TRUE(ReadCheckpoint(path).ok());
}

}  // namespace
}  // namespace tunesmith::model
