#include "base/text.h"

#include <gtest/gtest.h>

#include "base/json_text.h"

namespace tunesmith::base {
namespace {

TEST(FirstInvalidUtf8, FindsTheFirstBadByte) {
  struct Case {
    std::string text;
    size_t expected;
  };
  const Case cases[] = {
      {"plain", std::string::npos},
      {"caf\xc3\xa9", std::string::npos},          // é in UTF-8
      {"caf\xe9", 3},                              // é in Latin-1
      {"a\x80", 1},                                // stray continuation byte
      {"\xc0\xaf", 0},                             // overlong '/'
      {"\xed\xa0\x80", 0},                         // a surrogate
      {"\xf4\x90\x80\x80", 0},                     // past U+10FFFF
      {"\xe2\x82", 0},                             // truncated
      {"\xf0\x9f\x8e\xbb ok", std::string::npos},  // a four-byte character
  };
  for (const Case& c : cases) EXPECT_EQ(FirstInvalidUtf8(c.text), c.expected) << c.text;
}

TEST(Harden, F13_ControlCharactersNeverReachTheTerminal) {
  const std::string title = "x\033]0;pwned\007y";
  EXPECT_EQ(TerminalSafe(title), "x\\x1B]0;pwned\\x07y");
  EXPECT_EQ(TerminalSafeSameWidth(title), "x?]0;pwned?y");
  EXPECT_EQ(TerminalSafe("tab\tkept, caf\xc3\xa9 kept"), "tab\tkept, caf\xc3\xa9 kept");
  EXPECT_EQ(TerminalSafe("csi \xc2\x9b and \x9b"), "csi \\xC2\\x9B and \\x9B");
  EXPECT_EQ(TerminalSafe("del\x7f"), "del\\x7F");
  EXPECT_EQ(TerminalSafeSameWidth("\xc2\x9b"), "??");
}

TEST(Harden, F01_JsonTextReplacesBytesThatAreNotUtf8) {
  nlohmann::json j = {{"title", "caf\xe9"}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);
  EXPECT_EQ(JsonText(j), "{\"title\":\"caf\xef\xbf\xbd\"}");
  EXPECT_EQ(JsonText(nlohmann::json{{"a", 1}}, 2), "{\n  \"a\": 1\n}");
}

}  // namespace
}  // namespace tunesmith::base
