// Finding and reading ABC files: what `check`, `fmt`, `tokens` and the corpus
// loader share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tunesmith::abc {

// The most ReadTextFile reads of one file (or of stdin): ABC collections are
// a few MB; a bound keeps `check /dev/zero` or an endless pipe from eating
// the memory.
constexpr size_t kMaxAbcFileBytes = 256u << 20;

// Expands `paths` into files: a file is taken as it is (whatever its name),
// a folder is searched recursively for *.abc files (sorted by path), "-"
// stays "-" (stdin). Fails, leaving `files` unchanged, when a path does not
// exist or a folder holds no *.abc file.
Status ListAbcFiles(const std::vector<std::string>& paths, std::vector<std::string>* files);

// The whole content of `path` ("-" is stdin) as text. Fails, naming the
// file, when it cannot be read, is a folder, is larger than kMaxAbcFileBytes,
// or is not text: a NUL byte (binary; its line:column is given) or a UTF-16
// byte-order mark.
Result<std::string> ReadTextFile(const std::string& path);

// Line `line` (counting from `first_line`, the number of the first line of
// `text`) without its end (LF, CRLF or CR); "" when out of range. Finds
// lines by scanning once and remembering where each starts.
class SourceLines {
 public:
  explicit SourceLines(std::string_view text, int first_line = 1);
  std::string_view Line(int line) const;

 private:
  std::string_view text_;
  int first_line_;
  std::vector<size_t> starts_;
};

}  // namespace tunesmith::abc
