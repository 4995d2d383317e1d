// The ABC 2.1 reader: text holding any number of tunes -> Tunes + diagnostics.
//
// Each tune starts at an X: line and ends at a blank line (or the next X:).
// A tune with an error is rejected (its diagnostics say why) and reading goes
// on with the next; what the reader does not model it skips with a warning.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "abc/diagnostic.h"
#include "abc/tune.h"
#include "base/status.h"

namespace tunesmith::abc {

struct ReadOptions {
  // Keep only the first voice of a multi-voice tune (others skipped with a warning).
  bool first_voice_only = true;
};

struct ReadResult {
  std::vector<Tune> tunes;               // the tunes read, in file order
  std::vector<Diagnostic> diagnostics;   // warnings and errors, in file order
  int tunes_seen = 0;                    // X: lines met (read + rejected)
  int rejected = 0;                      // tunes dropped because of an error
  int warnings = 0;                      // diagnostics of severity kWarning
};

// Reads every tune in `text`. `file` names the source in diagnostics and in
// Tune::file. Never fails as a whole: problems are in the diagnostics.
ReadResult ReadAbc(std::string_view text, std::string_view file, const ReadOptions& options = {});

// Reads a file ("-" is stdin). Fails only when the file cannot be read.
Result<ReadResult> ReadAbcFile(const std::string& path, const ReadOptions& options = {});

}  // namespace tunesmith::abc
