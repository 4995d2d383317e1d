// How fast the reader reads ABC: what tunesmith-bench reports as parse_mb_s
// (docs/performance.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace tunesmith::abc {

struct ReadSpeed {
  int files = 0;
  int64_t bytes = 0;    // of the files, read once into memory
  int64_t tunes = 0;    // tunes read per pass
  int passes = 0;
  double mb_s = 0;      // 1e6 bytes per second of wall clock, parsing only (no I/O)
  double mb_s_cpu = 0;  // ... per second of this process's CPU time
};

// Reads every file once, then parses all of them with ReadAbc, pass after
// pass, until `min_seconds` have passed (at least one pass). Fails when a
// file cannot be read or the files hold no text.
Result<ReadSpeed> MeasureReadSpeed(const std::vector<std::string>& files, double min_seconds);

}  // namespace tunesmith::abc
