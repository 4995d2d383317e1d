// Training throughput on synthetic batches: what tunesmith-bench and
// bench/train_bench report as train_tok_s, next to the same network built on
// torch::nn::LSTM and the Python peer (bench/train_peer.py) on the same batches.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model_config.h"

namespace tunesmith::train {

enum class LstmImpl { kFused, kNnLstm };

struct ThroughputOptions {
  model::ModelConfig model;         // the network (an LSTM; vocab_size set)
  LstmImpl impl = LstmImpl::kFused;  // tunesmith's fused layer, or torch::nn::LSTM (the reference)
  int T = 64;                       // time steps per batch
  int B = 64;                       // rows per batch
  int warmup = 3;                   // untimed steps first
  int steps = 20;                   // timed steps
  double lr = 1e-3;                 // AdamW
};

struct ThroughputResult {
  double tokens_per_second = 0;
  double gflop_per_second = 0;  // ModelConfig::TrainFlopsPerToken() x tokens/s
  double seconds = 0;           // of the timed steps
};

// (warmup + steps) batches of T+1 x B random ids in [4, vocab), row-major
// [batch][t][b]: inputs are t < T, targets t >= 1. Deterministic in `seed`.
std::vector<int64_t> MakeBenchBatches(int64_t vocab, int T, int B, int count, uint64_t seed);

// Trains (forward, loss, backward, clip 1.0, AdamW step) on `batches` with the
// current LibTorch thread count, and times the steps after the warm-up.
ThroughputResult MeasureTrainThroughput(const ThroughputOptions& options, const std::vector<int64_t>& batches);

}  // namespace tunesmith::train
