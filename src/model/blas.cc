#include "model/blas.h"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <vector>

#include <torch/torch.h>

namespace tunesmith::model {
namespace {

bool Contains(const std::string& text, std::string_view word) { return text.find(word) != std::string::npos; }

}  // namespace

BlasKind BlasKindOfLibrary(std::string_view real_path) {
  std::string lower(real_path);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const std::filesystem::path path(lower);
  const std::string file = path.filename().string();
  const std::string folder = path.parent_path().filename().string();
  if (Contains(lower, "openblas")) return BlasKind::kOpenBlas;
  if (Contains(lower, "mkl")) return BlasKind::kMkl;
  if (Contains(lower, "blis")) return BlasKind::kBlis;
  if (Contains(file, "libtorch")) return BlasKind::kBuiltIn;
  // Debian's libblas3 (/usr/lib/<triplet>/blas/libblas.so.3), the netlib code.
  if (file.starts_with("libblas.so") && (folder == "blas" || folder == "netlib")) return BlasKind::kReference;
  return BlasKind::kOther;
}

BlasInfo DetectBlas() {
  {
    torch::NoGradGuard no_grad;
    auto a = torch::ones({8, 8});
    auto c = torch::mm(a, a);  // loads the BLAS if it is loaded lazily
    (void)c;
  }
  BlasInfo info;
  void* sgemm = dlsym(RTLD_DEFAULT, "sgemm_");
  Dl_info where{};
  if (!sgemm || dladdr(sgemm, &where) == 0 || !where.dli_fname) {
    info.kind = BlasKind::kBuiltIn;
    return info;
  }
  std::error_code ec;
  const std::filesystem::path real = std::filesystem::canonical(where.dli_fname, ec);
  info.library = ec ? std::string(where.dli_fname) : real.string();
  info.kind = BlasKindOfLibrary(info.library);
  if (info.kind == BlasKind::kOpenBlas) {
    using GetConfig = char* (*)();
    if (auto get = reinterpret_cast<GetConfig>(dlsym(RTLD_DEFAULT, "openblas_get_config")); get && get()) {
      info.config = get();
    }
  }
  return info;
}

std::string_view BlasKindName(BlasKind kind) {
  switch (kind) {
    case BlasKind::kOpenBlas: return "openblas";
    case BlasKind::kMkl: return "mkl";
    case BlasKind::kBlis: return "blis";
    case BlasKind::kReference: return "reference";
    case BlasKind::kBuiltIn: return "built-in";
    case BlasKind::kOther: return "other";
  }
  return "other";
}

SgemmSpeed MeasureSgemm(int n, int repeats, int threads) {
  at::set_num_threads(threads);
  torch::NoGradGuard no_grad;
  torch::manual_seed(1);
  auto a = torch::randn({n, n}), b = torch::randn({n, n});
  auto c = torch::mm(a, b);  // warm-up (and OpenMP's thread start)
  std::vector<double> rates;
  for (int i = 0; i < std::max(1, repeats); ++i) {
    const auto start = std::chrono::steady_clock::now();
    c = torch::mm(a, b);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rates.push_back(2.0 * n * n * static_cast<double>(n) / seconds / 1e9);
  }
  std::sort(rates.begin(), rates.end());
  const size_t m = rates.size();
  return {n, m % 2 ? rates[m / 2] : 0.5 * (rates[m / 2 - 1] + rates[m / 2])};
}

}  // namespace tunesmith::model
