// Rendering with the real tools: abc2midi, libfluidsynth + FluidR3_GM, abcm2ps
// (all installed by scripts/setup.sh). A missing tool makes these fail, with
// the message naming the package to install.
#include "render/render.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "render/external_tool.h"
#include "render/midi_summary.h"
#include "render/synthesizer.h"
#include "render/wav.h"

namespace tunesmith::render {
namespace {

// Two bars of 6/8 played twice at a dotted quarter = 100: 8 beats, 4.8 s.
constexpr const char* kJig =
    "X:1\n"
    "T:Test Jig\n"
    "M:6/8\n"
    "L:1/8\n"
    "Q:3/8=100\n"
    "K:D\n"
    "|:\"D\"dfa \"G\"gfe|\"A\"ABc \"D\"d3:|\n";
constexpr double kJigSeconds = 4.8;

// abc2midi does not know the chord "Cd" (the cleaned NMD's spelling of C diminished).
constexpr const char* kBadChord =
    "X:2\n"
    "T:Bad Chord\n"
    "M:2/4\n"
    "L:1/8\n"
    "K:G\n"
    "GABc|\"Cd\"d2 B2|]\n";

// A scratch folder for the files a test writes, removed afterwards.
class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<ScratchDir> dir = ScratchDir::Create();
    ASSERT_TRUE(dir.ok()) << dir.status().message();
    dir_ = std::make_unique<ScratchDir>(std::move(*dir));
  }
  std::filesystem::path Path(const std::string& name) const { return dir_->path() / name; }

  std::unique_ptr<ScratchDir> dir_;
};

MidiSummary Summarize(const MidiFile& midi) {
  Result<MidiSummary> summary = SummarizeMidi(midi.bytes);
  EXPECT_TRUE(summary.ok()) << summary.status().message();
  return summary.ok() ? *summary : MidiSummary();
}

// Checks that `xml` is well formed enough for a browser: every element closed
// in order, one root. Returns the root element's name, or "" when malformed.
std::string XmlRoot(const std::string& xml) {
  std::vector<std::string> open;
  std::string root;
  size_t i = 0;
  auto skip_past = [&](const char* end) {
    size_t at = xml.find(end, i);
    i = at == std::string::npos ? std::string::npos : at + std::string(end).size();
    return i != std::string::npos;
  };
  while ((i = xml.find('<', i)) != std::string::npos) {
    if (xml.compare(i, 4, "<!--") == 0) {
      if (!skip_past("-->")) return "";
    } else if (xml.compare(i, 9, "<![CDATA[") == 0) {
      if (!skip_past("]]>")) return "";
    } else if (xml.compare(i, 2, "<?") == 0) {
      if (!skip_past("?>")) return "";
    } else if (xml.compare(i, 2, "<!") == 0) {
      if (!skip_past(">")) return "";
    } else {
      bool closing = xml.compare(i, 2, "</") == 0;
      size_t name_start = i + (closing ? 2 : 1);
      size_t j = name_start;
      while (j < xml.size() && !std::isspace(static_cast<unsigned char>(xml[j])) && xml[j] != '>' && xml[j] != '/') ++j;
      std::string name = xml.substr(name_start, j - name_start);
      char quote = 0;  // '>' inside a quoted attribute does not end the tag
      while (j < xml.size() && (quote || xml[j] != '>')) {
        if (quote && xml[j] == quote) quote = 0;
        else if (!quote && (xml[j] == '"' || xml[j] == '\'')) quote = xml[j];
        ++j;
      }
      if (j >= xml.size() || name.empty()) return "";
      bool self_closing = xml[j - 1] == '/';
      if (closing) {
        if (open.empty() || open.back() != name) return "";
        open.pop_back();
      } else if (!self_closing) {
        if (open.empty() && !root.empty()) return "";  // a second root
        if (open.empty()) root = name;
        open.push_back(name);
      }
      i = j + 1;
    }
  }
  return open.empty() ? root : "";
}

TEST_F(RenderTest, AbcToMidiWritesAValidMidiFileWithNotes) {
  Result<MidiFile> midi = AbcToMidi(kJig);
  ASSERT_TRUE(midi.ok()) << midi.status().message();
  EXPECT_EQ(midi->bytes.substr(0, 4), "MThd");
  MidiSummary s = Summarize(*midi);
  EXPECT_EQ(s.format, 1);
  EXPECT_GE(s.tracks, 2);
  EXPECT_EQ(s.note_ons, 20);                 // 10 notes, played twice
  EXPECT_EQ(s.note_ons_by_channel[0], 20);   // the melody on channel 1
  EXPECT_EQ(s.ChannelsWithNotes(), 1);       // chords off by default
  EXPECT_NEAR(s.seconds, kJigSeconds, 0.05);
}

TEST_F(RenderTest, ProgramChangeSelectsTheMelodyInstrument) {
  for (int program : {0, 40, 73, 110, 127}) {
    Result<MidiFile> midi = AbcToMidi(kJig, {.program = program});
    ASSERT_TRUE(midi.ok()) << midi.status().message();
    EXPECT_EQ(Summarize(*midi).program_by_channel[0], program);
  }
}

TEST_F(RenderTest, ChordsAddAccompanimentOnOtherChannels) {
  MidiOptions options{.chords = true, .chord_program = 24, .bass_program = 32};
  Result<MidiFile> with = AbcToMidi(kJig, options);
  Result<MidiFile> without = AbcToMidi(kJig);
  ASSERT_TRUE(with.ok()) << with.status().message();
  ASSERT_TRUE(without.ok()) << without.status().message();
  MidiSummary a = Summarize(*with);
  MidiSummary b = Summarize(*without);
  EXPECT_EQ(a.note_ons_by_channel[0], b.note_ons_by_channel[0]);  // the melody is the same
  EXPECT_GT(a.note_ons, b.note_ons);
  EXPECT_GE(a.ChannelsWithNotes(), 2);
  // abc2midi puts the bass on channel 2 and the chords on channel 3 (0-based 1 and 2).
  EXPECT_GT(a.note_ons_by_channel[1], 0);
  EXPECT_GT(a.note_ons_by_channel[2], 0);
  EXPECT_EQ(a.program_by_channel[1], 32);
  EXPECT_EQ(a.program_by_channel[2], 24);
}

// abc2midi has no accompaniment pattern for 3/2 and warns, and explicit ones
// fail on some tunes: 3/2 tunes are rendered without accompaniment, cleanly.
TEST_F(RenderTest, TunesIn32AreRenderedWithoutAccompanimentOrWarnings) {
  const char* three_two =
      "X:1\nT:Three Two\nM:3/2\nL:1/8\nK:Cmin\nG2|\"Cm\"c2B2 c4 G4|\"Ab\"A2c2 B2A2 G2F2|\"G7\"E2D2 C4 =B,2-B,/\"G\"c/4d/4 \"G7\"G/8c/8|]\n";
  Result<MidiFile> midi = AbcToMidi(three_two, MidiOptions{.chords = true});
  ASSERT_TRUE(midi.ok()) << midi.status().message();
  for (const auto& m : midi->messages) ADD_FAILURE() << m.text;
  const MidiSummary summary = Summarize(*midi);
  EXPECT_GT(summary.note_ons_by_channel[0], 10);  // the melody
  EXPECT_EQ(summary.ChannelsWithNotes(), 1);
}

TEST_F(RenderTest, DefaultTempoAppliesOnlyWithoutQ) {
  std::string no_q = kJig;
  no_q.erase(no_q.find("Q:3/8=100\n"), 10);
  Result<MidiFile> slow = AbcToMidi(no_q, {.default_tempo_qpm = 60});
  Result<MidiFile> fast = AbcToMidi(no_q, {.default_tempo_qpm = 240});
  Result<MidiFile> fixed = AbcToMidi(kJig, {.default_tempo_qpm = 60});
  ASSERT_TRUE(slow.ok() && fast.ok() && fixed.ok());
  // abc2midi ends each track a few ticks after the last note: hence the tolerance.
  EXPECT_NEAR(Summarize(*slow).seconds, 12.0, 0.1);  // 12 quarter notes
  EXPECT_NEAR(Summarize(*fast).seconds, 3.0, 0.1);
  EXPECT_NEAR(Summarize(*fixed).seconds, kJigSeconds, 0.1);  // the tune's own Q: wins
}

TEST_F(RenderTest, Abc2midiErrorFailsTheTuneAndPointsAtIt) {
  Result<MidiFile> midi = AbcToMidi(kBadChord, {}, {.file = "bad.abc", .first_line = 10});
  ASSERT_FALSE(midi.ok());
  const std::string& message = midi.status().message();
  // Line 6 of the tune is line 15 of the file; the chord starts in column 6.
  EXPECT_NE(message.find("bad.abc:15:6: abc2midi error: Unrecognized chord name"), std::string::npos) << message;
  EXPECT_NE(message.find("GABc|\"Cd\"d2 B2|]\n       ^"), std::string::npos) << message;  // caret under the chord
}

TEST_F(RenderTest, LenientKeepsTheMidiAndReportsTheError) {
  Result<MidiFile> midi = AbcToMidi(kBadChord, {.strict = false});
  ASSERT_TRUE(midi.ok()) << midi.status().message();
  EXPECT_GT(Summarize(*midi).note_ons, 0);
  ASSERT_FALSE(midi->messages.empty());
  EXPECT_EQ(midi->messages[0].severity, ToolMessage::Severity::kError);
  EXPECT_EQ(midi->messages[0].line, 6);
}

TEST_F(RenderTest, BadInputsAreErrorsNotCrashes) {
  struct Case {
    const char* name;
    std::string abc;
    MidiOptions options;
    const char* expected;
  };
  const Case cases[] = {
      {"no K: line", "X:1\nT:t\nabc|\n", {}, "no K: line"},
      {"program too high", kJig, {.program = 128}, "program must be 0..127"},
      {"negative velocity", kJig, {.chords = true, .chord_velocity = -1}, "chord_velocity must be 0..127"},
      {"zero tempo", kJig, {.default_tempo_qpm = 0}, "tempo must be positive"},
      {"empty text", "", {}, "no K: line"},
  };
  for (const Case& c : cases) {
    Result<MidiFile> midi = AbcToMidi(c.abc, c.options);
    ASSERT_FALSE(midi.ok()) << c.name;
    EXPECT_TRUE(midi.status().IsInvalidArgument()) << c.name << ": " << midi.status().ToString();
    EXPECT_NE(midi.status().message().find(c.expected), std::string::npos) << c.name << ": " << midi.status().message();
  }
}

TEST_F(RenderTest, MissingToolsAndSoundfontNameTheirDebianPackage) {
  Result<MidiFile> midi = AbcToMidi(kJig, {.abc2midi = "/nonexistent/abc2midi"});
  ASSERT_FALSE(midi.ok());
  EXPECT_NE(midi.status().message().find("install the Debian package abcmidi"), std::string::npos)
      << midi.status().message();

  Result<MidiFile> not_on_path = AbcToMidi(kJig, {.abc2midi = "tunesmith-no-such-abc2midi"});
  ASSERT_FALSE(not_on_path.ok());
  EXPECT_TRUE(not_on_path.status().IsNotFound()) << not_on_path.status().ToString();
  EXPECT_NE(not_on_path.status().message().find("not found on PATH"), std::string::npos);

  Result<SvgFile> svg = AbcToSvg(kJig, {.abcm2ps = "/nonexistent/abcm2ps"});
  ASSERT_FALSE(svg.ok());
  EXPECT_NE(svg.status().message().find("install the Debian package abcm2ps"), std::string::npos)
      << svg.status().message();

  WavOptions no_font;
  no_font.soundfont = kDefaultSoundfont;
  no_font.soundfont += ".missing";
  Result<std::unique_ptr<MidiSynthesizer>> synth = MidiSynthesizer::Open(no_font);
  ASSERT_FALSE(synth.ok());
  EXPECT_TRUE(synth.status().IsNotFound()) << synth.status().ToString();
  EXPECT_NE(synth.status().message().find("fluid-soundfont-gm"), std::string::npos) << synth.status().message();
}

TEST_F(RenderTest, MidiToWavIsAudibleAndLastsAsLongAsTheTune) {
  Result<MidiFile> midi = AbcToMidi(kJig, {.program = 73});
  ASSERT_TRUE(midi.ok()) << midi.status().message();
  const auto wav_path = Path("jig.wav");
  auto start = std::chrono::steady_clock::now();
  Result<AudioStats> written = MidiToWav(midi->bytes, wav_path);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(written.ok()) << written.status().message();

  Result<std::string> bytes = base::ReadFile(wav_path);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->substr(0, 4), "RIFF");
  EXPECT_EQ(bytes->substr(8, 4), "WAVE");
  Result<AudioStats> read = AnalyzeWavFile(wav_path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->sample_rate, 44100);
  EXPECT_EQ(read->channels, 2);
  EXPECT_EQ(read->bits_per_sample, 16);
  EXPECT_FALSE(IsSilent(*read)) << "RMS " << read->rms;
  EXPECT_GT(read->RmsDbfs(), -30);
  EXPECT_NEAR(read->peak, 0.89, 0.01);  // normalised to -1 dBFS
  // The last note rings a little past the end of the MIDI; the silence after it is trimmed.
  EXPECT_GT(read->seconds, kJigSeconds);
  EXPECT_LT(read->seconds, kJigSeconds + 2.0);
  EXPECT_NEAR(read->rms, written->rms, 1e-3);
  // Offline rendering: much faster than the music plays (soundfont load included).
  EXPECT_LT(elapsed, kJigSeconds / 2) << "took " << elapsed << " s";
}

TEST_F(RenderTest, SynthesizerRendersManyFilesTheSameWay) {
  Result<std::unique_ptr<MidiSynthesizer>> synth = MidiSynthesizer::Open();
  ASSERT_TRUE(synth.ok()) << synth.status().message();
  Result<MidiFile> plain = AbcToMidi(kJig);
  Result<MidiFile> chords = AbcToMidi(kJig, {.chords = true});
  ASSERT_TRUE(plain.ok() && chords.ok());
  Result<PcmAudio> first = (*synth)->Render(plain->bytes);
  Result<PcmAudio> with_chords = (*synth)->Render(chords->bytes);
  Result<PcmAudio> again = (*synth)->Render(plain->bytes);
  ASSERT_TRUE(first.ok() && with_chords.ok() && again.ok());
  EXPECT_FALSE(IsSilent(MeasurePcm(*with_chords)));
  // Nothing of the previous file leaks into the next.
  EXPECT_NEAR(first->seconds(), again->seconds(), 0.05);
  EXPECT_NEAR(MeasurePcm(*first).rms, MeasurePcm(*again).rms, 0.01);
}

TEST_F(RenderTest, MidiToWavRefusesWhatIsNotMidiAndLeavesNoFile) {
  const auto wav_path = Path("nothing.wav");
  Result<AudioStats> stats = MidiToWav("RIFF, not MIDI", wav_path);
  ASSERT_FALSE(stats.ok());
  EXPECT_NE(stats.status().message().find("not a valid MIDI file"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(wav_path));
}

TEST_F(RenderTest, AbcToSvgDrawsOneWellFormedSvgWithTheTitle) {
  Result<SvgFile> svg = AbcToSvg(kJig);
  ASSERT_TRUE(svg.ok()) << svg.status().message();
  EXPECT_NE(svg->svg.find("<svg"), std::string::npos);
  EXPECT_EQ(XmlRoot(svg->svg), "svg");
  EXPECT_NE(svg->svg.find(">Test Jig</text>"), std::string::npos);
  EXPECT_TRUE(svg->messages.empty());
}

TEST_F(RenderTest, AbcToSvgReportsAbcm2psErrorsAsMessages) {
  std::string tune = "X:3\nT:Odd\nM:3/4\nK:G\nab!nosuchdecoration!c d2|]\n";
  Result<SvgFile> svg = AbcToSvg(tune);
  ASSERT_TRUE(svg.ok()) << svg.status().message();
  EXPECT_EQ(XmlRoot(svg->svg), "svg");
  ASSERT_EQ(svg->messages.size(), 1u);
  EXPECT_EQ(svg->messages[0].severity, ToolMessage::Severity::kError);
  EXPECT_EQ(svg->messages[0].line, 5);
  EXPECT_NE(svg->messages[0].text.find("!nosuchdecoration!"), std::string::npos);
}

TEST(XmlRootCheck, AcceptsAndRejects) {
  EXPECT_EQ(XmlRoot("<?xml version=\"1.0\"?><!DOCTYPE svg><svg a=\"x>y\"><g/><!-- <no> --></svg>"), "svg");
  EXPECT_EQ(XmlRoot("<svg><g></svg>"), "");
  EXPECT_EQ(XmlRoot("<svg></svg><svg></svg>"), "");
  EXPECT_EQ(XmlRoot("<svg><g>"), "");
}

TEST(ParseAbc2midiOutput, TableOfLines) {
  struct Case {
    const char* line;
    bool kept;
    ToolMessage::Severity severity;
    int line_number;
    int column;
    const char* text;
  };
  using S = ToolMessage::Severity;
  const Case cases[] = {
      {"4.84 January 20 2023 abc2midi", false, S::kWarning, 0, 0, ""},
      {"writing MIDI file tune.mid", false, S::kWarning, 0, 0, ""},
      {"Error in line-char 5-0 : Unrecognized chord name \"d\"", true, S::kError, 5, 1, "Unrecognized chord name \"d\""},
      {"Warning in line-char 12-30 : Bar 3 has 7 units", true, S::kWarning, 12, 31, "Bar 3 has 7 units"},
      {"Error: cannot open file", true, S::kError, 0, 0, "Error: cannot open file"},
  };
  for (const Case& c : cases) {
    std::vector<ToolMessage> messages = ParseAbc2midiOutput(c.line);
    ASSERT_EQ(messages.size(), c.kept ? 1u : 0u) << c.line;
    if (!c.kept) continue;
    EXPECT_EQ(messages[0].severity, c.severity) << c.line;
    EXPECT_EQ(messages[0].line, c.line_number) << c.line;
    EXPECT_EQ(messages[0].column, c.column) << c.line;
    EXPECT_EQ(messages[0].text, c.text) << c.line;
    EXPECT_EQ(messages[0].tool, "abc2midi");
  }
}

TEST(ParseAbc2midiOutput, RepeatedMessagesAreKeptOnce) {
  std::vector<ToolMessage> messages = ParseAbc2midiOutput(
      "Error in line-char 9-64 : Could not find note to be tied\n"
      "Error in line-char 9-64 : Could not find note to be tied\n"
      "Error in line-char 10-64 : Could not find note to be tied\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].line, 9);
  EXPECT_EQ(messages[1].line, 10);
}

TEST(ParseAbcm2psOutput, TableOfLines) {
  using S = ToolMessage::Severity;
  std::vector<ToolMessage> messages = ParseAbcm2psOutput(
      "abcm2ps-8.14.14 (2022-12-19)\n"
      "File /tmp/x/tune.abc\n"
      "/tmp/x/tune.abc:5:7: error: Decoration !foo! not defined\n"
      "/tmp/x/tune.abc:9:1: warning: Bad tie\n"
      "Output written on tune001.svg (2943 bytes)\n");
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].severity, S::kError);
  EXPECT_EQ(messages[0].line, 5);
  EXPECT_EQ(messages[0].column, 7);
  EXPECT_EQ(messages[0].text, "Decoration !foo! not defined");
  EXPECT_EQ(messages[1].severity, S::kWarning);
  EXPECT_EQ(messages[1].line, 9);
}

TEST(FormatToolMessage, PointsWithACaret) {
  ToolMessage m{ToolMessage::Severity::kError, "abc2midi", 2, 4, "Bad thing"};
  EXPECT_EQ(FormatToolMessage(m, "X:1\n\tab c\n", {.file = "f.abc", .first_line = 7}),
            "f.abc:8:4: abc2midi error: Bad thing\n  \tab c\n  \t  ^");
  ToolMessage unplaced{ToolMessage::Severity::kWarning, "abcm2ps", 0, 0, "Something"};
  EXPECT_EQ(FormatToolMessage(unplaced, "X:1\n", {.file = "f.abc"}), "f.abc: abcm2ps warning: Something");
}

}  // namespace
}  // namespace tunesmith::render
