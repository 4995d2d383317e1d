// Training on a corpus end to end, as `tunesmith train` does it: the preset
// (or MODEL.last's, when resuming), the vocabulary of its tokenizer, the
// encoded splits, the training loop, then the best model scored on the test
// split, the figures written into MODEL and its metrics log.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "corpus/corpus.h"

namespace tunesmith::train {

struct TrainCorpusOptions {
  std::string config = "default";  // preset name (configs/NAME.json) or JSON file
  int epochs = 0;                  // 0: the preset's
  std::string out;                 // MODEL path
  uint64_t seed = 1;               // initial weights, dropout and data order
  bool resume = false;             // continue from MODEL.last (an error when it does not exist)
  double max_minutes = 0;          // wall-clock budget; then MODEL.last is written (0: none)
  std::string device = "auto";     // auto (cuda when available), cpu, cuda, cuda:N
  // Data-parallel training in a group of processes (train/distributed.h):
  // where this one stands is read from RANK, WORLD_SIZE, LOCAL_RANK,
  // MASTER_ADDR and MASTER_PORT, as torchrun sets them.
  bool distributed = false;
  double distributed_timeout = 60;  // seconds a collective may wait for the other ranks before failing
  // Blobs of later stages carried in every checkpoint (the generator's novelty
  // index and key table: generate::ModelExtras).
  std::map<std::string, std::string> extras;
};

// Where preset names are looked for, in order: configs/ of the source tree
// the binary was built from, configs/ beside the binary and one folder up,
// then $TUNESMITH_CONFIGS.
std::vector<std::string> PresetDirs();

// What can be known wrong before the corpus is read, so that a command fails
// before any work: `out` empty, a folder, or in a missing or read-only folder
// (InvalidArgument, NotFound, IOError); `resume` without MODEL.last
// (NotFound); an unknown or bad preset when not resuming.
Status CheckTrainOptions(const TrainCorpusOptions& options);

// Trains on `corpus` and returns the run's summary as `train --json` prints
// it (model, stop_reason, steps, epochs, best_epoch, train_seconds,
// train_tok_s, threads, valid, test; distributed: world_size, rank,
// allreduce_ms_per_step). `say` gets the lines worth printing (distributed:
// only on rank 0, which alone scores the test split and writes files).
Result<nlohmann::json> TrainOnCorpus(const TrainCorpusOptions& options, const corpus::Corpus& corpus,
                                     const std::function<void(const std::string&)>& say);

}  // namespace tunesmith::train
