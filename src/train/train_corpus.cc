#include "train/train_corpus.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <torch/torch.h>

#include "base/json_text.h"
#include "base/process.h"
#include "model/checkpoint.h"
#include "model/load_model.h"
#include "tokens/position.h"
#include "train/evaluate.h"
#include "train/progress.h"
#include "train/trainer.h"

namespace tunesmith::train {
namespace {

Result<torch::Device> ResolveDevice(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name == "cuda" || name == "auto") {
    if (torch::cuda::is_available()) return torch::Device(torch::kCUDA);
    if (name == "auto") return torch::Device(torch::kCPU);
    return Status::NotSupported("--device cuda: this LibTorch build sees no CUDA device (use --device cpu)");
  }
  return Status::InvalidArgument("--device '" + name + "' is not one of: auto, cpu, cuda");
}

}  // namespace

std::vector<std::string> PresetDirs() {
  namespace fs = std::filesystem;
  std::vector<std::string> dirs;
#ifdef TUNESMITH_CONFIG_DIR
  dirs.push_back(TUNESMITH_CONFIG_DIR);
#endif
  if (Result<fs::path> exe = base::ThisExecutable(); exe.ok()) {
    dirs.push_back((exe->parent_path() / "configs").string());
    dirs.push_back((exe->parent_path().parent_path() / "configs").string());
  }
  if (const char* env = std::getenv("TUNESMITH_CONFIGS")) dirs.push_back(env);
  return dirs;
}

Status CheckTrainOptions(const TrainCorpusOptions& o) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path out(o.out);
  if (o.out.empty() || fs::is_directory(out, ec) || !out.has_filename()) {
    return Status::InvalidArgument("--out " + o.out + " is a folder; give the model file to write, e.g. " +
                                   (out / "model.ckpt").string() + " (MODEL.last and MODEL.metrics.jsonl go beside it)");
  }
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("--out " + o.out + ": the folder " + dir.string() + " does not exist (HINT: mkdir -p " +
                            dir.string() + ")");
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Status::IOError("--out " + o.out + ": the folder " + dir.string() + " is not writable");
  }
  if (o.resume) {
    if (!fs::exists(LastPath(o.out), ec)) {
      return Status::NotFound("--resume: " + LastPath(o.out) + " does not exist (HINT: drop --resume to start afresh)");
    }
  } else if (auto preset = LoadTrainConfig(o.config, PresetDirs()); !preset.ok()) {
    return preset.status().WithPrefix("--config: ");
  }
  return Status::Ok();
}

Result<nlohmann::json> TrainOnCorpus(const TrainCorpusOptions& o, const corpus::Corpus& corpus,
                                     const std::function<void(const std::string&)>& say) {
  auto device = ResolveDevice(o.device);
  if (!device.ok()) return device.status();

  // The preset: from MODEL.last when resuming, else from o.config.
  TrainConfig config;
  uint64_t seed = o.seed;
  if (o.resume) {
    if (!std::filesystem::exists(LastPath(o.out))) {
      return Status::NotFound("--resume: " + LastPath(o.out) + " does not exist (HINT: drop --resume to start afresh)");
    }
    auto c = ReadResumeConfig(o.out, &seed);
    if (!c.ok()) return c.status();
    config = *c;
  } else {
    std::string path;
    auto c = LoadTrainConfig(o.config, PresetDirs(), &path);
    if (!c.ok()) return c.status();
    config = *c;
    say("preset " + path);
  }
  if (o.epochs > 0) config.train.epochs = o.epochs;

  // The vocabulary and the encoded splits.
  TrainData data;
  data.vocabulary = corpus::BuildVocabulary(corpus, config.tokenizer);
  data.train = corpus::EncodeSplit(corpus, data.vocabulary, corpus::Split::kTrain).tunes;
  data.valid = corpus::EncodeSplit(corpus, data.vocabulary, corpus::Split::kValid).tunes;
  const auto test = corpus::EncodeSplit(corpus, data.vocabulary, corpus::Split::kTest).tunes;
  data.corpus_fingerprint = corpus.Fingerprint();
  data.extras = o.extras;

  RunOptions run;
  run.out = o.out;
  run.seed = seed;
  run.resume = o.resume;
  run.max_minutes = o.max_minutes;
  run.device = *device;
  Trainer trainer(config, std::move(data), run);
  auto summary = trainer.Run();
  if (!summary.ok()) return summary.status();
  {
    std::ostringstream line;
    line << "stopped (" << summary->stop_reason << ") after " << summary->steps << " steps, " << summary->epochs
         << " epochs; " << static_cast<int>(summary->tokens_per_second) << " tok/s; best epoch "
         << summary->best_epoch << ": valid " << summary->best_valid.bits_per_token << " bits/token, "
         << summary->best_valid.bits_per_tune << " bits/tune";
    say(line.str());
  }

  // The best model on the test split; the figures go into MODEL and the log.
  nlohmann::json result = {{"model", o.out},
                           {"stop_reason", summary->stop_reason},
                           {"steps", summary->steps},
                           {"epochs", summary->epochs},
                           {"best_epoch", summary->best_epoch},
                           {"train_seconds", summary->seconds},
                           {"train_tok_s", summary->tokens_per_second},
                           {"threads", at::get_num_threads()},
                           {"valid", EvalResultToJson(summary->best_valid)}};
  // Ctrl-C stops now: the test figures wait for a run that ends.
  if (summary->epochs > 0 && !test.empty() && summary->stop_reason != "interrupted") {
    auto best = model::LoadModel(o.out, *device);
    if (!best.ok()) return best.status();
    const bool positions = best->model->config().has_positions();
    const auto test_features =
        positions ? tokens::TuneContexts(best->vocabulary, test, static_cast<int>(best->model->config().positions.size()))
                  : std::vector<std::vector<int32_t>>();
    const EvalResult t = Evaluate(*best->model, test, config.train.eval_batch_size, positions ? &test_features : nullptr);
    {
      std::ostringstream line;
      line << "test split (" << t.tunes << " tunes): " << t.bits_per_token << " bits/token, " << t.bits_per_tune
           << " bits/tune";
      say(line.str());
    }
    result["test"] = EvalResultToJson(t);
    model::Checkpoint c = std::move(best->checkpoint);
    c.train_state["test"] = EvalResultToJson(t);
    if (Status st = model::WriteCheckpoint(o.out, c); !st.ok()) return st;
    nlohmann::json line = EvalResultToJson(t);
    line["kind"] = "test";
    line["step"] = summary->steps;
    if (Status st = AppendMetricsLine(MetricsPath(o.out), base::JsonText(line)); !st.ok()) say("warning: " + st.message());
  }
  return result;
}

}  // namespace tunesmith::train
