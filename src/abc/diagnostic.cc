#include "abc/diagnostic.h"

#include <algorithm>

#include "base/caret.h"
#include "base/text.h"

namespace tunesmith::abc {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

void Diagnostic::SetSource(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  const size_t half = kSourceWindow / 2;
  const size_t at = column > 0 ? std::min(static_cast<size_t>(column - 1), text.size()) : 0;
  size_t start = at > half ? at - half : 0;
  while (start > 0 && start < text.size() && IsContinuation(text[start])) ++start;
  size_t end = std::min(text.size(), start + kSourceWindow);
  while (end < text.size() && end > start && IsContinuation(text[end])) --end;
  source_line.clear();
  if (start > 0) source_line = "...";
  source_line += base::TerminalSafeSameWidth(text.substr(start, end - start));
  if (end < text.size()) source_line += "...";
  source_column = column > 0 ? static_cast<int>(at - start) + 1 + (start > 0 ? 3 : 0) : 0;
}

std::string Diagnostic::Format() const {
  std::string s = base::TerminalSafe(file.empty() ? "-" : file);
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  s += severity == Severity::kError ? ": error: " : ": warning: ";
  if (x != 0 || !title.empty()) {
    s += "X:" + std::to_string(x);
    if (!title.empty()) s += " \"" + base::TerminalSafe(title) + "\"";
    s += ": ";
  }
  s += base::TerminalSafe(message);
  if (!source_line.empty()) {
    s += "\n" + base::QuoteLineWithCaret(base::TerminalSafeSameWidth(source_line),
                                         source_column > 0 ? source_column : column);
  }
  return s;
}

}  // namespace tunesmith::abc
