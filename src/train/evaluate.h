// Held-out likelihood of a model on whole tunes: the figures validation,
// the final test report and `tunesmith eval` share.
#pragma once

#include <cstdint>
#include <vector>

#include "corpus/batcher.h"
#include "model/language_model.h"
#include "tokens/vocabulary.h"
#include "train/score.h"

namespace tunesmith::train {

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

RepeatProbe ProbeRepeats(model::LanguageModel& model, const tokens::Vocabulary& vocab,
                         const std::vector<std::vector<int32_t>>& tunes, int batch_size,
                         const std::vector<std::vector<int32_t>>* features = nullptr);

// A batch's feature columns as the model reads them: [T,B,C] int64 (undefined when it has none).
torch::Tensor FeatureTensor(const corpus::Batch& batch);

}  // namespace tunesmith::train
