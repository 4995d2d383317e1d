#include "model/fused_lstm.h"

#include <atomic>
#include <cmath>

#include "model/lstm_kernels.h"

namespace tunesmith::model {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

namespace {

std::atomic<bool> g_generic_path{false};

bool UseKernels(const torch::Tensor& t) {
  return !g_generic_path.load() && t.is_cpu() && t.scalar_type() == torch::kFloat;
}

// Rows per parallel chunk: enough work (~8k elements) to pay for a thread hand-off.
int64_t GrainRows(int64_t hidden) { return std::max<int64_t>(1, 8192 / hidden); }

// gates [B,4H] pre-activations -> activations; writes c, tanh_c, h ([B,H], contiguous).
void CellForward(torch::Tensor& gates, const torch::Tensor& c_prev, torch::Tensor& c, torch::Tensor& tanh_c,
                 torch::Tensor& h) {
  const int64_t B = gates.size(0), H = gates.size(1) / 4;
  if (UseKernels(gates)) {
    float* g = gates.data_ptr<float>();
    const float* cp = c_prev.data_ptr<float>();
    float* cn = c.data_ptr<float>();
    float* tc = tanh_c.data_ptr<float>();
    float* hn = h.data_ptr<float>();
    at::parallel_for(0, B, GrainRows(H), [&](int64_t b0, int64_t b1) {
      LstmCellForward(g + b0 * 4 * H, cp + b0 * H, cn + b0 * H, tc + b0 * H, hn + b0 * H, b1 - b0, H);
    });
    return;
  }
  gates.narrow(1, 0, 2 * H).sigmoid_();
  gates.narrow(1, 3 * H, H).sigmoid_();
  gates.narrow(1, 2 * H, H).tanh_();
  auto i = gates.narrow(1, 0, H), f = gates.narrow(1, H, H), g = gates.narrow(1, 2 * H, H),
       o = gates.narrow(1, 3 * H, H);
  auto c_new = f * c_prev + i * g;
  c.copy_(c_new);
  at::tanh_out(tanh_c, c);
  at::mul_out(h, o, tanh_c);
}

// dy may be undefined. dc: dL/dc_t in, dL/dc_{t-1} out. Writes dgates [B,4H].
void CellBackward(const torch::Tensor& gates, const torch::Tensor& c_prev, const torch::Tensor& tanh_c,
                  const torch::Tensor& dy, const torch::Tensor& dh_next, torch::Tensor& dc, torch::Tensor& dgates) {
  const int64_t B = gates.size(0), H = gates.size(1) / 4;
  if (UseKernels(gates)) {
    const float* g = gates.data_ptr<float>();
    const float* cp = c_prev.data_ptr<float>();
    const float* tc = tanh_c.data_ptr<float>();
    const float* y = dy.defined() ? dy.data_ptr<float>() : nullptr;
    const float* hn = dh_next.data_ptr<float>();
    float* dcp = dc.data_ptr<float>();
    float* dg = dgates.data_ptr<float>();
    at::parallel_for(0, B, GrainRows(H), [&](int64_t b0, int64_t b1) {
      LstmCellBackward(g + b0 * 4 * H, cp + b0 * H, tc + b0 * H, y ? y + b0 * H : nullptr, hn + b0 * H,
                       dcp + b0 * H, dg + b0 * 4 * H, b1 - b0, H);
    });
    return;
  }
  auto i = gates.narrow(1, 0, H), f = gates.narrow(1, H, H), g = gates.narrow(1, 2 * H, H),
       o = gates.narrow(1, 3 * H, H);
  auto dh = dy.defined() ? dy + dh_next : dh_next;
  auto d_c = dc + dh * o * (1 - tanh_c * tanh_c);
  dgates.narrow(1, 0, H).copy_(d_c * g * i * (1 - i));
  dgates.narrow(1, H, H).copy_(d_c * c_prev * f * (1 - f));
  dgates.narrow(1, 2 * H, H).copy_(d_c * i * (1 - g * g));
  dgates.narrow(1, 3 * H, H).copy_(dh * tanh_c * o * (1 - o));
  dc.copy_(d_c * f);
}

class FusedLstmFunction : public torch::autograd::Function<FusedLstmFunction> {
 public:
  static variable_list forward(AutogradContext* ctx, torch::Tensor x, torch::Tensor h0, torch::Tensor c0,
                               torch::Tensor w_ih, torch::Tensor w_hh, torch::Tensor bias) {
    const int64_t T = x.size(0), B = x.size(1), I = x.size(2), H = w_hh.size(1);
    auto opts = x.options();
    x = x.contiguous();
    // The input projection of all T steps at once: the big product.
    auto gates = torch::addmm(bias, x.view({T * B, I}), w_ih.t()).view({T, B, 4 * H});
    auto y = torch::empty({T, B, H}, opts);
    auto cs = torch::empty({T + 1, B, H}, opts);  // cs[0] = c0, cs[t+1] = c_t
    auto tanh_cs = torch::empty({T, B, H}, opts);
    cs[0].copy_(c0);
    auto w_hh_t = w_hh.t();
    auto h_prev = h0.contiguous();
    for (int64_t t = 0; t < T; ++t) {
      auto g = gates[t];
      g.addmm_(h_prev, w_hh_t);
      auto c_t = cs[t + 1], tc_t = tanh_cs[t], h_t = y[t];
      CellForward(g, cs[t], c_t, tc_t, h_t);
      h_prev = h_t;
    }
    ctx->save_for_backward({x, h0.contiguous(), w_ih, w_hh, y});
    ctx->saved_data["gates"] = gates;
    ctx->saved_data["cs"] = cs;
    ctx->saved_data["tanh_cs"] = tanh_cs;
    return {y, y[T - 1].clone(), cs[T].clone()};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &h0 = saved[1], &w_ih = saved[2], &w_hh = saved[3], &y = saved[4];
    auto gates = ctx->saved_data["gates"].toTensor();
    auto cs = ctx->saved_data["cs"].toTensor();
    auto tanh_cs = ctx->saved_data["tanh_cs"].toTensor();
    const int64_t T = x.size(0), B = x.size(1), I = x.size(2), H = w_hh.size(1);
    auto opts = x.options();

    torch::Tensor dy = grads[0].defined() ? grads[0].contiguous() : torch::Tensor();
    auto dh = grads[1].defined() ? grads[1].contiguous().clone() : torch::zeros({B, H}, opts);
    auto dc = grads[2].defined() ? grads[2].contiguous().clone() : torch::zeros({B, H}, opts);
    auto dgates = torch::empty({T, B, 4 * H}, opts);
    for (int64_t t = T - 1; t >= 0; --t) {
      auto dg = dgates[t];
      CellBackward(gates[t], cs[t], tanh_cs[t], dy.defined() ? dy[t] : torch::Tensor(), dh, dc, dg);
      at::mm_out(dh, dg, w_hh);  // dL/dh_{t-1} through the recurrence
    }
    // Weight gradients: one large product each, over all steps at once.
    auto dg2 = dgates.view({T * B, 4 * H});
    auto dx = torch::mm(dg2, w_ih).view({T, B, I});
    auto dw_ih = torch::mm(dg2.t(), x.view({T * B, I}));
    auto dw_hh = torch::mm(dgates[0].t(), h0);
    if (T > 1) {
      dw_hh.addmm_(dgates.slice(0, 1).reshape({(T - 1) * B, 4 * H}).t(), y.slice(0, 0, T - 1).reshape({(T - 1) * B, H}));
    }
    auto db = dg2.sum(0);
    return {dx, dh, dc, dw_ih, dw_hh, db};
  }
};

}  // namespace

std::vector<torch::Tensor> FusedLstmSequence(const torch::Tensor& x, const torch::Tensor& h0, const torch::Tensor& c0,
                                             const torch::Tensor& w_ih, const torch::Tensor& w_hh,
                                             const torch::Tensor& bias) {
  TORCH_CHECK(x.dim() == 3 && x.size(0) > 0, "FusedLstmSequence: x must be [T>0, B, in]");
  TORCH_CHECK(w_ih.size(0) == 4 * w_hh.size(1) && w_ih.size(1) == x.size(2), "FusedLstmSequence: weight shapes");
  return FusedLstmFunction::apply(x, h0, c0, w_ih, w_hh, bias);
}

void SetFusedLstmGenericPath(bool generic) { g_generic_path.store(generic); }

void LstmStep(const torch::Tensor& x, torch::Tensor& h, torch::Tensor& c, const torch::Tensor& w_ih,
              const torch::Tensor& w_hh, const torch::Tensor& bias) {
  torch::NoGradGuard no_grad;
  const int64_t B = x.size(0), H = w_hh.size(1);
  torch::Tensor gates;
  if (B == 1) {
    gates = torch::addmv(bias, w_ih, x[0]);
    gates.addmv_(w_hh, h[0]);
    gates = gates.view({1, 4 * H});
  } else {
    gates = torch::addmm(bias, x, w_ih.t());
    gates.addmm_(h, w_hh.t());
  }
  auto c_new = torch::empty_like(c);
  auto tanh_c = torch::empty_like(c);
  CellForward(gates, c, c_new, tanh_c, h);
  c.copy_(c_new);
}

FusedLstmLayerImpl::FusedLstmLayerImpl(int64_t input_size, int64_t hidden_size)
    : input_size_(input_size), hidden_size_(hidden_size) {
  const double k = 1.0 / std::sqrt(static_cast<double>(hidden_size));
  w_ih = register_parameter("w_ih", torch::empty({4 * hidden_size, input_size}).uniform_(-k, k));
  w_hh = register_parameter("w_hh", torch::empty({4 * hidden_size, hidden_size}).uniform_(-k, k));
  bias = register_parameter("bias", torch::empty({4 * hidden_size}).uniform_(-k, k));
}

std::vector<torch::Tensor> FusedLstmLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& h0,
                                                       const torch::Tensor& c0) {
  return FusedLstmSequence(x, h0, c0, w_ih, w_hh, bias);
}

}  // namespace tunesmith::model
