#include "model/weight_layout.h"

#include <cmath>
#include <cstring>
#include <set>

namespace tunesmith::model {
namespace {

constexpr uint8_t kFloat32 = 0;
constexpr uint8_t kInt64 = 1;

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace

Result<std::vector<TensorEntry>> ReadWeightTable(std::string_view bytes) {
  size_t at = 0;
  auto need = [&](size_t n) { return n <= bytes.size() - at; };
  auto get = [&](auto& v) {
    std::memcpy(&v, bytes.data() + at, sizeof(v));  // the supported hosts are little-endian
    at += sizeof(v);
  };
  if (!need(4)) return Status::Corruption("weights: truncated");
  uint32_t count;
  get(count);
  // Every tensor takes at least 4 bytes of header: a count beyond that is damage.
  if (count > bytes.size() / 4) return Status::Corruption("weights: " + std::to_string(count) + " tensors do not fit in " + std::to_string(bytes.size()) + " bytes");
  std::vector<TensorEntry> table;
  table.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TensorEntry e;
    uint16_t name_len;
    if (!need(2)) return Status::Corruption("weights: truncated");
    get(name_len);
    if (!need(size_t{name_len} + 2)) return Status::Corruption("weights: truncated");
    e.name.assign(bytes.substr(at, name_len));
    at += name_len;
    uint8_t dims;
    get(e.dtype);
    get(dims);
    if (e.dtype != kFloat32 && e.dtype != kInt64) return Status::Corruption("weights: tensor '" + e.name + "' has an unknown dtype code " + std::to_string(e.dtype));
    if (!need(8 * size_t{dims})) return Status::Corruption("weights: truncated in the shape of '" + e.name + "'");
    e.shape.resize(dims);
    const size_t element = e.dtype == kInt64 ? 8 : 4;
    size_t n = element;
    for (auto& d : e.shape) {
      get(d);
      if (d < 0) return Status::Corruption("weights: tensor '" + e.name + "' has a negative size");
      // The elements must fit in what is left of the bytes; stop before the product can overflow.
      if (d != 0 && n > (bytes.size() - at) / static_cast<size_t>(d) + 1) {
        return Status::Corruption("weights: tensor '" + e.name + "' of shape " + ShapeText(e.shape) + " is larger than the file");
      }
      n *= static_cast<size_t>(d);
    }
    if (!need(n)) return Status::Corruption("weights: truncated in '" + e.name + "'");
    e.offset = at;
    e.bytes = n;
    at += n;
    table.push_back(std::move(e));
  }
  if (at != bytes.size()) return Status::Corruption("weights: trailing bytes");
  return table;
}

int64_t ExpectedTensorCount(const ModelConfig& c) {
  const int64_t p = static_cast<int64_t>(c.positions.size());
  if (c.layers > (int64_t{1} << 40)) return -1;  // more than any file holds (and the products stay in range)
  if (c.type == ModelType::kLstm) return 1 + p + 3 * c.layers + 2;       // embedding, positions, layers, head
  return 2 + p + 12 * c.layers + 2 + 2;                                  // tokens+positions, features, blocks, ln_f, head
}

std::map<std::string, std::vector<int64_t>> ExpectedTensorShapes(const ModelConfig& c) {
  std::map<std::string, std::vector<int64_t>> s;
  const int64_t V = c.vocab_size, H = c.hidden;
  if (c.type == ModelType::kLstm) {
    const int64_t E = c.embedding;
    s["embedding.weight"] = {V, E};
    for (size_t i = 0; i < c.positions.size(); ++i) s["position" + std::to_string(i) + ".weight"] = {c.positions[i], E};
    for (int64_t l = 0; l < c.layers; ++l) {
      const std::string k = "lstm" + std::to_string(l) + ".";
      s[k + "w_ih"] = {4 * H, l == 0 ? E : H};
      s[k + "w_hh"] = {4 * H, H};
      s[k + "bias"] = {4 * H};
    }
  } else {
    s["tokens.weight"] = {V, H};
    s["positions.weight"] = {c.context, H};
    for (size_t i = 0; i < c.positions.size(); ++i) s["feature" + std::to_string(i) + ".weight"] = {c.positions[i], H};
    for (int64_t l = 0; l < c.layers; ++l) {
      const std::string k = "block" + std::to_string(l) + ".";
      for (const char* ln : {"ln1", "ln2"}) {
        s[k + ln + ".weight"] = {H};
        s[k + ln + ".bias"] = {H};
      }
      s[k + "qkv.weight"] = {3 * H, H};
      s[k + "qkv.bias"] = {3 * H};
      s[k + "proj.weight"] = {H, H};
      s[k + "proj.bias"] = {H};
      s[k + "fc.weight"] = {4 * H, H};
      s[k + "fc.bias"] = {4 * H};
      s[k + "fc_out.weight"] = {H, 4 * H};
      s[k + "fc_out.bias"] = {H};
    }
    s["ln_f.weight"] = {H};
    s["ln_f.bias"] = {H};
  }
  s["head.weight"] = {V, H};
  s["head.bias"] = {V};
  return s;
}

Status CheckWeightsFitConfig(const ModelConfig& config, std::string_view weights) {
  auto table = ReadWeightTable(weights);
  if (!table.ok()) return table.status();
  // A size larger than the bytes cannot match any tensor; checked first so
  // that the shapes below are computed without overflow.
  const int64_t limit = static_cast<int64_t>(weights.size());
  const bool transformer = config.type == ModelType::kTransformer;
  if (config.vocab_size > limit || config.embedding > limit || config.hidden > limit ||
      (transformer && config.context > limit)) {
    return Status::Corruption("the model config's sizes (vocab_size " + std::to_string(config.vocab_size) +
                              ", embedding " + std::to_string(config.embedding) + ", hidden " +
                              std::to_string(config.hidden) + (transformer ? ", context " + std::to_string(config.context) : "") +
                              ") are larger than its " + std::to_string(weights.size()) + " bytes of weights");
  }
  const int64_t expected = ExpectedTensorCount(config);
  if (expected != static_cast<int64_t>(table->size())) {
    return Status::Corruption("the model config (" + std::string(ModelTypeName(config.type)) + ", " +
                              std::to_string(config.layers) + " layers) needs " +
                              (expected < 0 ? std::string("over a trillion") : std::to_string(expected)) +
                              " tensors, the weights hold " + std::to_string(table->size()) +
                              " (config and weights disagree)");
  }
  // Same count, each name expected and none twice: the same set of tensors.
  const auto shapes = ExpectedTensorShapes(config);
  std::set<std::string_view> seen;
  for (const TensorEntry& e : *table) {
    auto it = shapes.find(e.name);
    if (it == shapes.end()) return Status::Corruption("weights: the model config has no tensor '" + e.name + "'");
    if (!seen.insert(e.name).second) return Status::Corruption("weights: tensor '" + e.name + "' appears twice");
    if (it->second != e.shape) {
      return Status::Corruption("weights: tensor '" + e.name + "' has shape " + ShapeText(e.shape) +
                                " in the file, " + ShapeText(it->second) + " by the model config");
    }
    if (e.dtype != kFloat32) continue;
    const char* p = weights.data() + e.offset;
    for (size_t i = 0; i < e.bytes / 4; ++i) {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      if (!std::isfinite(v)) {
        return Status::Corruption("weights: tensor '" + e.name + "' holds " + (std::isnan(v) ? "NaN" : "an infinite value") +
                                  " at element " + std::to_string(i) + " (a diverged or damaged model)");
      }
    }
  }
  return Status::Ok();
}

}  // namespace tunesmith::model
