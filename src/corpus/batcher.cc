#include "corpus/batcher.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

namespace tunesmith::corpus {

namespace {

constexpr int64_t kPad = 0;  // tokens::kPadId; this file stays free of the tokens stage

// std::shuffle's draws differ between standard libraries; this one does not.
template <typename T>
void Shuffle(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

std::mt19937_64 EpochRng(uint64_t seed, int64_t epoch) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), static_cast<uint32_t>(epoch),
                    0x7475u};
  return std::mt19937_64(seq);
}

// The feature columns per token: the same for every tune, or invalid_argument.
int64_t FeatureColumns(const std::vector<std::vector<int32_t>>& tunes, const std::vector<std::vector<int32_t>>& features) {
  if (features.size() != tunes.size()) throw std::invalid_argument("Batcher: features and tunes differ in number");
  int64_t columns = -1;
  for (size_t i = 0; i < tunes.size(); ++i) {
    if (tunes[i].empty()) continue;
    const size_t n = features[i].size() / tunes[i].size();
    if (n * tunes[i].size() != features[i].size() || (columns >= 0 && static_cast<int64_t>(n) != columns) || n == 0) {
      throw std::invalid_argument("Batcher: every token needs the same number of feature columns");
    }
    columns = static_cast<int64_t>(n);
  }
  return std::max<int64_t>(columns, 0);
}

// Whole tunes in rows: inputs are a tune's tokens but the last, targets all but the first.
Batch PadTunes(const std::vector<std::vector<int32_t>>& tunes, const std::vector<int32_t>& rows,
               const std::vector<std::vector<int32_t>>* features, int64_t C) {
  Batch b;
  b.B = static_cast<int64_t>(rows.size());
  for (int32_t r : rows) b.T = std::max<int64_t>(b.T, static_cast<int64_t>(tunes[r].size()) - 1);
  b.inputs.assign(b.T * b.B, kPad);
  b.targets.assign(b.T * b.B, -1);
  b.tune_of_row = rows;
  if (features) {
    b.C = C;
    b.features.assign(b.T * b.B * C, 0);
  }
  for (int64_t j = 0; j < b.B; ++j) {
    const auto& tune = tunes[rows[j]];
    for (int64_t t = 0; t + 1 < static_cast<int64_t>(tune.size()); ++t) {
      b.inputs[t * b.B + j] = tune[t];
      b.targets[t * b.B + j] = tune[t + 1];
      if (features) {
        std::copy_n((*features)[rows[j]].begin() + t * C, C, b.features.begin() + (t * b.B + j) * C);
      }
      ++b.tokens;
    }
  }
  return b;
}

}  // namespace

const char* BatchModeName(BatchMode m) { return m == BatchMode::kTunes ? "tunes" : "stream"; }

Batcher::Batcher(const std::vector<std::vector<int32_t>>& tunes, BatcherOptions options,
                 const std::vector<std::vector<int32_t>>* features)
    : tunes_(tunes), features_(features), options_(options) {
  if (options_.batch_size <= 0 || options_.seq_len <= 0 || options_.bucket_batches <= 0)
    throw std::invalid_argument("Batcher: batch_size, seq_len and bucket_batches must be positive");
  if (features_) columns_ = FeatureColumns(tunes_, *features_);
  PlanEpoch(0);
  if (plan_.empty()) throw std::invalid_argument("Batcher: too few tokens for one batch");
}

void Batcher::PlanEpoch(int64_t epoch) {
  if (planned_epoch_ == epoch) return;
  planned_epoch_ = epoch;
  auto rng = EpochRng(options_.seed, epoch);
  std::vector<int32_t> order(tunes_.size());
  std::iota(order.begin(), order.end(), 0);
  Shuffle(order, rng);
  plan_.clear();
  tokens_per_epoch_ = 0;
  const int64_t B = options_.batch_size;
  if (options_.mode == BatchMode::kTunes) {
    // Pools of bucket_batches * B shuffled tunes, each sorted by length and cut
    // into batches: little padding, yet a different grouping every epoch.
    const size_t pool = static_cast<size_t>(B * options_.bucket_batches);
    for (size_t start = 0; start < order.size(); start += pool) {
      auto first = order.begin() + start, last = order.begin() + std::min(order.size(), start + pool);
      std::stable_sort(first, last, [&](int32_t a, int32_t b) { return tunes_[a].size() < tunes_[b].size(); });
      for (auto it = first; it < last; it += std::min<ptrdiff_t>(B, last - it)) {
        plan_.emplace_back(it, it + std::min<ptrdiff_t>(B, last - it));
      }
    }
    Shuffle(plan_, rng);
    for (int32_t i : order) tokens_per_epoch_ += static_cast<int64_t>(tunes_[i].size()) - 1;
    return;
  }
  stream_.clear();
  feature_stream_.clear();
  for (int32_t i : order) {
    stream_.insert(stream_.end(), tunes_[i].begin(), tunes_[i].end());
    if (features_) feature_stream_.insert(feature_stream_.end(), (*features_)[i].begin(), (*features_)[i].end());
  }
  lane_length_ = static_cast<int64_t>(stream_.size()) / B;
  const int64_t batches = lane_length_ > 0 ? (lane_length_ - 1) / options_.seq_len : 0;
  plan_.assign(batches, {});  // stream batches are computed from their index
  tokens_per_epoch_ = batches * options_.seq_len * B;
}

Batch Batcher::Next() {
  PlanEpoch(position_.epoch);
  const int64_t k = position_.batch;
  Batch b;
  if (options_.mode == BatchMode::kTunes) {
    b = PadTunes(tunes_, plan_[k], features_, columns_);
  } else {
    b.T = options_.seq_len;
    b.B = options_.batch_size;
    b.inputs.resize(b.T * b.B);
    b.targets.resize(b.T * b.B);
    if (features_) {
      b.C = columns_;
      b.features.resize(b.T * b.B * columns_);
    }
    for (int64_t j = 0; j < b.B; ++j) {
      const int64_t base = j * lane_length_ + k * b.T;
      for (int64_t t = 0; t < b.T; ++t) {
        b.inputs[t * b.B + j] = stream_[base + t];
        b.targets[t * b.B + j] = stream_[base + t + 1];
        if (features_) {
          std::copy_n(feature_stream_.begin() + (base + t) * columns_, columns_,
                      b.features.begin() + (t * b.B + j) * columns_);
        }
      }
    }
    b.tokens = b.T * b.B;
    b.continues = k > 0;
  }
  if (++position_.batch == BatchesPerEpoch()) {
    position_.batch = 0;
    ++position_.epoch;
  }
  return b;
}

void Batcher::Seek(BatcherPosition position) {
  position_ = position;
  PlanEpoch(position_.epoch);
}

std::vector<Batch> TuneBatches(const std::vector<std::vector<int32_t>>& tunes, int batch_size,
                               const std::vector<std::vector<int32_t>>* features) {
  std::vector<int32_t> order(tunes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return tunes[a].size() < tunes[b].size(); });
  const int64_t columns = features ? FeatureColumns(tunes, *features) : 0;
  std::vector<Batch> batches;
  for (size_t start = 0; start < order.size(); start += batch_size) {
    std::vector<int32_t> rows(order.begin() + start, order.begin() + std::min(order.size(), start + batch_size));
    batches.push_back(PadTunes(tunes, rows, features, columns));
  }
  return batches;
}

}  // namespace tunesmith::corpus
