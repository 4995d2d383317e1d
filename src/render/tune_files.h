// One tune's files, as `generate --out` writes them and the server offers
// them: ABC, MIDI (abc2midi), WAV (FluidSynth) and SVG (abcm2ps), each
// written atomically into one folder under a stem like "1-the-ferry-reel".
// A file already there (another run's tune, or anything planted) is never
// replaced or followed: the tune takes the next free stem ("1-the-ferry-reel-2").
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "render/render.h"

namespace tunesmith::render {

class MidiSynthesizer;

// "abc,mid,wav,svg" -> its formats (each once); an error names an unknown one, or says that none was given.
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
  std::string stem;                          // the stem the files have: the one asked for, or the next free one
  bool midi_converted = false;               // abc2midi was run (mid or wav asked for)
  std::string midi_error;                    // its error, "" when it converted the tune
  int midi_warnings = 0;
};

// Creates `path` holding `bytes`, never replacing or following anything
// already there: the bytes go to a temporary file beside it with an
// unpredictable name created exclusively (O_EXCL | O_NOFOLLOW), flushed to
// disk, then hard-linked to `path` (or renamed with RENAME_NOREPLACE where
// the file system has no hard links) and the temporary name removed. true:
// written; false: `path` exists (a file, a folder or a symlink) and nothing
// was written. IOError when it cannot be written (no temporary file is left).
Result<bool> WriteNewFile(const std::string& path, std::string_view bytes);

// Writes tunes one after another; the synthesizer is opened once, at the
// first WAV.
class TuneFileWriter {
 public:
  explicit TuneFileWriter(TuneFileOptions options);
  ~TuneFileWriter();

  // Writes `abc` (one tune) as `stem`.<format> for each format, or, when
  // a file of any of the four formats with that stem exists, as the first
  // free `stem`-2, `stem`-3, ... (TuneFiles::stem says which). Every file is
  // made whole under a hidden temporary name and linked to its name only if
  // that name is free (WriteNewFile). An abc2midi error is reported in the
  // result (the tune has no MIDI or WAV); a file that cannot be written, or
  // an SVG or WAV that cannot be made, is an error and leaves none of the
  // tune's files.
  Result<TuneFiles> Write(const std::string& abc, const std::string& stem);

 private:
  TuneFileOptions options_;
  std::unique_ptr<MidiSynthesizer> synth_;
  bool dir_made_ = false;
};

}  // namespace tunesmith::render
