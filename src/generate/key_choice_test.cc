#include "generate/key_choice.h"

#include <map>

#include <gtest/gtest.h>

#include "abc/reader.h"
#include "abc/transpose.h"
#include "generate/instrument.h"

namespace tunesmith::generate {
namespace {

// ShiftFromC must move a root-C tune exactly as abc::TransposeTo does, for every key name.
TEST(KeyChoiceTest, ShiftFromCAgreesWithTransposeTo) {
  abc::ReadResult read = abc::ReadAbc("X:1\nT:t\nM:4/4\nL:1/8\nK:C\nc8|\n", "t");
  ASSERT_EQ(read.tunes.size(), 1u);
  for (int step = 0; step < 7; ++step) {
    for (int alter = -1; alter <= 1; ++alter) {
      auto moved = abc::TransposeTo(read.tunes[0], step, alter);
      ASSERT_TRUE(moved.ok()) << step << " " << alter;
      const abc::Element* note = nullptr;
      for (const auto& e : moved->body) {
        if (e.kind == abc::ElementKind::kNote) note = &e;
      }
      ASSERT_NE(note, nullptr);
      const int sig = moved->key.Signature()[note->pitches[0].step];
      const int alter_in_force = note->pitches[0].accidental == abc::Accidental::kNone ? sig : 0;
      const int midi = abc::MidiNumber(note->pitches[0], alter_in_force);
      EXPECT_EQ(midi - 72, ShiftFromC({step, alter})) << NoteNameString({step, alter});
    }
  }
}

TEST(KeyChoiceTest, NoteNamesRoundTrip) {
  for (const char* name : {"C", "D", "Bb", "F#", "Ebb", "G##"}) {
    auto n = ParseNoteName(name);
    ASSERT_TRUE(n.has_value()) << name;
    EXPECT_EQ(NoteNameString(*n), name);
  }
  for (const char* bad : {"", "H", "C#b", "D###", "x"}) EXPECT_FALSE(ParseNoteName(bad).has_value()) << bad;
}

KeyTable Table() {
  KeyTable t;
  t.Add("R:jig", "K:maj", {1, 0}, 30);  // D
  t.Add("R:jig", "K:maj", {4, 0}, 10);  // G
  t.Add("R:reel", "K:min", {2, 0}, 5);  // E: too few for R:reel K:min alone
  t.Add("R:jig", "K:min", {5, 0}, 25);  // A
  return t;
}

TEST(KeyChoiceTest, TonicsFallBackFromRhythmToModeToAll) {
  const KeyTable t = Table();
  auto jig = t.Tonics("R:jig", "K:maj");
  ASSERT_EQ(jig.size(), 2u);
  EXPECT_EQ(NoteNameString(jig[0].first), "D");
  EXPECT_EQ(jig[0].second, 30);
  auto reel_min = t.Tonics("R:reel", "K:min");  // 5 < kMinTunes: every minor tune
  ASSERT_EQ(reel_min.size(), 2u);
  EXPECT_EQ(NoteNameString(reel_min[0].first), "A");
  auto dor = t.Tonics("R:reel", "K:dor");  // no dorian tune at all: everything
  EXPECT_EQ(dor.size(), 4u);
}

TEST(KeyChoiceTest, DrawFollowsTheCounts) {
  const KeyTable t = Table();
  Rng rng(5);
  std::map<std::string, int> seen;
  for (int i = 0; i < 4000; ++i) ++seen[NoteNameString(t.Draw("R:jig", "K:maj", rng))];
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_NEAR(seen["D"] / 4000.0, 0.75, 0.03);
  EXPECT_NEAR(seen["G"] / 4000.0, 0.25, 0.03);
  Rng again(5);
  EXPECT_EQ(NoteNameString(KeyTable().Draw("R:jig", "K:maj", again)), "C");  // empty table
}

TEST(KeyChoiceTest, SerializeRoundTripAndErrors) {
  const KeyTable t = Table();
  auto back = KeyTable::Deserialize(t.Serialize());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->Serialize(), t.Serialize());
  for (const char* bad : {"[]", "{\"jig maj\": {\"D\": 1}}", "{\"R:jig K:maj\": {\"H\": 1}}",
                          "{\"R:jig K:maj\": {\"D\": 0}}", "not json"}) {
    EXPECT_FALSE(KeyTable::Deserialize(bad).ok()) << bad;
  }
  std::map<std::string, std::string> extras;
  auto none = KeyTableFromExtras(extras);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  extras[kKeyTableExtraKey] = t.Serialize();
  auto some = KeyTableFromExtras(extras);
  ASSERT_TRUE(some.ok());
  EXPECT_TRUE(some->has_value());
}

TEST(KeyChoiceTest, KeyOfFragmentCountsTriadNotes) {
  const std::vector<std::pair<tokens::NoteName, int>> candidates = {{{0, 0}, 50}, {{4, 0}, 40}, {{1, 0}, 30}};
  // G2B d2B c2A: G B D B C A -> G's triad holds 4, C's 2, D's 2.
  EXPECT_EQ(NoteNameString(KeyOfFragment({4, 6, 1, 6, 0, 5}, candidates)), "G");
  // No note: the most frequent candidate.
  EXPECT_EQ(NoteNameString(KeyOfFragment({}, candidates)), "C");
}

TEST(InstrumentTest, FindAndWindow) {
  auto fiddle = FindInstrument("Fiddle");
  ASSERT_TRUE(fiddle.ok());
  EXPECT_EQ(fiddle->lowest, 55);
  EXPECT_EQ(fiddle->highest, 83);
  EXPECT_EQ(Instruments().front().name, "fiddle");
  auto bad = FindInstrument("kazoo");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("whistle"), std::string::npos);
  // In D (+2) a fiddle tune's root-C body keeps to F3..A5.
  const PitchWindow w = BodyWindow(*fiddle, ShiftFromC({1, 0}));
  EXPECT_EQ(w.lowest, 53);
  EXPECT_EQ(w.highest, 81);
}

}  // namespace
}  // namespace tunesmith::generate
