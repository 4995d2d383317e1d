// The sampler chain's numeric links, on plain float vectors (one logit per
// vocabulary entry, -inf for a token that is out), each usable alone:
//
//   logits -> temperature -> top-k / top-p -> grammar mask -> novelty guard -> draw
//
// The grammar mask and the novelty guard decide *which* tokens may come
// (grammar_mask.h, novelty_guard.h); they reach the chain as an `allowed`
// byte per token. SamplerChain ties the links together (llama.cpp's sampler
// chain, where the grammar is one more link).
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace tunesmith::generate {

// A seeded random source whose draws are the same on every platform:
// std::mt19937_64's output is specified by the standard, and Uniform() is
// built from it by hand (std::uniform_real_distribution is not portable).
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // A double in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  uint64_t Next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// Divides every logit by `temperature` (> 0). A temperature <= 0 means
// greedy decoding: the chain then takes the argmax and this link is a no-op.
void ApplyTemperature(std::span<float> logits, float temperature);

// Keeps the k largest logits (ties at the boundary: the lower ids) and sets
// the others to -inf. k <= 0, or k >= the number of finite logits, keeps all.
void ApplyTopK(std::span<float> logits, int k);

// Nucleus sampling: keeps the smallest set of most probable tokens whose
// probabilities (softmax of the finite logits) add up to at least p, and sets
// the others to -inf. p >= 1 keeps all; the most probable token is always kept.
void ApplyTopP(std::span<float> logits, float p);

// Sets the logit of every token with allowed[i] == 0 to -inf.
void ApplyMask(std::span<float> logits, std::span<const uint8_t> allowed);

// Draws one token from the softmax of the finite logits with one uniform
// number from `rng`. Returns -1 when no logit is finite (nothing to draw).
int Draw(std::span<const float> logits, Rng& rng);

// The id of the largest finite logit (ties: the lower id); -1 if none is finite.
int Argmax(std::span<const float> logits);

struct SamplingOptions {
  float temperature = 1.0f;  // softmax temperature; <= 0 means greedy (argmax)
  int top_k = 0;             // keep the k most likely tokens; 0 = off
  float top_p = 1.0f;        // keep the smallest set with this much probability; 1 = off
};

// The chain for one draw. The truncation links (top-k, top-p) act on the
// model's distribution as the chain's order says; when they leave only
// tokens the grammar (and guard) forbid, the truncation is taken again over
// the allowed tokens alone (llama.cpp resamples the same way when its grammar
// rejects a draw), so a draw never fails while any token is allowed.
class SamplerChain {
 public:
  explicit SamplerChain(SamplingOptions options = {}) : options_(options) {}
  const SamplingOptions& options() const { return options_; }

  // The drawn token id, or -1 when `allowed` allows nothing (the caller's
  // bug or a blocked bar; see novelty_guard.h). `logits` is not changed.
  int Sample(std::span<const float> logits, std::span<const uint8_t> allowed, Rng& rng) const;

 private:
  void Truncate(std::span<float> logits) const;

  SamplingOptions options_;
  mutable std::vector<float> scratch_;
  mutable std::vector<float> fallback_;
};

}  // namespace tunesmith::generate
