// One LSTM layer, fused for the CPU: the input projection of every time step
// is one matrix product ([T*B x in] . [in x 4H]); each step then does only the
// recurrent product and a point-wise kernel; the backward pass is written by
// hand over the whole sequence (BPTT), so the weight gradients are again one
// large product each. torch::nn::LSTM does neither (PERFORMANCE-NOTES.md).
//
// Same maths and gate order (i, f, g, o) as torch::nn::LSTM, with the two
// biases of nn::LSTM folded into one (b = b_ih + b_hh).
#pragma once

#include <torch/torch.h>

namespace tunesmith::model {

// The whole-sequence operation. x [T,B,in], h0/c0 [B,H], w_ih [4H,in],
// w_hh [4H,H], bias [4H]. Returns {y [T,B,H], h_T [B,H], c_T [B,H]}, all
// differentiable with respect to every input.
std::vector<torch::Tensor> FusedLstmSequence(const torch::Tensor& x, const torch::Tensor& h0, const torch::Tensor& c0,
                                             const torch::Tensor& w_ih, const torch::Tensor& w_hh,
                                             const torch::Tensor& bias);

// For tests: when true, the CPU float path uses the generic ATen point-wise
// code (the path CUDA takes) instead of the hand-written kernels.
void SetFusedLstmGenericPath(bool generic);

// One step for inference (no autograd): x [B,in], h/c [B,H] updated in place.
// B == 1 goes through matrix-vector products (addmv), which this OpenBLAS
// runs several times faster than a one-row matrix product.
void LstmStep(const torch::Tensor& x, torch::Tensor& h, torch::Tensor& c, const torch::Tensor& w_ih,
              const torch::Tensor& w_hh, const torch::Tensor& bias);

// A layer holding the weights: w_ih, w_hh, bias, initialised as nn::LSTM does
// (uniform in +-1/sqrt(H)).
class FusedLstmLayerImpl : public torch::nn::Module {
 public:
  FusedLstmLayerImpl(int64_t input_size, int64_t hidden_size);

  // x [T,B,in], h0/c0 [B,H] -> {y [T,B,H], h_T, c_T}.
  std::vector<torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& h0, const torch::Tensor& c0);

  int64_t input_size() const { return input_size_; }
  int64_t hidden_size() const { return hidden_size_; }

  torch::Tensor w_ih, w_hh, bias;

 private:
  int64_t input_size_, hidden_size_;
};
TORCH_MODULE(FusedLstmLayer);

}  // namespace tunesmith::model
