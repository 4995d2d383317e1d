#include "render/midi_summary.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tunesmith::render {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s.push_back(static_cast<char>(v));
  return s;
}

std::string Chunk(const std::string& id, const std::string& body) {
  std::string s = id;
  for (int shift : {24, 16, 8, 0}) s.push_back(static_cast<char>((body.size() >> shift) & 0xff));
  return s + body;
}

std::string Header(int format, int tracks, int division) {
  return Chunk("MThd", Bytes({0, format, 0, tracks, (division >> 8) & 0xff, division & 0xff}));
}

// Format 1: a tempo track (60 bpm) and a note track on channel 3 using running status.
std::string TwoTrackFile() {
  std::string tempo = Bytes({0x00, 0xff, 0x51, 0x03, 0x0f, 0x42, 0x40,  // 1,000,000 us per quarter
                             0x00, 0xff, 0x2f, 0x00});
  std::string notes = Bytes({0x00, 0xc2, 0x28,         // program 40 on channel 2
                             0x00, 0x92, 0x3c, 0x64,   // note on C4
                             0x83, 0x60, 0x3c, 0x00,   // 480 ticks later, running status: velocity 0 (= off)
                             0x00, 0x3e, 0x50,         // note on D4, running status
                             0x83, 0x60, 0x82, 0x3e, 0x40,  // note off after another quarter
                             0x00, 0xff, 0x2f, 0x00});
  return Header(1, 2, 480) + Chunk("MTrk", tempo) + Chunk("MTrk", notes);
}

TEST(SummarizeMidi, ReadsTracksNotesProgramsAndDuration) {
  Result<MidiSummary> s = SummarizeMidi(TwoTrackFile());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->format, 1);
  EXPECT_EQ(s->tracks, 2);
  EXPECT_EQ(s->division, 480);
  EXPECT_EQ(s->note_ons, 2);  // the velocity-0 note-on is a note-off
  EXPECT_EQ(s->note_ons_by_channel[2], 2);
  EXPECT_EQ(s->ChannelsWithNotes(), 1);
  EXPECT_EQ(s->program_by_channel[2], 40);
  EXPECT_EQ(s->program_by_channel[0], -1);
  EXPECT_DOUBLE_EQ(s->seconds, 2.0);  // two quarters at 60 bpm
}

TEST(SummarizeMidi, DefaultTempoIs120Bpm) {
  std::string track = Bytes({0x00, 0x90, 0x40, 0x40, 0x87, 0x40, 0x80, 0x40, 0x00, 0x00, 0xff, 0x2f, 0x00});
  Result<MidiSummary> s = SummarizeMidi(Header(0, 1, 480) + Chunk("MTrk", track));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_DOUBLE_EQ(s->seconds, 1.0);  // 0x87 0x40 = 960 ticks = 2 quarters at 120 bpm
}

TEST(SummarizeMidi, SkipsUnknownChunksAndSysex) {
  std::string track = Bytes({0x00, 0xf0, 0x03, 0x7e, 0x7f, 0xf7,  // sysex
                             0x00, 0x91, 0x40, 0x40, 0x00, 0xff, 0x2f, 0x00});
  Result<MidiSummary> s =
      SummarizeMidi(Header(1, 1, 96) + Chunk("XFIH", "whatever") + Chunk("MTrk", track));
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->note_ons_by_channel[1], 1);
}

TEST(SummarizeMidi, RejectsMalformedFiles) {
  const std::string good = TwoTrackFile();
  struct Case {
    const char* name;
    std::string bytes;
    const char* expected;  // part of the message
  };
  const Case cases[] = {
      {"empty", "", "no MThd"},
      {"RIFF instead", "RIFF....WAVE", "no MThd"},
      {"header cut", good.substr(0, 10), "truncated MThd"},
      {"track cut", good.substr(0, good.size() - 5), "chunk longer than the file"},
      {"SMPTE division", Header(0, 0, 0xe728), "SMPTE"},
      {"fewer tracks than promised", Header(1, 3, 480), "promises 3 tracks"},
      {"data byte first", Header(0, 1, 96) + Chunk("MTrk", Bytes({0x00, 0x40, 0x40})), "without a status"},
      {"status 0xf4", Header(0, 1, 96) + Chunk("MTrk", Bytes({0x00, 0xf4})), "unknown status"},
      {"note cut short", Header(0, 1, 96) + Chunk("MTrk", Bytes({0x00, 0x90, 0x40})), "truncated channel"},
      {"endless delta", Header(0, 1, 96) + Chunk("MTrk", Bytes({0xff, 0xff, 0xff, 0xff, 0x7f})), "bad delta"},
  };
  for (const Case& c : cases) {
    Result<MidiSummary> s = SummarizeMidi(c.bytes);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_NE(s.status().message().find(c.expected), std::string::npos) << c.name << ": " << s.status().message();
  }
}

}  // namespace
}  // namespace tunesmith::render
