#include "model/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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
      {"newer version", [](std::string b) { b[8] = 2; return b; }, "format version 2"},
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

}  // namespace
}  // namespace tunesmith::model
