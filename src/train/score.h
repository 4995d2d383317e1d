// The held-out figures of a model on whole tunes, and scoring a split
// without LibTorch headers: eval and the server call ScoreTunes with the
// model a generate::Composer loaded (model::LoadedModel is only declared
// here). evaluate.h has the LibTorch-level functions behind it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace tunesmith::model {
struct LoadedModel;
}

namespace tunesmith::train {

struct EvalResult {
  double loss = 0;            // mean negative log-likelihood per predicted token, in nats
  double bits_per_token = 0;  // the same in bits
  double bits_per_tune = 0;   // -log2 P(tune) summed over the tune's tokens, averaged over tunes
  int64_t tokens = 0;         // predicted tokens (every token after <s>, </s> included)
  int64_t tunes = 0;
};

// Does the model know a bar that comes back? Each bar of each tune (its
// tokens up to its bar line, chord symbols aside) is a repeat when an
// earlier bar of the tune has the same tokens, else new. The figures of both
// kinds, teacher-forced on real tunes (docs/eval.md, "Repeated bars").
struct RepeatProbe {
  int64_t repeat_bars = 0, new_bars = 0;
  double repeat_bits_per_token = 0, new_bits_per_token = 0;  // chord symbols aside
  double repeat_bits_per_bar = 0, new_bits_per_bar = 0;      // mean over bars
  double repeat_bar_likely = 0;  // share of repeated bars the model gives more than 1/2 as a whole
};

// loss, bits_per_token, bits_per_tune, tokens, tunes: as the checkpoint's
// train state, the metrics log, `train --json` and report.json write them.
nlohmann::json EvalResultToJson(const EvalResult& r);

// Held-out likelihood of `tunes` (token ids, <s> ... </s>) under `loaded`,
// with the context columns its config asks for, and for abc-token models
// the repeat probe. Fails (naming LibTorch) instead of throwing.
struct SplitScore {
  EvalResult likelihood;
  std::optional<RepeatProbe> repeats;  // abc-token models
};
Result<SplitScore> ScoreTunes(const model::LoadedModel& loaded, const std::vector<std::vector<int32_t>>& tunes,
                              int batch_size = 32);

}  // namespace tunesmith::train
