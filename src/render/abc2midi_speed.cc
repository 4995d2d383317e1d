#include "render/abc2midi_speed.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <filesystem>

#include "base/process.h"
#include "render/external_tool.h"

namespace tunesmith::render {
namespace {

double ChildrenCpuSeconds() {
  struct rusage u {};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

}  // namespace

Result<Abc2midiSpeed> MeasureAbc2midiSpeed(const std::vector<std::string>& files) {
  auto tool = FindTool("abc2midi", "abcmidi");
  if (!tool.ok()) return tool.status();
  auto scratch = ScratchDir::Create();
  if (!scratch.ok()) return scratch.status();
  std::vector<std::string> copies;
  int64_t bytes = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::filesystem::path copy = scratch->path() / (std::to_string(i) + "-" + std::filesystem::path(files[i]).filename().string());
    std::error_code ec;
    std::filesystem::copy_file(files[i], copy, ec);
    if (ec) return Status::Error("cannot copy " + files[i] + " to " + copy.string() + ": " + ec.message());
    bytes += static_cast<int64_t>(std::filesystem::file_size(copy, ec));
    copies.push_back(copy.string());
  }
  Abc2midiSpeed f;
  const double cpu_start = ChildrenCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  for (const auto& copy : copies) {
    auto run = base::RunProcess({tool->string(), copy}, {.cwd = scratch->path(), .timeout_seconds = 600});
    if (!run.ok()) return run.status();
    if (run->exit_code != 0) ++f.failed_files;
  }
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  f.cpu_seconds = ChildrenCpuSeconds() - cpu_start;
  const double mb = 1e-6 * static_cast<double>(bytes);
  f.mb_s = f.seconds > 0 ? mb / f.seconds : 0;
  f.mb_s_cpu = f.cpu_seconds > 0 ? mb / f.cpu_seconds : 0;
  return f;
}

}  // namespace tunesmith::render
