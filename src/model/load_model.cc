#include "model/load_model.h"

#include <algorithm>

#include "model/weights.h"

namespace tunesmith::model {

namespace {

// Bytes of float weights the network `c` holds at least (embedding tables,
// the recurrent or attention and MLP matrices, the output layer; biases and
// norms left out), in double so that a crafted config cannot overflow it.
double LeastWeightBytes(const ModelConfig& c) {
  const double v = static_cast<double>(c.vocab_size), h = static_cast<double>(c.hidden);
  double positions = 0;
  for (int64_t n : c.positions) positions += static_cast<double>(n);
  double floats = 0;
  if (c.type == ModelType::kLstm) {
    const double e = static_cast<double>(c.embedding);
    floats = (v + positions) * e + 4 * h * e + static_cast<double>(c.layers) * 4 * h * h + h * v;
  } else {
    floats = (v + positions + static_cast<double>(c.context)) * h + static_cast<double>(c.layers) * 12 * h * h + h * v;
  }
  return 4 * floats;
}

}  // namespace

Result<LoadedModel> LoadModel(const std::string& path, torch::Device device) {
  auto checkpoint = ReadCheckpoint(path);
  if (!checkpoint.ok()) return checkpoint.status();
  auto vocabulary = tokens::Vocabulary::Deserialize(checkpoint->vocabulary);
  if (!vocabulary.ok()) return vocabulary.status().WithPrefix("checkpoint " + path + ": vocabulary: ");
  if (vocabulary->size() != checkpoint->model.vocab_size) {
    return Status::Corruption("checkpoint " + path + ": the vocabulary has " + std::to_string(vocabulary->size()) +
                         " tokens, the model " + std::to_string(checkpoint->model.vocab_size));
  }
  // Before anything is allocated: a config that needs more weights than the
  // file holds (a crafted "layers": 1000000) is refused, not built.
  const double least = LeastWeightBytes(checkpoint->model);
  if (least > static_cast<double>(checkpoint->weights.size())) {
    return Status::Corruption("checkpoint " + path + ": the model config needs at least " +
                              std::to_string(static_cast<uint64_t>(std::min(least, 1e18))) + " bytes of weights, the file holds " +
                              std::to_string(checkpoint->weights.size()) +
                              " (config and weights disagree): HINT the file is damaged; use MODEL.last or retrain");
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
