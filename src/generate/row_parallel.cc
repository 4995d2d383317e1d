#include "generate/row_parallel.h"

#include <algorithm>
#include <atomic>

#include <ATen/Parallel.h>

#ifndef _OPENMP
#error "row_parallel.cc must be compiled with OpenMP (src/generate/CMakeLists.txt): without it at::parallel_for runs serially"
#endif

namespace tunesmith::generate {

int RowWorkers() { return std::max(1, at::get_num_threads()); }

void ForEachRow(int64_t rows, int64_t min_rows, const std::function<void(int64_t, int)>& work) {
  const int64_t threads = std::min<int64_t>(RowWorkers(), rows / std::max<int64_t>(1, min_rows));
  if (threads <= 1 || at::in_parallel_region()) {
    for (int64_t r = 0; r < rows; ++r) work(r, 0);
    return;
  }
  // One task per thread; each takes the next row until none is left, so a
  // slow row (a long chain, a cold memo) does not hold up a fixed share.
  std::atomic<int64_t> next{0};
  at::parallel_for(0, threads, 1, [&](int64_t begin, int64_t end) {
    for (int64_t task = begin; task < end; ++task) {
      const int worker = at::get_thread_num();
      for (int64_t r = next.fetch_add(1, std::memory_order_relaxed); r < rows;
           r = next.fetch_add(1, std::memory_order_relaxed)) {
        work(r, worker);
      }
    }
  });
}

}  // namespace tunesmith::generate
