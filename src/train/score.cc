#include "train/score.h"

#include "model/load_model.h"
#include "tokens/position.h"
#include "train/evaluate.h"

namespace tunesmith::train {

Result<SplitScore> ScoreTunes(const model::LoadedModel& loaded, const std::vector<std::vector<int32_t>>& tunes,
                              int batch_size) {
  SplitScore out;
  try {
    model::LanguageModel& m = *loaded.model;
    const bool positions = m.config().has_positions();
    const auto features = positions ? tokens::TuneContexts(loaded.vocabulary, tunes,
                                                           static_cast<int>(m.config().positions.size()))
                                    : std::vector<std::vector<int32_t>>();
    out.likelihood = Evaluate(m, tunes, batch_size, positions ? &features : nullptr);
    if (loaded.vocabulary.kind() == tokens::TokenizerKind::kAbcToken) {
      out.repeats = ProbeRepeats(m, loaded.vocabulary, tunes, batch_size, positions ? &features : nullptr);
    }
  } catch (const c10::Error& e) {
    return Status::IOError(std::string("scoring failed in LibTorch: ") + e.what_without_backtrace());
  }
  return out;
}

}  // namespace tunesmith::train
