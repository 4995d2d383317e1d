// Batcher: cuts the encoded training tunes into batches for the trainer, in
// one of two ways (docs/training.md says which trains better per second):
//
//  kTunes   whole tunes, shuffled, grouped by similar length, padded; the
//           state starts fresh at every tune, as at generation time.
//  kStream  the shuffled tunes joined into one stream, cut into B lanes that
//           are read T tokens at a time (truncated back-propagation: the
//           state is carried from one batch to the next).
//
// The batches of an epoch depend only on (seed, epoch), so a run can stop and
// resume at any batch: the position is (epoch, batch). No LibTorch here.
#pragma once

#include <cstdint>
#include <vector>

namespace tunesmith::corpus {

enum class BatchMode { kTunes, kStream };
const char* BatchModeName(BatchMode m);  // "tunes", "stream"

struct BatcherOptions {
  BatchMode mode = BatchMode::kTunes;  // whole tunes or a stream with truncated back-propagation
  int batch_size = 32;                 // B: tunes (kTunes) or lanes (kStream) per batch
  int seq_len = 64;                    // kStream: T, steps per batch; kTunes: unused
  int bucket_batches = 16;             // kTunes: tunes are sorted by length in pools of this many batches
  uint64_t seed = 1;                   // decides the order of every epoch
};

// One batch, time-major: element (t, b) is at [t * B + b].
struct Batch {
  int64_t T = 0, B = 0;
  std::vector<int64_t> inputs;   // token ids; padding is tokens::kPadId
  std::vector<int64_t> targets;  // the next token; -1 where nothing is to be predicted (padding)
  int64_t tokens = 0;            // targets that count
  bool continues = false;        // kStream: row b continues row b of the previous batch (carry the state)
  std::vector<int32_t> tune_of_row;  // kTunes: index (into the tunes given) of the tune in each row
  std::vector<int32_t> features;     // beside each input: C feature columns (tokens/position.h), element
                                     // (t, b, c) at [(t * B + b) * C + c]; empty when none were given; 0 under padding
  int64_t C = 0;                     // feature columns
};

// Where a batcher stands: the next batch it will give is batch `batch` of epoch `epoch`.
struct BatcherPosition {
  int64_t epoch = 0;
  int64_t batch = 0;
};

class Batcher {
 public:
  // Keeps a reference to `tunes` (each <s> ... </s>, at least 2 tokens), which must outlive it.
  // `features`, if given, has C ints per token of every tune (tune i's
  // token t's column c at [t * C + c], the same C for all), must outlive it
  // too, and is batched beside the inputs.
  Batcher(const std::vector<std::vector<int32_t>>& tunes, BatcherOptions options,
          const std::vector<std::vector<int32_t>>* features = nullptr);

  int64_t BatchesPerEpoch() const { return static_cast<int64_t>(plan_.size()); }
  // Tokens that count (targets) in one epoch.
  int64_t TokensPerEpoch() const { return tokens_per_epoch_; }

  // The batch at the current position; then moves on, to the next epoch after the last batch.
  Batch Next();

  BatcherPosition position() const { return position_; }
  // Moves to `position` (as if Next() had been called up to there).
  void Seek(BatcherPosition position);

 private:
  void PlanEpoch(int64_t epoch);

  const std::vector<std::vector<int32_t>>& tunes_;
  const std::vector<std::vector<int32_t>>* features_;
  int64_t columns_ = 0;
  BatcherOptions options_;
  BatcherPosition position_;
  int64_t planned_epoch_ = -1;
  int64_t tokens_per_epoch_ = 0;
  std::vector<std::vector<int32_t>> plan_;  // kTunes: tune indices of each batch
  std::vector<int32_t> stream_;             // kStream: this epoch's stream
  std::vector<int32_t> feature_stream_;     // kStream: the features beside it
  int64_t lane_length_ = 0;                 // kStream: tokens per lane
};

// Whole tunes in batches of at most `batch_size`, sorted by length (no
// shuffling): what evaluation uses, tune_of_row filled (and features, when given).
std::vector<Batch> TuneBatches(const std::vector<std::vector<int32_t>>& tunes, int batch_size,
                               const std::vector<std::vector<int32_t>>* features = nullptr);

}  // namespace tunesmith::corpus
