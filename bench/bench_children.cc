// The LibTorch half of tunesmith-bench: a model with random weights, and the
// child processes that measure training and sampling (see bench_children.h).
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include <torch/torch.h>

#include "bench_children.h"
#include "generate/generator.h"
#include "generate/grammar_mask.h"
#include "generate/novelty_guard.h"
#include "generate/throughput.h"
#include "model/checkpoint.h"
#include "model/language_model.h"
#include "model/load_model.h"
#include "model/weights.h"
#include "train/throughput.h"

namespace tunesmith::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// This process's peak resident set (VmHWM), MiB. Read by the child itself:
// the rusage a parent gets from wait4 after posix_spawn starts from the
// parent's own high-water mark (exec keeps the larger of the two).
double PeakRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

int ChildTrain(const nlohmann::json& spec) {
  auto config = model::ModelConfigFromJson(spec.at("model"));
  if (!config.ok()) {
    std::cerr << "bench child train: " << config.status().message() << "\n";
    return 2;
  }
  train::ThroughputOptions o;
  o.model = *config;
  o.T = spec.at("T").get<int>();
  o.B = spec.at("B").get<int>();
  o.warmup = spec.at("warmup").get<int>();
  o.steps = spec.at("steps").get<int>();
  o.impl = spec.value("impl", "fused") == "nn" ? train::LstmImpl::kNnLstm : train::LstmImpl::kFused;
  // The same batches as bench/train_bench (seed 7), which the Python peer reads from a file.
  const auto batches = train::MakeBenchBatches(o.model.vocab_size, o.T, o.B, o.warmup + o.steps, 7);
  const train::ThroughputResult r = train::MeasureTrainThroughput(o, batches);
  std::cout << nlohmann::json{{"tok_s", r.tokens_per_second},
                              {"gflop_s", r.gflop_per_second},
                              {"seconds", r.seconds},
                              {"vm_hwm_mb", PeakRssMb()}}
                   .dump()
            << std::endl;
  return 0;
}

int ChildGenerate(const nlohmann::json& spec) {
  auto loaded = model::LoadModel(spec.at("model").get<std::string>(), torch::kCPU);
  if (!loaded.ok()) {
    std::cerr << "bench child generate: " << loaded.status().message() << "\n";
    return 2;
  }
  const uint64_t seed = spec.value("seed", 1);
  nlohmann::json out;
  // The network alone, as the Python peer (bench/sample_peer.py) samples.
  out["model_tok_s_b1"] =
      generate::MeasureModelAndDraw(*loaded->model, 1, spec.at("model_steps_b1").get<int>()).tokens_per_second;
  out["model_tok_s_b64"] =
      generate::MeasureModelAndDraw(*loaded->model, 64, spec.at("model_steps_b64").get<int>()).tokens_per_second;

  // The product: the generator with the grammar mask and, when the model
  // carries its training index, the novelty guard, as `generate` runs it.
  auto rules = generate::GrammarRules::Make(loaded->vocabulary, generate::GrammarOptions{});
  if (!rules.ok()) {
    out["method"] = "none (" + rules.status().message() + ")";
    out["vm_hwm_mb"] = PeakRssMb();
    std::cout << out.dump() << std::endl;
    return 0;
  }
  std::shared_ptr<const corpus::NoveltyIndex> index;
  if (auto stored = generate::NoveltyIndexFromExtras(loaded->checkpoint.extras); stored.ok() && stored->has_value()) {
    index = std::make_shared<const corpus::NoveltyIndex>(std::move(**stored));
  }
  generate::NoveltyGuard guard(index, generate::kDefaultNoveltyThreshold);
  generate::Generator generator(loaded->model, *rules, index ? &guard : nullptr);
  out["method"] = index ? "grammar mask + novelty guard" : "grammar mask (the model carries no novelty index)";
  int64_t all_tokens = 0, all_tunes = 0;
  generate::GenerateProfile profile;
  int64_t tokens_b64 = 0;
  for (int batch : {1, 64}) {
    generate::GenerateOptions g;
    g.count = spec.at(batch == 1 ? "tunes_b1" : "tunes_b64").get<int>();
    g.seed = seed;
    g.batch_size = batch;
    if (batch == 64) g.profile = &profile;
    const auto start = Clock::now();
    auto tunes = generator.Generate(g);
    const double seconds = Since(start);
    if (!tunes.ok()) {
      std::cerr << "bench child generate: " << tunes.status().message() << "\n";
      return 2;
    }
    int64_t tokens = 0;
    for (const auto& t : *tunes) tokens += static_cast<int64_t>(t.tokens.size()) - 1;  // <s> not drawn
    const std::string b = batch == 1 ? "b1" : "b64";
    out["tok_s_" + b] = tokens / seconds;
    out["ms_per_tune_" + b] = 1e3 * seconds / g.count;
    all_tokens += tokens;
    all_tunes += g.count;
    if (batch == 64) tokens_b64 = tokens;
  }
  out["tokens_per_tune"] = static_cast<double>(all_tokens) / static_cast<double>(all_tunes);
  // Where the batch-64 run's time went, and the network alone at the mean
  // batch that run stepped (its last tunes run in a batch that shrinks as
  // tunes end): the generator's cost beside the network's at its own batch.
  const double total = profile.network_seconds + profile.rows_seconds + profile.serial_seconds;
  if (profile.steps > 0 && total > 0) {
    const double mean_batch = static_cast<double>(profile.row_steps) / static_cast<double>(profile.steps);
    out["b64_mean_batch"] = mean_batch;
    out["b64_network_share"] = profile.network_seconds / total;
    out["b64_rows_share"] = profile.rows_seconds / total;
    out["b64_serial_share"] = profile.serial_seconds / total;
    out["b64_row_steps_per_token"] = static_cast<double>(profile.row_steps) / static_cast<double>(std::max<int64_t>(1, tokens_b64));
    out["model_tok_s_mean_batch"] =
        generate::MeasureModelAndDraw(*loaded->model, std::max<int64_t>(1, std::llround(mean_batch)),
                                      spec.at("model_steps_b64").get<int>())
            .tokens_per_second;
  }
  out["vm_hwm_mb"] = PeakRssMb();
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace

Status WriteRandomModel(const model::ModelConfig& config, const tokens::Vocabulary& vocab, const std::string& path) {
  try {
    torch::manual_seed(1);
    model::ModelConfig c = config;
    c.vocab_size = vocab.size();
    auto net = model::MakeModel(c);
    if (!net.ok()) return net.status();
    model::Checkpoint ckpt;
    ckpt.model = c;
    ckpt.vocabulary = vocab.Serialize();
    ckpt.weights = model::SerializeWeights(**net);
    return model::WriteCheckpoint(path, ckpt);
  } catch (const c10::Error& e) {
    return Status::Error(std::string("a random model could not be built: ") + e.what_without_backtrace());
  }
}

int RunBenchChild(const std::string& kind, const nlohmann::json& spec) {
  try {
    if (kind == "idle") {  // nothing but the process: what being linked to LibTorch costs
      std::cout << nlohmann::json{{"vm_hwm_mb", PeakRssMb()}}.dump() << std::endl;
      return 0;
    }
    if (spec.contains("threads")) at::set_num_threads(spec["threads"].get<int>());
    if (kind == "train") return ChildTrain(spec);
    if (kind == "generate") return ChildGenerate(spec);
    std::cerr << "bench child: unknown kind '" << kind << "'\n";
    return 2;
  } catch (const c10::Error& e) {
    std::cerr << "bench child " << kind << ": LibTorch: " << e.what_without_backtrace() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bench child " << kind << ": " << e.what() << "\n";
  }
  return 2;
}

}  // namespace tunesmith::bench
