#include "model/transformer_lm.h"

#include <cmath>

namespace tunesmith::model {

TransformerBlockImpl::TransformerBlockImpl(int64_t width, int64_t heads, double dropout)
    : heads_(heads), dropout_(dropout) {
  ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
  ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
  qkv = register_module("qkv", torch::nn::Linear(width, 3 * width));
  proj = register_module("proj", torch::nn::Linear(width, width));
  fc = register_module("fc", torch::nn::Linear(width, 4 * width));
  fc_out = register_module("fc_out", torch::nn::Linear(4 * width, width));
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x) {
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2), Dh = D / heads_;
  auto parts = qkv(ln1(x)).chunk(3, -1);
  auto split = [&](const torch::Tensor& t) { return t.view({B, T, heads_, Dh}).transpose(1, 2); };  // [B,h,T,Dh]
  auto q = split(parts[0]), k = split(parts[1]), v = split(parts[2]);
  auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(Dh));
  auto causal = torch::ones({T, T}, torch::TensorOptions().dtype(torch::kBool).device(x.device())).triu(1);
  scores = scores.masked_fill(causal, -std::numeric_limits<float>::infinity());
  auto attn = torch::dropout(torch::softmax(scores, -1), dropout_, is_training());
  auto y = torch::matmul(attn, v).transpose(1, 2).reshape({B, T, D});
  auto h = x + torch::dropout(proj(y), dropout_, is_training());
  return h + torch::dropout(fc_out(torch::gelu(fc(ln2(h)))), dropout_, is_training());
}

TransformerLm::TransformerLm(const ModelConfig& config) : LanguageModel(config) {
  tokens_ = register_module("tokens", torch::nn::Embedding(config.vocab_size, config.hidden));
  positions_ = register_module("positions", torch::nn::Embedding(config.context, config.hidden));
  for (int64_t l = 0; l < config.layers; ++l) {
    blocks_.push_back(
        register_module("block" + std::to_string(l), TransformerBlock(config.hidden, config.heads, config.dropout)));
  }
  ln_f_ = register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden})));
  head_ = register_module("head", torch::nn::Linear(config.hidden, config.vocab_size));
}

State TransformerLm::InitialState(int64_t batch) const {
  auto opts = torch::TensorOptions().dtype(torch::kLong).device(head_->weight.device());
  return State{{torch::empty({batch, 0}, opts)}};
}

torch::Tensor TransformerLm::forward(const torch::Tensor& ids, State* state) {
  const int64_t T = ids.size(0);
  auto seq = ids.t();  // [B,T]
  if (state && !state->empty() && !is_training()) seq = torch::cat({state->tensors[0], seq}, 1);
  if (seq.size(1) > config_.context) seq = seq.slice(1, seq.size(1) - config_.context);
  const int64_t S = seq.size(1);
  auto pos = torch::arange(S, torch::TensorOptions().dtype(torch::kLong).device(seq.device()));
  auto x = torch::dropout(tokens_(seq) + positions_(pos), config_.dropout, is_training());
  for (auto& block : blocks_) x = block(x);
  auto logits = head_(ln_f_(x));  // [B,S,V]
  if (state) *state = State{{seq}};
  return logits.slice(1, S - std::min(T, S)).transpose(0, 1);  // [T,B,V]
}

torch::Tensor TransformerLm::Step(const torch::Tensor& ids, State* state) {
  torch::NoGradGuard no_grad;
  if (state->empty()) *state = InitialState(ids.size(0));
  return forward(ids.unsqueeze(0), state)[0];
}

}  // namespace tunesmith::model
