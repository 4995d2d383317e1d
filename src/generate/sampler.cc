#include "generate/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tunesmith::generate {
namespace {

constexpr float kOut = -std::numeric_limits<float>::infinity();

bool In(float logit) { return std::isfinite(logit); }

}  // namespace

void ApplyTemperature(std::span<float> logits, float temperature) {
  if (temperature <= 0.0f || temperature == 1.0f) return;
  const float inv = 1.0f / temperature;
  for (float& l : logits) {
    if (In(l)) l *= inv;
  }
}

void ApplyTopK(std::span<float> logits, int k) {
  if (k <= 0) return;
  std::vector<int> ids;
  ids.reserve(logits.size());
  for (size_t i = 0; i < logits.size(); ++i) {
    if (In(logits[i])) ids.push_back(static_cast<int>(i));
  }
  if (static_cast<size_t>(k) >= ids.size()) return;
  // Larger logit first, lower id first among equals: a strict order, so the
  // same k ids survive whatever the sort's internals.
  auto before = [&](int a, int b) { return logits[a] != logits[b] ? logits[a] > logits[b] : a < b; };
  std::nth_element(ids.begin(), ids.begin() + k, ids.end(), before);
  for (size_t j = k; j < ids.size(); ++j) logits[ids[j]] = kOut;
}

void ApplyTopP(std::span<float> logits, float p) {
  if (p >= 1.0f) return;
  std::vector<int> ids;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (In(logits[i])) ids.push_back(static_cast<int>(i));
  }
  if (ids.size() <= 1) return;
  std::sort(ids.begin(), ids.end(),
            [&](int a, int b) { return logits[a] != logits[b] ? logits[a] > logits[b] : a < b; });
  const double top = logits[ids[0]];
  std::vector<double> w(ids.size());
  double total = 0;
  for (size_t j = 0; j < ids.size(); ++j) total += w[j] = std::exp(logits[ids[j]] - top);
  double kept = 0;
  size_t keep = 0;
  while (keep < ids.size()) {
    kept += w[keep++];
    if (kept >= p * total) break;
  }
  for (size_t j = keep; j < ids.size(); ++j) logits[ids[j]] = kOut;
}

void ApplyMask(std::span<float> logits, std::span<const uint8_t> allowed) {
  const size_t n = std::min(logits.size(), allowed.size());
  for (size_t i = 0; i < n; ++i) {
    if (!allowed[i]) logits[i] = kOut;
  }
  for (size_t i = n; i < logits.size(); ++i) logits[i] = kOut;
}

int Argmax(std::span<const float> logits) {
  int best = -1;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (In(logits[i]) && (best < 0 || logits[i] > logits[best])) best = static_cast<int>(i);
  }
  return best;
}

int Draw(std::span<const float> logits, Rng& rng) {
  const int best = Argmax(logits);
  if (best < 0) return -1;
  const double top = logits[best];
  double total = 0;
  for (float l : logits) {
    if (In(l)) total += std::exp(static_cast<double>(l) - top);
  }
  const double target = rng.Uniform() * total;
  double cumulative = 0;
  int last = best;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (!In(logits[i])) continue;
    cumulative += std::exp(static_cast<double>(logits[i]) - top);
    last = static_cast<int>(i);
    if (target < cumulative) return last;
  }
  return last;  // rounding: the target fell on the total
}

void SamplerChain::Truncate(std::span<float> logits) const {
  ApplyTopK(logits, options_.top_k);
  ApplyTopP(logits, options_.top_p);
}

int SamplerChain::Sample(std::span<const float> logits, std::span<const uint8_t> allowed, Rng& rng) const {
  scratch_.assign(logits.begin(), logits.end());
  // NaN from a broken model must not win or lose at random: treat it as out.
  for (float& l : scratch_) {
    if (std::isnan(l)) l = kOut;
  }
  const bool greedy = options_.temperature <= 0.0f;
  ApplyTemperature(scratch_, options_.temperature);
  fallback_ = scratch_;
  Truncate(scratch_);
  ApplyMask(scratch_, allowed);
  if (Argmax(scratch_) < 0) {
    // The truncation kept only forbidden tokens: truncate the allowed ones.
    ApplyMask(fallback_, allowed);
    if (Argmax(fallback_) < 0) {
      // Every allowed token has logit -inf (or NaN): draw uniformly among them.
      bool any = false;
      for (size_t i = 0; i < fallback_.size() && i < allowed.size(); ++i) {
        fallback_[i] = allowed[i] ? 0.0f : kOut;
        any |= allowed[i] != 0;
      }
      if (!any) return -1;
    }
    Truncate(fallback_);
    scratch_.swap(fallback_);
  }
  return greedy ? Argmax(scratch_) : Draw(scratch_, rng);
}

}  // namespace tunesmith::generate
