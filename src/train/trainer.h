// Trainer: the training loop. Run() reads top to bottom: take a batch, step,
// print the progress line; at each epoch's end validate, keep the best model,
// write the resume state, stop early when validation stops improving.
//
// Files, for --out MODEL:
//   MODEL                the best model so far (by validation loss): config,
//                        vocabulary, weights, training figures; what generate loads
//   MODEL.last           everything needed to resume exactly: weights, optimiser,
//                        random generator, data position, counters
//   MODEL.metrics.jsonl  one JSON object per line: training, validation and test figures
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "corpus/batcher.h"
#include "model/checkpoint.h"
#include "model/language_model.h"
#include "tokens/vocabulary.h"
#include "train/evaluate.h"
#include "train/progress.h"
#include "train/train_config.h"

namespace tunesmith::train {

class Group;  // train/distributed.h

// The encoded splits the trainer learns from and validates on.
struct TrainData {
  tokens::Vocabulary vocabulary;
  std::vector<std::vector<int32_t>> train, valid;  // token ids, each tune <s> ... </s>
  std::string corpus_fingerprint;                  // corpus::Corpus::Fingerprint(), stored in checkpoints
  std::map<std::string, std::string> extras;       // blobs of other stages copied into every checkpoint
                                                   // (the generator's novelty index)
};

// How this run is carried out; not part of the preset.
struct RunOptions {
  std::string out;                     // MODEL path (MODEL.last and MODEL.metrics.jsonl go beside it)
  uint64_t seed = 1;                   // initial weights, dropout and data order
  bool resume = false;                 // continue from MODEL.last where it stopped
  double max_minutes = 0;              // wall-clock budget of this process (0: none); then MODEL.last is written
  int64_t max_steps = 0;              // stop after this many steps of this process without writing anything,
                                       // as a crash would (tests of resume); 0: no limit
  int64_t checkpoint_every_steps = 0;  // also write MODEL.last every N steps (0: by time and at epoch ends)
  torch::Device device = torch::kCPU;  // where the model trains
  bool progress = true;                // print the progress line on stderr
  // The data-parallel group this process is a rank of (train/distributed.h);
  // null: it trains alone. Rank 0 alone validates, logs and writes files.
  std::shared_ptr<Group> group;
};

struct TrainSummary {
  int64_t steps = 0;          // optimiser steps in total (over resumes)
  int64_t epochs = 0;         // epochs completed
  EvalResult best_valid;      // at best_epoch
  int64_t best_epoch = 0;
  EvalResult last_valid;
  double seconds = 0;         // wall clock of this process's training
  double tokens_per_second = 0;  // training tokens per second in this process
  std::string stop_reason;    // "epochs", "early stop", "time budget", "max steps", "interrupted"
  int world_size = 1;         // ranks that trained together
  double allreduce_ms_per_step = 0;  // distributed: this rank's mean time in the gradient all-reduce (waits included)
  double allreduce_min_ms = 0;       // distributed: its quickest all-reduce
};

// The checkpoint path of the resume state for MODEL.
std::string LastPath(const std::string& out);
std::string MetricsPath(const std::string& out);

// Reads the preset stored in MODEL.last (for --resume): config and seed.
Result<TrainConfig> ReadResumeConfig(const std::string& out, uint64_t* seed);

class Trainer {
 public:
  Trainer(TrainConfig config, TrainData data, RunOptions run);
  ~Trainer();

  // Trains until the epochs are done, validation stops improving, the time
  // budget is spent or SIGINT arrives. Errors (a resume file that does not
  // fit, a full disk) are returned, never thrown.
  Result<TrainSummary> Run();

  // The model (after Run: the weights of the last step, not the best).
  model::LanguageModel& model() { return *model_; }

 private:
  Status Start();
  double Step(const corpus::Batch& batch);
  bool EndOfEpoch();  // validates; returns true when training should stop
  // Why training is over after the epochs done so far ("epochs", "early stop"), or "".
  std::string FinishedReason() const;
  bool Leads() const;  // alone, or rank 0 of a group: validates, logs, prints and writes files
  // The checkpoint of the model as it is now (weights, vocabulary, config, state).
  model::Checkpoint CurrentCheckpoint() const;
  Status SaveBest();
  Status SaveLast();
  Status LoadLast();
  void LogJson(const nlohmann::json& line);
  nlohmann::json TrainState() const;

  TrainConfig config_;
  TrainData data_;
  // The packed musical positions of every tune (config.model.positions; else empty).
  std::vector<std::vector<int32_t>> train_features_, valid_features_;
  RunOptions run_;
  std::shared_ptr<model::LanguageModel> model_;
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::unique_ptr<corpus::Batcher> batcher_;
  model::State carried_;  // stream batching: the state handed from batch to batch
  MetricsLog metrics_;           // MODEL.metrics.jsonl (never holds half a line)
  bool metrics_failed_ = false;  // a line could not be written (said once)
  std::chrono::steady_clock::time_point started_;  // this process's start of training

  // Counters that a resume restores.
  int64_t step_ = 0;
  int64_t epochs_done_ = 0;
  int64_t epochs_since_best_ = 0;
  int64_t best_epoch_ = 0;
  int64_t tokens_seen_ = 0;
  EvalResult best_, last_valid_;
  bool has_best_ = false;
  std::string stop_reason_;

  // Distributed: what every rank wished before the last step (summed over
  // the ranks with its gradients), so that all stop and save at the same step.
  struct Wishes {
    bool interrupted = false, out_of_time = false, save_due = false;
  };
  Wishes wishes_;
};

}  // namespace tunesmith::train
