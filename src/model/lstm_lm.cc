#include "model/lstm_lm.h"

namespace tunesmith::model {

LstmLm::LstmLm(const ModelConfig& config) : LanguageModel(config) {
  embedding = register_module("embedding", torch::nn::Embedding(config.vocab_size, config.embedding));
  for (size_t i = 0; i < config.positions.size(); ++i) {
    auto e = torch::nn::Embedding(torch::nn::EmbeddingOptions(config.positions[i], config.embedding));
    torch::nn::init::normal_(e->weight, 0.0, 0.1);  // small next to the token embedding at the start
    position_embeddings.push_back(register_module("position" + std::to_string(i), e));
  }
  for (int64_t l = 0; l < config.layers; ++l) {
    const int64_t in = l == 0 ? config.embedding : config.hidden;
    layers.push_back(register_module("lstm" + std::to_string(l), FusedLstmLayer(in, config.hidden)));
  }
  head = register_module("head", torch::nn::Linear(config.hidden, config.vocab_size));
}

State LstmLm::InitialState(int64_t batch) const {
  State s;
  auto opts = torch::TensorOptions().dtype(torch::kFloat).device(head->weight.device());
  for (int64_t i = 0; i < 2 * config_.layers; ++i) s.tensors.push_back(torch::zeros({batch, config_.hidden}, opts));
  return s;
}

torch::Tensor LstmLm::Embed(const torch::Tensor& ids, const torch::Tensor& positions) {
  auto x = embedding(ids);
  if (position_embeddings.empty()) return x;
  TORCH_CHECK(positions.defined(), "this model reads musical positions beside its tokens, and none were given");
  TORCH_CHECK(positions.dim() == ids.dim() + 1 && positions.size(-1) == static_cast<int64_t>(position_embeddings.size()),
              "positions must be [", ids.sizes(), ", ", position_embeddings.size(), "]");
  for (size_t i = 0; i < position_embeddings.size(); ++i) {
    x = x + position_embeddings[i](positions.select(-1, static_cast<int64_t>(i)));
  }
  return x;
}

torch::Tensor LstmLm::forward(const torch::Tensor& ids, State* state, const torch::Tensor& positions) {
  const int64_t L = config_.layers;
  State start = (state && !state->empty()) ? *state : InitialState(ids.size(1));
  State end;
  end.tensors.resize(2 * L);
  auto x = Embed(ids, positions);  // [T,B,E]
  for (int64_t l = 0; l < L; ++l) {
    auto out = layers[l](x, start.tensors[l], start.tensors[L + l]);
    x = torch::dropout(out[0], config_.dropout, is_training());
    end.tensors[l] = out[1];
    end.tensors[L + l] = out[2];
  }
  if (state) *state = std::move(end);
  return head(x);  // [T,B,V]
}

torch::Tensor LstmLm::Step(const torch::Tensor& ids, State* state, const torch::Tensor& positions) {
  torch::NoGradGuard no_grad;
  const int64_t L = config_.layers, B = ids.size(0);
  if (state->empty()) *state = InitialState(B);
  auto x = position_embeddings.empty() ? embedding->weight.index_select(0, ids) : Embed(ids, positions);  // [B,E]
  for (int64_t l = 0; l < L; ++l) {
    auto& layer = layers[l];
    LstmStep(x, state->tensors[l], state->tensors[L + l], layer->w_ih, layer->w_hh, layer->bias);
    x = state->tensors[l];
  }
  if (B == 1) return torch::addmv(head->bias, head->weight, x[0]).unsqueeze(0);
  return torch::addmm(head->bias, x, head->weight.t());
}

}  // namespace tunesmith::model
