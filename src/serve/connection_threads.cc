#include "serve/connection_threads.h"

#include <chrono>
#include <thread>

namespace tunesmith::serve {

void ConnectionThreads::enqueue(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(fn));
    // An idle thread counts as idle until it wakes and takes a job, so
    // compare with the jobs not yet taken: with `idle_ > 0` alone, two
    // connections arriving together woke one thread, and the second waited
    // for a busy thread, up to a slow client's whole read timeout.
    if (static_cast<int>(jobs_.size()) <= idle_ || threads_ >= max_threads_) {
      cv_.notify_one();
      return;
    }
    ++threads_;
  }
  std::thread([this] { Loop(); }).detach();
}

void ConnectionThreads::shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  stop_ = true;
  cv_.notify_all();
  done_.wait(lock, [this] { return threads_ == 0; });
}

int ConnectionThreads::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_;
}

int ConnectionThreads::idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_;
}

void ConnectionThreads::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ++idle_;
    // An idle thread waits a while for the next connection, then ends.
    const bool got = cv_.wait_for(lock, std::chrono::seconds(30), [this] { return stop_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty() && (stop_ || !got)) break;
    if (jobs_.empty()) continue;
    std::function<void()> fn = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
  }
  --threads_;
  done_.notify_all();
}

}  // namespace tunesmith::serve
