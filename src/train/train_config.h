// A training preset (configs/NAME.json): the tokenizer, the network and the
// training settings, in one JSON object:
//   {"tokenizer": "abc-token", "model": {...ModelConfig...}, "train": {...TrainOptions...}}
// The same object is stored in every checkpoint, so a run can be resumed and
// a model rebuilt without the preset file.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "corpus/batcher.h"
#include "model/model_config.h"
#include "tokens/vocabulary.h"

namespace tunesmith::train {

enum class Schedule { kCosine, kConstant };

struct TrainOptions {
  // Data.
  corpus::BatchMode batching = corpus::BatchMode::kTunes;  // whole tunes, or a stream with truncated BPTT
  int batch_size = 32;        // B: tunes (or stream lanes) per step
  int seq_len = 64;           // stream batching: time steps per batch
  // Optimisation: AdamW with warm-up then cosine decay, gradient clipping.
  double lr = 2e-3;           // peak learning rate
  double min_lr_ratio = 0.05; // cosine ends at lr * this
  int warmup_steps = 100;     // linear warm-up from 0
  Schedule schedule = Schedule::kCosine;  // after warm-up: cosine decay over all planned steps, or constant
  double weight_decay = 0.01; // AdamW's decoupled weight decay
  double beta1 = 0.9;         // AdamW
  double beta2 = 0.999;       // AdamW
  double clip = 1.0;          // gradients rescaled to at most this global norm (0: off)
  // Length of the run.
  int epochs = 30;            // passes over the training split
  int patience = 5;           // stop after this many epochs without a better validation loss (0: never)
  // Book-keeping.
  int eval_batch_size = 32;   // tunes per validation batch
  int log_every = 50;         // steps between metrics-log lines (and progress lines when stderr is no TTY)
  double checkpoint_minutes = 2.0;  // MODEL.last is written every epoch and at least this often
};

struct TrainConfig {
  tokens::TokenizerKind tokenizer = tokens::TokenizerKind::kAbcToken;  // abc-token or char
  model::ModelConfig model;                                          // the network (vocab_size from the corpus)
  TrainOptions train;                                                // the loop
};

nlohmann::json TrainConfigToJson(const TrainConfig& config);
// Unknown keys and bad values are errors naming the key.
Result<TrainConfig> TrainConfigFromJson(const nlohmann::json& json);
// Reads a preset: `name_or_path` is a file, or NAME for configs/NAME.json,
// looked for in each of `config_dirs` in order.
Result<TrainConfig> LoadTrainConfig(const std::string& name_or_path, const std::vector<std::string>& config_dirs,
                                    std::string* resolved_path = nullptr);

}  // namespace tunesmith::train
