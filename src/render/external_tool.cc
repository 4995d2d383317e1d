#include "render/external_tool.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace tunesmith::render {
namespace {

bool IsExecutableFile(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

std::string InstallHint(std::string_view debian_package) {
  return "install the Debian package " + std::string(debian_package) + " (sudo apt-get install " +
         std::string(debian_package) + ")";
}

}  // namespace

Result<std::filesystem::path> FindTool(const std::string& program, std::string_view debian_package) {
  if (program.empty()) return Status::InvalidArgument("no program name given; " + InstallHint(debian_package));
  if (program.find('/') != std::string::npos) {
    if (IsExecutableFile(program)) return std::filesystem::path(program);
    return Status::NotFound(program + " is not an executable file: " + InstallHint(debian_package) +
                         ", or give the right path");
  }
  const char* path_env = std::getenv("PATH");
  std::string path_list = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::stringstream folders(path_list);
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    // An empty PATH entry means the current folder.
    std::filesystem::path candidate = (folder.empty() ? std::filesystem::path(".") : std::filesystem::path(folder)) / program;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return Status::NotFound(program + " not found on PATH: " + InstallHint(debian_package));
}

Result<ScratchDir> ScratchDir::Create() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/tunesmith-render-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::IOError("cannot create a scratch folder " + pattern + ": " + std::strerror(errno));
  }
  return ScratchDir(std::filesystem::path(pattern));
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

ScratchDir& ScratchDir::operator=(ScratchDir&& other) noexcept {
  if (this != &other) {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace tunesmith::render
