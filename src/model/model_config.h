// ModelConfig: what it takes to rebuild a network, stored as JSON in every
// checkpoint and in the presets under configs/ (the "model" object).
// Free of LibTorch so that light code can read a checkpoint's config.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/status.h"

namespace tunesmith::model {

enum class ModelType { kLstm, kTransformer };
const char* ModelTypeName(ModelType t);  // "lstm", "transformer"

struct ModelConfig {
  ModelType type = ModelType::kLstm;  // the network: LSTM (the project's model) or a small causal transformer
  int64_t vocab_size = 0;             // output classes; set from the vocabulary, not from presets
  int64_t embedding = 256;            // width of the token embedding
  int64_t hidden = 256;               // LSTM units per layer, or the transformer's model width
  int64_t layers = 2;                 // stacked LSTM (or transformer) layers
  double dropout = 0.2;               // dropout on every layer's output, training only
  int64_t heads = 4;                  // transformer only: attention heads
  int64_t context = 1024;             // transformer only: longest sequence (learned positions)
  // Context columns read beside each token (tokens/position.h: beat, bar in
  // part, bars left, part, and the look-backs): the number of values of
  // each, one embedding table each, added to the token's embedding. Empty:
  // none. A 0 in a preset is a look-back column, sized from the vocabulary.
  std::vector<int64_t> positions;

  bool has_positions() const { return !positions.empty(); }

  // 6 x weights touched per token: the FLOPs of one training token (forward + backward).
  double TrainFlopsPerToken() const;
};

// JSON object with the fields above; unknown keys are an error (a typo in a
// preset must not pass silently). Missing keys keep their defaults.
nlohmann::json ModelConfigToJson(const ModelConfig& config);
Result<ModelConfig> ModelConfigFromJson(const nlohmann::json& json);

}  // namespace tunesmith::model
