#include "render/synthesizer.h"

#include <algorithm>
#include <cmath>
#include <system_error>

#include "render/external_tool.h"
#include "render/fluidsynth_library.h"
#include "render/midi_summary.h"

namespace tunesmith::render {
namespace {

constexpr int kBlockFrames = 1024;       // frames per fluid_synth_write_float call
constexpr double kMaxSeconds = 15 * 60;  // longer MIDI is refused: no folk tune plays this long (and it would take ~300 MB)
constexpr float kQuietLevel = 1e-4f;     // -80 dBFS on FluidSynth's raw output: nothing audible left
constexpr double kQuietToStop = 0.25;    // seconds of quiet after the last event that end rendering
constexpr double kTrimRelative = 1e-3;   // trailing audio 60 dB below the peak is cut...
constexpr double kKeepAfterTrim = 0.1;   // ...keeping this many seconds after the last louder sample,
constexpr double kFadeSeconds = 0.05;    // the last of which fade out linearly

// Cuts the near-silent end and fades the last few milliseconds, so the file
// ends when the music does and without a click.
void TrimTail(PcmAudio& audio) {
  const int channels = audio.channels;
  float peak = 0;
  for (float s : audio.samples) peak = std::max(peak, std::fabs(s));
  if (peak == 0) return;
  const float threshold = static_cast<float>(peak * kTrimRelative);
  int64_t last_loud = 0;
  for (int64_t i = static_cast<int64_t>(audio.samples.size()) - 1; i >= 0; --i) {
    if (std::fabs(audio.samples[i]) > threshold) {
      last_loud = i / channels;
      break;
    }
  }
  int64_t keep = std::min<int64_t>(audio.frames(), last_loud + 1 + static_cast<int64_t>(kKeepAfterTrim * audio.sample_rate));
  audio.samples.resize(static_cast<size_t>(keep * channels));
  const int64_t fade = std::min<int64_t>(keep, static_cast<int64_t>(kFadeSeconds * audio.sample_rate));
  for (int64_t f = 0; f < fade; ++f) {
    const float gain = static_cast<float>(f) / static_cast<float>(fade);  // 0 at the last frame
    for (int c = 0; c < channels; ++c) audio.samples[(keep - 1 - f) * channels + c] *= gain;
  }
}

void Normalise(PcmAudio& audio, double peak_level, double max_gain) {
  if (peak_level <= 0) return;
  float peak = 0;
  for (float s : audio.samples) peak = std::max(peak, std::fabs(s));
  if (peak <= 0) return;
  const float gain = static_cast<float>(std::min(max_gain, peak_level / peak));
  for (float& s : audio.samples) s *= gain;
}

}  // namespace

struct MidiSynthesizer::State {
  WavOptions options;
  const FluidSynthLibrary* lib = nullptr;
  fluid_settings_t* settings = nullptr;
  fluid_synth_t* synth = nullptr;

  ~State() {
    if (synth) lib->delete_synth(synth);
    if (settings) lib->delete_settings(settings);
  }
};

MidiSynthesizer::MidiSynthesizer(std::unique_ptr<State> state) : state_(std::move(state)) {}
MidiSynthesizer::~MidiSynthesizer() = default;

Result<std::unique_ptr<MidiSynthesizer>> MidiSynthesizer::Open(const WavOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.soundfont, ec)) {
    std::string hint = options.soundfont == kDefaultSoundfont
                           ? "install the Debian package fluid-soundfont-gm (sudo apt-get install fluid-soundfont-gm)"
                           : "give the path of a General MIDI .sf2 soundfont, or install the Debian package "
                             "fluid-soundfont-gm for " + std::string(kDefaultSoundfont);
    return Status::NotFound("soundfont not found at " + options.soundfont + ": " + hint);
  }
  if (options.sample_rate < 8000 || options.sample_rate > 192000) {
    return Status::InvalidArgument("sample rate " + std::to_string(options.sample_rate) + " Hz is outside 8000..192000");
  }
  Result<const FluidSynthLibrary*> lib = LoadFluidSynth();
  if (!lib.ok()) return lib.status();

  auto state = std::make_unique<State>();
  state->options = options;
  state->lib = *lib;
  const FluidSynthLibrary& fs = **lib;
  state->settings = fs.new_settings();
  if (state->settings == nullptr) return Status::IOError("FluidSynth could not create its settings");
  fs.settings_setnum(state->settings, "synth.sample-rate", options.sample_rate);
  // The player advances with the samples we ask for, not with the wall clock: offline, as fast as the CPU goes.
  fs.settings_setstr(state->settings, "player.timing-source", "sample");
  // Load only the samples of the instruments a file uses: ~40 ms instead of ~0.5 s for FluidR3_GM's 140 MB.
  fs.settings_setint(state->settings, "synth.dynamic-sample-loading", 1);
  fs.settings_setint(state->settings, "synth.lock-memory", 0);
  fs.settings_setint(state->settings, "synth.reverb.active", options.effects ? 1 : 0);
  fs.settings_setint(state->settings, "synth.chorus.active", options.effects ? 1 : 0);
  state->synth = fs.new_synth(state->settings);
  if (state->synth == nullptr) return Status::IOError("FluidSynth could not create a synthesiser");
  if (fs.synth_sfload(state->synth, options.soundfont.c_str(), 1) == FLUID_FAILED) {
    return Status::Corruption("FluidSynth could not load the soundfont " + options.soundfont +
                         " (is it a valid .sf2 file?)");
  }
  return std::unique_ptr<MidiSynthesizer>(new MidiSynthesizer(std::move(state)));
}

Result<PcmAudio> MidiSynthesizer::Render(std::string_view midi_bytes) {
  Result<MidiSummary> summary = SummarizeMidi(midi_bytes);
  if (!summary.ok()) return summary.status();
  if (summary->seconds > kMaxSeconds) {
    return Status::InvalidArgument("the MIDI plays for " + std::to_string(static_cast<int>(summary->seconds)) +
                         " s, more than the 15 minutes tunesmith renders");
  }
  const FluidSynthLibrary& fs = *state_->lib;
  const WavOptions& options = state_->options;
  fs.synth_system_reset(state_->synth);  // nothing from the previous file carries over
  fluid_player_t* player = fs.new_player(state_->synth);
  if (player == nullptr) return Status::IOError("FluidSynth could not create a MIDI player");
  if (fs.player_add_mem(player, midi_bytes.data(), midi_bytes.size()) != FLUID_OK ||
      fs.player_play(player) != FLUID_OK) {
    fs.delete_player(player);
    return Status::InvalidArgument("FluidSynth refused the MIDI data");
  }

  PcmAudio audio;
  audio.sample_rate = options.sample_rate;
  audio.channels = 2;
  const int64_t end_frames = static_cast<int64_t>(std::ceil(summary->seconds * options.sample_rate));
  const int64_t max_frames = end_frames + static_cast<int64_t>(options.max_tail_seconds * options.sample_rate);
  const int64_t quiet_to_stop = static_cast<int64_t>(kQuietToStop * options.sample_rate);
  audio.samples.reserve(static_cast<size_t>(max_frames) * 2 + kBlockFrames * 2);
  int64_t frames = 0;
  int64_t quiet_frames = 0;  // consecutive frames below kQuietLevel, counted after the last event
  while (frames < max_frames) {
    size_t at = audio.samples.size();
    audio.samples.resize(at + kBlockFrames * 2);
    float* block = audio.samples.data() + at;
    // Interleaved stereo: left at even, right at odd indices.
    fs.synth_write_float(state_->synth, kBlockFrames, block, 0, 2, block, 1, 2);
    frames += kBlockFrames;
    if (frames < end_frames) continue;
    float block_peak = 0;
    for (int i = 0; i < kBlockFrames * 2; ++i) block_peak = std::max(block_peak, std::fabs(block[i]));
    quiet_frames = block_peak < kQuietLevel ? quiet_frames + kBlockFrames : 0;
    if (quiet_frames >= quiet_to_stop) break;
    if (fs.player_get_status(player) != FLUID_PLAYER_PLAYING && quiet_frames > 0) break;
  }
  fs.player_stop(player);
  fs.delete_player(player);

  TrimTail(audio);
  Normalise(audio, options.peak_level, options.max_gain);
  return audio;
}

Result<AudioStats> MidiSynthesizer::RenderToWav(std::string_view midi_bytes, const std::filesystem::path& wav_path) {
  Result<PcmAudio> audio = Render(midi_bytes);
  if (!audio.ok()) return audio.status();
  if (Status s = base::WriteFileAtomically(wav_path, EncodeWav16(*audio)); !s.ok()) return s;
  return MeasurePcm(*audio);
}

Result<AudioStats> MidiToWav(std::string_view midi_bytes, const std::filesystem::path& wav_path,
                             const WavOptions& options) {
  Result<std::unique_ptr<MidiSynthesizer>> synth = MidiSynthesizer::Open(options);
  if (!synth.ok()) return synth.status();
  return (*synth)->RenderToWav(midi_bytes, wav_path);
}

}  // namespace tunesmith::render
