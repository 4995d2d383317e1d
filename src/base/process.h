// Child processes: running a program without a shell and capturing what it
// prints, and finding this program's own file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace tunesmith::base {

struct ProcessOptions {
  std::filesystem::path cwd;   // the child's working folder; empty: this process's
  double timeout_seconds = 0;  // the child is killed after this long; 0: no limit
};

struct ProcessRun {
  int exit_code = 0;   // its exit status, or 128 + the signal that killed it
  std::string out;     // everything it wrote on stdout
  std::string err;     // everything it wrote on stderr
  double seconds = 0;  // wall clock from start to exit
};

// Runs argv[0] (a path: no $PATH search) with argv[1..], stdin from
// /dev/null, stdout and stderr captured, and waits for it. A non-zero exit is
// not a failure here: the caller judges exit_code. Fails with NotFound when
// argv[0] does not exist, InvalidArgument when argv is empty, IOError when
// the program cannot be started or outlives options.timeout_seconds (it is
// then killed; the message says "did not finish").
Result<ProcessRun> RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The file of the running program (/proc/self/exe, links resolved), e.g. to
// find a sibling binary or the data installed beside it. IOError when the
// system does not say.
Result<std::filesystem::path> ThisExecutable();

}  // namespace tunesmith::base
