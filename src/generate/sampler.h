// The sampler chain: one draw of one tune goes through a list of links
// (llama.cpp's sampler chain, where a grammar is one more link). Each link
// acts on the candidates of the draw — a logit per vocabulary entry (-inf: out)
// and a permission per entry — and links that follow the tune take every
// token (Accept) and copy with it (a snapshot to roll back to). The chain
// the generator builds for a tune (generator.h, TuneChain):
//
//   grammar mask -> novelty guard -> temperature -> top-k / top-p -> draw
//
// Permission links (grammar mask, novelty guard; without the mask, only the
// specials link) say which tokens may come: they clear `allowed` and leave
// the logits alone. Logit links (temperature, truncation) shape the model's
// distribution; truncation is taken over the model's distribution and then
// the permission applied, and only when that leaves nothing it is taken again
// over the allowed tokens alone (llama.cpp resamples the same way when its
// grammar rejects a draw), so a draw never fails while any token is allowed.
// The draw link picks the token. The numeric links below also exist as
// plain functions on float vectors, each usable alone.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

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

// The candidates of one draw, as the links hand them on.
struct Candidates {
  std::vector<float> logits;     // one per vocabulary entry; -inf: out (NaN from the model is made -inf)
  std::vector<uint8_t> allowed;  // 1: the token may come; permission links clear entries
  int32_t selected = -1;         // the draw link's choice
};

enum class LinkVerdict {
  kGo,              // on to the next link
  kNothingAllowed,  // no token may come (a bug of the mask, or nothing to draw)
  kBlocked,         // the novelty guard blocked every way on: roll the bar back (novelty_guard.h)
};

// One link of the chain. A link may hold the state of the tune it follows
// (the grammar mask does); a stateless link ignores Accept.
class SamplerLink {
 public:
  virtual ~SamplerLink() = default;
  // "temperature", "grammar mask" ...: names the link in messages.
  virtual const char* name() const = 0;
  // Acts on the candidates of the next draw; `rng` is the tune's own.
  virtual LinkVerdict Apply(Candidates& c, Rng& rng) const = 0;
  // The token the tune takes next (drawn, or forced by a prime or a
  // header). On error the link's state is unchanged.
  virtual Status Accept(int32_t /*id*/) { return Status::Ok(); }
  // A copy with the same state: a snapshot, or the start of another tune.
  virtual std::unique_ptr<SamplerLink> Clone() const = 0;
  // Where the link stands, for an error message ("body, bar 5 ...").
  virtual std::string Describe() const { return name(); }
};

// Divides the logits by the temperature (ApplyTemperature).
class TemperatureLink : public SamplerLink {
 public:
  explicit TemperatureLink(float temperature) : temperature_(temperature) {}
  const char* name() const override { return "temperature"; }
  LinkVerdict Apply(Candidates& c, Rng& rng) const override;
  std::unique_ptr<SamplerLink> Clone() const override { return std::make_unique<TemperatureLink>(*this); }

 private:
  float temperature_;
};

// Top-k then top-p over the model's distribution, then the permission;
// when that leaves nothing, top-k and top-p over the allowed tokens alone
// (all equally likely when every allowed logit is -inf). kNothingAllowed
// when no token is allowed.
class TruncationLink : public SamplerLink {
 public:
  TruncationLink(int top_k, float top_p) : top_k_(top_k), top_p_(top_p) {}
  const char* name() const override { return "top-k/top-p"; }
  LinkVerdict Apply(Candidates& c, Rng& rng) const override;
  std::unique_ptr<SamplerLink> Clone() const override { return std::make_unique<TruncationLink>(*this); }

 private:
  int top_k_;
  float top_p_;
};

// The last link: applies the permission (all allowed tokens equally likely
// when every one has logit -inf) and picks `selected`: the argmax when
// greedy, else one Draw with the tune's rng. kNothingAllowed when no token
// is allowed.
class DrawLink : public SamplerLink {
 public:
  explicit DrawLink(bool greedy) : greedy_(greedy) {}
  const char* name() const override { return "draw"; }
  LinkVerdict Apply(Candidates& c, Rng& rng) const override;
  std::unique_ptr<SamplerLink> Clone() const override { return std::make_unique<DrawLink>(*this); }

 private:
  bool greedy_;
};

class SamplerChain {
 public:
  SamplerChain() = default;
  // temperature -> top-k/top-p (when on) -> draw: AddSampling(options).
  explicit SamplerChain(SamplingOptions options) { AddSampling(options); }
  SamplerChain(const SamplerChain& other);  // clones every link, with its state
  SamplerChain& operator=(const SamplerChain& other);
  SamplerChain(SamplerChain&&) = default;
  SamplerChain& operator=(SamplerChain&&) = default;

  // Appends `link`; links run in the order they were added.
  SamplerChain& Add(std::unique_ptr<SamplerLink> link);
  // Appends temperature, top-k/top-p (when either is on) and the draw
  // (greedy when options.temperature <= 0).
  SamplerChain& AddSampling(const SamplingOptions& options);

  struct Outcome {
    int32_t id = -1;                          // the drawn token; -1 when a link stopped the draw
    LinkVerdict verdict = LinkVerdict::kGo;
    const SamplerLink* stopped_by = nullptr;  // the link that stopped it (null: the chain has no draw link)
  };
  // Runs every link over `logits` with everything allowed at the start.
  // `scratch` (may be null) saves allocations between draws. `logits` is
  // not changed; nor is any link's state (Accept the token to move on).
  Outcome Run(std::span<const float> logits, Rng& rng, Candidates* scratch = nullptr) const;
  // The same with the permission given from outside (`allowed[i]` == 0: out;
  // entries past its end are out): the drawn id, or -1 when nothing is allowed.
  int Sample(std::span<const float> logits, std::span<const uint8_t> allowed, Rng& rng) const;
  // Every link takes the token, in order; the first error stops (the links
  // before it have taken the token).
  Status Accept(int32_t id);

  size_t size() const { return links_.size(); }
  const SamplerLink& link(size_t i) const { return *links_[i]; }
  // The first link of type L; null when the chain has none.
  template <class L>
  L* Find() {
    for (auto& l : links_) {
      if (auto* found = dynamic_cast<L*>(l.get())) return found;
    }
    return nullptr;
  }
  template <class L>
  const L* Find() const {
    return const_cast<SamplerChain*>(this)->Find<L>();
  }

 private:
  Outcome RunLinks(Candidates& c, Rng& rng) const;

  std::vector<std::unique_ptr<SamplerLink>> links_;
};

}  // namespace tunesmith::generate
