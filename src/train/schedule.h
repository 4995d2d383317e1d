// The learning rate at each step: linear warm-up, then cosine decay to
// lr * min_lr_ratio at the last planned step (or constant). No LibTorch here.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "train/train_config.h"

namespace tunesmith::train {

inline double LearningRate(const TrainOptions& o, int64_t step, int64_t total_steps) {
  if (o.warmup_steps > 0 && step < o.warmup_steps) return o.lr * static_cast<double>(step + 1) / o.warmup_steps;
  if (o.schedule == Schedule::kConstant) return o.lr;
  const double span = std::max<int64_t>(1, total_steps - o.warmup_steps);
  const double progress = std::clamp((step - o.warmup_steps) / span, 0.0, 1.0);
  return o.lr * (o.min_lr_ratio + (1 - o.min_lr_ratio) * 0.5 * (1 + std::cos(M_PI * progress)));
}

}  // namespace tunesmith::train
