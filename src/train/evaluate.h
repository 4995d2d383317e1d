// Held-out likelihood of a model on whole tunes: the figures validation,
// the final test report and `tunesmith eval` share.
#pragma once

#include <cstdint>
#include <vector>

#include "corpus/batcher.h"
#include "model/language_model.h"

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

// A batch's feature columns as the model reads them: [T,B,C] int64 (undefined when it has none).
torch::Tensor FeatureTensor(const corpus::Batch& batch);

}  // namespace tunesmith::train
