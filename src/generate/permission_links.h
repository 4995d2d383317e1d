// The links of the sampler chain (sampler.h) that say which tokens may come
// next, each following one tune: the grammar mask (grammar_mask.h), the
// novelty guard (novelty_guard.h) and, for sampling without the mask, the
// specials. They clear Candidates::allowed and leave the logits alone.
#pragma once

#include <memory>
#include <string>

#include "generate/grammar_mask.h"
#include "generate/novelty_guard.h"
#include "generate/sampler.h"

namespace tunesmith::generate {

// Never <pad>, <s> or <unk>: the tokens that do not follow in any tune. The
// only permission of sampling without the grammar mask (the network alone).
class SpecialsLink : public SamplerLink {
 public:
  const char* name() const override { return "specials"; }
  LinkVerdict Apply(Candidates& c, Rng& rng) const override;
  std::unique_ptr<SamplerLink> Clone() const override { return std::make_unique<SpecialsLink>(*this); }
};

// The grammar mask: only the tokens after which the tune can still be
// finished well-formed. Holds the tune's GrammarState (from after <s>);
// `rules` must outlive the link. kNothingAllowed would be a bug of the mask.
class GrammarMaskLink : public SamplerLink {
 public:
  explicit GrammarMaskLink(const GrammarRules* rules) : state_(rules) {}
  const char* name() const override { return "grammar mask"; }
  LinkVerdict Apply(Candidates& c, Rng& rng) const override;
  Status Accept(int32_t id) override { return state_.Accept(id); }
  std::unique_ptr<SamplerLink> Clone() const override { return std::make_unique<GrammarMaskLink>(*this); }
  std::string Describe() const override { return state_.Describe(); }

  // The tune's grammar state (the generator reads where the tune is, and
  // closes the prime or sets the instrument's range on it).
  GrammarState& state() { return state_; }
  const GrammarState& state() const { return state_; }

 private:
  GrammarState state_;
};

// The novelty guard: forbids the bar line that would make the run of bars
// shared with one training tune longer than the threshold (NoveltyGuard::
// Filter). kBlocked when that leaves nothing: the generator then rolls the
// bar back. `guard` and `rules` (for the bar tokens) must outlive the link.
class NoveltyGuardLink : public SamplerLink {
 public:
  NoveltyGuardLink(const NoveltyGuard* guard, const GrammarRules* rules);
  const char* name() const override { return "novelty guard"; }
  LinkVerdict Apply(Candidates& c, Rng& rng) const override;
  Status Accept(int32_t id) override;
  std::unique_ptr<SamplerLink> Clone() const override { return std::make_unique<NoveltyGuardLink>(*this); }

  // From now on the link follows the tune but blocks nothing (the guard gave up on it).
  void StopBlocking() { blocking_ = false; }
  const NoveltyGuard::Tracker& tracker() const { return tracker_; }

 private:
  const NoveltyGuard* guard_;
  const GrammarRules* rules_;
  NoveltyGuard::Tracker tracker_;
  bool blocking_ = true;
};

}  // namespace tunesmith::generate
