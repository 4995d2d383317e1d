#include "model/weights.h"

#include <cstring>
#include <map>

namespace tunesmith::model {

namespace {

// dtype codes in the file (docs/checkpoint-format.md).
constexpr uint8_t kFloat32 = 0;
constexpr uint8_t kInt64 = 1;

template <typename T>
void Put(std::string& out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // the supported hosts are little-endian
  out.append(b, sizeof(T));
}

std::map<std::string, torch::Tensor> NamedTensors(const torch::nn::Module& module) {
  std::map<std::string, torch::Tensor> all;
  for (const auto& p : module.named_parameters()) all[p.key()] = p.value();
  for (const auto& b : module.named_buffers()) all[b.key()] = b.value();
  return all;
}

}  // namespace

std::string SerializeWeights(const torch::nn::Module& module) {
  std::string out;
  const auto tensors = NamedTensors(module);
  Put<uint32_t>(out, static_cast<uint32_t>(tensors.size()));
  for (const auto& [name, tensor] : tensors) {
    auto t = tensor.detach().to(torch::kCPU).contiguous();
    const uint8_t code = t.scalar_type() == torch::kLong ? kInt64 : kFloat32;
    if (code == kFloat32) t = t.to(torch::kFloat);
    Put<uint16_t>(out, static_cast<uint16_t>(name.size()));
    out.append(name);
    Put<uint8_t>(out, code);
    Put<uint8_t>(out, static_cast<uint8_t>(t.dim()));
    for (int64_t d : t.sizes()) Put<int64_t>(out, d);
    out.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
  }
  return out;
}

Status LoadWeights(torch::nn::Module& module, std::string_view bytes) {
  auto tensors = NamedTensors(module);
  size_t at = 0;
  auto need = [&](size_t n) { return at + n <= bytes.size(); };
  auto get = [&](auto& v) {
    std::memcpy(&v, bytes.data() + at, sizeof(v));
    at += sizeof(v);
  };
  if (!need(4)) return Status::Corruption("weights: truncated");
  uint32_t count;
  get(count);
  if (count != tensors.size()) {
    return Status::Corruption("weights: the file has " + std::to_string(count) + " tensors, the network " +
                         std::to_string(tensors.size()) + " (config and weights disagree)");
  }
  torch::NoGradGuard no_grad;
  for (uint32_t i = 0; i < count; ++i) {
    uint16_t name_len;
    if (!need(2)) return Status::Corruption("weights: truncated");
    get(name_len);
    if (!need(name_len + 2)) return Status::Corruption("weights: truncated");
    std::string name(bytes.substr(at, name_len));
    at += name_len;
    uint8_t code, dims;
    get(code);
    get(dims);
    if (!need(8 * dims)) return Status::Corruption("weights: truncated");
    std::vector<int64_t> shape(dims);
    for (auto& d : shape) get(d);
    auto it = tensors.find(name);
    if (it == tensors.end()) return Status::Corruption("weights: the network has no tensor '" + name + "'");
    torch::Tensor& dst = it->second;
    if (dst.sizes() != torch::IntArrayRef(shape)) {
      return Status::Corruption("weights: tensor '" + name + "' has shape " + c10::str(torch::IntArrayRef(shape)) +
                           " in the file, " + c10::str(dst.sizes()) + " in the network");
    }
    const auto dtype = code == kInt64 ? torch::kLong : torch::kFloat;
    if (code > kInt64) return Status::Corruption("weights: tensor '" + name + "' has an unknown dtype code");
    const size_t nbytes = static_cast<size_t>(dst.numel()) * (code == kInt64 ? 8 : 4);
    if (!need(nbytes)) return Status::Corruption("weights: truncated in '" + name + "'");
    auto src = torch::empty(shape, torch::TensorOptions().dtype(dtype));
    std::memcpy(src.data_ptr(), bytes.data() + at, nbytes);
    at += nbytes;
    dst.copy_(src);
  }
  if (at != bytes.size()) return Status::Corruption("weights: trailing bytes");
  return Status::Ok();
}

}  // namespace tunesmith::model
