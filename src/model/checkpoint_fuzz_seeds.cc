#include "model/checkpoint_fuzz_seeds.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "abc/reader.h"
#include "tokens/tokenizer.h"

namespace tunesmith::model::fuzz {

SeedTokens TokensOfTunes(const std::string& folder) {
  std::set<std::string> abc_tokens, chars;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    for (const abc::Tune& tune : abc::ReadAbc(buffer.str(), entry.path().string()).tunes) {
      auto both = tokens::EncodeTuneBothKinds(tune);
      if (!both.ok()) continue;
      abc_tokens.insert(both->abc_tokens.begin(), both->abc_tokens.end());
      for (char ch : both->char_text) chars.insert(std::string(1, ch));
    }
  }
  return {{abc_tokens.begin(), abc_tokens.end()}, {chars.begin(), chars.end()}};
}

}  // namespace tunesmith::model::fuzz
