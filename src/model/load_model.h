// Loading a trained model for sampling or evaluation: the network rebuilt from
// the checkpoint's config, its weights, and its vocabulary.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "model/checkpoint.h"
#include "model/language_model.h"
#include "tokens/vocabulary.h"

namespace tunesmith::model {

struct LoadedModel {
  std::shared_ptr<LanguageModel> model;  // in eval() mode, on the requested device
  tokens::Vocabulary vocabulary;
  Checkpoint checkpoint;  // everything else in the file (extras, fingerprint, train state)
};

// Reads `path` and rebuilds its model on `device`. Any problem with the file
// (missing, damaged, wrong version, weights that do not fit the config) is an
// error naming the file; LibTorch exceptions do not escape.
Result<LoadedModel> LoadModel(const std::string& path, torch::Device device = torch::kCPU);

}  // namespace tunesmith::model
