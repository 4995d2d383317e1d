// The bounded queue in front of the Composer: a fixed number of workers
// compose; at most `queue_limit` requests wait; past that Submit says no
// (the server answers 503 with Retry-After). Requests without a seed of
// their own and with the same settings that wait together are composed as
// one batch (count > 1), each getting its own tune and seed.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "generate/composer.h"

namespace tunesmith::serve {

// One tune composed for one request, with the composition it came from.
struct ComposedOne {
  generate::Composition composition;  // its tunes hold this one tune only
  generate::ComposeRequest request;   // as composed (count 1, the tune's seed)
};

struct QueueStats {
  int waiting = 0;
  int busy = 0;
  int64_t composed = 0;      // tunes
  int64_t batches = 0;       // Compose calls
  int64_t rejected = 0;      // Submit said no
  double mean_seconds = 0;   // per Compose call
};

class ComposeQueue {
 public:
  ComposeQueue(const generate::Composer& composer, int workers, int queue_limit, int max_batch);
  ~ComposeQueue();  // finishes the running batches; waiting requests fail
  ComposeQueue(const ComposeQueue&) = delete;
  ComposeQueue& operator=(const ComposeQueue&) = delete;

  // Queues `request` (count 1). Without a seed it may share a batch and is
  // given one. nullopt when the queue is full.
  std::optional<std::future<Result<ComposedOne>>> Submit(generate::ComposeRequest request);

  // While held, workers start no new batch: requests wait (up to the queue
  // limit) and, released, are batched as if they had arrived together. For
  // draining the server and for tests that need requests to meet.
  void Hold(bool hold);

  // Seconds a client should wait before trying again (at least 1).
  int RetryAfterSeconds() const;
  QueueStats Stats() const;

 private:
  struct Job {
    generate::ComposeRequest request;
    std::string batch_key;  // "" never shares a batch
    std::promise<Result<ComposedOne>> done;
  };
  void Work();
  void Run(std::vector<Job>& batch);

  const generate::Composer& composer_;
  const int queue_limit_, max_batch_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stop_ = false;
  bool held_ = false;
  QueueStats stats_;
  double seconds_total_ = 0;
  int workers_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace tunesmith::serve
