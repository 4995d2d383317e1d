#include "abc/bar_check.h"

#include <gtest/gtest.h>

#include "abc/reader.h"

namespace tunesmith::abc {
namespace {

BarCheck Check(const std::string& meter, const std::string& body) {
  ReadResult r = ReadAbc("X:1\nT:t\nM:" + meter + "\nL:1/8\nK:D\n" + body + "\n", "t.abc");
  EXPECT_EQ(r.tunes.size(), 1u);
  return r.tunes.empty() ? BarCheck() : CheckBars(r.tunes[0]);
}

struct Case {
  const char* meter;
  const char* body;
  int bars;
  int off;
};

TEST(BarCheckTest, Table) {
  const Case cases[] = {
      {"4/4", "ABcd efga | bagf edcB |]", 2, 0},
      {"4/4", "ABcd efga | bagf edc | ABcd efga |]", 3, 1},        // short bar in the middle
      {"4/4", "ABc | bagf edcB |]", 2, 0},                         // a pickup
      {"4/4", "ABcd efgab | bagf edcB |]", 2, 1},                  // long bar
      {"6/8", "f | ecc c2f | ecc c3 | Ace a2 :|", 4, 0},            // pickup and its complement at :|
      {"6/8", "f | ecc c2f | ecc c2 ||", 3, 0},                     // complement at the end
      {"6/8", "f | ecc c2f | ecc c ||", 3, 1},                      // not the complement
      {"6/8", "ecc c2f |1 Ace a3 :|2 Ace ag=g ||", 3, 0},           // endings
      {"6/8", "f | ecc c2f |1 Ace a2 :|2 Ace ag=g ||", 4, 0},       // ending 1 completes the pickup
      {"4/4", "ABcd efga | bagf ed :|: cB | BAGF EDCB |]", 3, 0},   // a bar split by :|:
      {"4/4", "ABcd efga | bagf e |1 dcB :|2 d3 ||", 3, 0},         // a bar split by endings
      {"4/4", "ABcd efga | bagf e |1 dcB | A8 :|2 d3 ||", 4, 0},    // ... with a longer first ending
      {"4/4", "ABcd efga | bagf e |1 dcB :|2 d2 ||", 3, 1},          // the second ending does not complete it
      {"6/8", "ABc def | gfe d\nP:B\ncB | A3 A3 |]", 3, 0},         // split by a part label
      {"4/4", "(3ABc (3def g2 a2 | A>B c>d e<f g<a |]", 2, 0},     // tuplets and broken rhythm
      {"4/4", "(3ABc def g2 a2 |]", 1, 1},
      {"3/4", "A2B2c2 | [M:2/4] d2e2 | [M:3/4] f6 |]", 3, 0},      // meter changes
      {"none", "ABc | defga | b |]", 3, 0},                          // free meter
      {"4/4", "Z2 | A8 |]", 2, 1},                                   // Z2 is two bars in one
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.meter) + ": " + c.body);
    BarCheck check = Check(c.meter, c.body);
    EXPECT_EQ(static_cast<int>(check.bars.size()), c.bars);
    EXPECT_EQ(check.off_meter, c.off);
    EXPECT_EQ(static_cast<int>(check.diagnostics.size()), c.off);
  }
}

TEST(BarCheckTest, DiagnosticNamesTheBar) {
  BarCheck check = Check("4/4", "ABcd efga |\nbagf edc |]");
  ASSERT_EQ(check.diagnostics.size(), 1u);
  const Diagnostic& d = check.diagnostics[0];
  EXPECT_EQ(d.line, 7);
  EXPECT_EQ(d.column, 1);
  EXPECT_EQ(d.x, 1);
  EXPECT_NE(d.message.find("7/8"), std::string::npos) << d.message;
  EXPECT_EQ(check.bars[1].length, Rational(7, 8));
  EXPECT_EQ(check.bars[1].expected, Rational(1));
}

}  // namespace
}  // namespace tunesmith::abc
