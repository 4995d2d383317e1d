#include "model/checkpoint_fuzz_seeds.h"

#include <set>

#include "tokens/fuzz_seed_tunes.h"

namespace tunesmith::model::fuzz {

SeedTokens TokensOfTunes(const std::string& folder) {
  std::set<std::string> abc_tokens, chars;
  tokens::fuzz::ForEachSeedTune(folder, nullptr, [&](const std::string&, int, const tokens::TuneEncodings& both) {
    abc_tokens.insert(both.abc_tokens.begin(), both.abc_tokens.end());
    for (char ch : both.char_text) chars.insert(std::string(1, ch));
  });
  return {{abc_tokens.begin(), abc_tokens.end()}, {chars.begin(), chars.end()}};
}

}  // namespace tunesmith::model::fuzz
