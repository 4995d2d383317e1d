// For tests of the trainer: tunes of a toy language (bars of three notes
// that follow a rule, so a model can learn them; ids 4..10 notes, 11 the bar
// line) over an eight-token vocabulary.
#pragma once

#include <vector>

#include "tokens/vocabulary.h"
#include "train/trainer.h"

namespace tunesmith::train::testing {

inline std::vector<std::vector<int32_t>> ToyTunes(int count, int seed) {
  std::vector<std::vector<int32_t>> tunes;
  for (int k = 0; k < count; ++k) {
    std::vector<int32_t> t = {tokens::kBosId};
    int note = (k * 5 + seed) % 7;
    const int bars = 3 + (k * 3 + seed) % 6;
    for (int bar = 0; bar < bars; ++bar) {
      for (int j = 0; j < 3; ++j) {
        t.push_back(4 + note);
        note = (note * 3 + 1) % 7;
      }
      t.push_back(11);
    }
    t.push_back(tokens::kEosId);
    tunes.push_back(t);
  }
  return tunes;
}

// `train_tunes` for training, 8 for validation.
inline TrainData ToyData(int train_tunes) {
  TrainData d;
  d.vocabulary = tokens::Vocabulary(tokens::TokenizerKind::kAbcToken, {"A", "B", "C", "D", "E", "F", "G", "|"});
  d.train = ToyTunes(train_tunes, 0);
  d.valid = ToyTunes(8, 3);
  d.corpus_fingerprint = "toy-corpus";
  return d;
}

}  // namespace tunesmith::train::testing
