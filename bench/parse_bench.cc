// Reader speed on the whole corpus (a benchmark, not a test): reads every
// .abc file under the given folders (default: data/corpus) into memory, then
// parses all of them N times and prints MB/s. bench/parse_vs_abc2midi.sh
// puts this next to the time abc2midi takes on the same files.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <string>
#include <vector>

#include "abc/bar_check.h"
#include "abc/files.h"
#include "abc/reader.h"

int main(int argc, char** argv) {
  using namespace tunesmith;
  std::vector<std::string> paths;
  int repeats = 20;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--repeats" && i + 1 < argc) repeats = std::stoi(argv[++i]);
    else paths.push_back(arg);
  }
  if (paths.empty()) paths.push_back("data/corpus");
  std::vector<std::string> files;
  Status listed = abc::ListAbcFiles(paths, &files);
  if (!listed.ok()) {
    std::fprintf(stderr, "parse_bench: %s\n", listed.message().c_str());
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> texts;
  size_t bytes = 0;
  for (const auto& f : files) {
    auto text = abc::ReadTextFile(f);
    if (!text.ok()) {
      std::fprintf(stderr, "parse_bench: %s\n", text.status().message().c_str());
      return 2;
    }
    bytes += text->size();
    texts.emplace_back(f, std::move(*text));
  }
  size_t tunes = 0, bars = 0;
  // CPU time as well as wall time: the machine may be shared with other work.
  std::clock_t cpu_start = std::clock();
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < repeats; ++r) {
    for (const auto& [name, text] : texts) {
      abc::ReadResult result = abc::ReadAbc(text, name);
      tunes += result.tunes.size();
    }
  }
  double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double read_cpu_s = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  start = std::chrono::steady_clock::now();
  for (const auto& [name, text] : texts) {
    for (const auto& tune : abc::ReadAbc(text, name).tunes) bars += abc::CheckBars(tune).bars.size();
  }
  double check_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double mb = static_cast<double>(bytes) / 1e6;
  std::printf("files %zu, bytes %zu, tunes %zu per pass, repeats %d\n", files.size(), bytes, tunes / repeats, repeats);
  std::printf("reader: %.3f ms per pass, %.1f MB/s (wall); %.3f ms, %.1f MB/s (CPU)\n", 1e3 * read_s / repeats,
              mb * repeats / read_s, 1e3 * read_cpu_s / repeats, mb * repeats / read_cpu_s);
  std::printf("reader + bar check: %.3f ms per pass (%zu bars)\n", 1e3 * check_s, bars);
  return 0;
}
