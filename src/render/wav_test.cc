#include "render/wav.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tunesmith::render {
namespace {

PcmAudio Sine(double amplitude, double seconds, int sample_rate = 8000) {
  PcmAudio audio;
  audio.sample_rate = sample_rate;
  audio.channels = 2;
  const int64_t frames = static_cast<int64_t>(seconds * sample_rate);
  for (int64_t i = 0; i < frames; ++i) {
    float v = static_cast<float>(amplitude * std::sin(2 * M_PI * 440.0 * i / sample_rate));
    audio.samples.push_back(v);
    audio.samples.push_back(v);
  }
  return audio;
}

TEST(Wav, EncodeThenAnalyseRoundTrips) {
  PcmAudio audio = Sine(0.5, 1.0);
  std::string bytes = EncodeWav16(audio);
  ASSERT_EQ(bytes.size(), 44u + audio.samples.size() * 2);
  EXPECT_EQ(bytes.substr(0, 4), "RIFF");
  EXPECT_EQ(bytes.substr(8, 8), "WAVEfmt ");
  Result<AudioStats> stats = AnalyzeWavBytes(bytes);
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->sample_rate, 8000);
  EXPECT_EQ(stats->channels, 2);
  EXPECT_EQ(stats->bits_per_sample, 16);
  EXPECT_EQ(stats->frames, 8000);
  EXPECT_DOUBLE_EQ(stats->seconds, 1.0);
  EXPECT_NEAR(stats->peak, 0.5, 1e-3);
  EXPECT_NEAR(stats->rms, 0.5 / std::sqrt(2.0), 1e-3);  // a sine's RMS is its amplitude / sqrt(2)
  EXPECT_NEAR(stats->RmsDbfs(), -9.03, 0.01);
  EXPECT_FALSE(IsSilent(*stats));
}

TEST(Wav, SilenceAndNearSilence) {
  struct Case {
    double amplitude;
    bool silent;
  };
  const Case cases[] = {{0.0, true}, {0.0005, true}, {0.01, false}, {1.0, false}};
  for (const Case& c : cases) {
    Result<AudioStats> stats = AnalyzeWavBytes(EncodeWav16(Sine(c.amplitude, 0.25)));
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(IsSilent(*stats), c.silent) << "amplitude " << c.amplitude << " rms " << stats->rms;
  }
  PcmAudio empty;
  Result<AudioStats> stats = AnalyzeWavBytes(EncodeWav16(empty));
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->frames, 0);
  EXPECT_TRUE(IsSilent(*stats));
}

TEST(Wav, ClipsOutOfRangeSamples) {
  PcmAudio audio;
  audio.channels = 1;
  audio.samples = {2.0f, -3.0f};
  Result<AudioStats> stats = AnalyzeWavBytes(EncodeWav16(audio));
  ASSERT_TRUE(stats.ok());
  EXPECT_NEAR(stats->peak, 1.0, 1e-4);
  EXPECT_DOUBLE_EQ(MeasurePcm(audio).peak, 1.0);
}

TEST(Wav, RejectsWhatItCannotRead) {
  std::string good = EncodeWav16(Sine(0.5, 0.01));
  std::string float16 = good;
  float16[20] = 3;  // format: float, but 16 bits per sample
  std::string no_data = good.substr(0, 36);
  struct Case {
    const char* name;
    std::string bytes;
    const char* expected;
  };
  const Case cases[] = {
      {"empty", "", "no RIFF/WAVE"},
      {"MIDI", "MThd\0\0\0\6", "no RIFF/WAVE"},
      {"float with 16 bits", float16, "not supported"},
      {"no data chunk", no_data, "no data chunk"},
  };
  for (const Case& c : cases) {
    Result<AudioStats> stats = AnalyzeWavBytes(c.bytes);
    ASSERT_FALSE(stats.ok()) << c.name;
    EXPECT_NE(stats.status().message().find(c.expected), std::string::npos) << c.name << ": " << stats.status().message();
  }
}

}  // namespace
}  // namespace tunesmith::render
