// Per-row work of a batch spread over LibTorch's own intra-op threads.
//
// The generator's step has two halves: the network's forward over the
// batch (LibTorch, on its OpenMP threads) and the sampler chain of each row
// (grammar mask, guard, draw), which is plain C++ and independent from row
// to row. ForEachRow runs the second half on the same OpenMP threads that
// ran the first, so the two never compete for a core (a separate pool would
// meet LibTorch's threads still spinning after the forward) and the thread
// count is the one --threads set (model::UseThreads).
//
// This header does not include LibTorch; row_parallel.cc is the one file
// compiled with OpenMP.
#pragma once

#include <cstdint>
#include <functional>

namespace tunesmith::generate {

// The threads ForEachRow may use: LibTorch's intra-op thread count.
int RowWorkers();

// Calls work(row, worker) once for every row in [0, rows), spread over at
// most RowWorkers() threads (the caller's included) and only when there are
// at least `min_rows` rows per thread; else on the calling thread alone.
// `worker` is in [0, RowWorkers()) and no two calls running at the same
// time share one, so per-worker scratch space indexed by it is safe. Rows
// are handed out one by one as threads come free: which thread takes a row
// varies from run to run, so `work` must give a row the same result
// whichever thread runs it (and touch nothing another row touches).
// Returns when every call has returned. `work` must not throw.
void ForEachRow(int64_t rows, int64_t min_rows, const std::function<void(int64_t row, int worker)>& work);

}  // namespace tunesmith::generate
