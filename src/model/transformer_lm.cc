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
  auto split = [&](const torch::Tensor& t) { return t.reshape({B, T, heads_, Dh}).transpose(1, 2); };  // [B,h,T,Dh]
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
  for (size_t i = 0; i < config.positions.size(); ++i) {
    auto e = torch::nn::Embedding(torch::nn::EmbeddingOptions(config.positions[i], config.hidden));
    torch::nn::init::normal_(e->weight, 0.0, 0.1);
    features_.push_back(register_module("feature" + std::to_string(i), e));
  }
  for (int64_t l = 0; l < config.layers; ++l) {
    blocks_.push_back(
        register_module("block" + std::to_string(l), TransformerBlock(config.hidden, config.heads, config.dropout)));
  }
  ln_f_ = register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden})));
  head_ = register_module("head", torch::nn::Linear(config.hidden, config.vocab_size));
}

State TransformerLm::InitialState(int64_t batch) const {
  auto opts = torch::TensorOptions().dtype(torch::kLong).device(head_->weight.device());
  State s{{torch::empty({batch, 0}, opts)}};
  if (!features_.empty()) s.tensors.push_back(torch::empty({batch, 0, static_cast<int64_t>(features_.size())}, opts));
  return s;
}

torch::Tensor TransformerLm::forward(const torch::Tensor& ids, State* state, const torch::Tensor& positions) {
  const int64_t T = ids.size(0);
  auto seq = ids.t();  // [B,T]
  torch::Tensor feats;
  if (!features_.empty()) {
    TORCH_CHECK(positions.defined(), "this model reads musical positions beside its tokens, and none were given");
    feats = positions.transpose(0, 1);  // [B,T,P]
  }
  TORCH_CHECK(!is_training() || T <= config_.context, "a training sequence of ", T,
              " tokens is longer than the transformer's context of ", config_.context,
              " (raise \"context\" in the preset)");
  const bool carry = state && !state->empty() && !is_training();
  if (carry) {
    seq = torch::cat({state->tensors[0], seq}, 1);
    if (feats.defined()) feats = torch::cat({state->tensors[1], feats}, 1);
  }
  if (seq.size(1) > config_.context) {
    seq = seq.slice(1, seq.size(1) - config_.context);
    if (feats.defined()) feats = feats.slice(1, feats.size(1) - config_.context);
  }
  const int64_t S = seq.size(1);
  auto pos = torch::arange(S, torch::TensorOptions().dtype(torch::kLong).device(seq.device()));
  auto x = tokens_(seq) + positions_(pos);
  for (size_t i = 0; i < features_.size(); ++i) x = x + features_[i](feats.select(-1, static_cast<int64_t>(i)));
  x = torch::dropout(x, config_.dropout, is_training());
  for (auto& block : blocks_) x = block(x);
  auto logits = head_(ln_f_(x));  // [B,S,V]
  if (state) {
    *state = State{{seq}};
    if (feats.defined()) state->tensors.push_back(feats);
  }
  return logits.slice(1, S - std::min(T, S)).transpose(0, 1);  // [T,B,V]
}

torch::Tensor TransformerLm::Step(const torch::Tensor& ids, State* state, const torch::Tensor& positions) {
  torch::NoGradGuard no_grad;
  if (state->empty()) *state = InitialState(ids.size(0));
  return forward(ids.unsqueeze(0), state, positions.defined() ? positions.unsqueeze(0) : positions)[0];
}

}  // namespace tunesmith::model
