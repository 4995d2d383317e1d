#include "model/model_config.h"

#include <nlohmann/json.hpp>

namespace tunesmith::model {

const char* ModelTypeName(ModelType t) { return t == ModelType::kLstm ? "lstm" : "transformer"; }

double ModelConfig::TrainFlopsPerToken() const {
  double weights = 0;
  if (type == ModelType::kLstm) {
    for (int64_t l = 0; l < layers; ++l) {
      const double in = l == 0 ? embedding : hidden;
      weights += 4.0 * hidden * (in + hidden);
    }
  } else {
    weights += layers * 12.0 * hidden * hidden;  // attention (4 d^2) + MLP (8 d^2)
  }
  weights += static_cast<double>(hidden) * vocab_size;
  return 6.0 * weights;
}

nlohmann::json ModelConfigToJson(const ModelConfig& c) {
  nlohmann::json j = {{"type", ModelTypeName(c.type)}, {"vocab_size", c.vocab_size}, {"embedding", c.embedding},
                      {"hidden", c.hidden},            {"layers", c.layers},         {"dropout", c.dropout},
                      {"heads", c.heads},              {"context", c.context}};
  if (c.has_positions()) j["positions"] = c.positions;  // older models have none
  return j;
}

Result<ModelConfig> ModelConfigFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::InvalidArgument("model config: expected a JSON object");
  ModelConfig c;
  try {
    for (const auto& [key, value] : j.items()) {
      if (key == "type") {
        const std::string t = value.get<std::string>();
        if (t == "lstm") {
          c.type = ModelType::kLstm;
        } else if (t == "transformer") {
          c.type = ModelType::kTransformer;
        } else {
          return Status::InvalidArgument("model config: type '" + t + "' is not one of: lstm, transformer");
        }
      } else if (key == "vocab_size") {
        c.vocab_size = value.get<int64_t>();
      } else if (key == "embedding") {
        c.embedding = value.get<int64_t>();
      } else if (key == "hidden") {
        c.hidden = value.get<int64_t>();
      } else if (key == "layers") {
        c.layers = value.get<int64_t>();
      } else if (key == "dropout") {
        c.dropout = value.get<double>();
      } else if (key == "heads") {
        c.heads = value.get<int64_t>();
      } else if (key == "context") {
        c.context = value.get<int64_t>();
      } else if (key == "positions") {
        c.positions = value.get<std::vector<int64_t>>();
        for (int64_t n : c.positions) {
          // 0: a look-back column whose size (the vocabulary's + 1) is set when the vocabulary is known.
          if (n < 0 || n > 65536) return Status::InvalidArgument("model config: every positions size must be in 0..65536");
        }
      } else {
        return Status::InvalidArgument("model config: unknown key '" + key +
                             "' (known: type, vocab_size, embedding, hidden, layers, dropout, heads, context, positions)");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("model config: ") + e.what());
  }
  if (c.embedding <= 0 || c.hidden <= 0 || c.layers <= 0 || c.vocab_size < 0)
    return Status::InvalidArgument("model config: embedding, hidden and layers must be positive");
  if (c.dropout < 0 || c.dropout >= 1) return Status::InvalidArgument("model config: dropout must be in [0, 1)");
  if (c.type == ModelType::kTransformer && (c.heads <= 0 || c.hidden % c.heads != 0))
    return Status::InvalidArgument("model config: transformer hidden must be a multiple of heads");
  return c;
}

}  // namespace tunesmith::model
