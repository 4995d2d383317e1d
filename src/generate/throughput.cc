#include "generate/throughput.h"

#include <chrono>
#include <span>
#include <vector>

#include <torch/torch.h>

#include "generate/sampler.h"
#include "tokens/vocabulary.h"

namespace tunesmith::generate {

ModelDrawSpeed MeasureModelAndDraw(model::LanguageModel& model, int64_t batch, int steps) {
  torch::NoGradGuard no_grad;
  std::vector<int64_t> ids(batch, tokens::kBosId);
  model::State state = model.InitialState(batch);
  const int64_t V = model.config().vocab_size;
  torch::Tensor positions;
  if (model.config().has_positions()) {
    positions = torch::zeros({batch, static_cast<int64_t>(model.config().positions.size())}, torch::kInt64);
  }
  auto run = [&](int n, uint64_t seed) {
    Rng rng(seed);
    for (int s = 0; s < n; ++s) {
      torch::Tensor logits = model.Step(torch::from_blob(ids.data(), {batch}, torch::kInt64), &state, positions).contiguous();
      const float* data = logits.data_ptr<float>();
      for (int64_t b = 0; b < batch; ++b) ids[b] = Draw(std::span<const float>(data + b * V, V), rng);
    }
  };
  run(20, 1);
  const auto start = std::chrono::steady_clock::now();
  run(steps, 7);
  ModelDrawSpeed speed;
  speed.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  speed.tokens_per_second = speed.seconds > 0 ? static_cast<double>(steps) * static_cast<double>(batch) / speed.seconds : 0;
  return speed;
}

}  // namespace tunesmith::generate
