// Sampling speed of a network alone, the loop a Python peer can run too:
// what tunesmith-bench reports as sample_model_tok_s_b1/_b64 and
// bench/sample_bench.cc as model+draw (docs/performance.md).
#pragma once

#include <cstdint>

#include "model/language_model.h"

namespace tunesmith::generate {

struct ModelDrawSpeed {
  double seconds = 0;            // of the timed steps
  double tokens_per_second = 0;  // batch x steps / seconds
};

// `batch` tunes for `steps` steps: each step LanguageModel::Step, the softmax
// and one draw per tune from one generator (seed 7), the drawn ids fed back;
// no grammar mask, no guard. A model that reads musical positions is fed the
// all-zero position (the cost is the lookup). Timed after 20 untimed steps
// (seed 1), as bench/sample_peer.py does.
ModelDrawSpeed MeasureModelAndDraw(model::LanguageModel& model, int64_t batch, int steps);

}  // namespace tunesmith::generate
