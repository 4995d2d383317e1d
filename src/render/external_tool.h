// Running the external programs rendering relies on (abc2midi, abcm2ps):
// finding them, running them without a shell, capturing what they print, and
// a scratch folder for the files they read and write.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tunesmith::render {

// Resolves `program` (a bare name looked up on $PATH, or a path) to an
// executable file. On failure the message names the Debian package that
// provides it, e.g. "abc2midi not found on PATH: install the Debian package abcmidi ...".
Result<std::filesystem::path> FindTool(const std::string& program, std::string_view debian_package);

struct ToolRun {
  int exit_code = 0;   // the program's exit status (128 + signal if it was killed)
  std::string out;     // everything it wrote on stdout
  std::string err;     // everything it wrote on stderr
};

// Runs argv[0] (a path, as FindTool returns) with the given arguments in
// folder `cwd`, stdin closed, stdout and stderr captured. Fails when the
// program cannot be started or runs longer than `timeout_seconds` (it is then
// killed); a non-zero exit is not a failure here, the caller judges it.
Result<ToolRun> RunTool(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                        double timeout_seconds);

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it when
// the object goes. Create() fails only when no folder can be made.
class ScratchDir {
 public:
  static Result<ScratchDir> Create();
  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir& operator=(ScratchDir&& other) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// Whole-file helpers. ReadFileBytes fails with a message naming the path;
// WriteFileAtomically writes to a sibling temporary file and renames it, so a
// reader never sees a half-written file (the target is unchanged on failure).
Result<std::string> ReadFileBytes(const std::filesystem::path& path);
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace tunesmith::render
