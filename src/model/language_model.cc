#include "model/language_model.h"

#include "model/lstm_lm.h"
#include "model/transformer_lm.h"

namespace tunesmith::model {

void State::Detach() {
  for (auto& t : tensors) t = t.detach();
}

State State::Select(const torch::Tensor& rows) const {
  State out;
  for (const auto& t : tensors) out.tensors.push_back(t.index_select(0, rows.to(t.device())));
  return out;
}

State LanguageModel::SaveRow(const State& state, int64_t row) const {
  State out;
  for (const auto& t : state.tensors) out.tensors.push_back(t.narrow(0, row, 1).clone());
  return out;
}

void LanguageModel::RestoreRow(State* state, int64_t row, const State& saved) const {
  TORCH_CHECK(saved.tensors.size() == state->tensors.size(), "RestoreRow: a saved row of another kind of state");
  torch::NoGradGuard no_grad;
  for (size_t j = 0; j < saved.tensors.size(); ++j) state->tensors[j].narrow(0, row, 1).copy_(saved.tensors[j]);
}

torch::Device LanguageModel::device() const {
  auto params = parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

Result<std::shared_ptr<LanguageModel>> MakeModel(const ModelConfig& config) {
  if (config.vocab_size <= 4) return Status::InvalidArgument("model: vocab_size must be set from the vocabulary (> 4)");
  for (int64_t n : config.positions) {
    if (n <= 0) return Status::InvalidArgument("model: a context column's size must be set from the vocabulary (> 0)");
  }
  try {
    if (config.type == ModelType::kLstm) return std::shared_ptr<LanguageModel>(std::make_shared<LstmLm>(config));
    return std::shared_ptr<LanguageModel>(std::make_shared<TransformerLm>(config));
  } catch (const c10::Error& e) {
    return Status::InvalidArgument(std::string("model: cannot build the network: ") + e.what_without_backtrace());
  }
}

}  // namespace tunesmith::model
