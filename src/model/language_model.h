// LanguageModel: what training, sampling and evaluation need from a network
// over token ids, whatever its kind (LstmLm, TransformerLm). Dimensions are
// named once: T time steps, B tunes in a batch, V vocabulary size.
#pragma once

#include <memory>
#include <vector>

#include <torch/torch.h>

#include "base/status.h"
#include "model/model_config.h"

namespace tunesmith::model {

// What a model carries from one step to the next, for B tunes at once. Every
// tensor has one row per tune (dim 0); rows are independent of one another:
// each may be at its own length, and is saved, put back or started again
// alone (LanguageModel::SaveRow/RestoreRow). LSTM: h of each layer then c
// of each layer, [B,H] each. Transformer: a KV cache per row
// (transformer_lm.h). Step may update the tensors in place: copy a row
// with SaveRow, not by keeping a tensor.
struct State {
  std::vector<torch::Tensor> tensors;

  bool empty() const { return tensors.empty(); }
  // Cuts the autograd history (truncated back-propagation between batches).
  void Detach();
  // Keeps the rows (tunes) listed in `rows` (int64 [k]), in that order.
  State Select(const torch::Tensor& rows) const;
};

class LanguageModel : public torch::nn::Module {
 public:
  const ModelConfig& config() const { return config_; }

  // ids [T,B] (int64) -> logits [T,B,V]. `state` may be null or empty (a tune's
  // start); if not null, it is replaced by the state after the last step.
  // `positions` [T,B,P] (int64): the musical position after each input token
  // (tokens/position.h), required when config().has_positions(), else ignored.
  virtual torch::Tensor forward(const torch::Tensor& ids, State* state,
                                const torch::Tensor& positions = torch::Tensor()) = 0;

  // The state at the start of a tune for `batch` tunes, on the model's device.
  virtual State InitialState(int64_t batch) const = 0;

  // One step of sampling, without autograd: ids [B] -> logits [B,V]; updates
  // `state` in place. B == 1 takes a matrix-vector path (fast on CPU).
  // `positions` [B,P] as in forward().
  virtual torch::Tensor Step(const torch::Tensor& ids, State* state,
                             const torch::Tensor& positions = torch::Tensor()) = 0;

  // Row `row` of `state` as a state of one row: a copy that later steps on
  // `state` leave alone.
  virtual State SaveRow(const State& state, int64_t row) const;
  // Puts `saved` (from SaveRow on a state of this model, or InitialState(1)
  // for a fresh start) in row `row` of `state`; the other rows are unchanged.
  virtual void RestoreRow(State* state, int64_t row, const State& saved) const;

  // The device of the weights.
  torch::Device device() const;

 protected:
  explicit LanguageModel(ModelConfig config) : config_(std::move(config)) {}
  ModelConfig config_;
};

// A freshly initialised network for `config` (uses the current LibTorch seed).
// Fails on a config it cannot build (unknown type, vocab_size 0).
Result<std::shared_ptr<LanguageModel>> MakeModel(const ModelConfig& config);

}  // namespace tunesmith::model
