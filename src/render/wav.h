// WAV files: writing 16-bit PCM, and measuring one (is it silent? how long?).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tunesmith::render {

// Interleaved floating-point audio, full scale = 1.0.
struct PcmAudio {
  int sample_rate = 44100;
  int channels = 2;
  std::vector<float> samples;  // frames * channels values

  int64_t frames() const { return channels > 0 ? static_cast<int64_t>(samples.size()) / channels : 0; }
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames()) / sample_rate : 0; }
};

// Loudness and length of a piece of audio; levels are relative to full scale.
struct AudioStats {
  int sample_rate = 0;
  int channels = 0;
  int bits_per_sample = 0;
  int64_t frames = 0;
  double seconds = 0;
  double rms = 0;   // root mean square over all samples, 0..1
  double peak = 0;  // largest absolute sample, 0..1

  double RmsDbfs() const;   // rms in dB relative to full scale (-inf for digital silence)
  double PeakDbfs() const;
};

// Default silence threshold: an RMS below -60 dBFS is inaudible at normal listening levels.
inline constexpr double kSilenceRms = 0.001;

// True when the audio is (near) silent: RMS below `rms_threshold`, or no samples.
bool IsSilent(const AudioStats& stats, double rms_threshold = kSilenceRms);

// Measures float audio as it would be written (samples clipped to [-1, 1]).
AudioStats MeasurePcm(const PcmAudio& audio);

// The bytes of a canonical 16-bit PCM WAV file (RIFF/WAVE, "fmt " + "data")
// holding `audio`, rounded to the nearest 16-bit value and clipped.
std::string EncodeWav16(const PcmAudio& audio);

// Reads a RIFF/WAVE file holding PCM (8, 16, 24 or 32 bit integer) or 32-bit
// float samples and measures it. Fails, saying why, on anything else.
Result<AudioStats> AnalyzeWavBytes(std::string_view bytes);
Result<AudioStats> AnalyzeWavFile(const std::filesystem::path& path);

}  // namespace tunesmith::render
