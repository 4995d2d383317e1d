#include "base/caret.h"

namespace tunesmith::base {

std::string QuoteLineWithCaret(std::string_view line, int column) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string out = "  ";
  out += line;
  if (column < 1) return out;
  out += "\n  ";
  for (int i = 0; i + 1 < column && i < static_cast<int>(line.size()); ++i) out += line[i] == '\t' ? '\t' : ' ';
  out += '^';
  return out;
}

}  // namespace tunesmith::base
