#include "model/threads.h"

#include <algorithm>
#include <mutex>
#include <thread>

#include <ATen/Parallel.h>

namespace tunesmith::model {

int UseThreads(int threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    at::set_num_threads(threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  });
  return at::get_num_threads();
}

}  // namespace tunesmith::model
