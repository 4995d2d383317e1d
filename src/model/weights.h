// The parameters and buffers of a module as bytes: a count, then per tensor
// its name, dtype, shape and little-endian data (docs/checkpoint-format.md).
#pragma once

#include <string>
#include <string_view>

#include <torch/torch.h>

#include "base/status.h"

namespace tunesmith::model {

std::string SerializeWeights(const torch::nn::Module& module);

// Copies the tensors in `bytes` into `module`'s parameters and buffers. Fails,
// leaving `module` partly written, when a name is missing or a shape differs.
Status LoadWeights(torch::nn::Module& module, std::string_view bytes);

}  // namespace tunesmith::model
