// LstmLm: embedding -> n stacked LSTM layers (fused, see fused_lstm.h) with
// dropout on each layer's output -> a linear layer over the vocabulary.
#pragma once

#include "model/fused_lstm.h"
#include "model/language_model.h"

namespace tunesmith::model {

class LstmLm : public LanguageModel {
 public:
  explicit LstmLm(const ModelConfig& config);

  torch::Tensor forward(const torch::Tensor& ids, State* state) override;
  State InitialState(int64_t batch) const override;
  torch::Tensor Step(const torch::Tensor& ids, State* state) override;

  torch::nn::Embedding embedding{nullptr};
  std::vector<FusedLstmLayer> layers;
  torch::nn::Linear head{nullptr};
};

}  // namespace tunesmith::model
