#include "model/lstm_lm.h"

namespace tunesmith::model {

LstmLm::LstmLm(const ModelConfig& config) : LanguageModel(config) {
  embedding = register_module("embedding", torch::nn::Embedding(config.vocab_size, config.embedding));
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

torch::Tensor LstmLm::forward(const torch::Tensor& ids, State* state) {
  const int64_t L = config_.layers;
  State start = (state && !state->empty()) ? *state : InitialState(ids.size(1));
  State end;
  end.tensors.resize(2 * L);
  auto x = embedding(ids);  // [T,B,E]
  for (int64_t l = 0; l < L; ++l) {
    auto out = layers[l](x, start.tensors[l], start.tensors[L + l]);
    x = torch::dropout(out[0], config_.dropout, is_training());
    end.tensors[l] = out[1];
    end.tensors[L + l] = out[2];
  }
  if (state) *state = std::move(end);
  return head(x);  // [T,B,V]
}

torch::Tensor LstmLm::Step(const torch::Tensor& ids, State* state) {
  torch::NoGradGuard no_grad;
  const int64_t L = config_.layers, B = ids.size(0);
  if (state->empty()) *state = InitialState(B);
  auto x = embedding->weight.index_select(0, ids);  // [B,E]
  for (int64_t l = 0; l < L; ++l) {
    auto& layer = layers[l];
    LstmStep(x, state->tensors[l], state->tensors[L + l], layer->w_ih, layer->w_hh, layer->bias);
    x = state->tensors[l];
  }
  if (B == 1) return torch::addmv(head->bias, head->weight, x[0]).unsqueeze(0);
  return torch::addmm(head->bias, x, head->weight.t());
}

}  // namespace tunesmith::model
