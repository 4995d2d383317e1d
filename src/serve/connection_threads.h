// httplib's connection handler for the studio: one thread per connection,
// started when no idle one is free for it, up to a limit; idle threads end
// after 30 s. A client that connects and says nothing holds its own thread
// until the read timeout, never the one /healthz needs (httplib's own pool
// has 8 threads: eight silent clients would stop the server).
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace tunesmith::serve {

class ConnectionThreads : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(int max_threads) : max_threads_(max_threads) {}
  void enqueue(std::function<void()> fn) override;
  // Ends when every thread has finished its connection.
  void shutdown() override;

  int threads() const;  // running, busy or idle
  int idle() const;     // waiting for a connection

 private:
  void Loop();

  const int max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_, done_;
  std::deque<std::function<void()>> jobs_;
  int threads_ = 0, idle_ = 0;
  bool stop_ = false;
};

}  // namespace tunesmith::serve
