#include "train/evaluate.h"

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

}  // namespace tunesmith::train
