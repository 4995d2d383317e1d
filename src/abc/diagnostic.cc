#include "abc/diagnostic.h"

#include "base/caret.h"

namespace tunesmith::abc {

std::string Diagnostic::Format() const {
  std::string s = file.empty() ? "-" : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  s += severity == Severity::kError ? ": error: " : ": warning: ";
  if (x != 0 || !title.empty()) {
    s += "X:" + std::to_string(x);
    if (!title.empty()) s += " \"" + title + "\"";
    s += ": ";
  }
  s += message;
  if (!source_line.empty()) s += "\n" + base::QuoteLineWithCaret(source_line, column);
  return s;
}

}  // namespace tunesmith::abc
