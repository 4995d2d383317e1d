// For the fuzz targets' seed-writing mode (scripts/fuzz.sh): the project's
// own test tunes, read from a folder of ABC files and encoded both ways.
// Built into the fuzz libraries only (ts_tokens_fuzz).
#pragma once

#include <functional>
#include <string>

#include "tokens/tokenizer.h"

namespace tunesmith::tokens::fuzz {

// For every file in `folder`: on_file(stem, text); then, for each tune the
// reader finds in it that encodes, on_tune(stem, index, encodings). Tunes
// that do not encode are skipped.
void ForEachSeedTune(const std::string& folder, const std::function<void(const std::string&, const std::string&)>& on_file,
                     const std::function<void(const std::string&, int, const TuneEncodings&)>& on_tune);

}  // namespace tunesmith::tokens::fuzz
