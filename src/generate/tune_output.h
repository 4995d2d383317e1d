// A sampled token stream as the tune a person gets: ABC text with X:, T:,
// M:, L:, R:, K: and an N: line that says how to make it again, in the key
// asked for; and the checks every generated tune is put through (read back by
// the ABC reader, bars against the meter, the structure asked for).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "generate/structure.h"
#include "tokens/chord_symbol.h"

namespace tunesmith::generate {

struct TuneTextOptions {
  int x = 1;
  std::string title = "Untitled";
  std::optional<tokens::NoteName> tonic;  // the key to write in (mode kept); C when unset
  bool chord_symbols = true;              // false drops the chord symbols the model wrote
  std::string provenance;                 // the N: line's text ("" for none)
};

struct TuneText {
  std::string abc;  // the tune as ABC, ending with a newline
  abc::Tune tune;   // the same tune, decoded
};

// Decodes `tokens` (<s> ... </s>) and writes the tune. Fails only on a token
// stream the decoder rejects (which the grammar mask rules out).
Result<TuneText> WriteGeneratedTune(const std::vector<std::string>& tokens, const TuneTextOptions& options);

struct TuneChecks {
  bool read_ok = false;   // abc::ReadAbc read exactly one tune, without errors
  int read_warnings = 0;
  int bars = 0;           // bars abc::CheckBars counts
  int off_meter = 0;      // of them, off the meter
  std::string structure;  // "" when the structure holds (or none was asked), else what is wrong
  std::string error;      // the reader's first error, if any
};

// Reads `abc_text` back and checks it; `tokens` for the structure check.
TuneChecks CheckGeneratedTune(const std::string& abc_text, const std::vector<std::string>& tokens,
                              const Structure& structure);

}  // namespace tunesmith::generate
