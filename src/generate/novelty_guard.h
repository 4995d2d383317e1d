// The novelty guard: the sampler chain's link that keeps generated tunes from
// copying training tunes. It follows each tune bar by bar through the novelty
// index (corpus/novelty_index.h, docs/novelty.md) and, when closing the
// current bar would make the run of consecutive bars shared with one
// training tune longer than the threshold, forbids the bar line: the bar must
// go on differently, or (when only a bar line may come) the sampler rolls the
// bar back and draws it again (generator.h).
//
// The index travels inside the checkpoint, as the extra blob kNoveltyExtraKey
// (titles and hashes, no tune text), so the guard works without the corpus.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "corpus/corpus.h"
#include "corpus/novelty_index.h"
#include "generate/grammar_mask.h"

namespace tunesmith::generate {

// The checkpoint extras key under which the training split's novelty index is stored.
inline constexpr char kNoveltyExtraKey[] = "novelty-index";

// The novelty index of `corpus`'s train split, serialised with its note
// windows: the blob `train` stores as checkpoint.extras[kNoveltyExtraKey].
std::string NoveltyBlobFor(const corpus::Corpus& corpus);

// The guard's default threshold, measured on real unseen tunes
// (docs/novelty.md): at most 3 consecutive bars shared with a training tune.
inline constexpr int kDefaultNoveltyThreshold = 3;

// The index from a checkpoint's extras: nullopt when it holds none, an error
// when the blob is damaged.
Result<std::optional<corpus::NoveltyIndex>> NoveltyIndexFromExtras(const std::map<std::string, std::string>& extras);

class NoveltyGuard {
 public:
  // `index` may be null: the guard then never blocks and reports nothing.
  // `threshold`: the longest run of shared bars allowed (>= 1).
  NoveltyGuard(std::shared_ptr<const corpus::NoveltyIndex> index, int threshold)
      : index_(std::move(index)), threshold_(threshold) {}

  const corpus::NoveltyIndex* index() const { return index_.get(); }
  int threshold() const { return threshold_; }

  // One tune's view: its bar hashes so far and the shared run at its end.
  // A plain value: copy it to roll back.
  class Tracker {
   public:
    explicit Tracker(const corpus::NoveltyIndex* index) : matcher_(index ? *index : Empty()), has_index_(index) {}
    // Feeds every token of the tune, <s> and the header included.
    void Push(const std::string& token);
    // The run of shared bars that closing the current bar now would end with (0 without an index).
    int RunIfClosed() const;
    const corpus::SharedRun& longest() const { return matcher_.longest(); }

   private:
    static const corpus::NoveltyIndex& Empty();
    corpus::BarHasher hasher_;
    corpus::BarRunMatcher matcher_;
    bool has_index_;
  };
  Tracker Start() const { return Tracker(index_.get()); }

  // The link: clears allowed[id] for every bar token when closing the bar now
  // would exceed the threshold. Returns true when it cleared something.
  bool Filter(const Tracker& tracker, const GrammarRules& rules, std::vector<uint8_t>* allowed) const;

 private:
  std::shared_ptr<const corpus::NoveltyIndex> index_;
  int threshold_;
};

}  // namespace tunesmith::generate
