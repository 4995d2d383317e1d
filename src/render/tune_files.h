// One tune's files, as `generate --out` writes them and the server offers
// them: ABC, MIDI (abc2midi), WAV (FluidSynth) and SVG (abcm2ps), each
// written atomically into one folder under a stem like "1-the-ferry-reel".
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "render/render.h"

namespace tunesmith::render {

class MidiSynthesizer;

// "abc,mid,wav,svg" -> its formats; an error names an unknown one.
Result<std::vector<std::string>> ParseTuneFormats(const std::string& list);

// "The Lark's Nest" -> "the-larks-nest" ("tune" when nothing is left).
std::string Slug(const std::string& title);

struct TuneFileOptions {
  std::string dir;                   // "" writes nothing
  std::vector<std::string> formats;  // of abc, mid, wav, svg
  MidiOptions midi;                  // the melody's program, the chords

  bool Wants(const std::string& format) const;
};

struct TuneFiles {
  std::map<std::string, std::string> paths;  // format -> file written
  bool midi_converted = false;               // abc2midi was run (mid or wav asked for)
  std::string midi_error;                    // its error, "" when it converted the tune
  int midi_warnings = 0;
};

// Writes tunes one after another; the synthesizer is opened once, at the
// first WAV.
class TuneFileWriter {
 public:
  explicit TuneFileWriter(TuneFileOptions options);
  ~TuneFileWriter();

  // Writes `abc` (one tune) as `stem`.<format> for each format. An
  // abc2midi error is reported in the result (the tune has no MIDI or WAV);
  // a file that cannot be written, or an SVG or WAV that cannot be made, is
  // an error.
  Result<TuneFiles> Write(const std::string& abc, const std::string& stem);

 private:
  TuneFileOptions options_;
  std::unique_ptr<MidiSynthesizer> synth_;
  bool dir_made_ = false;
};

}  // namespace tunesmith::render
