// Helpers for tests: where the corpus and test data are.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace tunesmith::testing {

// The corpus folder (nottingham/, nottingham-cleaned/, oneills1850/, ryans-mammoth/):
// $TUNESMITH_CORPUS if set, else data/corpus/ in the source tree.
// Corpus tests call GTEST_SKIP() with CorpusMissingMessage() when it is absent.
inline std::filesystem::path CorpusDir() {
  if (const char* env = std::getenv("TUNESMITH_CORPUS")) return env;
  const char* src = std::getenv("TUNESMITH_SOURCE_DIR");
  return std::filesystem::path(src ? src : ".") / "data" / "corpus";
}

inline bool CorpusPresent() { return std::filesystem::is_directory(CorpusDir() / "nottingham-cleaned"); }

inline std::string CorpusMissingMessage() {
  return "corpus not found at " + CorpusDir().string() +
         " (run scripts/fetch-corpus.sh, or set TUNESMITH_CORPUS): this corpus test did NOT run";
}

}  // namespace tunesmith::testing
