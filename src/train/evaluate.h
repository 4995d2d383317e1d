// Held-out likelihood of a model on whole tunes: the figures validation,
// the final test report and `tunesmith eval` share.
#pragma once

#include <cstdint>
#include <vector>

#include "corpus/batcher.h"
#include "model/language_model.h"
#include "tokens/vocabulary.h"

namespace tunesmith::train {

struct EvalResult {
  double loss = 0;            // mean negative log-likelihood per predicted token, in nats
  double bits_per_token = 0;  // the same in bits
  double bits_per_tune = 0;   // -log2 P(tune) summed over the tune's tokens, averaged over tunes
  int64_t tokens = 0;         // predicted tokens (every token after <s>, </s> included)
  int64_t tunes = 0;
};

// Scores every tune (each <s> ... </s>) from the start state, in eval mode
// (restores the model's training mode after). Batches of `batch_size` tunes.
// A model that reads context features (config().positions) needs `features`
// (tokens::TuneContexts with as many columns); it is an error
// (std::invalid_argument) to leave them out then.
EvalResult Evaluate(model::LanguageModel& model, const std::vector<std::vector<int32_t>>& tunes, int batch_size,
                    const std::vector<std::vector<int32_t>>* features = nullptr);

// Bits (-log2 p) the model gives each predicted token of each tune (token 1
// .. end; entry t-1 is token t), teacher-forced from the start state.
// `features` as for Evaluate.
std::vector<std::vector<float>> TokenBits(model::LanguageModel& model, const std::vector<std::vector<int32_t>>& tunes,
                                          int batch_size, const std::vector<std::vector<int32_t>>* features = nullptr);

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
RepeatProbe ProbeRepeats(model::LanguageModel& model, const tokens::Vocabulary& vocab,
                         const std::vector<std::vector<int32_t>>& tunes, int batch_size,
                         const std::vector<std::vector<int32_t>>* features = nullptr);

// A batch's feature columns as the model reads them: [T,B,C] int64 (undefined when it has none).
torch::Tensor FeatureTensor(const corpus::Batch& batch);

}  // namespace tunesmith::train
