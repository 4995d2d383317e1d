// libFuzzer target for the checkpoint loader (scripts/fuzz.sh checkpoint_fuzz
// SECONDS): any bytes as a model file, through DecodeCheckpoint and then
// model::LoadModel (the vocabulary, the network the config describes, the
// weights), which must answer with a Status, never crash or run away.
//
// A random checksum is almost never right, so each input is tried twice: as
// it is, and with its last 8 bytes replaced by the checksum of the rest (the
// FNV-1a variant checkpoint.cc computes), which lets the fuzzer reach the
// sections behind the checksum.
//
// Our code (checkpoint.cc, model_config.cc, weights.cc, load_model.cc and the
// ts_tokens/ts_abc/ts_base copies) is instrumented; LibTorch and the networks
// (lstm_lm.cc ...) are not.
//
// Seeds: with TUNESMITH_FUZZ_SEEDS_FROM=DIR (ABC files) and
// TUNESMITH_FUZZ_SEEDS_TO=DIR, the binary writes small checkpoints there (an
// LSTM, one with position columns, a transformer, a char model; vocabularies
// from those tunes) and exits.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "model/checkpoint.h"
#include "model/checkpoint_fuzz_seeds.h"
#include "model/load_model.h"
#include "model/weights.h"
#include "tokens/vocabulary.h"

namespace {

using namespace tunesmith;

// As checkpoint.cc computes it (docs/checkpoint-format.md).
uint64_t Checksum(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

std::string ScratchPath() {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("checkpoint_fuzz." + std::to_string(getpid()) + ".ckpt")).string();
  return path;
}

void WriteBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::cerr << "checkpoint_fuzz: cannot write " << path << "\n";
    std::exit(1);
  }
}

void WriteModel(const std::filesystem::path& path, model::ModelConfig config, const tokens::Vocabulary& vocab) {
  config.vocab_size = vocab.size();
  auto net = model::MakeModel(config);
  if (!net.ok()) {
    std::cerr << "checkpoint_fuzz: " << net.status().ToString() << "\n";
    std::exit(1);
  }
  model::Checkpoint c;
  c.model = config;
  c.vocabulary = vocab.Serialize();
  c.weights = model::SerializeWeights(**net);
  c.corpus_fingerprint = "fuzz-seed";
  c.train_state = {{"step", 1}, {"epoch", 0}};
  c.extras["note"] = "seed";
  WriteBytes(path.string(), model::EncodeCheckpoint(c));
}

void WriteSeeds(const char* from, const char* to) {
  namespace fs = std::filesystem;
  model::fuzz::SeedTokens seed_tokens = model::fuzz::TokensOfTunes(from);
  const tokens::Vocabulary abc_vocab(tokens::TokenizerKind::kAbcToken, seed_tokens.abc_tokens);
  const tokens::Vocabulary char_vocab(tokens::TokenizerKind::kChar, seed_tokens.chars);
  model::ModelConfig lstm;
  lstm.embedding = 3;
  lstm.hidden = 4;
  lstm.layers = 1;
  lstm.dropout = 0;
  WriteModel(fs::path(to) / "lstm.ckpt", lstm, abc_vocab);
  WriteModel(fs::path(to) / "char-lstm.ckpt", lstm, char_vocab);
  model::ModelConfig positions = lstm;
  positions.layers = 2;
  positions.positions = {4, 3};
  WriteModel(fs::path(to) / "lstm-positions.ckpt", positions, abc_vocab);
  model::ModelConfig transformer;
  transformer.type = model::ModelType::kTransformer;
  transformer.embedding = 4;
  transformer.hidden = 4;
  transformer.heads = 2;
  transformer.layers = 1;
  transformer.context = 8;
  transformer.dropout = 0;
  WriteModel(fs::path(to) / "transformer.ckpt", transformer, abc_vocab);
  std::cerr << "checkpoint_fuzz: wrote 4 seeds to " << to << " (vocabularies of " << abc_vocab.size() << " and "
            << char_vocab.size() << " tokens)\n";
  std::exit(0);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* from = std::getenv("TUNESMITH_FUZZ_SEEDS_FROM");
  const char* to = std::getenv("TUNESMITH_FUZZ_SEEDS_TO");
  if (from && to) WriteSeeds(from, to);
  // The path is built before the handler is registered, so that it is
  // destroyed after the handler runs (a use after free otherwise).
  (void)ScratchPath();
  std::atexit([] { std::filesystem::remove(ScratchPath()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  (void)model::DecodeCheckpoint(bytes, "fuzz.ckpt");
  if (bytes.size() < 24) return 0;
  const uint64_t sum = Checksum(std::string_view(bytes).substr(0, bytes.size() - 8));
  for (size_t i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<char>((sum >> (8 * i)) & 0xff);
  // The real front door (a path), so that what LoadModel checks is what is fuzzed.
  WriteBytes(ScratchPath(), bytes);
  auto loaded = model::LoadModel(ScratchPath());
  if (loaded.ok() && loaded->vocabulary.size() != loaded->model->config().vocab_size) {
    std::cerr << "checkpoint_fuzz: LoadModel accepted a vocabulary that does not fit the model\n";
    std::abort();
  }
  return 0;
}
