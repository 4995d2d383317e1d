// tunesmith train --config NAME|FILE --corpus PATH... --out MODEL [...]:
// loads the corpus, builds the vocabulary of the preset's tokenizer, trains
// (src/train), then scores the best model on the test split.
//
// A preset NAME is configs/NAME.json, looked for in the source tree the binary
// was built from (TUNESMITH_CONFIG_DIR), then in configs/ beside the binary
// and one folder up, then in $TUNESMITH_CONFIGS.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "cli/commands.h"
#include "corpus/corpus.h"
#include "generate/key_choice.h"
#include "generate/novelty_guard.h"
#include "model/checkpoint.h"
#include "model/load_model.h"
#include "tokens/position.h"
#include "train/evaluate.h"
#include "train/trainer.h"

namespace tunesmith::cli {
namespace {

struct TrainCommandOptions {
  std::string config = "default";   // preset name or file
  std::vector<std::string> corpus;  // ABC files or folders
  std::string out;                  // MODEL path
  int epochs = 0;                   // 0: the preset's
  int threads = 0;                  // 0: every core
  bool resume = false;
  uint64_t seed = 1;
  std::string device = "auto";
  double max_minutes = 0;
  bool json = false;
};

std::vector<std::string> ConfigDirs() {
  namespace fs = std::filesystem;
  std::vector<std::string> dirs;
#ifdef TUNESMITH_CONFIG_DIR
  dirs.push_back(TUNESMITH_CONFIG_DIR);
#endif
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    dirs.push_back((exe.parent_path() / "configs").string());
    dirs.push_back((exe.parent_path().parent_path() / "configs").string());
  }
  if (const char* env = std::getenv("TUNESMITH_CONFIGS")) dirs.push_back(env);
  return dirs;
}

Result<torch::Device> ResolveDevice(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name == "cuda" || name == "auto") {
    if (torch::cuda::is_available()) return torch::Device(torch::kCUDA);
    if (name == "auto") return torch::Device(torch::kCPU);
    return Status::Error("--device cuda: this LibTorch build sees no CUDA device (use --device cpu)");
  }
  return Status::Error("--device '" + name + "' is not one of: auto, cpu, cuda");
}

nlohmann::json EvalJson(const train::EvalResult& r) {
  return {{"loss", r.loss}, {"bits_per_token", r.bits_per_token}, {"bits_per_tune", r.bits_per_tune},
          {"tokens", r.tokens}, {"tunes", r.tunes}};
}

int RunTrain(TrainCommandOptions o) {
  const char* me = "tunesmith train";
  at::set_num_threads(o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  auto device = ResolveDevice(o.device);
  if (!device.ok()) {
    std::cerr << me << ": " << device.status().message() << "\n";
    return kExitUsage;
  }

  // The preset: from MODEL.last when resuming, else from --config.
  train::TrainConfig config;
  const bool can_resume = o.resume && std::filesystem::exists(train::LastPath(o.out));
  if (o.resume && !can_resume) {
    std::cerr << me << ": --resume: " << train::LastPath(o.out) << " does not exist (HINT: drop --resume to start afresh)\n";
    return kExitUsage;
  }
  if (can_resume) {
    auto c = train::ReadResumeConfig(o.out, &o.seed);
    if (!c.ok()) {
      std::cerr << me << ": " << c.status().message() << "\n";
      return kExitUsage;
    }
    config = *c;
  } else {
    std::string path;
    auto c = train::LoadTrainConfig(o.config, ConfigDirs(), &path);
    if (!c.ok()) {
      std::cerr << me << ": " << c.status().message() << "\n";
      return kExitUsage;
    }
    config = *c;
    std::cerr << me << ": preset " << path << "\n";
  }
  if (o.epochs > 0) config.train.epochs = o.epochs;

  // The corpus, its vocabulary and the encoded splits.
  auto corpus = corpus::LoadCorpus(o.corpus);
  if (!corpus.ok()) {
    std::cerr << me << ": " << corpus.status().message() << "\n";
    return kExitUsage;
  }
  const auto& stats = corpus->stats;
  std::cerr << me << ": corpus: " << stats.kept << " tunes (" << stats.train << " train, " << stats.valid
            << " valid, " << stats.test << " test), " << stats.rejected << " rejected, " << stats.duplicates
            << " duplicates dropped; fingerprint " << corpus->Fingerprint() << "\n";
  train::TrainData data;
  data.vocabulary = corpus::BuildVocabulary(*corpus, config.tokenizer);
  data.train = corpus::EncodeSplit(*corpus, data.vocabulary, corpus::Split::kTrain).tunes;
  data.valid = corpus::EncodeSplit(*corpus, data.vocabulary, corpus::Split::kValid).tunes;
  const auto test = corpus::EncodeSplit(*corpus, data.vocabulary, corpus::Split::kTest).tunes;
  data.corpus_fingerprint = corpus->Fingerprint();
  // The novelty guard's index of the training tunes travels in the model, so
  // generate works without the corpus (docs/novelty.md).
  data.extras[generate::kNoveltyExtraKey] = generate::NoveltyBlobFor(*corpus);
  data.extras[generate::kKeyTableExtraKey] = generate::KeyTable::FromCorpus(*corpus, corpus::Split::kTrain).Serialize();

  train::RunOptions run;
  run.out = o.out;
  run.seed = o.seed;
  run.resume = can_resume;
  run.max_minutes = o.max_minutes;
  run.device = *device;
  train::Trainer trainer(config, std::move(data), run);
  auto summary = trainer.Run();
  if (!summary.ok()) {
    std::cerr << me << ": " << summary.status().message() << "\n";
    return kExitUsage;
  }
  std::cerr << me << ": stopped (" << summary->stop_reason << ") after " << summary->steps << " steps, "
            << summary->epochs << " epochs; " << static_cast<int>(summary->tokens_per_second) << " tok/s; best epoch "
            << summary->best_epoch << ": valid " << summary->best_valid.bits_per_token << " bits/token, "
            << summary->best_valid.bits_per_tune << " bits/tune\n";

  // The best model on the test split; the figures go into MODEL and the log.
  nlohmann::json result = {{"model", o.out},
                           {"stop_reason", summary->stop_reason},
                           {"steps", summary->steps},
                           {"epochs", summary->epochs},
                           {"best_epoch", summary->best_epoch},
                           {"train_seconds", summary->seconds},
                           {"train_tok_s", summary->tokens_per_second},
                           {"threads", at::get_num_threads()},
                           {"valid", EvalJson(summary->best_valid)}};
  if (summary->epochs > 0 && !test.empty()) {
    auto best = model::LoadModel(o.out, *device);
    if (!best.ok()) {
      std::cerr << me << ": " << best.status().message() << "\n";
      return kExitUsage;
    }
    const bool positions = best->model->config().has_positions();
    const auto test_features = positions ? tokens::TuneContexts(best->vocabulary, test, static_cast<int>(best->model->config().positions.size()))
                                         : std::vector<std::vector<int32_t>>();
    const auto t = train::Evaluate(*best->model, test, config.train.eval_batch_size,
                                   positions ? &test_features : nullptr);
    std::cerr << me << ": test split (" << t.tunes << " tunes): " << t.bits_per_token << " bits/token, "
              << t.bits_per_tune << " bits/tune\n";
    result["test"] = EvalJson(t);
    model::Checkpoint c = std::move(best->checkpoint);
    c.train_state["test"] = EvalJson(t);
    Status st = model::WriteCheckpoint(o.out, c);
    if (!st.ok()) {
      std::cerr << me << ": " << st.message() << "\n";
      return kExitUsage;
    }
    if (std::FILE* log = std::fopen(train::MetricsPath(o.out).c_str(), "a")) {
      nlohmann::json line = EvalJson(t);
      line["kind"] = "test";
      line["step"] = summary->steps;
      std::fprintf(log, "%s\n", line.dump().c_str());
      std::fclose(log);
    }
  }
  if (o.json) std::cout << result.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void AddTrainCommand(CLI::App& app) {
  auto o = std::make_shared<TrainCommandOptions>();
  auto* cmd = app.add_subcommand("train", "Train a model on a corpus of ABC tunes");
  cmd->add_option("--config", o->config, "Preset name (configs/NAME.json) or JSON file")->capture_default_str();
  cmd->add_option("--corpus", o->corpus, "ABC files or folders (searched recursively)")->required();
  cmd->add_option("--out", o->out, "Model file to write (MODEL.last and MODEL.metrics.jsonl go beside it)")
      ->required();
  cmd->add_option("--epochs", o->epochs, "Passes over the training split (0: the preset's)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "CPU threads (0: every core)")->capture_default_str();
  cmd->add_flag("--resume", o->resume, "Continue exactly where MODEL.last stopped (same data order and RNG)");
  cmd->add_option("--seed", o->seed, "Seed of the initial weights, dropout and data order")->capture_default_str();
  cmd->add_option("--device", o->device, "auto (cuda when available), cpu or cuda")->capture_default_str();
  cmd->add_option("--max-minutes", o->max_minutes, "Wall-clock budget; then MODEL.last is written (0: none)")
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print a JSON summary (valid and test figures, tok/s) on stdout");
  cmd->callback([o] {
    const int code = RunTrain(*o);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
