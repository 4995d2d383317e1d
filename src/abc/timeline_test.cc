#include "abc/timeline.h"

#include <gtest/gtest.h>

#include "abc/reader.h"

namespace tunesmith::abc {
namespace {

Tune Read(const std::string& key, const std::string& body, const std::string& meter = "4/4") {
  ReadResult r = ReadAbc("X:1\nM:" + meter + "\nL:1/8\nK:" + key + "\n" + body + "\n", "t.abc");
  EXPECT_EQ(r.tunes.size(), 1u);
  return r.tunes.empty() ? Tune() : r.tunes[0];
}

std::vector<int> Midi(const std::vector<NoteEvent>& events) {
  std::vector<int> out;
  for (const auto& e : events) out.push_back(e.midi.empty() ? -1 : e.midi[0]);
  return out;
}

// Key signature, bar accidentals (to the end of the bar, same letter and
// octave only), naturals, octaves.
TEST(TimelineTest, AccidentalsTable) {
  struct Case {
    const char* key;
    const char* body;
    std::vector<int> midi;
  };
  const Case cases[] = {
      {"C", "CDEF GABc", {60, 62, 64, 65, 67, 69, 71, 72}},
      {"G", "F f F,", {66, 78, 54}},
      {"F", "B _B =B B", {70, 70, 71, 71}},
      {"C", "^F F | F", {66, 66, 65}},    // lasts to the end of the bar only
      {"C", "^F f F", {66, 77, 66}},      // not in another octave
      {"D", "=F F ^F | F", {65, 65, 66, 66}},
      {"Gm", "B E ^F", {70, 63, 66}},
      {"Ador", "F c f", {66, 72, 78}},   // A dorian = G major: F#
      {"HP", "F C G", {66, 61, 67}},     // pipes: F# C#, G natural
      {"D exp ^f", "F C", {66, 60}},
      {"C", "z C", {-1, 60}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.key) + ": " + c.body);
    EXPECT_EQ(Midi(Timeline(Read(c.key, c.body))), c.midi);
  }
}

TEST(TimelineTest, KeyChangeInTheBody) {
  EXPECT_EQ(Midi(Timeline(Read("C", "F | [K:G] F |\nK:F\nB"))), (std::vector<int>{65, 66, 70}));
}

TEST(TimelineTest, TiesMergeAndTimesAdd) {
  auto events = Timeline(Read("C", "A2- A B | ^c- c d2"));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].length, Rational(3, 8));  // A2-A
  EXPECT_EQ(events[1].start, Rational(3, 8));
  EXPECT_EQ(events[2].midi[0], 73);             // ^c- c is one C#
  EXPECT_EQ(events[2].length, Rational(1, 4));
  EXPECT_EQ(events[2].bar, 1);
  EXPECT_EQ(events[3].start, Rational(3, 4));
}

TEST(TimelineTest, TupletsAndBrokenRhythm) {
  auto events = Timeline(Read("C", "(3ABc d>e f<<g (3:2:2A2B2"));
  std::vector<Rational> lengths;
  for (const auto& e : events) lengths.push_back(e.length);
  EXPECT_EQ(lengths, (std::vector<Rational>{{1, 12}, {1, 12}, {1, 12}, {3, 16}, {1, 16}, {1, 32}, {7, 32},
                                            {1, 6}, {1, 6}}));
  EXPECT_EQ(events.back().start + events.back().length, Rational(13, 12));
}

TEST(TimelineTest, ChordsAndChordSymbols) {
  auto events = Timeline(Read("G", "\"G\"[GBd]2 \"D7\"A"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].midi, (std::vector<int>{67, 71, 74}));
  EXPECT_EQ(events[0].chord_symbol, "G");
  EXPECT_EQ(events[1].chord_symbol, "D7");
}

TEST(TimelineTest, BarIndexSkipsEmptyBars) {
  auto events = Timeline(Read("C", "|: A4 | B4 :|| c4 |"));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].bar, 0);
  EXPECT_EQ(events[1].bar, 1);
  EXPECT_EQ(events[2].bar, 2);
}

}  // namespace
}  // namespace tunesmith::abc
