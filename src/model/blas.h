// Which BLAS LibTorch's matrix products run on, and how fast. Debian's
// LibTorch calls whatever libblas.so.3 the system points at; with the
// reference BLAS (Debian's libblas3) training is 15-30x slower than with
// OpenBLAS (PERFORMANCE-NOTES.md). model_test and tunesmith-bench use these.
#pragma once

#include <string>
#include <string_view>

namespace tunesmith::model {

enum class BlasKind {
  kOpenBlas,   // OpenBLAS (Debian's libopenblas0-*)
  kMkl,        // Intel MKL
  kBlis,       // BLIS
  kReference,  // the reference (netlib) BLAS: the slow fallback
  kBuiltIn,    // sgemm_ is LibTorch's own (an official build with MKL linked in) or not exported
  kOther,      // some other library
};

struct BlasInfo {
  BlasKind kind = BlasKind::kOther;
  std::string library;  // the real path of the file that provides sgemm_ ("" if none is exported)
  std::string config;   // openblas_get_config() for OpenBLAS, else ""
};

// Finds the library that the process's sgemm_ symbol (the one LibTorch's
// CPU matrix products call) comes from, after a small torch::mm has loaded
// it, and names its kind from that file's real path (the Debian alternative
// libblas.so.3 resolves to .../openblas-*/ or to .../blas/ for the reference).
BlasInfo DetectBlas();

// The kind of BLAS a library file is, from its real path (what DetectBlas
// uses; exposed for tests).
BlasKind BlasKindOfLibrary(std::string_view real_path);

// "openblas", "mkl", "blis", "reference", "built-in", "other".
std::string_view BlasKindName(BlasKind kind);

struct SgemmSpeed {
  int n = 0;           // square size
  double gflop_s = 0;  // median of the timed products
};

// torch::mm of two n x n float matrices with `threads` LibTorch threads,
// 2n^3 FLOPs each; median over `repeats` after one warm-up. Sets LibTorch's
// thread count to `threads` (left so).
SgemmSpeed MeasureSgemm(int n, int repeats, int threads);

}  // namespace tunesmith::model
