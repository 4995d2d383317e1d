// The external programs rendering relies on (abc2midi, abcm2ps): finding
// them with an install hint, and a scratch folder for the files they read and
// write. Running them is base::RunProcess.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/files.h"
#include "base/process.h"
#include "base/status.h"

namespace tunesmith::render {

// Resolves `program` (a bare name looked up on $PATH, or a path) to an
// executable file. On failure the message names the Debian package that
// provides it, e.g. "abc2midi not found on PATH: install the Debian package abcmidi ...".
Result<std::filesystem::path> FindTool(const std::string& program, std::string_view debian_package);

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

}  // namespace tunesmith::render
