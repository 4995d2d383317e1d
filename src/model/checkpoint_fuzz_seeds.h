// For checkpoint_fuzz.cc (which is C++17 for LibTorch's sake): the tokens of
// the ABC tunes in a folder, for the seed models' vocabularies.
#pragma once

#include <string>
#include <vector>

namespace tunesmith::model::fuzz {

struct SeedTokens {
  std::vector<std::string> abc_tokens;  // every abc-token the tunes encode to (no duplicates)
  std::vector<std::string> chars;       // every character of their char-tokenizer text, one per string
};

// Reads every file in `folder` as ABC and encodes each tune both ways; tunes
// that do not encode are skipped.
SeedTokens TokensOfTunes(const std::string& folder);

}  // namespace tunesmith::model::fuzz
