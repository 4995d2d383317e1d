#include "abc/writer.h"

#include <gtest/gtest.h>

#include "abc/reader.h"
#include "abc/tune_equality.h"

namespace tunesmith::abc {
namespace {

Tune Read(const std::string& text) {
  ReadResult r = ReadAbc(text, "t.abc");
  EXPECT_EQ(r.tunes.size(), 1u);
  return r.tunes.empty() ? Tune() : r.tunes[0];
}

TEST(WriterTest, NormalisedHeaderOrder) {
  Tune t = Read("X: 7\nK:G\n");  // K: alone: no M:, no L:
  EXPECT_EQ(WriteTune(t), "X:7\nM:none\nL:1/8\nK:G\n");
  t = Read("X:3\nR:jig\nS:somewhere\nT:First\nL:1/8\nM:6/8\nT:Second\nZ:me\nK:Edor\nABc|\n");
  EXPECT_EQ(WriteTune(t), "X:3\nT:First\nT:Second\nS:somewhere\nZ:me\nM:6/8\nL:1/8\nR:jig\nK:Edor\nABc|\n");
  WriteOptions music_only;
  music_only.header_only_music = true;
  EXPECT_EQ(WriteTune(t, music_only), "M:6/8\nL:1/8\nR:jig\nK:Edor\nABc|\n");
}

TEST(WriterTest, LengthsInTheChosenUnit) {
  Tune t = Read("X:1\nM:2/4\nL:1/16\nK:D\nA2 B c4 d/ e3 f6 g3/2|\n");
  EXPECT_EQ(WriteTune(t).substr(WriteTune(t).find("K:D\n") + 4), "A B/ c2 d/4 e3/2 f3 g3/4|\n");
  WriteOptions own;
  own.keep_unit_length = true;
  EXPECT_NE(WriteTune(t, own).find("L:1/16\nK:D\nA2 B c4 d/ e3 f6 g3/2|"), std::string::npos);
}

// Each line reads back to the same music; the writer's text is given too.
TEST(WriterTest, RoundTripTable) {
  const std::pair<const char*, const char*> cases[] = {
      {"|: \"D/f+\"A>B (3cde :|1 f2 g2 :|2 a4 ||", "|: \"D/F#\"A>B (3cde:|1 f2 g2:|2 a4||"},
      {"[1 A4 :| [2 B4 |]", "[1 A4:|2 B4|]"},
      {"{ga}~A2 .B !trill!c +A2c2+ [CEG]2 z2 x2 | Z |", "{ga}~A2 .B Tc [Ac]2 [CEG]2 z2 x2| z8|"},
      {".vF2 .!accent!G2 !segno!A !mf!B", ".vF2 .LG2 SA !mf!B"},  // abc2midi: no "!name!" after "."
      {"A-A B-|B c< d (3:2:2e2f |", "A-A B-|B c< d (3:2:2e2f|"},
      {"A2 [M:3/4] B2 | [K:Ador] c | | d", "A2[M:3/4] B2|[K:Ador] c| | d"},
      {"\"^above\"\"_below\"A \"Fine\"B", "\"^above\"\"_below\"A \"^Fine\"B"},
      {"A B\nP:B\nc d\nw: la la", "A B\nP:B\nc d\nw:la la"},
      {"A2 |\\\n B2 |", "A2|B2|"},
      {"(A B) ( c d) |", "(A B) (c d)|"},
      // Found by the fuzzer (reader_fuzz.cc):
      {"A4 (2 :| B4", "A4(2 :| B4"},                  // not "(2:|", read as "(2:" then "|"
      {"A4 |\nB: | c d\nc4", "A4|\nB: | c d\nc4"},      // a B: field, not the note B and ":|"
      {"[K:D] A B |", "K:D\nA B|"},                   // a field starting a line gets its own line
      {"A [E:e2] B |", "A[E:e2] B|"},                 // mid-line, a field stays inline
      {"z :|2 g3 ||", " z:|2 g3||"},                  // a line that would read as a z: field
      {"+fine!+A", "+fine!+A"},                        // a +decoration+ holding a '!'
      {"[c!!e]", "[ce]"},                              // an empty decoration inside a chord
      {"A B\nK:A\n((3 cde) f|", "A B\nK:A\n((3cde) f|"},  // slur and tuplet opening a line: no blank between
  };
  for (const auto& [body, written] : cases) {
    SCOPED_TRACE(body);
    Tune t = Read(std::string("X:1\nM:4/4\nL:1/8\nK:G\n") + body + "\n");
    std::string text = WriteTune(t);
    EXPECT_EQ(text.substr(text.find("K:G\n") + 4), std::string(written) + "\n");
    Tune again = Read(text);
    std::string why;
    EXPECT_TRUE(SameTune(t, again, &why)) << why << "\n" << text;
  }
}

TEST(WriterTest, SameTuneNoticesDifferences) {
  Tune a = Read("X:1\nM:4/4\nK:G\nABc|\n");
  Tune b = Read("X:1\nM:4/4\nK:G\nABd|\n");
  Tune c = Read("X:1\nM:3/4\nK:G\nABc|\n");
  Tune d = Read("X:1\nM:4/4\nL:1/16\nK:G\nA2B2c2|\n");
  std::string why;
  EXPECT_FALSE(SameTune(a, b, &why));
  EXPECT_NE(why.find("pitches"), std::string::npos);
  EXPECT_FALSE(SameTune(a, c, &why));
  EXPECT_TRUE(SameTune(a, d, &why)) << why;  // same music, another L:
}

}  // namespace
}  // namespace tunesmith::abc
