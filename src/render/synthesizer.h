// MIDI -> audio with FluidSynth and a General MIDI soundfont, offline: the
// synthesiser runs as fast as the CPU allows (no audio device, no real-time
// clock), then the tail is trimmed and the level normalised.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "render/wav.h"

namespace tunesmith::render {

// The General MIDI soundfont of Debian's fluid-soundfont-gm.
inline constexpr const char* kDefaultSoundfont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

struct WavOptions {
  std::string soundfont = kDefaultSoundfont;  // a .sf2 General MIDI soundfont
  int sample_rate = 44100;                    // Hz; the WAV is 16-bit stereo at this rate
  double peak_level = 0.89;   // normalise the loudest sample to this (0.89 = -1 dBFS); 0 keeps FluidSynth's level
  double max_gain = 64;       // normalisation never amplifies more than this, so near-silence stays quiet
  double max_tail_seconds = 3;  // after the last MIDI event, let notes and reverb ring out at most this long
  bool effects = true;          // FluidSynth's reverb and chorus
};

// A loaded soundfont ready to render MIDI files one after another (loading
// it is the slow part). Not thread-safe: use one per thread.
class MidiSynthesizer {
 public:
  // Loads FluidSynth and the soundfont. Fails with a message naming the
  // Debian package when either is missing (fluid-soundfont-gm, libfluidsynth3).
  static Result<std::unique_ptr<MidiSynthesizer>> Open(const WavOptions& options = {});
  ~MidiSynthesizer();
  MidiSynthesizer(const MidiSynthesizer&) = delete;
  MidiSynthesizer& operator=(const MidiSynthesizer&) = delete;

  // Plays a Standard MIDI File to the end and returns the audio, the
  // silence after the last sound trimmed and the level normalised. Fails on
  // bytes that are not a MIDI file or that play for more than 15 minutes.
  Result<PcmAudio> Render(std::string_view midi_bytes);

  // Render(), then writes a 16-bit stereo WAV to `wav_path` (atomically: a
  // failed call leaves any existing file unchanged). Returns the audio's stats.
  Result<AudioStats> RenderToWav(std::string_view midi_bytes, const std::filesystem::path& wav_path);

 private:
  struct State;
  explicit MidiSynthesizer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// One-shot MidiSynthesizer::Open + RenderToWav. To render many files, keep a
// MidiSynthesizer instead: this loads the soundfont on every call.
Result<AudioStats> MidiToWav(std::string_view midi_bytes, const std::filesystem::path& wav_path,
                             const WavOptions& options = {});

}  // namespace tunesmith::render
