// How fast abc2midi converts ABC files: the peer tunesmith-bench puts beside
// the reader (parse_vs_abc2midi, docs/performance.md).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace tunesmith::render {

struct Abc2midiSpeed {
  double seconds = 0;      // wall clock of one abc2midi run per file, in turn
  double cpu_seconds = 0;  // their user + system time
  double mb_s = 0, mb_s_cpu = 0;
  int failed_files = 0;    // runs that exited non-zero (abc2midi still converts the good tunes)
};

// Runs abc2midi on each file in turn, as bench/parse_vs_abc2midi.sh does, on
// copies in a scratch folder (abc2midi writes its MIDI files beside the ABC
// file, so the files given are left as they are). Fails when abc2midi is
// missing or a file cannot be copied.
Result<Abc2midiSpeed> MeasureAbc2midiSpeed(const std::vector<std::string>& files);

}  // namespace tunesmith::render
