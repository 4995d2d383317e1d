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
#include "train/distributed.h"
#include "train/evaluate.h"
#include "train/progress.h"
#include "train/trainer.h"

namespace tunesmith::train {
namespace {

// `local_rank`: a rank's GPU when several share a machine ("cuda" and "auto"
// then mean cuda:LOCAL_RANK).
Result<torch::Device> ResolveDevice(const std::string& name, int local_rank) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name == "cuda" || name == "auto" || name.rfind("cuda:", 0) == 0) {
    const int count = torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
    if (count == 0) {
      if (name == "auto") return torch::Device(torch::kCPU);
      return Status::NotSupported("--device " + name +
                                  ": this LibTorch build sees no CUDA device (use --device cpu; docs/gpu.md)");
    }
    int index = local_rank % count;
    if (name.size() > 5) {
      char* end = nullptr;
      const long n = std::strtol(name.c_str() + 5, &end, 10);
      if (*end != '\0' || n < 0 || n >= count) {
        return Status::InvalidArgument("--device " + name + ": this machine has CUDA devices 0 to " +
                                       std::to_string(count - 1));
      }
      index = static_cast<int>(n);
    }
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  return Status::InvalidArgument("--device '" + name + "' is not one of: auto, cpu, cuda, cuda:N");
}

// --resume in a group: rank 0 reads MODEL.last's preset and seed and sends
// them (the other machines need not have the file).
Result<TrainConfig> ResumeConfig(const std::string& out, Group* group, uint64_t* seed) {
  std::string shared;
  if (!group || group->rank() == 0) {
    Result<TrainConfig> c = std::filesystem::exists(LastPath(out))
                                ? ReadResumeConfig(out, seed)
                                : Result<TrainConfig>(Status::NotFound("--resume: " + LastPath(out) +
                                                                       " does not exist (HINT: drop --resume to start afresh)"));
    if (!group) return c;
    shared = c.ok() ? nlohmann::json({{"config", TrainConfigToJson(*c)}, {"seed", *seed}}).dump()
                    : nlohmann::json({{"error", c.status().message()}}).dump();
    if (Status st = group->ShareFromRoot("resume-config", &shared); !st.ok()) return st;
    return c;
  }
  if (Status st = group->ShareFromRoot("resume-config", &shared); !st.ok()) return st;
  const auto j = nlohmann::json::parse(shared);
  if (j.contains("error")) return Status::InvalidArgument("rank 0: " + j.at("error").get<std::string>());
  *seed = j.at("seed").get<uint64_t>();
  return TrainConfigFromJson(j.at("config"));
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
  std::shared_ptr<Group> group;
  if (o.distributed) {
    auto env = DistributedEnvFromVariables();
    if (!env.ok()) return env.status();
    GroupOptions go;
    go.timeout_seconds = o.distributed_timeout;
    auto joined = Group::Join(*env, go);
    if (!joined.ok()) return joined.status();
    group = std::move(*joined);
  }
  const bool leads = !group || group->rank() == 0;
  const auto tell = [&](const std::string& line) {
    if (leads) say(line);
  };
  auto device = ResolveDevice(o.device, group ? group->env().local_rank : 0);
  if (!device.ok()) return device.status();

  // The preset: from MODEL.last when resuming, else from o.config.
  TrainConfig config;
  uint64_t seed = o.seed;
  if (o.resume) {
    auto c = ResumeConfig(o.out, group.get(), &seed);
    if (!c.ok()) return c.status();
    config = *c;
  } else {
    std::string path;
    auto c = LoadTrainConfig(o.config, PresetDirs(), &path);
    if (!c.ok()) return c.status();
    config = *c;
    tell("preset " + path);
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
  run.group = group;
  run.progress = leads;
  Trainer trainer(config, std::move(data), run);
  auto summary = trainer.Run();
  if (!summary.ok()) return summary.status();
  if (!leads) {
    return nlohmann::json{{"rank", group->rank()},
                          {"world_size", group->size()},
                          {"stop_reason", summary->stop_reason},
                          {"steps", summary->steps},
                          {"allreduce_ms_per_step", summary->allreduce_ms_per_step}};
  }
  {
    std::ostringstream line;
    line << "stopped (" << summary->stop_reason << ") after " << summary->steps << " steps, " << summary->epochs
         << " epochs; " << static_cast<int>(summary->tokens_per_second) << " tok/s; best epoch "
         << summary->best_epoch << ": valid " << summary->best_valid.bits_per_token << " bits/token, "
         << summary->best_valid.bits_per_tune << " bits/tune";
    if (group) {
      line << "; " << group->size() << " ranks, gradient all-reduce " << summary->allreduce_ms_per_step
           << " ms per step on rank 0 (quickest " << summary->allreduce_min_ms << " ms)";
    }
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
                           {"world_size", summary->world_size},
                           {"allreduce_ms_per_step", summary->allreduce_ms_per_step},
                           {"allreduce_min_ms", summary->allreduce_min_ms},
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
