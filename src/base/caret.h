// Pointing at a character of a source line, the way compilers do (DuckDB):
//
//     "D"f2f Fd/0|
//           ^
#pragma once

#include <string>
#include <string_view>

namespace tunesmith::base {

// `line` indented by two blanks and, when `column` (1-based) is at least 1, a
// second line with a caret under that column. Tabs before the column are kept
// so that the caret lines up; a column past the end points just after the
// last character. A trailing '\r' of `line` is dropped. No final newline.
std::string QuoteLineWithCaret(std::string_view line, int column);

}  // namespace tunesmith::base
