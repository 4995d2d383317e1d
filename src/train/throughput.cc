#include "train/throughput.h"

#include <chrono>
#include <random>

#include "model/language_model.h"

namespace tunesmith::train {

namespace {

// The same network on torch::nn::LSTM: the reference the fused layer is measured against.
class NnLstmLm : public torch::nn::Module {
 public:
  explicit NnLstmLm(const model::ModelConfig& c) : dropout_(c.dropout) {
    embedding = register_module("embedding", torch::nn::Embedding(c.vocab_size, c.embedding));
    lstm = register_module(
        "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(c.embedding, c.hidden).num_layers(c.layers).dropout(c.dropout)));
    head = register_module("head", torch::nn::Linear(c.hidden, c.vocab_size));
  }
  torch::Tensor forward(const torch::Tensor& ids) {
    auto y = std::get<0>(lstm->forward(embedding(ids)));
    return head(torch::dropout(y, dropout_, is_training()));
  }

 private:
  double dropout_;
  torch::nn::Embedding embedding{nullptr};
  torch::nn::LSTM lstm{nullptr};
  torch::nn::Linear head{nullptr};
};

}  // namespace

std::vector<int64_t> MakeBenchBatches(int64_t vocab, int T, int B, int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int64_t> out(static_cast<size_t>(count) * (T + 1) * B);
  for (auto& id : out) id = 4 + static_cast<int64_t>(rng() % static_cast<uint64_t>(vocab - 4));
  return out;
}

ThroughputResult MeasureTrainThroughput(const ThroughputOptions& o, const std::vector<int64_t>& batches) {
  torch::manual_seed(1);
  std::shared_ptr<torch::nn::Module> net;
  std::function<torch::Tensor(const torch::Tensor&)> forward;
  if (o.impl == LstmImpl::kFused) {
    auto m = model::MakeModel(o.model);
    if (!m.ok()) throw std::invalid_argument(m.status().message());
    auto lm = *m;
    net = lm;
    forward = [lm](const torch::Tensor& ids) { return lm->forward(ids, nullptr); };
  } else {
    auto lm = std::make_shared<NnLstmLm>(o.model);
    net = lm;
    forward = [lm](const torch::Tensor& ids) { return lm->forward(ids); };
  }
  net->train();
  torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(o.lr));
  const int64_t per_batch = static_cast<int64_t>(o.T + 1) * o.B;
  const int total = o.warmup + o.steps;
  if (static_cast<int64_t>(batches.size()) < per_batch * total) throw std::invalid_argument("too few bench batches");
  auto all = torch::tensor(batches, torch::kLong).view({-1, o.T + 1, o.B});
  std::chrono::steady_clock::time_point start;
  for (int i = 0; i < total; ++i) {
    if (i == o.warmup) start = std::chrono::steady_clock::now();
    auto batch = all[i];
    auto inputs = batch.slice(0, 0, o.T), targets = batch.slice(0, 1).reshape({-1});
    auto logits = forward(inputs);
    auto loss = torch::cross_entropy_loss(logits.view({o.T * o.B, -1}), targets);
    opt.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(net->parameters(), 1.0);
    opt.step();
  }
  ThroughputResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.tokens_per_second = static_cast<double>(o.steps) * o.T * o.B / r.seconds;
  r.gflop_per_second = r.tokens_per_second * o.model.TrainFlopsPerToken() / 1e9;
  return r;
}

}  // namespace tunesmith::train
