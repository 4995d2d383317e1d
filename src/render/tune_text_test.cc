#include "render/tune_text.h"

#include <gtest/gtest.h>

namespace tunesmith::render {
namespace {

TEST(SplitTunes, TwoTunesWithFileHeaderAndFreeText) {
  const std::string text =
      "%%MIDI program 40\n"   // 1: file header
      "\n"                    // 2
      "X: 1\n"                // 3
      "T:First\n"             // 4
      "K:G\n"                 // 5
      "GABc|\n"               // 6
      "\n"                    // 7: ends tune 1
      "free text\n"           // 8: between tunes, dropped
      "X:2\n"                 // 9
      "T: Second \n"          // 10
      "T:Alt title\n"         // 11
      "K:D\n"                 // 12
      "defg|";                // 13: no final newline
  AbcFileText file = SplitTunes(text);
  EXPECT_EQ(file.header, "%%MIDI program 40\n\n");
  ASSERT_EQ(file.tunes.size(), 2u);
  EXPECT_EQ(file.tunes[0].x, "1");
  EXPECT_EQ(file.tunes[0].title, "First");
  EXPECT_EQ(file.tunes[0].first_line, 3);
  EXPECT_EQ(file.tunes[0].text, "X: 1\nT:First\nK:G\nGABc|\n");
  EXPECT_EQ(file.tunes[1].x, "2");
  EXPECT_EQ(file.tunes[1].title, "Second");
  EXPECT_EQ(file.tunes[1].first_line, 9);
  EXPECT_EQ(file.tunes[1].text, "X:2\nT: Second \nT:Alt title\nK:D\ndefg|\n");
}

TEST(SplitTunes, TableOfEdgeCases) {
  struct Case {
    const char* name;
    std::string text;
    size_t tunes;
    std::string last_x;
  };
  const Case cases[] = {
      {"empty", "", 0, ""},
      {"no X: at all", "T:Lonely\nK:C\nCDEF|\n", 0, ""},
      {"X: without blank line between tunes", "X:1\nK:C\nC|\nX:2\nK:C\nD|\n", 2, "2"},
      {"CRLF line ends", "X:7\r\nT:Dos\r\nK:C\r\nC|\r\n", 1, "7"},
      {"blank line of spaces ends a tune", "X:1\nK:C\n  \t\nC|\nX:3\nK:C\n", 2, "3"},
      {"stray line after blank is not a tune", "X:1\nK:C\nC|\n\n:1646\nX: 0\nK:C\n", 2, "0"},
      {"lower-case x is not a field", "x:1\nK:C\n", 0, ""},
  };
  for (const Case& c : cases) {
    AbcFileText file = SplitTunes(c.text);
    EXPECT_EQ(file.tunes.size(), c.tunes) << c.name;
    if (!file.tunes.empty()) {
      EXPECT_EQ(file.tunes.back().x, c.last_x) << c.name;
    }
  }
}

TEST(SplitTunes, CrlfIsNotKeptInTuneText) {
  AbcFileText file = SplitTunes("X:7\r\nT:Dos\r\nK:C\r\nC|\r\n");
  ASSERT_EQ(file.tunes.size(), 1u);
  EXPECT_EQ(file.tunes[0].text, "X:7\nT:Dos\nK:C\nC|\n");
  EXPECT_EQ(file.tunes[0].title, "Dos");
}

TEST(InsertAfterKeyLine, AddsLinesAfterTheHeaderKeyOnly) {
  const std::string tune = "X:1\nT:t\nM:6/8\nK:D\nM:3/4\nK:G\nabc|\n";
  HeaderInsertion out = InsertAfterKeyLine(tune, {"%%MIDI program 73", "%%MIDI gchordoff"});
  EXPECT_EQ(out.key_line, 4);
  EXPECT_EQ(out.inserted, 2);
  EXPECT_EQ(out.text, "X:1\nT:t\nM:6/8\nK:D\n%%MIDI program 73\n%%MIDI gchordoff\nM:3/4\nK:G\nabc|\n");
}

TEST(InsertAfterKeyLine, TuneWithoutKeyIsUnchanged) {
  HeaderInsertion out = InsertAfterKeyLine("X:1\nT:t\nabc|\n", {"%%MIDI program 1"});
  EXPECT_EQ(out.key_line, 0);
  EXPECT_EQ(out.inserted, 0);
  EXPECT_EQ(out.text, "X:1\nT:t\nabc|\n");
}

}  // namespace
}  // namespace tunesmith::render
