// `tunesmith bench` measures training and generation in child processes, so
// that each one's peak memory (RSS) is its own, and runs the Python peers the
// same way. No LibTorch here.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace tunesmith::cli {

struct ChildRun {
  int exit_code = 0;      // 128 + signal when killed by one
  std::string out;        // everything it wrote on stdout
  std::string err_tail;   // the last ~2 KB of its stderr (for messages)
  double seconds = 0;     // wall clock
  double max_rss_mb = 0;  // peak resident set of the child (getrusage ru_maxrss), MiB
};

// Runs argv[0] (a path) with argv[1..], stdin from /dev/null, stdout captured,
// stderr to a temporary file, and waits for it (wait4, for its rusage).
// Fails only when it cannot be started.
Result<ChildRun> RunChild(const std::vector<std::string>& argv);

// The last line of `out` that parses as a JSON object, as text; "" if none.
std::string LastJsonLine(const std::string& out);

// This program's own path (/proc/self/exe).
std::string SelfExe();

}  // namespace tunesmith::cli
