// train_bench: training throughput of tunesmith's LstmLm (fused LSTM) and of
// the same network on torch::nn::LSTM, on the same synthetic batches; writes
// those batches for the Python peer (train_peer.py). One JSON line per result.
//   train_bench --threads 1 --embedding 256 --hidden 256 --layers 3 --vocab 100 --write-batches b.bin
// bench/train_vs_python.sh runs all three side by side.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "train/throughput.h"

int main(int argc, char** argv) {
  using namespace tunesmith;
  train::ThroughputOptions o;
  o.model.embedding = 256;
  o.model.hidden = 256;
  o.model.layers = 3;
  o.model.vocab_size = 100;
  o.model.dropout = 0.0;
  int threads = 1;
  std::string impl = "both", write_batches;
  int repeats = 1;
  CLI::App app{"Training throughput: fused LSTM vs torch::nn::LSTM"};
  app.add_option("--threads", threads, "LibTorch threads")->capture_default_str();
  app.add_option("--embedding", o.model.embedding, "Embedding width")->capture_default_str();
  app.add_option("--hidden", o.model.hidden, "LSTM units per layer")->capture_default_str();
  app.add_option("--layers", o.model.layers, "LSTM layers")->capture_default_str();
  app.add_option("--vocab", o.model.vocab_size, "Vocabulary size")->capture_default_str();
  app.add_option("--dropout", o.model.dropout, "Dropout")->capture_default_str();
  app.add_option("--T", o.T, "Time steps per batch")->capture_default_str();
  app.add_option("--B", o.B, "Rows per batch")->capture_default_str();
  app.add_option("--warmup", o.warmup, "Untimed steps")->capture_default_str();
  app.add_option("--steps", o.steps, "Timed steps")->capture_default_str();
  app.add_option("--impl", impl, "fused, nn, both, or none (only --write-batches)")->capture_default_str();
  app.add_option("--repeats", repeats, "Measure each this many times (alternating)")->capture_default_str();
  app.add_option("--write-batches", write_batches, "Write the batches (int64 [n][T+1][B]) for train_peer.py");
  CLI11_PARSE(app, argc, argv);

  at::set_num_threads(threads);
  const auto batches = train::MakeBenchBatches(o.model.vocab_size, o.T, o.B, o.warmup + o.steps, 7);
  if (!write_batches.empty()) {
    std::ofstream out(write_batches, std::ios::binary);
    out.write(reinterpret_cast<const char*>(batches.data()), batches.size() * sizeof(int64_t));
  }
  for (int r = 0; r < repeats; ++r) {
    for (auto which : {train::LstmImpl::kFused, train::LstmImpl::kNnLstm}) {
      const bool fused = which == train::LstmImpl::kFused;
      if (impl != "both" && impl != (fused ? "fused" : "nn")) continue;
      o.impl = which;
      const auto res = train::MeasureTrainThroughput(o, batches);
      std::cout << nlohmann::json{{"impl", fused ? "tunesmith-fused" : "cpp-nn-lstm"},
                                  {"threads", threads},
                                  {"tok_s", res.tokens_per_second},
                                  {"gflop_s", res.gflop_per_second},
                                  {"seconds", res.seconds}}
                       .dump()
                << std::endl;
    }
  }
  return 0;
}
