#include "model/load_model.h"

#include "model/weight_layout.h"
#include "model/weights.h"

namespace tunesmith::model {

namespace {

constexpr char kDamagedHint[] =
    " (HINT: the file is damaged or was not written by tunesmith train; use MODEL.last or retrain)";

}  // namespace

Result<LoadedModel> LoadModel(const std::string& path, torch::Device device) {
  auto checkpoint = ReadCheckpoint(path);
  if (!checkpoint.ok()) return checkpoint.status();
  const std::string where = "checkpoint " + path + ": ";
  auto vocabulary = tokens::Vocabulary::Deserialize(checkpoint->vocabulary);
  if (!vocabulary.ok()) return Status::Corruption(where + "vocabulary: " + vocabulary.status().message() + kDamagedHint);
  if (vocabulary->size() != checkpoint->model.vocab_size) {
    return Status::Corruption(where + "the vocabulary has " + std::to_string(vocabulary->size()) +
                              " tokens, the model " + std::to_string(checkpoint->model.vocab_size) + kDamagedHint);
  }
  // The config against the tensors before anything is built: a network is
  // never larger than the weights in the file, and NaN/Inf is refused.
  if (Status st = CheckWeightsFitConfig(checkpoint->model, checkpoint->weights); !st.ok()) {
    return Status::Corruption(where + st.message() + kDamagedHint);
  }
  auto model = MakeModel(checkpoint->model);
  if (!model.ok()) return Status::Corruption(where + model.status().message() + kDamagedHint);
  try {
    Status st = LoadWeights(**model, checkpoint->weights);
    if (!st.ok()) return Status::Corruption(where + st.message() + kDamagedHint);
    (*model)->to(device);
    (*model)->eval();
  } catch (const c10::Error& e) {
    return Status::Corruption(where + e.what_without_backtrace() + kDamagedHint);
  } catch (const std::bad_alloc&) {
    return Status::IOError(where + "out of memory while building the network");
  }
  return LoadedModel{std::move(*model), std::move(*vocabulary), std::move(*checkpoint)};
}

}  // namespace tunesmith::model
