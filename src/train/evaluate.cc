#include "train/evaluate.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "corpus/batcher.h"

namespace tunesmith::train {

torch::Tensor FeatureTensor(const corpus::Batch& batch) {
  if (batch.C == 0) return torch::Tensor();
  std::vector<int64_t> wide(batch.features.begin(), batch.features.end());
  return torch::tensor(wide, torch::kLong).view({batch.T, batch.B, batch.C});
}

EvalResult Evaluate(model::LanguageModel& model, const std::vector<std::vector<int32_t>>& tunes, int batch_size,
                    const std::vector<std::vector<int32_t>>* features) {
  const int64_t P = static_cast<int64_t>(model.config().positions.size());
  if (P > 0 && !features) throw std::invalid_argument("Evaluate: this model reads musical positions; none were given");
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  const auto device = model.device();
  double total_nats = 0, tune_bits = 0;
  int64_t tokens = 0;
  for (const auto& batch : corpus::TuneBatches(tunes, batch_size, P > 0 ? features : nullptr)) {
    auto inputs = torch::tensor(batch.inputs, torch::kLong).view({batch.T, batch.B}).to(device);
    auto targets = torch::tensor(batch.targets, torch::kLong).view({batch.T, batch.B}).to(device);
    torch::Tensor positions = FeatureTensor(batch);
    if (positions.defined()) positions = positions.to(device);
    auto logits = model.forward(inputs, nullptr, positions);  // [T,B,V]
    auto mask = targets.ge(0);
    auto nll = -torch::log_softmax(logits.to(torch::kFloat), -1).gather(2, targets.clamp_min(0).unsqueeze(2)).squeeze(2);
    auto per_tune = (nll * mask).to(torch::kDouble).sum(0).cpu();  // [B] nats
    total_nats += per_tune.sum().item<double>();
    tune_bits += per_tune.sum().item<double>() / std::log(2.0);
    tokens += batch.tokens;
  }
  model.train(was_training);
  EvalResult r;
  r.tokens = tokens;
  r.tunes = static_cast<int64_t>(tunes.size());
  if (tokens > 0) {
    r.loss = total_nats / tokens;
    r.bits_per_token = r.loss / std::log(2.0);
    r.bits_per_tune = tune_bits / r.tunes;
  }
  return r;
}

std::vector<std::vector<float>> TokenBits(model::LanguageModel& model, const std::vector<std::vector<int32_t>>& tunes,
                                          int batch_size, const std::vector<std::vector<int32_t>>* features) {
  const bool positions = model.config().has_positions();
  if (positions && !features) throw std::invalid_argument("TokenBits: this model reads context columns; none were given");
  const bool was_training = model.is_training();
  model.eval();
  torch::NoGradGuard no_grad;
  const auto device = model.device();
  std::vector<std::vector<float>> out(tunes.size());
  for (const auto& batch : corpus::TuneBatches(tunes, batch_size, positions ? features : nullptr)) {
    auto inputs = torch::tensor(batch.inputs, torch::kLong).view({batch.T, batch.B}).to(device);
    auto targets = torch::tensor(batch.targets, torch::kLong).view({batch.T, batch.B}).to(device);
    torch::Tensor cols = FeatureTensor(batch);
    if (cols.defined()) cols = cols.to(device);
    auto logits = model.forward(inputs, nullptr, cols);
    auto bits = (-torch::log_softmax(logits.to(torch::kFloat), -1).gather(2, targets.clamp_min(0).unsqueeze(2)).squeeze(2) /
                 std::log(2.0))
                    .cpu()
                    .contiguous();  // [T,B]
    const float* data = bits.data_ptr<float>();
    for (int64_t j = 0; j < batch.B; ++j) {
      const auto& tune = tunes[batch.tune_of_row[j]];
      auto& row = out[batch.tune_of_row[j]];
      for (int64_t t = 0; t + 1 < static_cast<int64_t>(tune.size()); ++t) row.push_back(data[t * batch.B + j]);
    }
  }
  model.train(was_training);
  return out;
}

RepeatProbe ProbeRepeats(model::LanguageModel& model, const tokens::Vocabulary& vocab,
                         const std::vector<std::vector<int32_t>>& tunes, int batch_size,
                         const std::vector<std::vector<int32_t>>* features) {
  const std::vector<std::vector<float>> bits = TokenBits(model, tunes, batch_size, features);
  auto is_bar = [&](int32_t id) {
    const std::string& t = vocab.Token(id);
    return t == "|" || t == "||" || t == "|]" || t == "|:" || t == ":|" || t == "::";
  };
  auto is_chord = [&](int32_t id) { return vocab.Token(id).front() == '"'; };
  RepeatProbe p;
  double repeat_bits = 0, new_bits = 0, repeat_bar_bits = 0, new_bar_bits = 0;
  int64_t repeat_tokens = 0, new_tokens = 0, likely = 0;
  for (size_t i = 0; i < tunes.size(); ++i) {
    const auto& tune = tunes[i];
    std::vector<std::vector<int32_t>> seen;
    std::vector<int32_t> key;
    double bar_bits = 0;
    int64_t bar_tokens = 0;
    // Body tokens start after <s> M: K: R: (index 4); bits[i][t - 1] is token t's.
    for (size_t t = 4; t < tune.size(); ++t) {
      const int32_t id = tune[t];
      if (is_bar(id)) {
        if (!key.empty()) {
          const bool repeat = std::find(seen.begin(), seen.end(), key) != seen.end();
          (repeat ? repeat_bits : new_bits) += bar_bits;
          (repeat ? repeat_tokens : new_tokens) += bar_tokens;
          (repeat ? repeat_bar_bits : new_bar_bits) += bar_bits;
          (repeat ? p.repeat_bars : p.new_bars) += 1;
          if (repeat && bar_bits < 1.0) ++likely;
          seen.push_back(key);
        }
        key.clear();
        bar_bits = 0;
        bar_tokens = 0;
        continue;
      }
      if (id == tokens::kEosId || is_chord(id)) continue;
      key.push_back(id);
      bar_bits += bits[i][t - 1];
      ++bar_tokens;
    }
  }
  if (repeat_tokens > 0) p.repeat_bits_per_token = repeat_bits / repeat_tokens;
  if (new_tokens > 0) p.new_bits_per_token = new_bits / new_tokens;
  if (p.repeat_bars > 0) {
    p.repeat_bits_per_bar = repeat_bar_bits / p.repeat_bars;
    p.repeat_bar_likely = static_cast<double>(likely) / p.repeat_bars;
  }
  if (p.new_bars > 0) p.new_bits_per_bar = new_bar_bits / p.new_bars;
  return p;
}

}  // namespace tunesmith::train
