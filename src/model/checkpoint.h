// A checkpoint is one self-describing file: the model config, the vocabulary,
// the weights and, for resuming, the optimiser, the training state and the
// random generator; plus named extra blobs that other stages attach (the
// generator's novelty index). docs/checkpoint-format.md documents the bytes.
//
// Written atomically (a temporary file in the same folder, fsync, rename), so
// a crash leaves either the old file or the new one, never half of one.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "model/model_config.h"

namespace tunesmith::model {

inline constexpr char kCheckpointMagic[8] = {'T', 'U', 'N', 'E', 'S', 'M', 'T', 'H'};
// The version written; every version from kOldestCheckpointVersion up is read.
// Version 2 differs from 1 only in the checksum's FNV offset basis
// (docs/checkpoint-format.md).
inline constexpr uint32_t kCheckpointVersion = 2;
inline constexpr uint32_t kOldestCheckpointVersion = 1;
// ReadCheckpoint refuses larger files (and anything not a regular file)
// before reading them into memory.
inline constexpr uint64_t kMaxCheckpointBytes = uint64_t{16} << 30;

struct Checkpoint {
  ModelConfig model;                    // rebuilds the network
  std::string vocabulary;               // tokens::Vocabulary::Serialize() text
  std::string weights;                  // SerializeWeights() bytes
  std::string corpus_fingerprint;       // corpus::Corpus::Fingerprint() of the training corpus
  nlohmann::json train_config;          // the trainer's options (object; null when absent)
  nlohmann::json train_state;           // step, epoch, data position, best validation ... (object or null)
  std::string optimizer;                // LibTorch archive of the optimiser state; empty in a model-only file
  std::string rng;                      // state of LibTorch's CPU generator; empty when absent
  std::map<std::string, std::string> extras;  // named blobs of other stages, kept as they are
};

// Writes `checkpoint` to `path` atomically (base::WriteFileAtomically). On
// failure `path` is unchanged and the status is IOError (NotFound when the
// folder does not exist).
Status WriteCheckpoint(const std::string& path, const Checkpoint& checkpoint);

// Reads a checkpoint. A missing, foreign, truncated, damaged or newer-version
// file is an error whose message says what is wrong and what to do: NotFound
// (missing), IOError (unreadable), Corruption (foreign, truncated, damaged),
// NotSupported (another format version).
Result<Checkpoint> ReadCheckpoint(const std::string& path);

// The same two on bytes in memory (what the file holds).
std::string EncodeCheckpoint(const Checkpoint& checkpoint);
Result<Checkpoint> DecodeCheckpoint(std::string_view bytes, const std::string& name);

}  // namespace tunesmith::model
