// The weights section read as a table of tensors (names, dtypes, shapes,
// where the elements are) without building a network, and a model config
// checked against it: what LoadModel does before it allocates anything, so a
// crafted config ("layers": 1000000) cannot make it allocate more than the
// file holds. No LibTorch here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/model_config.h"

namespace tunesmith::model {

struct TensorEntry {
  std::string name;
  uint8_t dtype = 0;            // 0 float32, 1 int64 (docs/checkpoint-format.md)
  std::vector<int64_t> shape;
  size_t offset = 0;            // of the first element in the weights bytes
  size_t bytes = 0;             // of all elements
};

// The tensors in `weights` (the checkpoint's weights section), every length
// checked against the bytes; Corruption when it is truncated, has trailing
// bytes, an unknown dtype or a shape whose size overflows.
Result<std::vector<TensorEntry>> ReadWeightTable(std::string_view weights);

// The number of tensors the network of `config` has, and their names and
// shapes (mirrors LstmLm's and TransformerLm's constructors; model_test
// checks that they agree with the networks built).
int64_t ExpectedTensorCount(const ModelConfig& config);
std::map<std::string, std::vector<int64_t>> ExpectedTensorShapes(const ModelConfig& config);

// The config against the weights: the same tensor count, every expected name
// present with its shape, every float finite. Corruption naming the first
// tensor that does not fit (or holds NaN/Inf); the count is compared first,
// so the expected table is only made when it is as large as the file's.
Status CheckWeightsFitConfig(const ModelConfig& config, std::string_view weights);

}  // namespace tunesmith::model
