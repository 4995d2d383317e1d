// tunesmith-sample-bench: sampling speed of a model, and its weights for the
// Python peer (bench/sample_peer.py; bench/sample_vs_python.sh runs both).
//
//   tunesmith-sample-bench --model M --export /tmp/w        writes /tmp/w.json + /tmp/w.bin
//   tunesmith-sample-bench --model M --tunes 100 --steps 300 [--threads 1]
//
// Timing prints two lines:
//   model+draw: the peer's work exactly — B tunes x T steps of Model::Step,
//               softmax and one draw per tune (no grammar, no guard);
//   chain:      the generator as `tunesmith generate` runs it (grammar mask,
//               no guard), B tunes to their end.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "generate/generator.h"
#include "generate/grammar_mask.h"
#include "generate/throughput.h"
#include "model/load_model.h"

namespace {

using namespace tunesmith;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int Export(const model::LoadedModel& m, const std::string& prefix) {
  nlohmann::json meta;
  const auto& c = m.model->config();
  if (c.type != model::ModelType::kLstm) {
    std::cerr << "only LSTM models have a Python peer\n";
    return 2;
  }
  meta["vocab_size"] = c.vocab_size;
  meta["embedding"] = c.embedding;
  meta["hidden"] = c.hidden;
  meta["layers"] = c.layers;
  meta["bos"] = tokens::kBosId;
  meta["eos"] = tokens::kEosId;
  std::ofstream bin(prefix + ".bin", std::ios::binary);
  int64_t offset = 0;
  // A model with context columns is benchmarked fed the all-zero position
  // (generate/throughput.h); the peer gets that constant folded into the token
  // embedding, so both compute the same network.
  torch::Tensor fold;
  if (c.has_positions()) {
    torch::NoGradGuard no_grad;
    for (const auto& p : m.model->named_parameters()) {
      if (p.key().rfind("position", 0) == 0) {
        torch::Tensor row = p.value().detach()[0].to(torch::kCPU, torch::kFloat);
        fold = fold.defined() ? fold + row : row;
      }
    }
  }
  for (const auto& p : m.model->named_parameters()) {
    if (p.key().rfind("position", 0) == 0) continue;
    torch::Tensor t = p.value().detach().to(torch::kCPU, torch::kFloat).contiguous();
    if (fold.defined() && p.key() == "embedding.weight") t = (t + fold.unsqueeze(0)).contiguous();
    bin.write(reinterpret_cast<const char*>(t.data_ptr<float>()), t.numel() * sizeof(float));
    meta["tensors"].push_back({{"name", p.key()}, {"shape", t.sizes().vec()}, {"offset", offset}});
    offset += t.numel();
  }
  // The logits after <s>, so the peer can check it rebuilt the same network.
  {
    torch::NoGradGuard no_grad;
    model::State state = m.model->InitialState(1);
    torch::Tensor zero;
    if (c.has_positions()) zero = torch::zeros({1, static_cast<int64_t>(c.positions.size())}, torch::kInt64);
    auto logits = m.model->Step(torch::tensor({int64_t{tokens::kBosId}}), &state, zero).contiguous();
    meta["logits_after_bos"] = std::vector<float>(logits.data_ptr<float>(), logits.data_ptr<float>() + logits.numel());
  }
  std::ofstream(prefix + ".json") << meta.dump(1) << "\n";
  std::cerr << "wrote " << prefix << ".json and " << prefix << ".bin (" << offset << " floats)\n";
  return bin ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tunesmith-sample-bench: sampling speed and the Python peer's weights"};
  std::string model_path, export_prefix;
  int tunes = 1, steps = 300, threads = 1;
  bool json = false;
  app.add_option("--model", model_path, "Model checkpoint")->required();
  app.add_option("--export", export_prefix, "Write PREFIX.json and PREFIX.bin for bench/sample_peer.py");
  app.add_option("--tunes", tunes, "Tunes sampled together")->capture_default_str();
  app.add_option("--steps", steps, "Steps per tune for the model+draw loop")->capture_default_str();
  app.add_option("--threads", threads, "LibTorch threads")->capture_default_str();
  app.add_flag("--json", json, "One JSON line on stdout");
  CLI11_PARSE(app, argc, argv);
  at::set_num_threads(threads);

  auto loaded = model::LoadModel(model_path);
  if (!loaded.ok()) {
    std::cerr << loaded.status().message() << "\n";
    return 2;
  }
  if (!export_prefix.empty()) return Export(*loaded, export_prefix);

  // The peer's loop: B tunes x T steps, softmax + one draw per tune and step.
  const generate::ModelDrawSpeed model_draw = generate::MeasureModelAndDraw(*loaded->model, tunes, steps);
  const double raw = model_draw.seconds;
  const double raw_tok_s = model_draw.tokens_per_second;

  auto rules = generate::GrammarRules::Make(loaded->vocabulary, {});
  if (!rules.ok()) {
    std::cerr << rules.status().message() << "\n";
    return 2;
  }
  generate::Generator gen(loaded->model, *rules, nullptr);
  generate::GenerateOptions o;
  o.count = tunes;
  o.seed = 11;
  o.batch_size = tunes;
  const double t0 = Now();
  auto sampled = gen.Generate(o);
  const double chain = Now() - t0;
  if (!sampled.ok()) {
    std::cerr << sampled.status().message() << "\n";
    return 2;
  }
  int64_t chain_steps = 0;
  for (const auto& t : *sampled) chain_steps += t.steps;

  if (json) {
    std::cout << nlohmann::json{{"tunes", tunes},
                                {"threads", threads},
                                {"model_draw_tok_s", raw_tok_s},
                                {"model_draw_ms_per_tune", 1000 * raw / tunes},
                                {"chain_tok_s", chain_steps / chain},
                                {"chain_ms_per_tune", 1000 * chain / tunes},
                                {"chain_steps_per_tune", static_cast<double>(chain_steps) / tunes}}
                     .dump()
              << "\n";
  } else {
    std::printf("model+draw: %d tunes x %d steps: %.0f tok/s, %.1f ms per tune\n", tunes, steps, raw_tok_s,
                1000 * raw / tunes);
    std::printf("chain:      %d tunes, %.0f steps each: %.0f tok/s, %.1f ms per tune\n", tunes,
                static_cast<double>(chain_steps) / tunes, chain_steps / chain, 1000 * chain / tunes);
  }
  return 0;
}
