// One real corpus tune through the whole renderer: MIDI, WAV and SVG.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/testing.h"
#include "render/external_tool.h"
#include "render/midi_summary.h"
#include "render/render.h"
#include "render/synthesizer.h"
#include "render/tune_text.h"
#include "render/wav.h"

namespace tunesmith::render {
namespace {

TEST(RenderCorpus, AbbottsBromleyHornDanceToMidiWavAndSvg) {
  if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage();
  const auto file = testing::CorpusDir() / "nottingham-cleaned" / "morris.abc";
  Result<std::string> text = base::ReadFile(file);
  ASSERT_TRUE(text.ok()) << text.status().message();
  AbcFileText tunes = SplitTunes(*text);
  ASSERT_FALSE(tunes.tunes.empty());
  const TuneText& tune = tunes.tunes[0];
  ASSERT_EQ(tune.title, "Abbotts Bromley Horn Dance");  // three parts, chord symbols on every bar
  TuneLocation where{file.string(), tune.first_line};

  Result<MidiFile> midi = AbcToMidi(tune.text, {.program = 40, .chords = true}, where);
  ASSERT_TRUE(midi.ok()) << midi.status().message();
  Result<MidiSummary> summary = SummarizeMidi(midi->bytes);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->program_by_channel[0], 40);
  EXPECT_GT(summary->note_ons_by_channel[0], 100);
  EXPECT_GT(summary->note_ons_by_channel[2], 0);  // chords
  EXPECT_GT(summary->seconds, 20);

  Result<ScratchDir> dir = ScratchDir::Create();
  ASSERT_TRUE(dir.ok());
  const auto wav_path = dir->path() / "morris-1.wav";
  Result<AudioStats> written = MidiToWav(midi->bytes, wav_path);
  ASSERT_TRUE(written.ok()) << written.status().message();
  Result<AudioStats> wav = AnalyzeWavFile(wav_path);
  ASSERT_TRUE(wav.ok()) << wav.status().message();
  EXPECT_FALSE(IsSilent(*wav)) << "RMS " << wav->rms;
  EXPECT_GT(wav->seconds, summary->seconds);
  EXPECT_LT(wav->seconds, summary->seconds + 3.5);
  std::cerr << "morris.abc X:1: MIDI " << summary->seconds << " s, " << summary->note_ons << " notes; WAV "
            << wav->seconds << " s, RMS " << wav->rms << " (" << wav->RmsDbfs() << " dBFS), peak " << wav->peak
            << "\n";

  Result<SvgFile> svg = AbcToSvg(tune.text, {}, where);
  ASSERT_TRUE(svg.ok()) << svg.status().message();
  EXPECT_NE(svg->svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg->svg.find("Abbotts Bromley Horn Dance"), std::string::npos);
}

}  // namespace
}  // namespace tunesmith::render
