// The tunes `tunesmith eval` judges: sampled from a loaded model the way a
// user gets them. An abc-token model goes through generate::Generator (the
// sampler chain with the grammar mask and, optionally, the novelty guard);
// a char model (the seed baseline), or a token model with the mask turned
// off, is sampled plainly: temperature/top-k/top-p and a draw, nothing else,
// so that its validity figures say what the network alone writes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "corpus/novelty_index.h"
#include "generate/sampler.h"
#include "generate/structure.h"
#include "model/load_model.h"
#include "tokens/chord_symbol.h"

namespace tunesmith::cli {

struct EvalSamplingOptions {
  int count = 100;                     // tunes to sample
  uint64_t seed = 1;                   // tune i draws from seed + i
  generate::SamplingOptions sampling;  // temperature, top-k, top-p
  int batch_size = 64;                 // tunes stepped together
  bool grammar_mask = true;            // abc-token models: the mask on (char models never have one)
  int novelty_threshold = 3;           // the guard's longest shared bar run (0: no guard; mask only)
  int max_plain_tokens = 0;            // plain sampling stops a tune here (0: 1,500 tokens, 4,000 characters)
  generate::Structure structure;       // the form the mask enforces (free: the model decides)
  std::string instrument = "fiddle";   // the range the melody keeps to, as generate's default ("": none)
  int candidates = 1;                  // drawn per tune, the most likely kept (grammar-mask sampling only)
};

struct EvalSample {
  int index = 0;
  uint64_t seed = 0;
  std::vector<std::string> tokens;  // <s> ... (</s> when it ended)
  tokens::NoteName tonic;           // the key it is written in (drawn as generate draws it; C without a key table)
  bool finished = false;            // reached </s> (plain sampling may hit the length cap first)
  std::string title;
  std::string abc;                  // the tune's text as a user gets it (X:, T:, ...); "" when it cannot be written
  std::string write_error;          // why not (a token stream the decoder rejects)
  int bar_retries = 0;              // novelty guard: bars drawn again
  int restarts = 0;                 // ... tunes started again
  bool guard_gave_up = false;
};

struct EvalSampling {
  std::vector<EvalSample> tunes;
  std::string method;  // "grammar mask + novelty guard (3 bars)", "grammar mask", "plain (no grammar mask)"
  double seconds = 0;  // wall clock of sampling (model steps, chain, decoding)
  int64_t tokens = 0;  // tokens kept in the tunes (<s> excluded)
};

// Samples options.count tunes from `loaded`. `guard_index` (may be null: no
// guard) is the training split's novelty index the guard follows; `avoid_titles` are the
// training tunes' titles, which a generated title must not repeat. Fails when
// the model's vocabulary does not suit the mask, or on a LibTorch error.
Result<EvalSampling> SampleForEval(const model::LoadedModel& loaded,
                                   std::shared_ptr<const corpus::NoveltyIndex> guard_index,
                                   const std::vector<std::string>& avoid_titles, const EvalSamplingOptions& options);

}  // namespace tunesmith::cli
