#include "train/train_config.h"

#include <filesystem>
#include <fstream>

#include "tokens/position.h"

namespace tunesmith::train {

namespace {

Status ReadOptions(const nlohmann::json& j, TrainOptions& o) {
  if (!j.is_object()) return Status::InvalidArgument("train: expected a JSON object");
  for (const auto& [key, v] : j.items()) {
    if (key == "batching") {
      const std::string m = v.get<std::string>();
      if (m == "tunes") {
        o.batching = corpus::BatchMode::kTunes;
      } else if (m == "stream") {
        o.batching = corpus::BatchMode::kStream;
      } else {
        return Status::InvalidArgument("train.batching: '" + m + "' is not one of: tunes, stream");
      }
    } else if (key == "schedule") {
      const std::string s = v.get<std::string>();
      if (s == "cosine") {
        o.schedule = Schedule::kCosine;
      } else if (s == "constant") {
        o.schedule = Schedule::kConstant;
      } else {
        return Status::InvalidArgument("train.schedule: '" + s + "' is not one of: cosine, constant");
      }
    } else if (key == "batch_size") { o.batch_size = v.get<int>();
    } else if (key == "seq_len") { o.seq_len = v.get<int>();
    } else if (key == "lr") { o.lr = v.get<double>();
    } else if (key == "min_lr_ratio") { o.min_lr_ratio = v.get<double>();
    } else if (key == "warmup_steps") { o.warmup_steps = v.get<int>();
    } else if (key == "weight_decay") { o.weight_decay = v.get<double>();
    } else if (key == "beta1") { o.beta1 = v.get<double>();
    } else if (key == "beta2") { o.beta2 = v.get<double>();
    } else if (key == "clip") { o.clip = v.get<double>();
    } else if (key == "epochs") { o.epochs = v.get<int>();
    } else if (key == "patience") { o.patience = v.get<int>();
    } else if (key == "eval_batch_size") { o.eval_batch_size = v.get<int>();
    } else if (key == "log_every") { o.log_every = v.get<int>();
    } else if (key == "checkpoint_minutes") { o.checkpoint_minutes = v.get<double>();
    } else {
      return Status::InvalidArgument("train: unknown key '" + key + "'");
    }
  }
  if (o.batch_size <= 0 || o.seq_len <= 0 || o.epochs <= 0 || o.eval_batch_size <= 0 || o.log_every <= 0)
    return Status::InvalidArgument("train: batch_size, seq_len, epochs, eval_batch_size and log_every must be positive");
  if (o.lr <= 0) return Status::InvalidArgument("train: lr must be positive");
  return Status::Ok();
}

}  // namespace

nlohmann::json TrainConfigToJson(const TrainConfig& c) {
  const TrainOptions& o = c.train;
  return {{"tokenizer", tokens::TokenizerKindName(c.tokenizer)},
          {"model", model::ModelConfigToJson(c.model)},
          {"train",
           {{"batching", corpus::BatchModeName(o.batching)},
            {"batch_size", o.batch_size},
            {"seq_len", o.seq_len},
            {"lr", o.lr},
            {"min_lr_ratio", o.min_lr_ratio},
            {"warmup_steps", o.warmup_steps},
            {"schedule", o.schedule == Schedule::kCosine ? "cosine" : "constant"},
            {"weight_decay", o.weight_decay},
            {"beta1", o.beta1},
            {"beta2", o.beta2},
            {"clip", o.clip},
            {"epochs", o.epochs},
            {"patience", o.patience},
            {"eval_batch_size", o.eval_batch_size},
            {"log_every", o.log_every},
            {"checkpoint_minutes", o.checkpoint_minutes}}}};
}

Result<TrainConfig> TrainConfigFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::InvalidArgument("config: expected a JSON object");
  TrainConfig c;
  try {
    for (const auto& [key, v] : j.items()) {
      if (key == "tokenizer") {
        const std::string name = v.get<std::string>();
        if (name == "abc-token") {
          c.tokenizer = tokens::TokenizerKind::kAbcToken;
        } else if (name == "char") {
          c.tokenizer = tokens::TokenizerKind::kChar;
        } else {
          return Status::InvalidArgument("config: tokenizer '" + name + "' is not one of: abc-token, char");
        }
      } else if (key == "model") {
        // A preset names the context columns the model reads
        // (tokens/position.h): "positions": "bars" (beat, bar, bars left,
        // part) or "lookback" (and the two look-backs); a checkpoint stores
        // their sizes (0 until the vocabulary is known).
        nlohmann::json mj = v;
        if (mj.is_object() && mj.contains("positions") && mj["positions"].is_string()) {
          const std::string kind = mj["positions"].get<std::string>();
          if (kind == "none") {
            mj.erase("positions");
          } else if (kind == "bars" || kind == "lookback") {
            const int columns = kind == "bars" ? tokens::kBarColumns : tokens::kContextColumns;
            mj["positions"] = tokens::ContextSizes(columns, -1);
          } else {
            return Status::InvalidArgument("config: model.positions '" + kind + "' is not one of: none, bars, lookback");
          }
        }
        auto m = model::ModelConfigFromJson(mj);
        if (!m.ok()) return m.status();
        c.model = *m;
      } else if (key == "train") {
        Status st = ReadOptions(v, c.train);
        if (!st.ok()) return st;
      } else if (key == "comment") {
        // Free text for people reading the preset.
      } else {
        return Status::InvalidArgument("config: unknown key '" + key + "' (known: tokenizer, model, train, comment)");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("config: ") + e.what());
  }
  return c;
}

Result<TrainConfig> LoadTrainConfig(const std::string& name_or_path, const std::vector<std::string>& config_dirs,
                                    std::string* resolved_path) {
  namespace fs = std::filesystem;
  std::string path;
  if (fs::is_regular_file(name_or_path)) {
    path = name_or_path;
  } else {
    std::string tried;
    for (const auto& dir : config_dirs) {
      const fs::path candidate = fs::path(dir) / (name_or_path + ".json");
      tried += "\n  " + candidate.string();
      if (fs::is_regular_file(candidate)) {
        path = candidate.string();
        break;
      }
    }
    if (path.empty()) return Status::NotFound("config '" + name_or_path + "' not found; looked for the file and for:" + tried);
  }
  std::ifstream in(path);
  if (!in) return Status::IOError("cannot read config " + path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument("config " + path + ": " + e.what());
  }
  auto config = TrainConfigFromJson(j);
  if (!config.ok()) return config.status().WithPrefix("config " + path + ": ");
  if (resolved_path) *resolved_path = path;
  return config;
}

}  // namespace tunesmith::train
