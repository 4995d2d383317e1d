// Finding and reading ABC files: what `check`, `fmt` and the corpus loader
// share.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tunesmith::abc {

// Expands `paths` into files: a file is taken as it is (whatever its name),
// a folder is searched recursively for *.abc files (sorted by path), "-"
// stays "-" (stdin). Fails, leaving `files` unchanged, when a path does not
// exist.
Status ListAbcFiles(const std::vector<std::string>& paths, std::vector<std::string>* files);

// The whole content of `path` ("-" is stdin).
Result<std::string> ReadTextFile(const std::string& path);

// Line `line` (1-based) of `text` without its newline; "" when out of range.
// Finds lines by scanning once and remembering where each starts.
class SourceLines {
 public:
  explicit SourceLines(std::string_view text);
  std::string Line(int line) const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

}  // namespace tunesmith::abc
