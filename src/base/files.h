// Whole files: reading one, writing one, and replacing one atomically so that
// a reader (or a crash) never sees it half-written.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tunesmith::base {

// The bytes of `path`. NotFound when it does not exist, IOError when it
// cannot be opened or read; the message names the path.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Creates or truncates `path` and writes `bytes`: for scratch files no other
// process reads. IOError on failure (the file may then be partly written).
Status WriteFile(const std::filesystem::path& path, std::string_view bytes);

// Replaces `path` with `bytes`: writes a temporary file beside it, flushes it
// to disk, renames it over `path` and flushes the folder. On failure `path`
// is unchanged (the old content, or still absent), no temporary file is left,
// and the status is IOError (NotFound when the folder does not exist).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace tunesmith::base
