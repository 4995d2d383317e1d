#include "train/trainer.h"
#include "train/toy_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "model/checkpoint.h"
#include "model/lstm_lm.h"
#include "model/weights.h"
#include "train/schedule.h"

namespace tunesmith::train {
namespace {

namespace fs = std::filesystem;

TrainData ToyData() { return testing::ToyData(48); }

TrainConfig TinyConfig(corpus::BatchMode mode) {
  TrainConfig c;
  c.model.embedding = 8;
  c.model.hidden = 16;
  c.model.layers = 2;
  c.model.dropout = 0.1;  // dropout on, so the random generator matters for resume
  c.train.batching = mode;
  c.train.batch_size = 8;
  c.train.seq_len = 12;
  c.train.lr = 1e-2;
  c.train.warmup_steps = 5;
  c.train.epochs = 4;
  c.train.patience = 0;
  c.train.log_every = 5;
  c.train.checkpoint_minutes = 100;
  return c;
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    at::set_num_threads(1);
    dir_ = fs::temp_directory_path() / ("ts_train_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunOptions Run(const std::string& name) {
    RunOptions r;
    r.out = (dir_ / name).string();
    r.seed = 17;
    r.progress = false;
    return r;
  }

  fs::path dir_;
};

TEST_F(TrainerTest, EvaluateGivesLog2VocabularyForAUniformModel) {
  model::ModelConfig mc;
  mc.vocab_size = 12;
  mc.embedding = 4;
  mc.hidden = 5;
  mc.layers = 1;
  model::LstmLm m(mc);
  {
    torch::NoGradGuard no_grad;
    m.head->weight.zero_();
    m.head->bias.zero_();
  }
  const std::vector<std::vector<int32_t>> tunes = {{1, 4, 5, 2}, {1, 6, 6, 6, 6, 6, 2}, {1, 2}};
  const EvalResult r = Evaluate(m, tunes, 2);
  const double per_token = std::log2(12.0);
  EXPECT_EQ(r.tokens, 3 + 6 + 1);
  EXPECT_EQ(r.tunes, 3);
  EXPECT_NEAR(r.bits_per_token, per_token, 1e-5);
  EXPECT_NEAR(r.loss, std::log(12.0), 1e-5);
  EXPECT_NEAR(r.bits_per_tune, per_token * (3 + 6 + 1) / 3.0, 1e-4);
}

TEST_F(TrainerTest, LearnsTheToyLanguage) {
  for (auto mode : {corpus::BatchMode::kTunes, corpus::BatchMode::kStream}) {
    TrainConfig config = TinyConfig(mode);
    config.train.epochs = 15;
    config.train.lr = 2e-2;
    Trainer trainer(config, ToyData(), Run(std::string("learn-") + corpus::BatchModeName(mode)));
    auto s = trainer.Run();
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ(s->stop_reason, "epochs");
    EXPECT_EQ(s->epochs, 15);
    // Uniform guessing costs log2(12) = 3.58 bits per token; within a bar the rule is deterministic.
    EXPECT_LT(s->best_valid.bits_per_token, 1.6) << corpus::BatchModeName(mode);
  }
}

TEST_F(TrainerTest, WritesBestLastAndMetrics) {
  Trainer trainer(TinyConfig(corpus::BatchMode::kTunes), ToyData(), Run("m"));
  auto s = trainer.Run();
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto best = model::ReadCheckpoint((dir_ / "m").string());
  ASSERT_TRUE(best.ok()) << best.status().message();
  EXPECT_TRUE(best->optimizer.empty());
  EXPECT_EQ(best->corpus_fingerprint, "toy-corpus");
  EXPECT_EQ(best->train_state["best_epoch"], s->best_epoch);
  auto last = model::ReadCheckpoint(LastPath((dir_ / "m").string()));
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->optimizer.empty());
  EXPECT_FALSE(last->rng.empty());
  std::ifstream log(MetricsPath((dir_ / "m").string()));
  std::string line;
  int valid_lines = 0, lines = 0;
  while (std::getline(log, line)) {
    auto j = nlohmann::json::parse(line);  // every line is JSON
    ++lines;
    if (j["kind"] == "valid") {
      ++valid_lines;
      EXPECT_GT(j["bits_per_tune"].get<double>(), 0);
    }
  }
  EXPECT_EQ(valid_lines, 4);
  EXPECT_GT(lines, valid_lines);
}

// A run stopped abruptly (as by kill -9) after its last checkpoint and resumed
// ends exactly where an uninterrupted run with the same seed ends.
void CheckResumeEquivalence(TrainerTest* t, corpus::BatchMode mode, const RunOptions& whole_options,
                            const RunOptions& broken_options) {
  const TrainConfig config = TinyConfig(mode);
  Trainer whole(config, ToyData(), whole_options);
  auto a = whole.Run();
  ASSERT_TRUE(a.ok()) << a.status().message();

  RunOptions crash = broken_options;
  crash.checkpoint_every_steps = 4;
  crash.max_steps = 11;  // mid epoch 2; the last checkpoint is at step 8
  Trainer first(config, ToyData(), crash);
  auto b1 = first.Run();
  ASSERT_TRUE(b1.ok()) << b1.status().message();
  EXPECT_EQ(b1->stop_reason, "max steps");

  RunOptions resume = broken_options;
  resume.resume = true;
  resume.seed = 999;  // ignored: the seed comes from MODEL.last
  Trainer second(config, ToyData(), resume);
  auto b2 = second.Run();
  ASSERT_TRUE(b2.ok()) << b2.status().message();

  EXPECT_EQ(b2->steps, a->steps);
  EXPECT_EQ(b2->epochs, a->epochs);
  EXPECT_NEAR(b2->last_valid.loss, a->last_valid.loss, 1e-6) << corpus::BatchModeName(mode);
  EXPECT_NEAR(b2->best_valid.loss, a->best_valid.loss, 1e-6);
  EXPECT_EQ(model::SerializeWeights(second.model()), model::SerializeWeights(whole.model()))
      << "weights differ after resume (" << corpus::BatchModeName(mode) << ")";
}

TEST_F(TrainerTest, ResumeAfterCrashEqualsUninterruptedRunTunes) {
  CheckResumeEquivalence(this, corpus::BatchMode::kTunes, Run("whole-t"), Run("broken-t"));
}

TEST_F(TrainerTest, ResumeAfterCrashEqualsUninterruptedRunStream) {
  CheckResumeEquivalence(this, corpus::BatchMode::kStream, Run("whole-s"), Run("broken-s"));
}

// A process killed after its last checkpoint write but before it exited
// leaves the final state in MODEL.last: resuming it trains nothing more
// (it had gone on for an epoch, and for another after each such kill).
TEST_F(TrainerTest, ResumingAFinishedRunTrainsNoMore) {
  const TrainConfig config = TinyConfig(corpus::BatchMode::kStream);
  RunOptions r = Run("finished");
  Trainer whole(config, ToyData(), r);
  auto a = whole.Run();
  ASSERT_TRUE(a.ok()) << a.status().message();
  const std::string last = LastPath(r.out);
  std::ifstream before_in(last, std::ios::binary);
  const std::string before((std::istreambuf_iterator<char>(before_in)), {});
  r.resume = true;
  Trainer again(config, ToyData(), r);
  auto b = again.Run();
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->steps, a->steps);
  EXPECT_EQ(b->epochs, a->epochs);
  EXPECT_EQ(b->stop_reason, "epochs");
  EXPECT_EQ(model::SerializeWeights(again.model()), model::SerializeWeights(whole.model()));
  std::ifstream after_in(last, std::ios::binary);
  EXPECT_TRUE(std::string((std::istreambuf_iterator<char>(after_in)), {}) == before) << "MODEL.last was rewritten";
}

TEST_F(TrainerTest, ResumeOnAnotherCorpusIsRefused) {
  RunOptions r = Run("other");
  r.max_steps = 3;
  r.checkpoint_every_steps = 2;
  ASSERT_TRUE(Trainer(TinyConfig(corpus::BatchMode::kTunes), ToyData(), r).Run().ok());
  TrainData other = ToyData();
  other.corpus_fingerprint = "another-corpus";
  r.resume = true;
  auto s = Trainer(TinyConfig(corpus::BatchMode::kTunes), other, r).Run();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("another corpus split"), std::string::npos) << s.status().message();
}

TEST_F(TrainerTest, ResumeWithoutLastFileIsAClearError) {
  RunOptions r = Run("never");
  r.resume = true;
  auto s = Trainer(TinyConfig(corpus::BatchMode::kTunes), ToyData(), r).Run();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsNotFound()) << s.status().ToString();
  EXPECT_NE(s.status().message().find("checkpoint: cannot open"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("HINT: run without --resume"), std::string::npos) << s.status().message();
}

TEST_F(TrainerTest, EarlyStoppingStopsWhenValidationStopsImproving) {
  TrainConfig config = TinyConfig(corpus::BatchMode::kTunes);
  config.train.lr = 0.5;  // far too high: validation gets worse
  config.train.warmup_steps = 0;
  config.train.clip = 0;
  config.train.schedule = Schedule::kConstant;
  config.train.epochs = 30;
  config.train.patience = 2;
  auto s = Trainer(config, ToyData(), Run("early")).Run();
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->stop_reason, "early stop");
  EXPECT_EQ(s->epochs, s->best_epoch + 2);
}

TEST(Schedule, WarmsUpThenDecaysToTheFloor) {
  TrainOptions o;
  o.lr = 1.0;
  o.warmup_steps = 10;
  o.min_lr_ratio = 0.1;
  EXPECT_NEAR(LearningRate(o, 0, 110), 0.1, 1e-12);
  EXPECT_NEAR(LearningRate(o, 9, 110), 1.0, 1e-12);
  EXPECT_NEAR(LearningRate(o, 10, 110), 1.0, 1e-12);
  EXPECT_NEAR(LearningRate(o, 60, 110), 0.55, 1e-12);
  EXPECT_NEAR(LearningRate(o, 110, 110), 0.1, 1e-12);
  EXPECT_NEAR(LearningRate(o, 500, 110), 0.1, 1e-12);
  o.schedule = Schedule::kConstant;
  EXPECT_NEAR(LearningRate(o, 60, 110), 1.0, 1e-12);
}

TEST(TrainConfigJson, RoundTripAndErrors) {
  TrainConfig c = TinyConfig(corpus::BatchMode::kStream);
  c.tokenizer = tokens::TokenizerKind::kChar;
  auto back = TrainConfigFromJson(TrainConfigToJson(c));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(TrainConfigToJson(*back), TrainConfigToJson(c));
  EXPECT_FALSE(TrainConfigFromJson({{"train", {{"lr_typo", 1}}}}).ok());
  EXPECT_FALSE(TrainConfigFromJson({{"model", {{"layers", 0}}}}).ok());
  EXPECT_FALSE(TrainConfigFromJson({{"tokenizer", "bytes"}}).ok());
  EXPECT_FALSE(TrainConfigFromJson({{"train", {{"batching", "random"}}}}).ok());
}

TEST(TrainConfigJson, EveryPresetLoads) {
  const char* src = std::getenv("TUNESMITH_SOURCE_DIR");
  ASSERT_NE(src, nullptr);
  for (const char* name : {"default", "tiny", "seed-baseline"}) {
    std::string path;
    auto c = LoadTrainConfig(name, {std::string(src) + "/configs"}, &path);
    EXPECT_TRUE(c.ok()) << name << ": " << c.status().message();
  }
  auto missing = LoadTrainConfig("no-such-preset", {std::string(src) + "/configs"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("not found"), std::string::npos);
}

}  // namespace
}  // namespace tunesmith::train
