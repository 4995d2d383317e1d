#include "model/load_model.h"

#include "model/weights.h"

namespace tunesmith::model {

Result<LoadedModel> LoadModel(const std::string& path, torch::Device device) {
  auto checkpoint = ReadCheckpoint(path);
  if (!checkpoint.ok()) return checkpoint.status();
  auto vocabulary = tokens::Vocabulary::Deserialize(checkpoint->vocabulary);
  if (!vocabulary.ok()) return vocabulary.status().WithPrefix("checkpoint " + path + ": vocabulary: ");
  if (vocabulary->size() != checkpoint->model.vocab_size) {
    return Status::Corruption("checkpoint " + path + ": the vocabulary has " + std::to_string(vocabulary->size()) +
                         " tokens, the model " + std::to_string(checkpoint->model.vocab_size));
  }
  auto model = MakeModel(checkpoint->model);
  if (!model.ok()) return model.status().WithPrefix("checkpoint " + path + ": ");
  try {
    Status st = LoadWeights(**model, checkpoint->weights);
    if (!st.ok()) return st.WithPrefix("checkpoint " + path + ": ");
    (*model)->to(device);
    (*model)->eval();
  } catch (const c10::Error& e) {
    return Status::Corruption("checkpoint " + path + ": " + e.what_without_backtrace());
  }
  return LoadedModel{std::move(*model), std::move(*vocabulary), std::move(*checkpoint)};
}

}  // namespace tunesmith::model
