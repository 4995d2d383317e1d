// A problem found while reading or checking ABC, pointing at where it is:
//
//   jigs.abc:12:7: error: X:3 "The American Dwarf": unknown note length '/0'
//     "D"f2f Fd/0|
//           ^
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tunesmith::abc {

enum class Severity { kWarning, kError };

struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string file;
  int x = 0;              // tune reference number, 0 if outside a tune
  std::string title;      // tune title, "" if unknown
  int line = 0;           // 1-based
  int column = 0;         // 1-based
  std::string message;
  // The offending line, or the stretch of it around `column` when it is long
  // (cut ends shown as "..."), without its newline; bytes a terminal could act
  // on are '?'. Set by SetSource; "" when there is no line to show.
  std::string source_line;
  int source_column = 0;  // 1-based column of the caret in source_line; 0: same as column

  // Sets source_line and source_column from the whole line `text` and
  // `column`: at most about kSourceWindow bytes are kept, so that a warning on a
  // 20 MB line stores and prints a line of normal length.
  void SetSource(std::string_view text);
  static constexpr size_t kSourceWindow = 120;

  // The multi-line form above (no trailing newline). Titles, messages and
  // file names are printed with base::TerminalSafe.
  std::string Format() const;
};

}  // namespace tunesmith::abc
