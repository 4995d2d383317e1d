// TransformerLm: a small causal (GPT-style) transformer over token ids, the
// option beside LstmLm. Pre-norm blocks of multi-head self-attention and a
// 4x MLP, learned positions up to config.context, tied to no other weights.
//
// Sampling keeps a KV cache per tune (the State below), so a Step costs one
// position, not the whole prefix. Each row of the state has its own length:
// rows are saved, put back (SaveRow/RestoreRow), dropped (State::Select) or
// started again independently of one another.
#pragma once

#include "model/language_model.h"

namespace tunesmith::model {

class TransformerBlockImpl : public torch::nn::Module {
 public:
  TransformerBlockImpl(int64_t width, int64_t heads, double dropout);
  // x [B,T,D] -> [B,T,D], causal over the T positions.
  torch::Tensor forward(const torch::Tensor& x);
  // The same; also returns the keys and values of the T positions, [B,h,T,Dh]
  // each (the cache of a sequence read from its start).
  torch::Tensor Forward(const torch::Tensor& x, torch::Tensor* keys, torch::Tensor* values);
  // Inference over T new positions per row that follow the row's cached
  // ones: writes their keys and values into k_cache/v_cache [B,h,Cap,Dh] at
  // `slots` ([B,h,T,Dh] indices along dim 2) and lets each attend to the
  // cache entries `hidden` ([B,1,T,L] bool, true: not visible) leaves open.
  torch::Tensor Extend(const torch::Tensor& x, torch::Tensor& k_cache, torch::Tensor& v_cache,
                       const torch::Tensor& slots, const torch::Tensor& hidden);

  int64_t heads() const { return heads_; }

 private:
  // x -> (q, k, v), [B,h,T,Dh] each.
  std::vector<torch::Tensor> Project(const torch::Tensor& x);
  // The attention output y [B,T,D] through the projection and the MLP.
  torch::Tensor Finish(const torch::Tensor& x, const torch::Tensor& y);

  int64_t heads_;
  double dropout_;
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  torch::nn::Linear qkv{nullptr}, proj{nullptr}, fc{nullptr}, fc_out{nullptr};
};
TORCH_MODULE(TransformerBlock);

class TransformerLm : public LanguageModel {
 public:
  explicit TransformerLm(const ModelConfig& config);

  // Training: each batch stands alone (T <= config.context); the incoming
  // state is ignored and `state`, if given, is left empty (nothing is carried
  // from batch to batch). Inference: the ids follow the ones in `state`
  // (empty: a tune's start) and `state` receives the cache after them. Every
  // one of the T positions gets its logits; past the context see Step.
  torch::Tensor forward(const torch::Tensor& ids, State* state,
                        const torch::Tensor& positions = torch::Tensor()) override;
  // State: the tokens read per row [B] (int64), the ids read [B,Cap], their
  // context columns [B,Cap,P], then each layer's keys and values
  // [B,h,Cap,Dh]. Cap (>= every row's length) grows as needed, up to
  // config.context; a row's entries past its length are stale and unused.
  State InitialState(int64_t batch) const override;
  // One position per row, read against the row's cache. A row whose cache
  // holds config.context tokens slides: its last context - 1 tokens are
  // read again from position 0 before the new one (what a window of the
  // last `context` tokens gives; a full pass for that row, at that step).
  torch::Tensor Step(const torch::Tensor& ids, State* state,
                     const torch::Tensor& positions = torch::Tensor()) override;
  // Only the row's own length is copied.
  State SaveRow(const State& state, int64_t row) const override;
  void RestoreRow(State* state, int64_t row, const State& saved) const override;

 private:
  // Token, position (`at`: [S] or [B,S] indices) and context-column embeddings.
  torch::Tensor Embed(const torch::Tensor& seq, const torch::Tensor& feats, const torch::Tensor& at);
  // A whole pass over seq [B,S] from position 0: logits [B,S,V]; with
  // `cache`, also the state after it.
  torch::Tensor Full(const torch::Tensor& seq, const torch::Tensor& feats, State* cache);
  // Inference: seq [B,T] after each row's cached tokens (room for T more
  // in every row): logits [B,T,V]; the state grows by T per row.
  torch::Tensor Extend(const torch::Tensor& seq, const torch::Tensor& feats, State* state);
  // Rows whose cache is full move their window on by one token.
  void Slide(State* state);
  // Makes the cache hold at least `need` tokens per row.
  void Reserve(State* state, int64_t need) const;

  torch::nn::Embedding tokens_{nullptr}, positions_{nullptr};
  std::vector<torch::nn::Embedding> features_;  // musical positions (config.positions)
  std::vector<TransformerBlock> blocks_;
  torch::nn::LayerNorm ln_f_{nullptr};
  torch::nn::Linear head_{nullptr};
};

}  // namespace tunesmith::model
