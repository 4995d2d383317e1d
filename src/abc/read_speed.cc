#include "abc/read_speed.h"

#include <chrono>
#include <ctime>
#include <utility>

#include "abc/files.h"
#include "abc/reader.h"

namespace tunesmith::abc {

Result<ReadSpeed> MeasureReadSpeed(const std::vector<std::string>& files, double min_seconds) {
  std::vector<std::pair<std::string, std::string>> texts;
  ReadSpeed f;
  for (const auto& path : files) {
    auto text = ReadTextFile(path);
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
    for (const auto& [name, text] : texts) tunes += static_cast<int64_t>(ReadAbc(text, name).tunes.size());
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

}  // namespace tunesmith::abc
