// TransformerLm: a small causal (GPT-style) transformer over token ids, the
// option beside LstmLm. Pre-norm blocks of multi-head self-attention and a
// 4x MLP, learned positions up to config.context, tied to no other weights.
#pragma once

#include "model/language_model.h"

namespace tunesmith::model {

class TransformerBlockImpl : public torch::nn::Module {
 public:
  TransformerBlockImpl(int64_t width, int64_t heads, double dropout);
  // x [B,T,D] -> [B,T,D], causal.
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int64_t heads_;
  double dropout_;
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  torch::nn::Linear qkv{nullptr}, proj{nullptr}, fc{nullptr}, fc_out{nullptr};
};
TORCH_MODULE(TransformerBlock);

class TransformerLm : public LanguageModel {
 public:
  explicit TransformerLm(const ModelConfig& config);

  // In training mode the incoming state is ignored (each batch stands alone);
  // otherwise the ids in `state` are the context the new ids follow.
  // State: the ids so far [B,t], and with musical positions also those [B,t,P].
  torch::Tensor forward(const torch::Tensor& ids, State* state,
                        const torch::Tensor& positions = torch::Tensor()) override;
  State InitialState(int64_t batch) const override;
  // Recomputes the (at most config.context long) prefix: simple, O(t) per step.
  torch::Tensor Step(const torch::Tensor& ids, State* state,
                     const torch::Tensor& positions = torch::Tensor()) override;

 private:
  torch::nn::Embedding tokens_{nullptr}, positions_{nullptr};
  std::vector<torch::nn::Embedding> features_;  // musical positions (config.positions)
  std::vector<TransformerBlock> blocks_;
  torch::nn::LayerNorm ln_f_{nullptr};
  torch::nn::Linear head_{nullptr};
};

}  // namespace tunesmith::model
