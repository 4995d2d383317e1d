#include "tokens/fuzz_seed_tunes.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "abc/reader.h"

namespace tunesmith::tokens::fuzz {

void ForEachSeedTune(const std::string& folder, const std::function<void(const std::string&, const std::string&)>& on_file,
                     const std::function<void(const std::string&, int, const TuneEncodings&)>& on_tune) {
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::string stem = entry.path().stem().string();
    if (on_file) on_file(stem, text);
    const abc::ReadResult read = abc::ReadAbc(text, entry.path().string());
    for (size_t i = 0; i < read.tunes.size(); ++i) {
      auto both = EncodeTuneBothKinds(read.tunes[i]);
      if (both.ok() && on_tune) on_tune(stem, static_cast<int>(i), *both);
    }
  }
}

}  // namespace tunesmith::tokens::fuzz
