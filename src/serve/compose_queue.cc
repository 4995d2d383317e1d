#include "serve/compose_queue.h"

#include <chrono>
#include <cmath>
#include <random>

#include "serve/request.h"

namespace tunesmith::serve {
namespace {

// The settings that must be equal for two requests to share a batch.
std::string BatchKey(const generate::ComposeRequest& r) {
  nlohmann::json j = SettingsJson(r);
  j.erase("seed");
  j["candidates"] = r.candidates;
  j["novelty_threshold"] = r.novelty_threshold;
  return j.dump();
}

uint64_t DrawSeed(uint64_t room) {
  static std::mutex mu;
  static std::mt19937_64 rng(std::random_device{}() ^
                             static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::lock_guard<std::mutex> lock(mu);
  return rng() % (kMaxSeed - room);
}

}  // namespace

ComposeQueue::ComposeQueue(const generate::Composer& composer, int workers, int queue_limit, int max_batch)
    : composer_(composer), queue_limit_(queue_limit), max_batch_(std::max(1, max_batch)), workers_(workers) {
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { Work(); });
}

ComposeQueue::~ComposeQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  for (Job& job : jobs_) job.done.set_value(Status::IOError("the server is shutting down"));
}

std::optional<std::future<Result<ComposedOne>>> ComposeQueue::Submit(generate::ComposeRequest request) {
  Job job;
  request.count = 1;
  job.batch_key = request.seed ? "" : BatchKey(request);
  job.request = std::move(request);
  std::future<Result<ComposedOne>> future = job.done.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ || static_cast<int>(jobs_.size()) >= queue_limit_) {
      ++stats_.rejected;
      return std::nullopt;
    }
    jobs_.push_back(std::move(job));
    stats_.waiting = static_cast<int>(jobs_.size());
  }
  cv_.notify_one();
  return future;
}

void ComposeQueue::Hold(bool hold) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    held_ = hold;
  }
  cv_.notify_all();
}

int ComposeQueue::RetryAfterSeconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  const double per_call = stats_.mean_seconds > 0 ? stats_.mean_seconds : 1.0;
  const double calls = std::ceil(static_cast<double>(jobs_.size()) / max_batch_) + 1;
  return std::max(1, static_cast<int>(std::ceil(per_call * calls / std::max(1, workers_))));
}

QueueStats ComposeQueue::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  QueueStats s = stats_;
  s.waiting = static_cast<int>(jobs_.size());
  return s;
}

void ComposeQueue::Work() {
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || (!held_ && !jobs_.empty()); });
      if (stop_) return;
      batch.push_back(std::move(jobs_.front()));
      jobs_.pop_front();
      // Later requests with the same settings join this one.
      const std::string key = batch.front().batch_key;
      if (!key.empty()) {
        for (auto it = jobs_.begin(); it != jobs_.end() && static_cast<int>(batch.size()) < max_batch_;) {
          if (it->batch_key == key) {
            batch.push_back(std::move(*it));
            it = jobs_.erase(it);
          } else {
            ++it;
          }
        }
      }
      ++stats_.busy;
    }
    Run(batch);
    std::lock_guard<std::mutex> lock(mu_);
    --stats_.busy;
  }
}

void ComposeQueue::Run(std::vector<Job>& batch) {
  generate::ComposeRequest request = batch.front().request;
  const int n = static_cast<int>(batch.size());
  request.count = n;
  request.batch_size = n;
  if (!request.seed) request.seed = DrawSeed(static_cast<uint64_t>(n));
  const auto started = std::chrono::steady_clock::now();
  Result<generate::Composition> composed = Status::IOError("not composed");
  try {
    composed = composer_.Compose(request);
  } catch (const std::exception& e) {
    composed = Status::IOError(std::string("composing failed: ") + e.what());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.batches;
    seconds_total_ += seconds;
    stats_.mean_seconds = seconds_total_ / stats_.batches;
    if (composed.ok()) stats_.composed += static_cast<int64_t>(composed->tunes.size());
  }
  for (int i = 0; i < n; ++i) {
    if (!composed.ok()) {
      batch[i].done.set_value(composed.status());
      continue;
    }
    ComposedOne one;
    one.composition = *composed;
    one.composition.tunes.clear();
    if (i < static_cast<int>(composed->tunes.size())) one.composition.tunes.push_back(composed->tunes[i]);
    one.request = request;
    one.request.count = 1;
    one.request.batch_size = 1;
    one.request.seed = one.composition.tunes.empty() ? *request.seed : one.composition.tunes[0].seed;
    batch[i].done.set_value(std::move(one));
  }
}

}  // namespace tunesmith::serve
