#include "generate/model_path.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "base/process.h"

namespace tunesmith::generate {

std::vector<std::string> DefaultModelCandidates() {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  if (const char* env = std::getenv("TUNESMITH_MODEL"); env && *env) out.push_back(env);
  if (Result<fs::path> exe = base::ThisExecutable(); exe.ok()) {
    const fs::path dir = exe->parent_path();
    out.push_back((dir / ".." / "share" / "tunesmith" / "models" / "default.ckpt").lexically_normal().string());
    out.push_back((dir / ".." / "models" / "default.ckpt").lexically_normal().string());
    out.push_back((dir / ".." / ".." / "models" / "default.ckpt").lexically_normal().string());
  }
#ifdef TUNESMITH_SOURCE_DIR
  out.push_back((fs::path(TUNESMITH_SOURCE_DIR) / "models" / "default.ckpt").lexically_normal().string());
#endif
  // The same folder reached two ways is listed once.
  std::vector<std::string> unique;
  for (const std::string& p : out) {
    if (std::find(unique.begin(), unique.end(), p) == unique.end()) unique.push_back(p);
  }
  return unique;
}

Result<std::string> FindDefaultModel() {
  std::string looked;
  for (const std::string& path : DefaultModelCandidates()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return path;
    looked += "\n  " + path;
  }
  return Status::NotFound("no model given and the bundled model was not found; looked at:" + looked +
                       "\nGive one with --model FILE (train one with `tunesmith train`), or set TUNESMITH_MODEL.");
}

}  // namespace tunesmith::generate
