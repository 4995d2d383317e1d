#include "abc/transpose.h"

#include <gtest/gtest.h>

#include "abc/reader.h"
#include "abc/timeline.h"
#include "abc/writer.h"

namespace tunesmith::abc {
namespace {

Tune Read(const std::string& key, const std::string& body) {
  ReadResult r = ReadAbc("X:1\nM:4/4\nL:1/8\nK:" + key + "\n" + body + "\n", "t.abc");
  EXPECT_EQ(r.tunes.size(), 1u);
  return r.tunes.empty() ? Tune() : r.tunes[0];
}

std::string Body(const Tune& t) {
  std::string text = WriteTune(t);
  return text.substr(text.find("\nK:") + 1);
}

struct Case {
  const char* key;
  const char* body;
  const char* target;
  const char* written;  // K: line and body after transposition
};

TEST(TransposeTest, Table) {
  const Case cases[] = {
      {"G", "GABc d^cde|\"D7\"f2\"G\"g2", "D", "K:D\nDEFG A^GAB|\"A7\"c2\"D\"d2\n"},
      {"G", "GABc d^cde", "C", "K:C\ncdef g^fga\n"},                 // up a fourth, not down a fifth
      {"Ddor", "DEFG ABcd", "C", "K:Cdor\nCDEF GABc\n"},          // F -> E, already flat in Cdor
      {"Ddor", "D^FGA", "C", "K:Cdor\nC=EFG\n"},                   // the raised third stays raised
      {"Am", "A^GAB c2", "Em", "K:Emin\nE^DEF G2\n"},
      {"D", "\"D/f+\"d2 \"(A7)\"e2 \"Bm\"f2", "Bb", "K:Bb\n\"Bb/D\"B2 \"(F7)\"c2 \"Gm\"d2\n"},
      {"D", "d2 [K:A] ^g2", "C", "K:C\nc2[K:G] ^f2\n"},
      {"F", "_B B =B B|B", "G", "K:G\n=c c ^c c|c\n"},
      {"D exp ^f", "F C", "E", "K:E exp ^g\nG D\n"},
      {"Em", "E^c d B", "Eb", "K:Ebmin\nE=c d B\n"},          // same letter, a semitone down
      {"C", "C E G", "B#", "K:B#\nB, D F\n"},                    // no move, one letter down
      {"D", "D F A", "C#", "K:C#\nC E G\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.key) + " -> " + c.target + ": " + c.body);
    int step = 0, alter = 0;
    ASSERT_TRUE(ParseTonic(c.target, &step, &alter));
    auto moved = TransposeTo(Read(c.key, c.body), step, alter);
    ASSERT_TRUE(moved.ok()) << moved.status().message();
    EXPECT_EQ(Body(*moved), c.written);
  }
}

// Every note sounds the same interval away, whatever the spelling.
TEST(TransposeTest, KeepsTheMelodyAndTheMode) {
  Tune t = Read("Edor", "EFGA B^cde|=c^ABc _ed=B2|\"Em\"E8|");
  for (const char* target : {"C", "F#", "Bb", "G", "Db", "A", "Eb", "E", "D#"}) {
    SCOPED_TRACE(target);
    int step = 0, alter = 0;
    ASSERT_TRUE(ParseTonic(target, &step, &alter));
    auto moved = TransposeTo(t, step, alter);
    ASSERT_TRUE(moved.ok());
    EXPECT_EQ(moved->key.mode, Mode::kDorian);
    auto before = Timeline(t), after = Timeline(*moved);
    ASSERT_EQ(before.size(), after.size());
    int shift = after[0].midi[0] - before[0].midi[0];
    EXPECT_LE(shift, 6);
    EXPECT_GE(shift, -6);
    for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i].midi[0] - before[i].midi[0], shift) << i;
  }
}

TEST(TransposeTest, FailsWithoutAKey) {
  EXPECT_FALSE(TransposeTo(Read("none", "ABc"), 0, 0).ok());
}

TEST(TransposeTest, ParseTonicTable) {
  struct TonicCase {
    const char* text;
    bool ok;
    int step, alter;
  };
  const TonicCase cases[] = {{"G", true, 4, 0},  {"Bb", true, 6, -1}, {"F#", true, 3, 1}, {"c", true, 0, 0},
                             {"Ebm", true, 2, -1}, {"Ddor", true, 1, 0}, {"H", false, 0, 0}, {"", false, 0, 0},
                             {"Gxyz", false, 0, 0}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    int step = -1, alter = -9;
    EXPECT_EQ(ParseTonic(c.text, &step, &alter), c.ok);
    if (c.ok) {
      EXPECT_EQ(step, c.step);
      EXPECT_EQ(alter, c.alter);
    }
  }
}

}  // namespace
}  // namespace tunesmith::abc
