#include "abc/diagnostic.h"

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
  if (!source_line.empty()) {
    s += "\n  " + source_line;
    if (column > 0) {
      // Keep tabs so that the caret lines up under the same character.
      std::string pad;
      for (int i = 0; i + 1 < column && i < static_cast<int>(source_line.size()); ++i) {
        pad += source_line[i] == '\t' ? '\t' : ' ';
      }
      s += "\n  " + pad + "^";
    }
  }
  return s;
}

}  // namespace tunesmith::abc
