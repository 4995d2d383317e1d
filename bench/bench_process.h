// tunesmith-bench measures training and generation in child processes, so
// that each one's peak memory (RSS) is its own, and runs the Python peers the
// same way. No LibTorch here.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace tunesmith::bench {

struct ChildRun {
  int exit_code = 0;      // 128 + signal when killed by one
  std::string out;        // everything it wrote on stdout
  std::string err_tail;   // the last ~2 KB of its stderr (for messages)
  double seconds = 0;     // wall clock
};
// (No peak RSS here: after posix_spawn, whose vfork shares the parent's
// memory until exec, Linux starts the child's ru_maxrss at the parent's own
// high-water mark. Children report their VmHWM themselves.)

// Runs argv[0] (a path) with argv[1..] through base::RunProcess (stdin from
// /dev/null, both streams captured) and waits for it. Fails only when it
// cannot be started.
Result<ChildRun> RunChild(const std::vector<std::string>& argv);

// The last line of `out` that parses as a JSON object, as text; "" if none.
std::string LastJsonLine(const std::string& out);

// This program's own path (/proc/self/exe).
std::string SelfExe();

}  // namespace tunesmith::bench
