// LstmLm: embedding (plus the position embeddings, when the config has
// them) -> n stacked LSTM layers (fused, see fused_lstm.h) with
// dropout on each layer's output -> a linear layer over the vocabulary.
#pragma once

#include "model/fused_lstm.h"
#include "model/language_model.h"

namespace tunesmith::model {

class LstmLm : public LanguageModel {
 public:
  explicit LstmLm(const ModelConfig& config);

  torch::Tensor forward(const torch::Tensor& ids, State* state,
                        const torch::Tensor& positions = torch::Tensor()) override;
  State InitialState(int64_t batch) const override;
  torch::Tensor Step(const torch::Tensor& ids, State* state,
                     const torch::Tensor& positions = torch::Tensor()) override;

  // The input of the first layer: token embedding plus position embeddings.
  torch::Tensor Embed(const torch::Tensor& ids, const torch::Tensor& positions);

  torch::nn::Embedding embedding{nullptr};
  std::vector<torch::nn::Embedding> position_embeddings;  // one per position feature (config.positions)
  std::vector<FusedLstmLayer> layers;
  torch::nn::Linear head{nullptr};
};

}  // namespace tunesmith::model
