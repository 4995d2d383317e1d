#include "abc/beaming.h"

#include <gtest/gtest.h>

#include "abc/reader.h"
#include "abc/timeline.h"
#include "abc/tune_equality.h"
#include "abc/writer.h"

namespace tunesmith::abc {
namespace {

Tune Read(const std::string& text) {
  ReadResult r = ReadAbc(text, "t.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << text;
  return r.tunes.empty() ? Tune() : r.tunes[0];
}

std::string Body(const std::string& text) { return text.substr(text.find("\nK:G\n") + 5); }

struct BeamCase {
  const char* meter;
  const char* body;     // as read (L:1/8, K:G)
  const char* written;  // the body the writer gives with beam_by_beat
};

// Per meter, what musicians write; the source's own blanks do not matter.
TEST(BeamingTest, GroupsPerMeter) {
  const BeamCase cases[] = {
      // 6/8, 9/8, 12/8: three eighths to a beat; a note across the beat stands alone.
      {"6/8", "\"G\"c2BGAB|", "\"G\"c2B GAB|"},
      {"6/8", "A B c d e f|", "ABc def|"},
      {"6/8", "ABc2de|", "AB c2 de|"},
      {"6/8", "\"G\"GAB\"D\"AFD|", "\"G\"GAB \"D\"AFD|"},
      {"6/8", "G/A/Bc d3|", "G/A/Bc d3|"},
      {"9/8", "ABcdefgab|", "ABc def gab|"},
      {"12/8", "ABcABcABcABc|", "ABc ABc ABc ABc|"},
      {"3/8", "A B c|", "ABc|"},
      // 4/4 and 2/2: half bars of eighths; a half with sixteenths by quarter.
      {"4/4", "A B c d e f g a|", "ABcd efga|"},
      {"C", "A2Bc dBAF|", "A2Bc dBAF|"},
      {"4/4", "A/B/c/d/efgabc|", "A/B/c/d/ ef gabc|"},
      {"2/2", "ABcdefga|", "ABcd efga|"},
      {"C|", "A4 Bcde|", "A4 Bcde|"},
      {"4/4", "A>Bc>d e>fg>a|", "A>Bc>d e>fg>a|"},  // a hornpipe's dotted pairs
      // 2/4, 3/4, 3/2: by quarter.
      {"2/4", "ABcd|", "AB cd|"},
      {"2/4", "A/B/c/d/e/f/g/a/|", "A/B/c/d/ e/f/g/a/|"},
      {"3/4", "ABcdef|", "AB cd ef|"},
      {"3/2", "ABcdefgabcde|", "AB cd ef ga bc de|"},
      // Tuplets and broken-rhythm pairs are never split, even across a beat.
      {"2/4", "(3ABcde|", "(3ABc de|"},
      {"2/4", "A(3Bcde|", "A(3Bcde|"},
      {"3/4", "AB>cdef|", "A B>cd ef|"},
      // A pickup counts back from its bar line; a section's closing bar counts from its start.
      {"6/8", "BcdB|GAB cBA|G3 G2::BcdB|GAB c3|]", "B cdB|GAB cBA|G3 G2::B cdB|GAB c3|]"},
      {"4/4", "GABcd|efga bc'ba|", "G ABcd|efga bc'ba|"},
      // After an ending mark the first note keeps a blank.
      {"6/8", "ABcdef|1 ABcd3:|2 ABcd3|]", "ABc def|1 ABc d3:|2 ABc d3|]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.meter) + " " + c.body);
    Tune t = Read(std::string("X:1\nM:") + c.meter + "\nL:1/8\nK:G\n" + c.body + "\n");
    WriteOptions by_beat;
    by_beat.beam_by_beat = true;
    const std::string text = WriteTune(t, by_beat);
    EXPECT_EQ(Body(text), std::string(c.written) + "\n");
    // The round trip: the same music, and the blanks written are the blanks read.
    Tune again = Read(text);
    std::string why;
    EXPECT_TRUE(SameTune(t, again, &why, /*compare_blanks=*/false)) << why;
    EXPECT_EQ(WriteTune(again), text);
    EXPECT_EQ(WriteTune(again, by_beat), text);
  }
}

TEST(BeamingTest, GroupLengths) {
  const std::pair<Meter, Rational> cases[] = {
      {{6, 8}, {3, 8}},  {{9, 8}, {3, 8}},  {{12, 8}, {3, 8}}, {{3, 8}, {3, 8}},
      {{4, 4}, {1, 2}},  {{2, 2}, {1, 2}},  {{2, 4}, {1, 4}},  {{3, 4}, {1, 4}},
      {{3, 2}, {1, 4}},  {{5, 4}, {1, 4}},  {{4, 4, Meter::Symbol::kFree}, {1, 4}},
  };
  for (const auto& [meter, group] : cases) EXPECT_EQ(BeamGroupLength(meter), group) << meter.ToString();
}

TEST(BeamingTest, OnlyNotesAndRestsGetBlanks) {
  Tune t = Read("X:1\nM:6/8\nL:1/8\nK:G\n|:\"G\"GAB (3cde f|[M:3/4] z2 A2 B2:|\n");
  const std::vector<bool> breaks = BeatBeamBreaks(t);
  ASSERT_EQ(breaks.size(), t.body.size());
  int blanks = 0;
  for (size_t k = 0; k < t.body.size(); ++k) {
    const ElementKind kind = t.body[k].kind;
    if (breaks[k]) {
      ++blanks;
      EXPECT_TRUE(kind == ElementKind::kNote || kind == ElementKind::kRest) << k;
    }
  }
  EXPECT_EQ(blanks, 4);  // before the tuplet's first note, after the inline meter, before A2 and B2
}

}  // namespace
}  // namespace tunesmith::abc
