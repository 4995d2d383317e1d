// The generator: drives a language model step by step through the sampler
// chain (sampler.h) for a batch of tunes at once, each tune with its own
// chain (TuneChain: the grammar mask and the novelty guard are links).
//
//   Generator gen(model, rules, &guard);
//   Result<std::vector<SampledTune>> tunes = gen.Generate({.count = 10, .seed = 42});
//
// Without the grammar mask (GenerateOptions::grammar_mask = false, or a
// generator made from a vocabulary alone, as for a char model) the same loop
// samples the network alone: no mask, no guard, no key or range.
//
// Tune i draws from its own random generator seeded with seed + i, so the
// same model, settings and seed give the same tunes (docs/generate.md says
// when a tune can be made again on its own).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "generate/grammar_mask.h"
#include "generate/instrument.h"
#include "generate/key_choice.h"
#include "generate/novelty_guard.h"
#include "generate/permission_links.h"
#include "generate/sampler.h"
#include "model/language_model.h"

namespace tunesmith::generate {

struct GuardOptions {
  int max_bar_retries = 16;  // draws of one bar the guard blocked before the tune starts again
  int max_restarts = 4;      // fresh starts of one tune before the guard gives up on it (reported)
};

// The key each tune is written in, chosen once its header (meter, mode,
// rhythm) is drawn, and the instrument whose range its melody keeps to.
struct KeyPlan {
  std::optional<tokens::NoteName> tonic;   // every tune in this key (--key); else drawn from `table`
  const KeyTable* table = nullptr;         // the training tunes' keys by rhythm and mode; null: C
  std::optional<Instrument> instrument;    // keep the melody in its range, in the chosen key; none: no limit
};

// Where a Generate call's time went (filled when GenerateOptions::profile is
// set; the benchmark reads it): the network's steps, the rows' sampler
// chains (run in parallel), and the serial rest (snapshots' SaveRow,
// rollbacks, dropping finished rows).
struct GenerateProfile {
  int64_t steps = 0;      // calls of LanguageModel::Step
  int64_t row_steps = 0;  // rows summed over those calls (rolled-back draws included)
  double network_seconds = 0, rows_seconds = 0, serial_seconds = 0;
};

struct GenerateOptions {
  int count = 1;                   // tunes to sample
  uint64_t seed = 0;               // tune i draws from Rng(seed + i)
  SamplingOptions sampling;        // temperature, top-k, top-p
  std::vector<std::string> prime;  // body tokens fed (and kept) after the header
  int batch_size = 64;             // tunes stepped together through the model (1: the matrix-vector path)
  GuardOptions guard;
  KeyPlan keys;                    // the key of each tune, and the instrument's range
  // Candidates drawn for each tune; the one the model finds most likely
  // (mean log-probability per token, at temperature 1, before the mask) is
  // kept. Candidate 0 of tune i draws from Rng(seed + i), candidate j > 0
  // from CandidateSeed(seed + i, j), so a tune's own seed makes it again.
  int candidates = 1;
  // false: the network alone — no grammar mask and no novelty guard (no
  // mask link, no guard link; only <pad> <s> <unk> are never drawn), free
  // form, the key keys.tonic or C (no table, no instrument's range); no
  // prime. What eval's validity figures of the bare model measure.
  bool grammar_mask = true;
  // Without the mask: a tune that has not ended after this many tokens (<s>
  // not counted) stops there, unfinished. 0: DefaultMaxTokens(vocabulary).
  int max_tokens = 0;
  GenerateProfile* profile = nullptr;  // when set, the call adds its figures to it
};

// The chain a tune is drawn through: grammar mask -> novelty guard (when
// `guard` is not null) with `rules`, or the specials link alone without
// (rules null), then temperature -> top-k/top-p -> draw. A new link goes here.
SamplerChain TuneChain(const GrammarRules* rules, const NoveltyGuard* guard, const SamplingOptions& sampling);

// Sampling without the mask stops a tune after 1,500 tokens (4,000 for a char vocabulary).
int DefaultMaxTokens(const tokens::Vocabulary& vocab);

// The seed of candidate j (> 0) of the tune whose seed is `tune_seed`.
uint64_t CandidateSeed(uint64_t tune_seed, int j);

struct SampledTune {
  int index = 0;                    // 0 .. count-1
  uint64_t seed = 0;                // its own seed (options.seed + index), whichever candidate was kept
  std::vector<std::string> tokens;  // <s> ... </s>, in root C (without the mask: maybe no </s>, see finished)
  bool finished = false;            // it ended with </s> (always, with the mask)
  tokens::NoteName tonic;           // the key to write it in (KeyPlan)
  int steps = 0;                    // model steps spent on it, retries included
  int bar_retries = 0;              // bars drawn again because the guard blocked them
  int restarts = 0;                 // times it was started again after too many retries
  bool guard_gave_up = false;       // it kept a run longer than the threshold
  double log_prob = 0;              // sum of log p(token) the model gave its drawn tokens (T 1, no mask), nats
  int scored = 0;                   // tokens in log_prob (the drawn ones: not the forced header or prime)
  int candidates = 1;               // candidates drawn for it (GenerateOptions::candidates)
  int longest_guarded_run = 0;      // the longest shared run of bars the guard saw
};

class Generator {
 public:
  // `rules` and `guard` (may be null: no guard) must outlive the generator.
  Generator(std::shared_ptr<model::LanguageModel> model, std::shared_ptr<const GrammarRules> rules,
            const NoveltyGuard* guard);
  // Without grammar rules (a char model, or an abc-token model sampled
  // without the mask): only options with grammar_mask = false are accepted.
  Generator(std::shared_ptr<model::LanguageModel> model, tokens::Vocabulary vocab);

  // Samples options.count tunes. `progress`, if set, is called after each
  // finished tune with (finished, total). Fails when the prime does not fit
  // the grammar, when the mask is asked for without grammar rules or a
  // prime without the mask, and, naming the state, if the mask ever leaves
  // no token (a bug of the mask).
  Result<std::vector<SampledTune>> Generate(const GenerateOptions& options,
                                            const std::function<void(int, int)>& progress = {}) const;

 private:
  // One batch: tune indices[r] drawn from Rng(seeds[r]).
  Result<std::vector<SampledTune>> GenerateBatch(const GenerateOptions& options, const std::vector<int>& indices,
                                                 const std::vector<uint64_t>& seeds,
                                                 const std::function<void(int)>& finished) const;

  std::shared_ptr<model::LanguageModel> model_;
  std::shared_ptr<const GrammarRules> rules_;  // null: no mask possible
  const NoveltyGuard* guard_;
  std::shared_ptr<const tokens::Vocabulary> own_vocab_;  // the vocabulary given without rules
  const tokens::Vocabulary* vocab_;
};

}  // namespace tunesmith::generate
