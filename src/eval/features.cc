#include "eval/features.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

namespace tunesmith::eval {
namespace {

using abc::NoteEvent;
using abc::Rational;

// Pitch classes of the diatonic collection on C (C D E F G A B); every church
// mode and the natural minor are rotations of it, so 12 roots cover them all.
constexpr std::array<bool, 12> kDiatonic = {true, false, true, false, true, true,
                                            false, true, false, true, false, true};

int PitchClass(int midi) { return ((midi % 12) + 12) % 12; }

struct MelodyNote {
  int midi;
  Rational length;
};

std::vector<MelodyNote> MelodyOf(const std::vector<NoteEvent>& events) {
  std::vector<MelodyNote> melody;
  for (const NoteEvent& e : events) {
    if (e.midi.empty()) continue;
    melody.push_back({*std::max_element(e.midi.begin(), e.midi.end()), e.length});
  }
  return melody;
}

template <std::size_t N>
void Normalise(std::array<double, N>& h) {
  double total = 0;
  for (double v : h) total += v;
  if (total > 0) {
    for (double& v : h) v /= total;
  }
}

int NoteLengthBin(Rational length) {
  for (std::size_t i = 0; i < kNoteLengthBins.size(); ++i) {
    if (kNoteLengthBins[i] == length) return static_cast<int>(i);
  }
  return kNoteLengthBinCount - 1;
}

// What sounds in one bar: (pitch or -1 for a rest, length) per event.
using BarContent = std::vector<std::pair<int, Rational>>;

double RepeatedPhraseRate(const std::vector<NoteEvent>& events) {
  if (events.empty()) return 0;
  int last_bar = 0;
  for (const NoteEvent& e : events) last_bar = std::max(last_bar, e.bar);
  std::vector<BarContent> bars(last_bar + 1);
  for (const NoteEvent& e : events) {
    const int pitch = e.midi.empty() ? -1 : *std::max_element(e.midi.begin(), e.midi.end());
    bars[e.bar].push_back({pitch, e.length});
  }
  if (bars.size() < 2) return 0;
  // A phrase is two consecutive bars; count how often each occurs.
  std::map<std::pair<BarContent, BarContent>, int> seen;
  for (std::size_t i = 0; i + 1 < bars.size(); ++i) ++seen[{bars[i], bars[i + 1]}];
  int repeated = 0;
  for (std::size_t i = 0; i + 1 < bars.size(); ++i) {
    if (seen[{bars[i], bars[i + 1]}] > 1) ++repeated;
  }
  return static_cast<double>(repeated) / static_cast<double>(bars.size() - 1);
}

double NotesPerBar(const std::vector<NoteEvent>& events, std::optional<Rational> bar_length) {
  std::map<int, std::pair<int, Rational>> per_bar;  // bar -> (melody notes, total length)
  for (const NoteEvent& e : events) {
    auto& [notes, length] = per_bar[e.bar];
    if (!e.midi.empty()) ++notes;
    length += e.length;
  }
  if (per_bar.empty()) return 0;
  int full_bars = 0, full_notes = 0, all_notes = 0;
  for (const auto& [bar, entry] : per_bar) {
    all_notes += entry.first;
    if (bar_length && entry.second == *bar_length) {
      ++full_bars;
      full_notes += entry.first;
    }
  }
  if (full_bars > 0) return static_cast<double>(full_notes) / full_bars;
  return static_cast<double>(all_notes) / static_cast<double>(per_bar.size());
}

}  // namespace

TuneFeatures ComputeFeatures(const std::vector<NoteEvent>& events, int tonic_pitch_class,
                             std::optional<Rational> bar_length) {
  TuneFeatures f;
  const std::vector<MelodyNote> melody = MelodyOf(events);
  f.notes = static_cast<int>(melody.size());
  {
    std::vector<int> bars;
    for (const NoteEvent& e : events) bars.push_back(e.bar);
    std::sort(bars.begin(), bars.end());
    f.bars = static_cast<int>(std::unique(bars.begin(), bars.end()) - bars.begin());
  }
  if (melody.empty()) return f;

  int lowest = melody.front().midi, highest = melody.front().midi;
  std::array<int, 12> pc_count{};
  for (const MelodyNote& n : melody) {
    lowest = std::min(lowest, n.midi);
    highest = std::max(highest, n.midi);
    ++pc_count[PitchClass(n.midi - tonic_pitch_class)];
    f.note_length_histogram[NoteLengthBin(n.length)] += 1;
  }
  f.pitch_range = highest - lowest;
  for (int pc = 0; pc < 12; ++pc) f.pitch_class_histogram[pc] = pc_count[pc];
  Normalise(f.pitch_class_histogram);
  Normalise(f.note_length_histogram);

  double abs_sum = 0;
  for (std::size_t i = 1; i < melody.size(); ++i) {
    const int step = melody[i].midi - melody[i - 1].midi;
    abs_sum += std::abs(step);
    const int bin = std::clamp(step, -kMaxHistogramInterval, kMaxHistogramInterval) + kMaxHistogramInterval;
    f.interval_histogram[bin] += 1;
  }
  if (melody.size() > 1) f.mean_abs_interval = abs_sum / static_cast<double>(melody.size() - 1);
  Normalise(f.interval_histogram);

  for (double p : f.pitch_class_histogram) {
    if (p > 0) f.pitch_class_entropy -= p * std::log2(p);
  }

  // Pitch classes above are relative to the tonic, but the best scale may sit
  // on any root: try all twelve.
  int best_in_scale = 0;
  for (int root = 0; root < 12; ++root) {
    int in_scale = 0;
    for (int pc = 0; pc < 12; ++pc) {
      if (kDiatonic[PitchClass(pc - root)]) in_scale += pc_count[pc];
    }
    best_in_scale = std::max(best_in_scale, in_scale);
  }
  f.scale_consistency = static_cast<double>(best_in_scale) / static_cast<double>(melody.size());

  f.ends_on_tonic = PitchClass(melody.back().midi - tonic_pitch_class) == 0 ? 1 : 0;
  f.notes_per_bar = NotesPerBar(events, bar_length);
  f.repeated_phrase_rate = RepeatedPhraseRate(events);
  return f;
}

TuneFeatures ComputeFeatures(const abc::Tune& tune) {
  return ComputeFeatures(abc::Timeline(tune), tune.key.TonicPitchClass(), tune.meter.BarLength());
}

const std::vector<Feature>& AllFeatures() {
  static const std::vector<Feature> kAll = {
      Feature::kPitchClassHistogram, Feature::kPitchRange,          Feature::kMeanAbsInterval,
      Feature::kIntervalHistogram,   Feature::kNoteLengthHistogram, Feature::kNotesPerBar,
      Feature::kPitchClassEntropy,   Feature::kScaleConsistency,    Feature::kEndsOnTonic,
      Feature::kRepeatedPhraseRate,
  };
  return kAll;
}

const char* FeatureName(Feature f) {
  switch (f) {
    case Feature::kPitchClassHistogram: return "pitch_class_histogram";
    case Feature::kPitchRange: return "pitch_range";
    case Feature::kMeanAbsInterval: return "mean_abs_interval";
    case Feature::kIntervalHistogram: return "interval_histogram";
    case Feature::kNoteLengthHistogram: return "note_length_histogram";
    case Feature::kNotesPerBar: return "notes_per_bar";
    case Feature::kPitchClassEntropy: return "pitch_class_entropy";
    case Feature::kScaleConsistency: return "scale_consistency";
    case Feature::kEndsOnTonic: return "ends_on_tonic";
    case Feature::kRepeatedPhraseRate: return "repeated_phrase_rate";
  }
  return "?";
}

std::optional<Feature> ParseFeature(const std::string& name) {
  for (Feature f : AllFeatures()) {
    if (name == FeatureName(f)) return f;
  }
  return std::nullopt;
}

std::vector<double> FeatureVector(const TuneFeatures& t, Feature f) {
  switch (f) {
    case Feature::kPitchClassHistogram:
      return {t.pitch_class_histogram.begin(), t.pitch_class_histogram.end()};
    case Feature::kPitchRange: return {t.pitch_range};
    case Feature::kMeanAbsInterval: return {t.mean_abs_interval};
    case Feature::kIntervalHistogram:
      return {t.interval_histogram.begin(), t.interval_histogram.end()};
    case Feature::kNoteLengthHistogram:
      return {t.note_length_histogram.begin(), t.note_length_histogram.end()};
    case Feature::kNotesPerBar: return {t.notes_per_bar};
    case Feature::kPitchClassEntropy: return {t.pitch_class_entropy};
    case Feature::kScaleConsistency: return {t.scale_consistency};
    case Feature::kEndsOnTonic: return {t.ends_on_tonic};
    case Feature::kRepeatedPhraseRate: return {t.repeated_phrase_rate};
  }
  return {};
}

double FeatureDistance(const TuneFeatures& a, const TuneFeatures& b, Feature f) {
  const std::vector<double> va = FeatureVector(a, f), vb = FeatureVector(b, f);
  double ss = 0;
  for (std::size_t i = 0; i < va.size(); ++i) ss += (va[i] - vb[i]) * (va[i] - vb[i]);
  return std::sqrt(ss);
}

}  // namespace tunesmith::eval
