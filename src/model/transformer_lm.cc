#include "model/transformer_lm.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tunesmith::model {
namespace {

// The state's tensors (TransformerLm::InitialState).
constexpr size_t kLengths = 0, kIds = 1, kFeats = 2, kFirstLayer = 3;
// The dimension along which each tensor of the state holds positions.
int64_t PositionDim(size_t j) { return j < kFirstLayer ? 1 : 2; }

constexpr int64_t kFirstCapacity = 64;  // positions a cache holds when it first grows

}  // namespace

TransformerBlockImpl::TransformerBlockImpl(int64_t width, int64_t heads, double dropout)
    : heads_(heads), dropout_(dropout) {
  ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
  ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
  qkv = register_module("qkv", torch::nn::Linear(width, 3 * width));
  proj = register_module("proj", torch::nn::Linear(width, width));
  fc = register_module("fc", torch::nn::Linear(width, 4 * width));
  fc_out = register_module("fc_out", torch::nn::Linear(4 * width, width));
}

std::vector<torch::Tensor> TransformerBlockImpl::Project(const torch::Tensor& x) {
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2), Dh = D / heads_;
  auto parts = qkv(ln1(x)).chunk(3, -1);
  std::vector<torch::Tensor> out;
  for (const auto& p : parts) out.push_back(p.reshape({B, T, heads_, Dh}).transpose(1, 2));  // [B,h,T,Dh]
  return out;
}

torch::Tensor TransformerBlockImpl::Finish(const torch::Tensor& x, const torch::Tensor& y) {
  auto h = x + torch::dropout(proj(y), dropout_, is_training());
  return h + torch::dropout(fc_out(torch::gelu(fc(ln2(h)))), dropout_, is_training());
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x) { return Forward(x, nullptr, nullptr); }

torch::Tensor TransformerBlockImpl::Forward(const torch::Tensor& x, torch::Tensor* keys, torch::Tensor* values) {
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2), Dh = D / heads_;
  auto qkv_heads = Project(x);
  const auto &q = qkv_heads[0], &k = qkv_heads[1], &v = qkv_heads[2];
  auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(Dh));
  auto causal = torch::ones({T, T}, torch::TensorOptions().dtype(torch::kBool).device(x.device())).triu(1);
  scores = scores.masked_fill(causal, -std::numeric_limits<float>::infinity());
  auto attn = torch::dropout(torch::softmax(scores, -1), dropout_, is_training());
  auto y = torch::matmul(attn, v).transpose(1, 2).reshape({B, T, D});
  if (keys) *keys = k;
  if (values) *values = v;
  return Finish(x, y);
}

torch::Tensor TransformerBlockImpl::Extend(const torch::Tensor& x, torch::Tensor& k_cache, torch::Tensor& v_cache,
                                           const torch::Tensor& slots, const torch::Tensor& hidden) {
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2), Dh = D / heads_, L = hidden.size(-1);
  auto qkv_heads = Project(x);
  k_cache.scatter_(2, slots, qkv_heads[1]);
  v_cache.scatter_(2, slots, qkv_heads[2]);
  auto keys = k_cache.narrow(2, 0, L), values = v_cache.narrow(2, 0, L);
  auto scores = torch::matmul(qkv_heads[0], keys.transpose(-2, -1)) / std::sqrt(static_cast<double>(Dh));  // [B,h,T,L]
  scores = scores.masked_fill(hidden, -std::numeric_limits<float>::infinity());
  auto y = torch::matmul(torch::softmax(scores, -1), values).transpose(1, 2).reshape({B, T, D});
  return Finish(x, y);
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
  auto ids = torch::TensorOptions().dtype(torch::kLong).device(head_->weight.device());
  const int64_t P = static_cast<int64_t>(features_.size());
  const int64_t D = config_.hidden, h = config_.heads;
  State s{{torch::zeros({batch}, ids), torch::zeros({batch, 0}, ids), torch::zeros({batch, 0, P}, ids)}};
  for (int64_t l = 0; l < config_.layers; ++l) {
    for (int kv = 0; kv < 2; ++kv) s.tensors.push_back(torch::zeros({batch, h, 0, D / h}, head_->weight.options()));
  }
  return s;
}

torch::Tensor TransformerLm::Embed(const torch::Tensor& seq, const torch::Tensor& feats, const torch::Tensor& at) {
  auto x = tokens_(seq) + positions_(at);
  for (size_t i = 0; i < features_.size(); ++i) x = x + features_[i](feats.select(-1, static_cast<int64_t>(i)));
  return x;
}

torch::Tensor TransformerLm::Full(const torch::Tensor& seq, const torch::Tensor& feats, State* cache) {
  const int64_t B = seq.size(0), S = seq.size(1);
  auto pos = torch::arange(S, torch::TensorOptions().dtype(torch::kLong).device(seq.device()));
  auto x = torch::dropout(Embed(seq, feats, pos), config_.dropout, is_training());
  std::vector<torch::Tensor> kv;
  for (auto& block : blocks_) {
    torch::Tensor k, v;
    x = block->Forward(x, cache ? &k : nullptr, cache ? &v : nullptr);
    if (cache) {
      kv.push_back(k.detach().contiguous());
      kv.push_back(v.detach().contiguous());
    }
  }
  if (cache) {
    auto ids = torch::TensorOptions().dtype(torch::kLong).device(seq.device());
    State s{{torch::full({B}, S, ids), seq.detach().clone(),
             feats.defined() ? feats.detach().clone() : torch::zeros({B, S, 0}, ids)}};
    for (auto& t : kv) s.tensors.push_back(std::move(t));
    *cache = std::move(s);
  }
  return head_(ln_f_(x));  // [B,S,V]
}

void TransformerLm::Reserve(State* state, int64_t need) const {
  const int64_t cap = state->tensors[kIds].size(1);
  if (need <= cap) return;
  const int64_t grown = std::min(config_.context, std::max({need, 2 * cap, kFirstCapacity}));
  for (size_t j = kIds; j < state->tensors.size(); ++j) {
    torch::Tensor& t = state->tensors[j];
    auto sizes = t.sizes().vec();
    sizes[PositionDim(j)] = grown - cap;
    t = torch::cat({t, torch::zeros(sizes, t.options())}, PositionDim(j));
  }
}

torch::Tensor TransformerLm::Extend(const torch::Tensor& seq, const torch::Tensor& feats, State* state) {
  const int64_t B = seq.size(0), T = seq.size(1), P = static_cast<int64_t>(features_.size());
  const int64_t D = config_.hidden, h = config_.heads;
  torch::Tensor& lengths = state->tensors[kLengths];
  const int64_t longest = B > 0 ? lengths.max().item<int64_t>() : 0;
  TORCH_CHECK(longest + T <= config_.context, "TransformerLm: ", T, " tokens do not fit after ", longest,
              " in a context of ", config_.context);
  Reserve(state, longest + T);
  auto opts = torch::TensorOptions().dtype(torch::kLong).device(seq.device());
  auto at = lengths.view({B, 1}) + torch::arange(T, opts).view({1, T});  // [B,T]: each new token's position
  state->tensors[kIds].scatter_(1, at, seq);
  if (P > 0) state->tensors[kFeats].scatter_(1, at.unsqueeze(-1).expand({B, T, P}), feats);
  const int64_t L = longest + T;
  auto hidden = torch::arange(L, opts).view({1, 1, 1, L}) > at.view({B, 1, T, 1});  // [B,1,T,L]
  auto slots = at.view({B, 1, T, 1}).expand({B, h, T, D / h});
  auto x = Embed(seq, feats, at);
  for (size_t l = 0; l < blocks_.size(); ++l) {
    x = blocks_[l]->Extend(x, state->tensors[kFirstLayer + 2 * l], state->tensors[kFirstLayer + 2 * l + 1], slots,
                           hidden);
  }
  lengths.add_(T);
  return head_(ln_f_(x));  // [B,T,V]
}

void TransformerLm::Slide(State* state) {
  const int64_t C = config_.context;
  auto lengths = state->tensors[kLengths].to(torch::kCPU);
  const int64_t* len = lengths.data_ptr<int64_t>();
  for (int64_t r = 0; r < lengths.size(0); ++r) {
    if (len[r] < C) continue;
    auto seq = state->tensors[kIds].narrow(0, r, 1).narrow(1, 1, C - 1).clone();
    torch::Tensor feats;
    if (!features_.empty()) feats = state->tensors[kFeats].narrow(0, r, 1).narrow(1, 1, C - 1).clone();
    State fresh;
    Full(seq, feats, &fresh);
    RestoreRow(state, r, fresh);
  }
}

torch::Tensor TransformerLm::forward(const torch::Tensor& ids, State* state, const torch::Tensor& positions) {
  const int64_t T = ids.size(0), B = ids.size(1);
  auto seq = ids.t();  // [B,T]
  torch::Tensor feats;
  if (!features_.empty()) {
    TORCH_CHECK(positions.defined(), "this model reads musical positions beside its tokens, and none were given");
    feats = positions.transpose(0, 1);  // [B,T,P]
  }
  if (is_training()) {
    TORCH_CHECK(T <= config_.context, "a training sequence of ", T,
                " tokens is longer than the transformer's context of ", config_.context,
                " (raise \"context\" in the preset)");
    if (state) *state = State();
    return Full(seq, feats, nullptr).transpose(0, 1);  // [T,B,V]
  }
  const bool carry = state && !state->empty();
  if (!carry && T <= config_.context) return Full(seq, feats, state).transpose(0, 1);
  State s = carry ? *state : InitialState(B);
  torch::Tensor logits;
  const int64_t longest = B > 0 ? s.tensors[kLengths].max().item<int64_t>() : 0;
  if (longest + T <= config_.context) {
    logits = Extend(seq, feats, &s);
  } else {  // past the context: token by token, each window as Step sees it
    std::vector<torch::Tensor> steps;
    for (int64_t t = 0; t < T; ++t) {
      Slide(&s);
      steps.push_back(Extend(seq.narrow(1, t, 1), feats.defined() ? feats.narrow(1, t, 1) : feats, &s));
    }
    logits = torch::cat(steps, 1);
  }
  if (state) *state = std::move(s);
  return logits.transpose(0, 1);  // [T,B,V]
}

torch::Tensor TransformerLm::Step(const torch::Tensor& ids, State* state, const torch::Tensor& positions) {
  torch::NoGradGuard no_grad;
  if (state->empty()) *state = InitialState(ids.size(0));
  torch::Tensor feats;
  if (!features_.empty()) {
    TORCH_CHECK(positions.defined(), "this model reads musical positions beside its tokens, and none were given");
    feats = positions.unsqueeze(1);  // [B,1,P]
  }
  Slide(state);
  return Extend(ids.unsqueeze(1), feats, state).squeeze(1);  // [B,V]
}

State TransformerLm::SaveRow(const State& state, int64_t row) const {
  const int64_t n = state.tensors[kLengths][row].item<int64_t>();
  State out{{state.tensors[kLengths].narrow(0, row, 1).clone()}};
  for (size_t j = kIds; j < state.tensors.size(); ++j) {
    out.tensors.push_back(state.tensors[j].narrow(0, row, 1).narrow(PositionDim(j), 0, n).clone());
  }
  return out;
}

void TransformerLm::RestoreRow(State* state, int64_t row, const State& saved) const {
  TORCH_CHECK(saved.tensors.size() == state->tensors.size(), "RestoreRow: a saved row of another kind of state");
  torch::NoGradGuard no_grad;
  const int64_t n = saved.tensors[kIds].size(1);
  Reserve(state, n);
  state->tensors[kLengths].narrow(0, row, 1).copy_(saved.tensors[kLengths]);
  for (size_t j = kIds; j < state->tensors.size(); ++j) {
    state->tensors[j].narrow(0, row, 1).narrow(PositionDim(j), 0, n).copy_(saved.tensors[j]);
  }
}

}  // namespace tunesmith::model
