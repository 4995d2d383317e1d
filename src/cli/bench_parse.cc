#include <sys/resource.h>

#include <chrono>
#include <ctime>

#include "abc/files.h"
#include "abc/reader.h"
#include "cli/bench_measure.h"
#include "render/external_tool.h"

namespace tunesmith::cli {
namespace {

double ChildrenCpuSeconds() {
  struct rusage u {};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

}  // namespace

Result<ParseFigures> MeasureParse(const std::vector<std::string>& files, double min_seconds) {
  std::vector<std::pair<std::string, std::string>> texts;
  ParseFigures f;
  for (const auto& path : files) {
    auto text = abc::ReadTextFile(path);
    if (!text.ok()) return text.status();
    f.bytes += static_cast<int64_t>(text->size());
    texts.emplace_back(path, std::move(*text));
  }
  f.files = static_cast<int>(files.size());
  if (f.bytes == 0) return Status::Error("no ABC text to parse");
  // CPU time beside wall time: the machine may be shared with other work.
  const std::clock_t cpu_start = std::clock();
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  int64_t tunes = 0;
  do {
    for (const auto& [name, text] : texts) tunes += static_cast<int64_t>(abc::ReadAbc(text, name).tunes.size());
    ++f.passes;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (seconds < min_seconds);
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  f.tunes = tunes / f.passes;
  const double mb = 1e-6 * static_cast<double>(f.bytes) * f.passes;
  f.mb_s = mb / seconds;
  f.mb_s_cpu = cpu > 0 ? mb / cpu : 0;
  return f;
}

Result<Abc2midiFigures> MeasureAbc2midi(const std::vector<std::string>& files) {
  auto tool = render::FindTool("abc2midi", "abcmidi");
  if (!tool.ok()) return tool.status();
  auto scratch = render::ScratchDir::Create();
  if (!scratch.ok()) return scratch.status();
  // abc2midi writes its MIDI files beside the ABC file it reads: it reads
  // copies in the scratch folder, so the corpus is left as it is.
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
  Abc2midiFigures f;
  const double cpu_start = ChildrenCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  for (const auto& copy : copies) {
    auto run = render::RunTool({tool->string(), copy}, scratch->path(), 600);
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

}  // namespace tunesmith::cli
