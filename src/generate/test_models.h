// For tests that run `tunesmith generate` on a model file: a small LSTM
// (1 x 32, random weights from seed 3) over testing::TestVocabulary(), and
// the same model carrying a novelty index of one training tune
// ("The Only Training Tune": C 8 | D 8 | E 8 in 4/4).
#pragma once

#include <torch/torch.h>

#include "corpus/novelty_index.h"
#include "generate/novelty_guard.h"
#include "generate/test_vocabulary.h"
#include "model/checkpoint.h"
#include "model/lstm_lm.h"
#include "model/weights.h"

namespace tunesmith::generate::testing {

inline model::Checkpoint SmallLstmCheckpoint() {
  const tokens::Vocabulary vocab = TestVocabulary();
  model::Checkpoint c;
  c.model.vocab_size = vocab.size();
  c.model.embedding = 16;
  c.model.hidden = 32;
  c.model.layers = 1;
  c.vocabulary = vocab.Serialize();
  torch::manual_seed(3);
  model::LstmLm net(c.model);
  c.weights = model::SerializeWeights(net);
  return c;
}

inline model::Checkpoint WithOneTrainingTune(model::Checkpoint c) {
  corpus::IndexedTune t{"The Only Training Tune",
                        corpus::BarHashesOfTokens(Split("<s> M:4/4 K:maj R:reel C 8 | D 8 | E 8 |] </s>")), {}};
  c.extras[kNoveltyExtraKey] = corpus::NoveltyIndex({t}, "test").Serialize();
  return c;
}

}  // namespace tunesmith::generate::testing
