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
// The temporary file is `.NAME.tmp.PID.RANDOM` (RANDOM: 16 hex digits from
// the system's random source), created with O_EXCL so that a name planted
// beforehand (a file or a symlink) is never opened; a process killed while
// writing leaves it behind (RemoveStaleTemporaryFiles clears it).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

// The temporary name WriteFileAtomically would use for `path` in this process
// (`.NAME.tmp.PID.` followed by the random part, which this leaves out).
std::string TemporaryFilePrefix(const std::filesystem::path& path, long pid);

// Removes the temporary files of `path` (`.NAME.tmp.PID.*` beside it) whose
// writer PID is no running process: what a writer killed mid-write (SIGKILL,
// power loss) left. Files of running processes, this one included, stay.
// Returns how many were removed; errors are ignored (a leftover is harmless).
int RemoveStaleTemporaryFiles(const std::filesystem::path& path);

}  // namespace tunesmith::base
