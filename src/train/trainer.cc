#include "train/trainer.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <sstream>

#include "base/json_text.h"
#include "base/files.h"
#include "model/checkpoint.h"
#include "tokens/position.h"
#include "train/distributed.h"
#include "model/weights.h"
#include "train/progress.h"
#include "train/schedule.h"

namespace tunesmith::train {

nlohmann::json EvalResultToJson(const EvalResult& r) {
  return {{"loss", r.loss}, {"bits_per_token", r.bits_per_token}, {"bits_per_tune", r.bits_per_tune},
          {"tokens", r.tokens}, {"tunes", r.tunes}};
}

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};
void OnSigint(int) { g_interrupted.store(true); }

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

EvalResult EvalFromJson(const nlohmann::json& j) {
  EvalResult r;
  r.loss = j.value("loss", 0.0);
  r.bits_per_token = j.value("bits_per_token", 0.0);
  r.bits_per_tune = j.value("bits_per_tune", 0.0);
  r.tokens = j.value("tokens", int64_t{0});
  r.tunes = j.value("tunes", int64_t{0});
  return r;
}

// LibTorch's CPU generator (dropout, initial weights) as bytes and back.
std::string SaveRng() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  auto state = gen.get_state();
  return std::string(static_cast<const char*>(state.data_ptr()), state.numel());
}

void LoadRng(const std::string& bytes) {
  auto state = torch::empty({static_cast<int64_t>(bytes.size())}, torch::kByte);
  std::memcpy(state.data_ptr(), bytes.data(), bytes.size());
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

// The generator of a GPU (dropout there) as bytes and back; empty on the CPU.
std::string SaveDeviceRng(torch::Device device) {
  if (!device.is_cuda()) return "";
  auto gen = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(gen.mutex());
  auto state = gen.get_state();
  return std::string(static_cast<const char*>(state.data_ptr()), state.numel());
}

void LoadDeviceRng(torch::Device device, const std::string& bytes) {
  if (!device.is_cuda() || bytes.empty()) return;
  auto state = torch::empty({static_cast<int64_t>(bytes.size())}, torch::kByte);
  std::memcpy(state.data_ptr(), bytes.data(), bytes.size());
  auto gen = at::globalContext().defaultGenerator(device);
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

std::string SaveTensors(const std::vector<torch::Tensor>& tensors) {
  torch::serialize::OutputArchive archive;
  for (size_t i = 0; i < tensors.size(); ++i) archive.write(std::to_string(i), tensors[i].cpu());
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

std::vector<torch::Tensor> LoadTensors(const std::string& bytes, size_t count, torch::Device device) {
  torch::serialize::InputArchive archive;
  std::istringstream in(bytes);
  archive.load_from(in);
  std::vector<torch::Tensor> tensors(count);
  for (size_t i = 0; i < count; ++i) {
    archive.read(std::to_string(i), tensors[i]);
    tensors[i] = tensors[i].to(device);
  }
  return tensors;
}

// The optimiser's state, parameter by parameter in the model's order.
// LibTorch's own Optimizer::save keys each parameter's state by the address
// of its TensorImpl, so two runs that reach the same state write different
// bytes (entries in hash order, addresses in the keys); this form depends
// on the state alone, and a resumed run's MODEL.last equals an
// uninterrupted run's byte for byte.
std::string SaveAdamW(const torch::optim::AdamW& optimizer, const std::vector<torch::Tensor>& params) {
  torch::serialize::OutputArchive archive;
  std::vector<int64_t> steps(params.size(), -1);  // -1: no state yet
  for (size_t i = 0; i < params.size(); ++i) {
    auto it = optimizer.state().find(c10::guts::to_string(params[i].unsafeGetTensorImpl()));
    if (it == optimizer.state().end()) continue;
    const auto& st = static_cast<const torch::optim::AdamWParamState&>(*it->second);
    steps[i] = st.step();
    const std::string n = std::to_string(i);
    archive.write("exp_avg." + n, st.exp_avg().cpu());
    archive.write("exp_avg_sq." + n, st.exp_avg_sq().cpu());
    if (st.max_exp_avg_sq().defined()) archive.write("max_exp_avg_sq." + n, st.max_exp_avg_sq().cpu());
  }
  archive.write("adamw.steps", torch::tensor(steps, torch::kInt64));
  std::ostringstream out;
  archive.save_to(out);
  return out.str();
}

// Reads SaveAdamW's form, or LibTorch's Optimizer::save form of files
// written before it.
Status LoadAdamW(torch::optim::AdamW* optimizer, const std::vector<torch::Tensor>& params, const std::string& bytes,
                 torch::Device device) {
  torch::serialize::InputArchive archive;
  std::istringstream in(bytes);
  archive.load_from(in, device);
  torch::Tensor steps;
  if (!archive.try_read("adamw.steps", steps)) {
    optimizer->load(archive);
    return Status::Ok();
  }
  steps = steps.to(torch::kCPU);
  if (steps.numel() != static_cast<int64_t>(params.size())) {
    return Status::InvalidArgument("the optimiser state holds " + std::to_string(steps.numel()) +
                                   " parameters, the model " + std::to_string(params.size()));
  }
  optimizer->state().clear();
  for (size_t i = 0; i < params.size(); ++i) {
    const int64_t step = steps[static_cast<int64_t>(i)].item<int64_t>();
    if (step < 0) continue;
    auto st = std::make_unique<torch::optim::AdamWParamState>();
    st->step(step);
    const std::string n = std::to_string(i);
    torch::Tensor avg, avg_sq, max_sq;
    if (!archive.try_read("exp_avg." + n, avg) || !archive.try_read("exp_avg_sq." + n, avg_sq) ||
        !avg.sizes().equals(params[i].sizes()) || !avg_sq.sizes().equals(params[i].sizes())) {
      return Status::InvalidArgument("the optimiser state of parameter " + n + " is missing or of another shape");
    }
    st->exp_avg(avg.to(device));
    st->exp_avg_sq(avg_sq.to(device));
    if (archive.try_read("max_exp_avg_sq." + n, max_sq)) st->max_exp_avg_sq(max_sq.to(device));
    optimizer->state()[c10::guts::to_string(params[i].unsafeGetTensorImpl())] = std::move(st);
  }
  return Status::Ok();
}

constexpr char kStreamStateExtra[] = "train.stream_state";

// Distributed: rank R's (R > 0) random generator and stream state in MODEL.last.
std::string RankExtra(int rank, const char* what) { return "train.rank" + std::to_string(rank) + "." + what; }

// Blobs joined into one (each after its length and a newline) and split again:
// a rank's generators and stream state, for the gather at rank 0.
std::string Pack(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += std::to_string(p.size()) + "\n" + p;
  return out;
}
std::vector<std::string> Unpack(const std::string& blob) {
  std::vector<std::string> parts;
  for (size_t at = 0; at < blob.size();) {
    const size_t nl = blob.find('\n', at);
    const size_t n = std::stoul(blob.substr(at, nl - at));
    parts.push_back(blob.substr(nl + 1, n));
    at = nl + 1 + n;
  }
  return parts;
}
constexpr char kDeviceRngExtra[] = "train.cuda_rng";

// Rows [B*rank/world, B*(rank+1)/world) of a batch: this rank's shard of the
// global batch (every rank cuts the same global batches, in the same order).
corpus::Batch RowsOf(const corpus::Batch& g, int rank, int world) {
  const int64_t lo = g.B * rank / world, hi = g.B * (rank + 1) / world;
  corpus::Batch b;
  b.T = g.T;
  b.B = hi - lo;
  b.C = g.C;
  b.continues = g.continues;
  for (int64_t t = 0; t < g.T; ++t) {
    for (int64_t r = lo; r < hi; ++r) {
      const int64_t at = t * g.B + r;
      b.inputs.push_back(g.inputs[at]);
      b.targets.push_back(g.targets[at]);
      if (g.targets[at] >= 0) ++b.tokens;
      for (int64_t c = 0; c < g.C && !g.features.empty(); ++c) b.features.push_back(g.features[at * g.C + c]);
    }
  }
  if (!g.tune_of_row.empty()) b.tune_of_row.assign(g.tune_of_row.begin() + lo, g.tune_of_row.begin() + hi);
  return b;
}

// Share of training tunes read with unknown part lengths (position "left" = unknown).
constexpr double kUnknownPartShare = 0.15;

// Null for a model without positions (no features computed).
const std::vector<std::vector<int32_t>>* Features(const std::vector<std::vector<int32_t>>& f) {
  return f.empty() ? nullptr : &f;
}

}  // namespace

std::string LastPath(const std::string& out) { return out + ".last"; }
std::string MetricsPath(const std::string& out) { return out + ".metrics.jsonl"; }

Result<TrainConfig> ReadResumeConfig(const std::string& out, uint64_t* seed) {
  auto ckpt = model::ReadCheckpoint(LastPath(out));
  if (!ckpt.ok()) return ckpt.status();
  if (ckpt->train_config.is_null() || ckpt->train_state.is_null())
    return Status::InvalidArgument(LastPath(out) + " holds no training state to resume from");
  auto config = TrainConfigFromJson(ckpt->train_config);
  if (!config.ok()) return config.status().WithPrefix(LastPath(out) + ": ");
  if (seed) *seed = ckpt->train_state.value("seed", uint64_t{1});
  return config;
}

Trainer::Trainer(TrainConfig config, TrainData data, RunOptions run)
    : config_(std::move(config)), data_(std::move(data)), run_(std::move(run)) {
  config_.model.vocab_size = data_.vocabulary.size();
  // Look-back columns take a token: their size follows the vocabulary.
  for (int64_t& n : config_.model.positions) {
    if (n == 0) n = config_.model.vocab_size + 1;
  }
}

Trainer::~Trainer() = default;

Result<TrainSummary> Trainer::Run() {
  try {
    Status st = Start();
    if (!st.ok()) return st;
    const TrainOptions& o = config_.train;
    const int64_t per_epoch = batcher_->BatchesPerEpoch();
    const int64_t total_steps = per_epoch * o.epochs;
    ProgressLine progress(stderr, run_.progress && ::isatty(2), run_.progress ? o.log_every : 0);
    const auto say = [&](const std::string& line) {
      if (Leads()) progress.Say(line);
    };
    say(std::string(run_.resume ? "resuming " : "training ") + model::ModelTypeName(config_.model.type) +
                 " on " + std::to_string(data_.train.size()) + " tunes (" + std::to_string(data_.valid.size()) +
                 " for validation), vocabulary " + std::to_string(config_.model.vocab_size) + ", " +
                 std::to_string(per_epoch) + " steps per epoch, from step " + std::to_string(step_) + ", " +
                 std::to_string(at::get_num_threads()) + " threads" +
        (run_.group ? " in each of " + std::to_string(run_.group->size()) + " ranks (global batch split between them)"
                    : std::string()));

    // Ctrl-C ends training after the current step, with MODEL.last written.
    struct SigintGuard {
      void (*previous)(int) = std::signal(SIGINT, OnSigint);
      ~SigintGuard() { std::signal(SIGINT, previous); }
    } sigint_guard;
    g_interrupted.store(false);
    const auto start = Clock::now();
    started_ = start;
    auto last_save = Clock::now();
    int64_t steps_here = 0, tokens_here = 0;
    double smooth_loss = -1, smooth_step_seconds = -1;
    auto step_clock = Clock::now();

    // Resumed from the last checkpoint of a run that had finished (killed
    // between that write and its exit): nothing is left to train.
    stop_reason_ = FinishedReason();
    while (stop_reason_.empty()) {
      // One optimisation step. Distributed: what this rank wishes goes with
      // its gradients, so that every rank stops or saves after the same step.
      if (run_.group) {
        wishes_.interrupted = g_interrupted.load();
        wishes_.out_of_time = run_.max_minutes > 0 && Seconds(start) >= run_.max_minutes * 60;
        wishes_.save_due = Leads() && Seconds(last_save) >= o.checkpoint_minutes * 60;
      }
      const corpus::Batch batch = batcher_->Next();
      const double loss = Step(batch);
      ++step_;
      ++steps_here;
      tokens_here += batch.tokens;
      tokens_seen_ += batch.tokens;

      // The progress line and the metrics log.
      const double dt = Seconds(step_clock);
      step_clock = Clock::now();
      smooth_loss = smooth_loss < 0 ? loss : 0.95 * smooth_loss + 0.05 * loss;
      smooth_step_seconds = smooth_step_seconds < 0 ? dt : 0.95 * smooth_step_seconds + 0.05 * dt;
      const double elapsed = Seconds(start);
      const double tok_s = tokens_here / std::max(elapsed, 1e-9);
      double eta = (total_steps - step_) * smooth_step_seconds;
      if (run_.max_minutes > 0) eta = std::min(eta, run_.max_minutes * 60 - elapsed);
      const double lr = LearningRate(o, step_ - 1, total_steps);
      progress.Update({batcher_->position().batch == 0 ? epochs_done_ + 1 : batcher_->position().epoch + 1, o.epochs,
                       step_, smooth_loss, lr, tok_s, eta});
      if (step_ % o.log_every == 0) {
        LogJson({{"kind", "train"}, {"step", step_}, {"epoch", epochs_done_ + 1}, {"loss", smooth_loss},
                 {"lr", lr}, {"tok_s", tok_s}, {"elapsed_s", elapsed}});
      }

      // End of an epoch: validate, keep the best, maybe stop early.
      bool saved = false;
      if (batcher_->position().batch == 0) {
        progress.Finish();
        const bool stop = EndOfEpoch();
        say("epoch " + std::to_string(epochs_done_) + " | valid loss " + std::to_string(last_valid_.loss) +
                     " | " + std::to_string(last_valid_.bits_per_token) + " bits/token | " +
                     std::to_string(last_valid_.bits_per_tune) + " bits/tune" +
                     (best_epoch_ == epochs_done_ ? " | best" : "") + " | " + FormatDuration(elapsed));
        st = SaveLast();
        if (!st.ok()) return st;
        saved = true;
        last_save = Clock::now();
        if (stop) break;
      }

      // Budgets and interruptions.
      if (run_.max_steps > 0 && steps_here >= run_.max_steps) {
        stop_reason_ = "max steps";  // like a crash: nothing more is written
        break;
      }
      const bool out_of_time =
          run_.group ? wishes_.out_of_time : run_.max_minutes > 0 && Seconds(start) >= run_.max_minutes * 60;
      const bool interrupted = run_.group ? wishes_.interrupted : g_interrupted.load();
      if (out_of_time || interrupted) {
        stop_reason_ = out_of_time ? "time budget" : "interrupted";
        if (!saved) {
          st = SaveLast();
          if (!st.ok()) return st;
        }
        break;
      }
      const bool due = (run_.checkpoint_every_steps > 0 && step_ % run_.checkpoint_every_steps == 0) ||
                       (run_.group ? wishes_.save_due : Seconds(last_save) >= o.checkpoint_minutes * 60);
      if (due && !saved) {
        st = SaveLast();
        if (!st.ok()) return st;
        last_save = Clock::now();
      }
    }
    progress.Finish();
    // No rank leaves (and rank 0 takes the store with it) before all are done.
    if (run_.group) {
      st = run_.group->Barrier("waiting for every rank at the end of training");
      if (!st.ok()) return st;
    }

    TrainSummary s;
    s.steps = step_;
    s.epochs = epochs_done_;
    s.best_valid = best_;
    s.best_epoch = best_epoch_;
    s.last_valid = last_valid_;
    s.seconds = Seconds(start);
    s.tokens_per_second = tokens_here / std::max(s.seconds, 1e-9);
    s.stop_reason = stop_reason_;
    if (run_.group) {
      s.world_size = run_.group->size();
      s.allreduce_ms_per_step = 1000 * run_.group->allreduce_seconds() / std::max<int64_t>(1, run_.group->allreduce_calls());
      s.allreduce_min_ms = run_.group->allreduce_calls() > 0 ? 1000 * run_.group->allreduce_min_seconds() : 0;
    }
    LogJson({{"kind", "stop"}, {"step", step_}, {"reason", stop_reason_}, {"seconds", s.seconds},
             {"tok_s", s.tokens_per_second}, {"world_size", s.world_size},
             {"allreduce_ms_per_step", s.allreduce_ms_per_step}, {"allreduce_min_ms", s.allreduce_min_ms}});
    return s;
  } catch (const c10::Error& e) {
    return Status::IOError(std::string("training failed in LibTorch: ") + e.what_without_backtrace());
  } catch (const std::exception& e) {
    return Status::IOError(std::string("training failed: ") + e.what());
  }
}

Status Trainer::Start() {
  if (data_.train.empty() || data_.valid.empty()) return Status::InvalidArgument("training needs tunes in the train and valid splits");
  torch::manual_seed(run_.seed);
  auto made = model::MakeModel(config_.model);
  if (!made.ok()) return made.status();
  model_ = *made;
  model_->to(run_.device);
  if (run_.group) {
    // One model: rank 0's initial weights everywhere (and the same corpus split);
    // then each rank its own dropout.
    std::string fingerprint = data_.corpus_fingerprint;
    Status st = run_.group->ShareFromRoot("fingerprint", &fingerprint);
    if (!st.ok()) return st;
    if (fingerprint != data_.corpus_fingerprint) {
      return Status::InvalidArgument("--distributed: rank " + std::to_string(run_.group->rank()) + " reads a corpus (fingerprint " +
                                     data_.corpus_fingerprint + ") other than rank 0's (" + fingerprint +
                                     "): HINT give every rank the same --corpus files");
    }
    std::vector<torch::Tensor> tensors = model_->parameters();
    for (const auto& b : model_->buffers()) tensors.push_back(b);
    st = run_.group->Broadcast(tensors);
    if (!st.ok()) return st;
    if (run_.group->rank() > 0) torch::manual_seed(run_.seed + 7919 * static_cast<uint64_t>(run_.group->rank()));
  }
  const TrainOptions& o = config_.train;
  optimizer_ = std::make_unique<torch::optim::AdamW>(
      model_->parameters(),
      torch::optim::AdamWOptions(o.lr).betas({o.beta1, o.beta2}).weight_decay(o.weight_decay));
  corpus::BatcherOptions bo;
  bo.mode = o.batching;
  bo.batch_size = o.batch_size;
  bo.seq_len = o.seq_len;
  bo.seed = run_.seed;
  if (config_.model.has_positions()) {
    if (config_.tokenizer != tokens::TokenizerKind::kAbcToken) {
      return Status::InvalidArgument("musical positions need the abc-token tokenizer");
    }
    // A share of the training tunes is read without its part lengths, as in
    // free-form generation (docs/training.md).
    const int columns = static_cast<int>(config_.model.positions.size());
    train_features_ = tokens::TuneContexts(data_.vocabulary, data_.train, columns, kUnknownPartShare, run_.seed);
    valid_features_ = tokens::TuneContexts(data_.vocabulary, data_.valid, columns);
  }
  try {
    batcher_ = std::make_unique<corpus::Batcher>(data_.train, bo, Features(train_features_));
  } catch (const std::invalid_argument& e) {
    return Status::InvalidArgument(std::string("training data: ") + e.what());
  }
  if (run_.resume) {
    Status st = LoadLast();
    if (!st.ok()) return st;
  }
  if (!Leads()) return Status::Ok();  // rank 0 alone logs
  size_t dropped = 0;
  if (Status log = metrics_.Open(MetricsPath(run_.out), run_.resume, &dropped); !log.ok()) return log;
  if (dropped > 0) {
    std::fprintf(stderr, "%s: removed an unfinished last line (%zu bytes) that an interrupted write left\n",
                 MetricsPath(run_.out).c_str(), dropped);
  }
  LogJson({{"kind", run_.resume ? "resume" : "start"}, {"step", step_}, {"config", TrainConfigToJson(config_)},
           {"seed", run_.seed}, {"threads", at::get_num_threads()},
           {"world_size", run_.group ? run_.group->size() : 1},
           {"train_tunes", data_.train.size()}, {"valid_tunes", data_.valid.size()},
           {"parameters", [&] {
              int64_t n = 0;
              for (const auto& p : model_->parameters()) n += p.numel();
              return n;
            }()}});
  return Status::Ok();
}

double Trainer::Step(const corpus::Batch& global) {
  const TrainOptions& o = config_.train;
  model_->train();
  // Distributed: this rank's rows of the global batch; each rank's loss is
  // its tokens' summed loss over the global batch's tokens, so the summed
  // gradients are the gradient of the global batch's mean loss.
  corpus::Batch shard;
  if (run_.group) shard = RowsOf(global, run_.group->rank(), run_.group->size());
  const corpus::Batch& b = run_.group ? shard : global;
  optimizer_->zero_grad();
  double loss_value = 0;
  if (b.B > 0) {
    auto inputs = torch::tensor(b.inputs, torch::kLong).view({b.T, b.B}).to(run_.device);
    auto targets = torch::tensor(b.targets, torch::kLong).view({b.T * b.B}).to(run_.device);
    model::State* state = nullptr;
    if (o.batching == corpus::BatchMode::kStream) {
      if (!b.continues) carried_ = model::State();
      state = &carried_;
    }
    torch::Tensor positions = FeatureTensor(b);
    if (positions.defined()) positions = positions.to(run_.device);
    auto logits = model_->forward(inputs, state, positions);
    namespace F = torch::nn::functional;
    auto loss = run_.group ? F::cross_entropy(logits.reshape({b.T * b.B, -1}), targets,
                                              F::CrossEntropyFuncOptions().ignore_index(-1).reduction(torch::kSum)) /
                                 static_cast<double>(std::max<int64_t>(1, global.tokens))
                           : F::cross_entropy(logits.reshape({b.T * b.B, -1}), targets,
                                              F::CrossEntropyFuncOptions().ignore_index(-1));
    loss.backward();
    loss_value = loss.item<double>();
  }
  if (run_.group) {
    std::vector<double> scalars{loss_value, wishes_.interrupted ? 1.0 : 0.0, wishes_.out_of_time ? 1.0 : 0.0,
                                wishes_.save_due ? 1.0 : 0.0};
    Status st = run_.group->SumGradients(model_->parameters(), &scalars, step_ + 1);
    if (!st.ok()) throw std::runtime_error(st.message());
    loss_value = scalars[0];
    wishes_ = {scalars[1] > 0, scalars[2] > 0, scalars[3] > 0};
  }
  if (o.clip > 0) torch::nn::utils::clip_grad_norm_(model_->parameters(), o.clip);
  const double lr = LearningRate(o, step_, batcher_->BatchesPerEpoch() * o.epochs);
  for (auto& group : optimizer_->param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  optimizer_->step();
  if (b.B > 0 && o.batching == corpus::BatchMode::kStream) carried_.Detach();
  return loss_value;
}

bool Trainer::Leads() const { return !run_.group || run_.group->rank() == 0; }

std::string Trainer::FinishedReason() const {
  const TrainOptions& o = config_.train;
  if (epochs_done_ >= o.epochs) return "epochs";
  if (o.patience > 0 && epochs_since_best_ >= o.patience) return "early stop";
  return "";
}

bool Trainer::EndOfEpoch() {
  const TrainOptions& o = config_.train;
  ++epochs_done_;
  const std::string epoch_key = "epoch/" + std::to_string(epochs_done_);
  if (!Leads()) {
    // Rank 0 validates; the others learn its verdict (and wait meanwhile).
    std::string verdict;
    Status st = run_.group->ShareFromRoot(epoch_key, &verdict);
    if (!st.ok()) throw std::runtime_error(st.message());
    const auto j = nlohmann::json::parse(verdict);
    stop_reason_ = j.at("stop_reason").get<std::string>();
    epochs_since_best_ = j.at("epochs_since_best").get<int64_t>();
    best_epoch_ = j.at("best_epoch").get<int64_t>();
    has_best_ = j.at("has_best").get<bool>();
    best_ = EvalFromJson(j.at("best_valid"));
    last_valid_ = EvalFromJson(j.at("last_valid"));
    return !stop_reason_.empty();
  }
  last_valid_ = Evaluate(*model_, data_.valid, o.eval_batch_size, Features(valid_features_));
  const bool better = !has_best_ || last_valid_.loss < best_.loss;
  if (better) {
    best_ = last_valid_;
    best_epoch_ = epochs_done_;
    has_best_ = true;
    epochs_since_best_ = 0;
  } else {
    ++epochs_since_best_;
  }
  nlohmann::json line = EvalResultToJson(last_valid_);
  line["kind"] = "valid";
  line["epoch"] = epochs_done_;
  line["step"] = step_;
  line["best"] = better;
  line["elapsed_s"] = Seconds(started_);
  LogJson(line);
  if (better) {
    Status st = SaveBest();
    if (!st.ok()) throw std::runtime_error(st.message());
  }
  stop_reason_ = FinishedReason();
  if (run_.group) {
    std::string verdict = nlohmann::json({{"stop_reason", stop_reason_},
                                          {"epochs_since_best", epochs_since_best_},
                                          {"best_epoch", best_epoch_},
                                          {"has_best", has_best_},
                                          {"best_valid", EvalResultToJson(best_)},
                                          {"last_valid", EvalResultToJson(last_valid_)}})
                              .dump();
    Status st = run_.group->ShareFromRoot(epoch_key, &verdict);
    if (!st.ok()) throw std::runtime_error(st.message());
  }
  return !stop_reason_.empty();
}

nlohmann::json Trainer::TrainState() const {
  const auto pos = batcher_->position();
  return {{"step", step_},
          {"epoch", pos.epoch},
          {"batch", pos.batch},
          {"epochs_done", epochs_done_},
          {"epochs_since_best", epochs_since_best_},
          {"best_epoch", best_epoch_},
          {"has_best", has_best_},
          {"best_valid", EvalResultToJson(best_)},
          {"last_valid", EvalResultToJson(last_valid_)},
          {"tokens_seen", tokens_seen_},
          {"seed", run_.seed}};
}

model::Checkpoint Trainer::CurrentCheckpoint() const {
  model::Checkpoint c;
  c.model = config_.model;
  c.vocabulary = data_.vocabulary.Serialize();
  c.weights = model::SerializeWeights(*model_);
  c.corpus_fingerprint = data_.corpus_fingerprint;
  c.extras = data_.extras;
  c.train_config = TrainConfigToJson(config_);
  c.train_state = TrainState();
  return c;
}

Status Trainer::SaveBest() { return model::WriteCheckpoint(run_.out, CurrentCheckpoint()); }

Status Trainer::SaveLast() {
  // Distributed: every rank's generator (and stream state) goes to rank 0,
  // which alone writes the file.
  std::vector<std::string> ranks;
  if (run_.group) {
    const std::string stream = carried_.empty() ? std::string() : SaveTensors(carried_.tensors);
    Status st = run_.group->GatherToRoot("last/" + std::to_string(step_),
                                         Pack({SaveRng(), SaveDeviceRng(run_.device), stream}), &ranks);
    if (!st.ok()) return st;
    if (!Leads()) return Status::Ok();
  }
  model::Checkpoint c = CurrentCheckpoint();
  c.optimizer = SaveAdamW(*optimizer_, model_->parameters());
  c.rng = SaveRng();
  if (run_.device.is_cuda()) c.extras[kDeviceRngExtra] = SaveDeviceRng(run_.device);
  if (!carried_.empty()) {
    c.extras[kStreamStateExtra] = SaveTensors(carried_.tensors);
    c.train_state["stream_state_tensors"] = carried_.tensors.size();
  }
  if (run_.group) {
    c.train_state["world_size"] = run_.group->size();
    for (int r = 1; r < static_cast<int>(ranks.size()); ++r) {
      const auto parts = Unpack(ranks[r]);  // CPU generator, GPU generator, stream state
      c.extras[RankExtra(r, "rng")] = parts.at(0);
      if (!parts.at(1).empty()) c.extras[RankExtra(r, "cuda_rng")] = parts.at(1);
      if (!parts.at(2).empty()) c.extras[RankExtra(r, "stream_state")] = parts.at(2);
    }
  }
  return model::WriteCheckpoint(LastPath(run_.out), c);
}

Status Trainer::LoadLast() {
  const std::string path = LastPath(run_.out);
  Result<model::Checkpoint> ckpt = Status::NotFound(path);
  if (run_.group) {
    // Rank 0 reads MODEL.last and sends it: the other machines need not have it.
    std::string bytes;
    Status read = Status::Ok();
    if (Leads()) {
      auto f = base::ReadFile(path);
      if (f.ok()) bytes = std::move(*f);
      read = f.status();
    }
    Status st = run_.group->ShareFromRoot("resume", &bytes);
    if (!st.ok()) return st;
    if (!read.ok()) return read;
    if (bytes.empty()) return Status::NotFound("--resume: rank 0 could not read " + path);
    ckpt = model::DecodeCheckpoint(bytes, path);
  } else {
    ckpt = model::ReadCheckpoint(path);
  }
  if (!ckpt.ok()) return ckpt.status().WithMessage(ckpt.status().message() + " (HINT: run without --resume to start afresh)");
  if (ckpt->corpus_fingerprint != data_.corpus_fingerprint) {
    return Status::InvalidArgument(path + " was trained on another corpus split (fingerprint " + ckpt->corpus_fingerprint +
                         ", now " + data_.corpus_fingerprint + "): HINT pass the same --corpus paths, or drop --resume");
  }
  if (ckpt->vocabulary != data_.vocabulary.Serialize())
    return Status::InvalidArgument(path + ": its vocabulary differs from this corpus's: HINT pass the same --corpus, or drop --resume");
  if (model::ModelConfigToJson(ckpt->model) != model::ModelConfigToJson(config_.model))
    return Status::InvalidArgument(path + ": its model config differs from the one asked for: HINT drop --config when resuming");
  if (ckpt->optimizer.empty() || ckpt->rng.empty() || ckpt->train_state.is_null())
    return Status::InvalidArgument(path + " holds no training state (is it a best-model file?)");
  Status st = model::LoadWeights(*model_, ckpt->weights);
  if (!st.ok()) return st.WithPrefix(path + ": ");
  // The optimiser's moments live beside the weights (run_.device).
  st = LoadAdamW(optimizer_.get(), model_->parameters(), ckpt->optimizer, run_.device);
  if (!st.ok()) return st.WithPrefix(path + ": ");
  const auto& s = ckpt->train_state;
  const int world = run_.group ? run_.group->size() : 1;
  if (s.value("world_size", 1) != world) {
    return Status::InvalidArgument(path + " was written by " + std::to_string(s.value("world_size", 1)) +
                                   " rank(s), this run has " + std::to_string(world) +
                                   ": HINT resume with the same number of processes (each rank's random generator "
                                   "and data shard are saved)");
  }
  step_ = s.at("step").get<int64_t>();
  epochs_done_ = s.at("epochs_done").get<int64_t>();
  epochs_since_best_ = s.at("epochs_since_best").get<int64_t>();
  best_epoch_ = s.at("best_epoch").get<int64_t>();
  has_best_ = s.at("has_best").get<bool>();
  best_ = EvalFromJson(s.at("best_valid"));
  last_valid_ = EvalFromJson(s.at("last_valid"));
  tokens_seen_ = s.at("tokens_seen").get<int64_t>();
  run_.seed = s.at("seed").get<uint64_t>();
  corpus::BatcherOptions bo;
  bo.mode = config_.train.batching;
  bo.batch_size = config_.train.batch_size;
  bo.seq_len = config_.train.seq_len;
  bo.seed = run_.seed;
  batcher_ = std::make_unique<corpus::Batcher>(data_.train, bo, Features(train_features_));
  batcher_->Seek({s.at("epoch").get<int64_t>(), s.at("batch").get<int64_t>()});
  carried_ = model::State();
  const int rank = run_.group ? run_.group->rank() : 0;
  if (s.contains("stream_state_tensors")) {
    auto it = ckpt->extras.find(rank == 0 ? std::string(kStreamStateExtra) : RankExtra(rank, "stream_state"));
    if (it == ckpt->extras.end()) return Status::Corruption(path + ": the stream state of rank " + std::to_string(rank) + " is missing");
    carried_.tensors = LoadTensors(it->second, s.at("stream_state_tensors").get<size_t>(), run_.device);
  }
  const auto device_rng = ckpt->extras.find(rank == 0 ? std::string(kDeviceRngExtra) : RankExtra(rank, "cuda_rng"));
  if (device_rng != ckpt->extras.end()) LoadDeviceRng(run_.device, device_rng->second);
  if (rank == 0) {
    LoadRng(ckpt->rng);
  } else {
    auto it = ckpt->extras.find(RankExtra(rank, "rng"));
    if (it == ckpt->extras.end()) return Status::Corruption(path + ": the random generator of rank " + std::to_string(rank) + " is missing");
    LoadRng(it->second);
  }
  return Status::Ok();
}

void Trainer::LogJson(const nlohmann::json& line) {
  if (!metrics_.is_open()) return;
  Status st = metrics_.Append(base::JsonText(line));
  if (!st.ok() && !metrics_failed_) {
    std::fprintf(stderr, "warning: %s\n", st.message().c_str());  // training goes on; a checkpoint failure stops it
    metrics_failed_ = true;
  }
}

}  // namespace tunesmith::train
