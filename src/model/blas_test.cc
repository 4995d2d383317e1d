// LibTorch on Debian calls whatever libblas.so.3 the system points at; with the
// reference BLAS, training is 15-30x slower (PERFORMANCE-NOTES.md). This test
// fails when the reference BLAS is the one in use, and otherwise reports which
// BLAS it is and how fast a matrix product runs (a figure, not a verdict: the
// machine may be busy, and other BLAS builds are as good).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "model/blas.h"

namespace tunesmith::model {
namespace {

TEST(Blas, NotTheReferenceBlas) {
  const BlasInfo blas = DetectBlas();
  std::printf("BLAS: %s (%s)%s%s\n", std::string(BlasKindName(blas.kind)).c_str(),
              blas.library.empty() ? "sgemm_ not exported" : blas.library.c_str(),
              blas.config.empty() ? "" : ", ", blas.config.c_str());
  ::testing::Test::RecordProperty("blas", std::string(BlasKindName(blas.kind)));
  EXPECT_NE(blas.kind, BlasKind::kReference)
      << "LibTorch's sgemm_ comes from the reference BLAS " << blas.library
      << ": training will be 15-30x slower. Install libopenblas0-openmp (it takes over the libblas.so.3 "
         "alternative; see PERFORMANCE-NOTES.md)";
}

TEST(Blas, KindOfLibraryFromItsRealPath) {
  const struct {
    const char* path;
    BlasKind kind;
  } cases[] = {
      {"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", BlasKind::kReference},  // Debian libblas3
      {"/usr/lib/aarch64-linux-gnu/blas/libblas.so.3", BlasKind::kReference},
      {"/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3", BlasKind::kOpenBlas},
      {"/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so", BlasKind::kOpenBlas},
      {"/opt/intel/oneapi/mkl/lib/libmkl_rt.so.2", BlasKind::kMkl},
      {"/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3", BlasKind::kBlis},
      {"/opt/libtorch/lib/libtorch_cpu.so", BlasKind::kBuiltIn},
      {"/usr/lib/x86_64-linux-gnu/atlas/libblas.so.3", BlasKind::kOther},
  };
  for (const auto& c : cases) EXPECT_EQ(BlasKindOfLibrary(c.path), c.kind) << c.path;
}

TEST(Blas, ReportsTheMatrixMultiplyRate) {
  const BlasInfo blas = DetectBlas();
  const SgemmSpeed speed = MeasureSgemm(1024, 5, 1);
  std::printf("torch::mm 1024^3 on 1 thread: %.1f GFLOP/s (%s; OpenBLAS reaches ~100 on a quiet core, the reference BLAS ~6)\n",
              speed.gflop_s, std::string(BlasKindName(blas.kind)).c_str());
  ::testing::Test::RecordProperty("sgemm_1024_gflop_s", std::to_string(speed.gflop_s));
  EXPECT_EQ(speed.n, 1024);
  EXPECT_GT(speed.gflop_s, 0);
  if (blas.kind != BlasKind::kOpenBlas) {
    GTEST_SKIP() << "the BLAS is " << BlasKindName(blas.kind) << " (" << blas.library
                 << "), not OpenBLAS, which PERFORMANCE-NOTES.md's figures are for: rate reported, not compared";
  }
  EXPECT_NE(blas.config.find("OpenBLAS"), std::string::npos) << "openblas_get_config(): " << blas.config;
}

}  // namespace
}  // namespace tunesmith::model
