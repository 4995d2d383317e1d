// LibTorch on Debian calls whatever libblas.so.3 the system points at; with the
// reference BLAS, training is 15-30x slower (PERFORMANCE-NOTES.md). These tests
// fail loudly when that happens.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <string>

namespace {

TEST(Blas, OpenBlasIsMapped) {
  auto a = torch::randn({64, 64});
  auto c = torch::mm(a, a);  // loads the BLAS if it is loaded lazily
  ASSERT_EQ(c.size(0), 64);
  std::ifstream maps("/proc/self/maps");
  std::string line, found;
  while (std::getline(maps, line)) {
    if (line.find("openblas") != std::string::npos) found = line;
  }
  EXPECT_FALSE(found.empty()) << "libopenblas is not mapped into this process: LibTorch is using another BLAS "
                                 "(install libopenblas0-openmp; see PERFORMANCE-NOTES.md)";
}

TEST(Blas, MatrixMultiplyIsFasterThanReferenceBlas) {
  // OpenBLAS does ~100 GFLOP/s on one core here; the reference BLAS ~6.
  at::set_num_threads(1);
  auto a = torch::randn({1024, 1024}), b = torch::randn({1024, 1024});
  torch::mm(a, b);
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto c = torch::mm(a, b);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const double gflops = 2.0 * 1024 * 1024 * 1024 / best / 1e9;
  EXPECT_GT(gflops, 25.0) << "1024^3 sgemm at " << gflops << " GFLOP/s: not an optimised BLAS";
}

}  // namespace
