#include "render/wav.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "base/files.h"

namespace tunesmith::render {
namespace {

constexpr int kFormatPcm = 1;
constexpr int kFormatFloat = 3;
constexpr int kFormatExtensible = 0xfffe;

void PutLittleEndian(std::string& out, uint32_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint32_t GetLittleEndian(std::string_view bytes, size_t pos, int width) {
  uint32_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[pos + i]);
  return v;
}

double ToDbfs(double level) {
  return level > 0 ? 20.0 * std::log10(level) : -std::numeric_limits<double>::infinity();
}

// One sample of a PCM/float data chunk, scaled to [-1, 1].
double SampleAt(std::string_view data, size_t pos, int format, int bits) {
  if (format == kFormatFloat) {
    float f;
    uint32_t raw = GetLittleEndian(data, pos, 4);
    std::memcpy(&f, &raw, sizeof f);
    return f;
  }
  switch (bits) {
    case 8:
      return (static_cast<unsigned char>(data[pos]) - 128) / 128.0;
    case 16:
      return static_cast<int16_t>(GetLittleEndian(data, pos, 2)) / 32768.0;
    case 24: {
      int32_t v = static_cast<int32_t>(GetLittleEndian(data, pos, 3) << 8) >> 8;  // sign-extend
      return v / 8388608.0;
    }
    default:
      return static_cast<int32_t>(GetLittleEndian(data, pos, 4)) / 2147483648.0;
  }
}

}  // namespace

double AudioStats::RmsDbfs() const { return ToDbfs(rms); }
double AudioStats::PeakDbfs() const { return ToDbfs(peak); }

bool IsSilent(const AudioStats& stats, double rms_threshold) {
  return stats.frames == 0 || stats.rms < rms_threshold;
}

AudioStats MeasurePcm(const PcmAudio& audio) {
  AudioStats stats;
  stats.sample_rate = audio.sample_rate;
  stats.channels = audio.channels;
  stats.bits_per_sample = 32;
  stats.frames = audio.frames();
  stats.seconds = audio.seconds();
  double sum_squares = 0;
  for (float s : audio.samples) {
    double v = std::clamp(static_cast<double>(s), -1.0, 1.0);
    sum_squares += v * v;
    stats.peak = std::max(stats.peak, std::fabs(v));
  }
  if (!audio.samples.empty()) stats.rms = std::sqrt(sum_squares / static_cast<double>(audio.samples.size()));
  return stats;
}

std::string EncodeWav16(const PcmAudio& audio) {
  const uint32_t data_bytes = static_cast<uint32_t>(audio.samples.size() * 2);
  const uint32_t block_align = static_cast<uint32_t>(audio.channels * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  PutLittleEndian(out, 36 + data_bytes, 4);
  out += "WAVE";
  out += "fmt ";
  PutLittleEndian(out, 16, 4);
  PutLittleEndian(out, kFormatPcm, 2);
  PutLittleEndian(out, static_cast<uint32_t>(audio.channels), 2);
  PutLittleEndian(out, static_cast<uint32_t>(audio.sample_rate), 4);
  PutLittleEndian(out, static_cast<uint32_t>(audio.sample_rate) * block_align, 4);
  PutLittleEndian(out, block_align, 2);
  PutLittleEndian(out, 16, 2);
  out += "data";
  PutLittleEndian(out, data_bytes, 4);
  for (float s : audio.samples) {
    double v = std::clamp(static_cast<double>(s), -1.0, 1.0);
    auto q = static_cast<int16_t>(std::lround(v * 32767.0));
    PutLittleEndian(out, static_cast<uint16_t>(q), 2);
  }
  return out;
}

Result<AudioStats> AnalyzeWavBytes(std::string_view bytes) {
  if (bytes.size() < 12 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 4) != "WAVE") {
    return Status::InvalidArgument("not a WAV file: no RIFF/WAVE header");
  }
  int format = 0, channels = 0, bits = 0;
  uint32_t sample_rate = 0;
  bool have_fmt = false;
  size_t pos = 12;
  while (pos + 8 <= bytes.size()) {
    std::string_view id = bytes.substr(pos, 4);
    uint32_t size = GetLittleEndian(bytes, pos + 4, 4);
    size_t body = pos + 8;
    if (id == "fmt ") {
      if (size < 16 || body + size > bytes.size()) return Status::Corruption("WAV file has a truncated fmt chunk");
      format = static_cast<int>(GetLittleEndian(bytes, body, 2));
      channels = static_cast<int>(GetLittleEndian(bytes, body + 2, 2));
      sample_rate = GetLittleEndian(bytes, body + 4, 4);
      bits = static_cast<int>(GetLittleEndian(bytes, body + 14, 2));
      if (format == kFormatExtensible && size >= 26) format = static_cast<int>(GetLittleEndian(bytes, body + 24, 2));
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return Status::Corruption("WAV file has its data chunk before its fmt chunk");
      bool supported = (format == kFormatPcm && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) ||
                       (format == kFormatFloat && bits == 32);
      if (!supported || channels <= 0 || sample_rate == 0) {
        return Status::NotSupported("WAV encoding not supported: format " + std::to_string(format) + ", " +
                             std::to_string(bits) + " bits, " + std::to_string(channels) + " channels");
      }
      size_t available = std::min<size_t>(size, bytes.size() - body);  // tolerate a truncated last chunk
      const int sample_bytes = bits / 8;
      const size_t samples = available / sample_bytes;
      AudioStats stats;
      stats.sample_rate = static_cast<int>(sample_rate);
      stats.channels = channels;
      stats.bits_per_sample = bits;
      stats.frames = static_cast<int64_t>(samples / channels);
      stats.seconds = static_cast<double>(stats.frames) / sample_rate;
      double sum_squares = 0;
      for (size_t i = 0; i < samples; ++i) {
        double v = SampleAt(bytes, body + i * sample_bytes, format, bits);
        sum_squares += v * v;
        stats.peak = std::max(stats.peak, std::fabs(v));
      }
      if (samples > 0) stats.rms = std::sqrt(sum_squares / static_cast<double>(samples));
      return stats;
    }
    pos = body + size + (size & 1);  // chunks are padded to an even length
  }
  return Status::Corruption("WAV file has no data chunk");
}

Result<AudioStats> AnalyzeWavFile(const std::filesystem::path& path) {
  Result<std::string> bytes = base::ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  Result<AudioStats> stats = AnalyzeWavBytes(*bytes);
  if (!stats.ok()) return stats.status().WithPrefix(path.string() + ": ");
  return stats;
}

}  // namespace tunesmith::render
