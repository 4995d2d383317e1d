// The check every tune a program writes goes through before anyone sees it:
// read back by the ABC reader (exactly one tune, no error) and its bars
// measured against the meter. generate checks each composed tune with it;
// eval checks the tunes it judges (sampled, or read from --tunes files).
#pragma once

#include <string>

#include "abc/tune.h"

namespace tunesmith::abc {

struct TuneTextCheck {
  bool read_ok = false;    // exactly one tune, read without errors
  Tune tune;               // that tune (when the reader produced one)
  int read_warnings = 0;
  std::string error;       // the reader's first error, "" when none
  int bars = 0;            // bars CheckBars counts
  int off_meter = 0;       // of them, off the meter
};

// Reads `text` (one tune) as `source` names it in diagnostics ("<generated>").
TuneTextCheck CheckTuneText(const std::string& text, const std::string& source);

}  // namespace tunesmith::abc
