// Rendering a tune for people: ABC -> MIDI (abc2midi), ABC -> SVG sheet
// music (abcm2ps). MIDI -> WAV is in synthesizer.h. Input is one tune's ABC
// text, so rendering does not depend on the ABC reader; split a file into
// tunes with SplitTunes (tune_text.h).
//
//   Result<MidiFile> midi = AbcToMidi(tune_text, {.program = 73, .chords = true});
//   if (midi.ok()) MidiToWav(midi->bytes, "tune.wav");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tunesmith::render {

// Where a tune's text comes from, so messages point into the user's file.
struct TuneLocation {
  std::string file = "<abc>";  // file name shown in messages
  int first_line = 1;          // line of the file on which the tune's text starts
};

// A message an external tool printed about the tune, with its position
// mapped back to the tune text the caller gave (0 = unknown).
struct ToolMessage {
  enum class Severity { kWarning, kError };
  Severity severity = Severity::kWarning;
  std::string tool;   // "abc2midi" or "abcm2ps"; "render" for a directive not passed to them
  int line = 0;       // 1-based line in the tune text
  int column = 0;     // 1-based column
  std::string text;   // the tool's words, e.g. "Unrecognized chord name \"d\""
};

// "jigs.abc:548:64: abc2midi error: Could not find note to be tied", then the
// offending line with a caret under the column when the position is known.
std::string FormatToolMessage(const ToolMessage& message, std::string_view tune_text, const TuneLocation& where);

struct MidiOptions {
  int program = 0;           // General MIDI program (0-127) of the melody: 0 piano, 40 violin, 73 flute, 110 fiddle
  bool chords = false;       // play the chord symbols as a quiet bass + chord accompaniment (channels 2 and 3)
  int chord_program = 24;    // General MIDI program of the accompaniment chords (24: nylon guitar)
  int bass_program = 32;     // General MIDI program of the accompaniment bass (32: acoustic bass)
  int chord_velocity = 45;   // MIDI velocity (0-127) of chord notes; the melody plays at ~80-105
  int bass_velocity = 55;    // MIDI velocity of bass notes
  int default_tempo_qpm = 140;  // quarter notes per minute for a tune without Q: (abc2midi's own default: 120)
  bool strict = true;        // an "Error" from abc2midi fails the tune; false keeps the MIDI and reports it as a warning
  std::string abc2midi = "abc2midi";  // program name (looked up on PATH) or path
  double timeout_seconds = 30;        // abc2midi is stopped after this long
};

struct MidiFile {
  std::string bytes;                  // a Standard MIDI File (format 1), as abc2midi wrote it
  std::vector<ToolMessage> messages;  // abc2midi's warnings (and errors when !strict)
};

// Runs abc2midi on `abc_text`, which must hold one tune (from X: on; a
// second tune is ignored), with the options' directives added after its K:
// line. Directives that read other files or copy raw markup into the output
// are taken out first (RemoveUnsafeDirectives, tune_text.h), each said in a
// warning. Fails when abc2midi is missing (naming the Debian package abcmidi),
// writes no file, or (strict) reports any error; the message lists them all.
Result<MidiFile> AbcToMidi(std::string_view abc_text, const MidiOptions& options = {}, const TuneLocation& where = {});

struct SvgOptions {
  std::string abcm2ps = "abcm2ps";  // program name (looked up on PATH) or path
  double timeout_seconds = 30;      // abcm2ps is stopped after this long
};

struct SvgFile {
  std::string svg;                    // one SVG document holding the whole tune (abcm2ps -g)
  std::vector<ToolMessage> messages;  // abcm2ps's warnings and errors; it draws the tune regardless
};

// Engraves `abc_text` (one tune) as one SVG document with abcm2ps -g, the
// unsafe directives taken out as for AbcToMidi. Fails
// when abcm2ps is missing (naming the Debian package abcm2ps) or draws
// nothing; abcm2ps's own errors (e.g. an unknown decoration, which it leaves
// out) are returned as messages, not as a failure.
Result<SvgFile> AbcToSvg(std::string_view abc_text, const SvgOptions& options = {}, const TuneLocation& where = {});

// What is kept of a tool's messages about one tune, however many it prints
// (100,000 bad decorations make abc2midi print a line each): the first
// kMaxToolMessages distinct ones (an error displacing a warning when only
// warnings were kept), each cut to kMaxToolMessageBytes, then one message
// counting the rest. A quoted source line is shown 60 characters either side
// of the column.
inline constexpr size_t kMaxToolMessages = 20;
inline constexpr size_t kMaxToolMessageBytes = 300;

// abc2midi's output parsed into messages; exposed for tests. Lines that are
// neither errors nor warnings (version, "writing MIDI file") are skipped, and
// a message repeated word for word at the same place is kept once; the
// messages are bounded as said above.
std::vector<ToolMessage> ParseAbc2midiOutput(std::string_view output);
// The same for abcm2ps ("file:line:col: error: text").
std::vector<ToolMessage> ParseAbcm2psOutput(std::string_view output);

}  // namespace tunesmith::render
