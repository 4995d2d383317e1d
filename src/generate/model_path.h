// Where `tunesmith generate` finds the bundled model when no --model is given.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace tunesmith::generate {

// The places looked at, in order:
//   $TUNESMITH_MODEL (a file)
//   <dir of the executable>/../share/tunesmith/models/default.ckpt   (installed)
//   <dir of the executable>/../models/default.ckpt and ../../models/   (a build folder in the source tree)
//   <source tree of the build>/models/default.ckpt                     (compiled in)
std::vector<std::string> DefaultModelCandidates();

// The first candidate that exists; an error listing them all otherwise.
Result<std::string> FindDefaultModel();

}  // namespace tunesmith::generate
