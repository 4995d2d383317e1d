#include "model/fused_lstm.h"

#include <gtest/gtest.h>

#include "model/lstm_lm.h"
#include "model/transformer_lm.h"

namespace tunesmith::model {
namespace {

void ExpectClose(const torch::Tensor& a, const torch::Tensor& b, double tol, const std::string& what) {
  ASSERT_EQ(a.sizes(), b.sizes()) << what;
  const double diff = (a - b).abs().max().item<double>();
  EXPECT_LT(diff, tol) << what << ": max abs difference " << diff;
}

// Runs the fused layer and torch::nn::LSTM with the same weights on the same
// input and compares outputs and every gradient.
void CompareWithNnLstm(bool generic_path) {
  SetFusedLstmGenericPath(generic_path);
  torch::manual_seed(7);
  const int64_t T = 6, B = 3, I = 5, H = 7;
  torch::nn::LSTM reference(torch::nn::LSTMOptions(I, H));
  FusedLstmLayer fused(I, H);
  {
    torch::NoGradGuard no_grad;
    fused->w_ih.copy_(reference->named_parameters()["weight_ih_l0"]);
    fused->w_hh.copy_(reference->named_parameters()["weight_hh_l0"]);
    fused->bias.copy_(reference->named_parameters()["bias_ih_l0"] + reference->named_parameters()["bias_hh_l0"]);
  }
  auto x = torch::randn({T, B, I});
  auto h0 = torch::randn({B, H});
  auto c0 = torch::randn({B, H});
  auto wy = torch::randn({T, B, H}), wh = torch::randn({B, H}), wc = torch::randn({B, H});

  auto x1 = x.clone().requires_grad_(), h1 = h0.clone().requires_grad_(), c1 = c0.clone().requires_grad_();
  auto [y_ref, hc_ref] = reference->forward(x1, std::make_tuple(h1.unsqueeze(0), c1.unsqueeze(0)));
  auto h_ref = std::get<0>(hc_ref)[0], c_ref = std::get<1>(hc_ref)[0];
  ((y_ref * wy).sum() + (h_ref * wh).sum() + (c_ref * wc).sum()).backward();

  auto x2 = x.clone().requires_grad_(), h2 = h0.clone().requires_grad_(), c2 = c0.clone().requires_grad_();
  auto out = fused(x2, h2, c2);
  ((out[0] * wy).sum() + (out[1] * wh).sum() + (out[2] * wc).sum()).backward();

  const double tol = 1e-5;
  ExpectClose(out[0], y_ref, tol, "y");
  ExpectClose(out[1], h_ref, tol, "h_T");
  ExpectClose(out[2], c_ref, tol, "c_T");
  ExpectClose(x2.grad(), x1.grad(), tol, "dx");
  ExpectClose(h2.grad(), h1.grad(), tol, "dh0");
  ExpectClose(c2.grad(), c1.grad(), tol, "dc0");
  auto params = reference->named_parameters();
  ExpectClose(fused->w_ih.grad(), params["weight_ih_l0"].grad(), tol, "dW_ih");
  ExpectClose(fused->w_hh.grad(), params["weight_hh_l0"].grad(), tol, "dW_hh");
  ExpectClose(fused->bias.grad(), params["bias_ih_l0"].grad(), tol, "db (vs b_ih)");
  ExpectClose(fused->bias.grad(), params["bias_hh_l0"].grad(), tol, "db (vs b_hh)");
  SetFusedLstmGenericPath(false);
}

TEST(FusedLstm, MatchesNnLstmWithKernels) { CompareWithNnLstm(false); }
TEST(FusedLstm, MatchesNnLstmGenericPath) { CompareWithNnLstm(true); }

TEST(FusedLstm, OnlyOutputSequenceUsedGivesSameGradientsAsNnLstm) {
  // grads[1], grads[2] undefined: the backward must treat them as zero.
  torch::manual_seed(3);
  const int64_t T = 4, B = 2, I = 3, H = 5;
  torch::nn::LSTM reference(torch::nn::LSTMOptions(I, H));
  FusedLstmLayer fused(I, H);
  {
    torch::NoGradGuard no_grad;
    fused->w_ih.copy_(reference->named_parameters()["weight_ih_l0"]);
    fused->w_hh.copy_(reference->named_parameters()["weight_hh_l0"]);
    fused->bias.copy_(reference->named_parameters()["bias_ih_l0"] + reference->named_parameters()["bias_hh_l0"]);
  }
  auto x = torch::randn({T, B, I});
  auto x1 = x.clone().requires_grad_(), x2 = x.clone().requires_grad_();
  std::get<0>(reference->forward(x1)).pow(2).sum().backward();
  fused(x2, torch::zeros({B, H}), torch::zeros({B, H}))[0].pow(2).sum().backward();
  ExpectClose(x2.grad(), x1.grad(), 1e-5, "dx");
  ExpectClose(fused->w_hh.grad(), reference->named_parameters()["weight_hh_l0"].grad(), 1e-5, "dW_hh");
}

ModelConfig TinyConfig(ModelType type) {
  ModelConfig c;
  c.type = type;
  c.vocab_size = 9;
  c.embedding = 8;
  c.hidden = 16;
  c.layers = 2;
  c.dropout = 0.0;
  c.heads = 2;
  c.context = 64;
  return c;
}

// Step-by-step sampling must give the logits the sequence forward gives.
void CheckStepMatchesForward(ModelType type, int64_t batch) {
  torch::manual_seed(11);
  auto model = MakeModel(TinyConfig(type));
  ASSERT_TRUE(model.ok()) << model.status().message();
  auto& m = **model;
  m.eval();
  const int64_t T = 7;
  auto ids = torch::randint(0, 9, {T, batch}, torch::kLong);
  torch::Tensor full;
  {
    torch::NoGradGuard no_grad;
    full = m.forward(ids, nullptr);
  }
  State state = m.InitialState(batch);
  for (int64_t t = 0; t < T; ++t) {
    auto logits = m.Step(ids[t], &state);
    ExpectClose(logits, full[t], 1e-4, "step " + std::to_string(t));
  }
}

TEST(LstmLm, StepMatchesForwardBatchOne) { CheckStepMatchesForward(ModelType::kLstm, 1); }
TEST(LstmLm, StepMatchesForwardBatchFour) { CheckStepMatchesForward(ModelType::kLstm, 4); }
TEST(TransformerLm, StepMatchesForward) { CheckStepMatchesForward(ModelType::kTransformer, 2); }

TEST(LstmLm, ForwardWithStateContinuesTheSequence) {
  // Priming: forward over a prefix then over the rest equals one forward.
  torch::manual_seed(5);
  auto model = MakeModel(TinyConfig(ModelType::kLstm));
  ASSERT_TRUE(model.ok());
  auto& m = **model;
  m.eval();
  torch::NoGradGuard no_grad;
  auto ids = torch::randint(0, 9, {10, 3}, torch::kLong);
  auto whole = m.forward(ids, nullptr);
  State state;
  m.forward(ids.slice(0, 0, 4), &state);
  auto rest = m.forward(ids.slice(0, 4), &state);
  ExpectClose(rest, whole.slice(0, 4), 1e-5, "continued");
}

// A tiny model learns a repeating toy sequence: the loss falls far below the
// uniform guess (ln 9 = 2.2).
void CheckLearnsToySequence(ModelType type) {
  torch::manual_seed(1);
  auto model = MakeModel(TinyConfig(type));
  ASSERT_TRUE(model.ok());
  auto& m = **model;
  m.train();
  const std::vector<int64_t> pattern = {1, 4, 5, 6, 7, 8, 5, 4, 2};
  std::vector<int64_t> seq;
  for (int r = 0; r < 4; ++r) seq.insert(seq.end(), pattern.begin(), pattern.end());
  auto data = torch::tensor(seq).view({-1, 1}).repeat({1, 4});  // [T,B]
  auto inputs = data.slice(0, 0, -1), targets = data.slice(0, 1);
  torch::optim::AdamW opt(m.parameters(), torch::optim::AdamWOptions(1e-2));
  double first = 0, last = 0;
  for (int step = 0; step < 150; ++step) {
    auto logits = m.forward(inputs, nullptr);
    auto loss = torch::cross_entropy_loss(logits.reshape({-1, 9}), targets.reshape({-1}));
    opt.zero_grad();
    loss.backward();
    opt.step();
    if (step == 0) first = loss.item<double>();
    last = loss.item<double>();
  }
  EXPECT_GT(first, 1.8);
  EXPECT_LT(last, 0.3) << "loss went from " << first << " to " << last;
}

TEST(LstmLm, LearnsToySequence) { CheckLearnsToySequence(ModelType::kLstm); }
TEST(TransformerLm, LearnsToySequence) { CheckLearnsToySequence(ModelType::kTransformer); }

}  // namespace
}  // namespace tunesmith::model
