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

namespace {

// Every allowed token equally likely (logit 0), the rest out. False when none is allowed.
bool UniformOverAllowed(std::vector<float>& logits, const std::vector<uint8_t>& allowed) {
  bool any = false;
  for (size_t i = 0; i < logits.size() && i < allowed.size(); ++i) {
    logits[i] = allowed[i] ? 0.0f : kOut;
    any |= allowed[i] != 0;
  }
  return any;
}

}  // namespace

LinkVerdict TemperatureLink::Apply(Candidates& c, Rng&) const {
  ApplyTemperature(c.logits, temperature_);
  return LinkVerdict::kGo;
}

LinkVerdict TruncationLink::Apply(Candidates& c, Rng&) const {
  std::vector<float> fallback = c.logits;
  ApplyTopK(c.logits, top_k_);
  ApplyTopP(c.logits, top_p_);
  ApplyMask(c.logits, c.allowed);
  if (Argmax(c.logits) >= 0) return LinkVerdict::kGo;
  // The truncation kept only forbidden tokens: truncate the allowed ones.
  ApplyMask(fallback, c.allowed);
  if (Argmax(fallback) < 0 && !UniformOverAllowed(fallback, c.allowed)) return LinkVerdict::kNothingAllowed;
  ApplyTopK(fallback, top_k_);
  ApplyTopP(fallback, top_p_);
  c.logits.swap(fallback);
  return LinkVerdict::kGo;
}

LinkVerdict DrawLink::Apply(Candidates& c, Rng& rng) const {
  ApplyMask(c.logits, c.allowed);
  if (Argmax(c.logits) < 0 && !UniformOverAllowed(c.logits, c.allowed)) return LinkVerdict::kNothingAllowed;
  c.selected = greedy_ ? Argmax(c.logits) : Draw(c.logits, rng);
  return c.selected < 0 ? LinkVerdict::kNothingAllowed : LinkVerdict::kGo;
}

SamplerChain::SamplerChain(const SamplerChain& other) {
  for (const auto& l : other.links_) links_.push_back(l->Clone());
}

SamplerChain& SamplerChain::operator=(const SamplerChain& other) {
  if (this != &other) *this = SamplerChain(other);
  return *this;
}

SamplerChain& SamplerChain::Add(std::unique_ptr<SamplerLink> link) {
  links_.push_back(std::move(link));
  return *this;
}

SamplerChain& SamplerChain::AddSampling(const SamplingOptions& options) {
  Add(std::make_unique<TemperatureLink>(options.temperature));
  if (options.top_k > 0 || options.top_p < 1.0f) Add(std::make_unique<TruncationLink>(options.top_k, options.top_p));
  return Add(std::make_unique<DrawLink>(options.temperature <= 0.0f));
}

SamplerChain::Outcome SamplerChain::RunLinks(Candidates& c, Rng& rng) const {
  // NaN from a broken model must not win or lose at random: treat it as out.
  for (float& l : c.logits) {
    if (std::isnan(l)) l = kOut;
  }
  c.selected = -1;
  for (const auto& link : links_) {
    const LinkVerdict v = link->Apply(c, rng);
    if (v != LinkVerdict::kGo) return {-1, v, link.get()};
  }
  if (c.selected < 0) return {-1, LinkVerdict::kNothingAllowed, nullptr};
  return {c.selected, LinkVerdict::kGo, nullptr};
}

SamplerChain::Outcome SamplerChain::Run(std::span<const float> logits, Rng& rng, Candidates* scratch) const {
  Candidates local;
  Candidates& c = scratch ? *scratch : local;
  c.logits.assign(logits.begin(), logits.end());
  c.allowed.assign(logits.size(), 1);
  return RunLinks(c, rng);
}

int SamplerChain::Sample(std::span<const float> logits, std::span<const uint8_t> allowed, Rng& rng) const {
  Candidates c;
  c.logits.assign(logits.begin(), logits.end());
  c.allowed.assign(logits.size(), 0);
  std::copy_n(allowed.begin(), std::min(allowed.size(), logits.size()), c.allowed.begin());
  return RunLinks(c, rng).id;
}

Status SamplerChain::Accept(int32_t id) {
  for (auto& link : links_) {
    if (Status s = link->Accept(id); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace tunesmith::generate
