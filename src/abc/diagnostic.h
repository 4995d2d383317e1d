// A problem found while reading or checking ABC, pointing at where it is:
//
//   jigs.abc:12:7: error: X:3 "The American Dwarf": unknown note length '/0'
//     "D"f2f Fd/0|
//           ^
#pragma once

#include <string>
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
  std::string source_line;  // the offending line, without its newline

  // The multi-line form above (no trailing newline).
  std::string Format() const;
};

}  // namespace tunesmith::abc
