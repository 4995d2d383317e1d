#include "base/caret.h"

#include <gtest/gtest.h>

namespace tunesmith::base {
namespace {

TEST(QuoteLineWithCaret, PointsUnderTheColumn) {
  struct Case {
    const char* line;
    int column;
    const char* expected;
  };
  const Case cases[] = {
      {"\"D\"f2f Fd/0|", 10, "  \"D\"f2f Fd/0|\n           ^"},
      {"abc", 1, "  abc\n  ^"},
      {"\tab c", 4, "  \tab c\n  \t  ^"},   // tabs kept so the caret lines up
      {"abc", 9, "  abc\n     ^"},         // past the end: just after the last character
      {"abc\r", 2, "  abc\n   ^"},          // a CR line end is not shown
      {"abc", 0, "  abc"},                  // no column: the line alone
      {"", 1, "  \n  ^"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    EXPECT_EQ(QuoteLineWithCaret(c.line, c.column), c.expected);
  }
}

}  // namespace
}  // namespace tunesmith::base
