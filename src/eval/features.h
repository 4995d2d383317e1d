// Per-tune musical features (after MGEval, Yang & Lerch 2018, and MusPy),
// computed from the sounding timeline of a tune. docs/eval.md defines each one.
//
// The melody: the timeline's pitched events in order, one pitch each (the
// highest of a chord), ties already merged; rests are skipped between notes
// (an interval jumps over a rest). Pitches are taken relative to the tonic of
// the tune's header key (its home key): a tune whose B part changes key keeps
// its home tonic as reference, so a modulation shows in its histograms.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "abc/rational.h"
#include "abc/timeline.h"
#include "abc/tune.h"

namespace tunesmith::eval {

// Note-length histogram bins, in whole notes (1/8 is a quaver); lengths that
// are none of these fall in a last "other" bin.
inline constexpr std::array<abc::Rational, 11> kNoteLengthBins = {
    abc::Rational(1, 32), abc::Rational(1, 16), abc::Rational(1, 12), abc::Rational(1, 8),
    abc::Rational(3, 16), abc::Rational(1, 6),  abc::Rational(1, 4),  abc::Rational(3, 8),
    abc::Rational(1, 2),  abc::Rational(3, 4),  abc::Rational(1, 1)};
inline constexpr int kNoteLengthBinCount = static_cast<int>(kNoteLengthBins.size()) + 1;

// Interval histogram: signed semitones -12..+12, larger leaps clamped to the ends.
inline constexpr int kMaxHistogramInterval = 12;
inline constexpr int kIntervalBinCount = 2 * kMaxHistogramInterval + 1;

struct TuneFeatures {
  int notes = 0;  // melody notes; every feature below is 0 for a tune without notes
  int bars = 0;   // bars holding at least one event

  std::array<double, 12> pitch_class_histogram{};  // share of notes per pitch class above the tonic
  double pitch_range = 0;                          // highest minus lowest melody pitch, semitones
  double mean_abs_interval = 0;                    // mean |step| between consecutive notes, semitones
  std::array<double, kIntervalBinCount> interval_histogram{};  // [i] = share of steps of i-12 semitones
  std::array<double, kNoteLengthBinCount> note_length_histogram{};  // share per kNoteLengthBins (+ other)
  double notes_per_bar = 0;        // mean melody notes per full bar (all bars if none is full)
  double pitch_class_entropy = 0;  // Shannon entropy of pitch_class_histogram, bits (0..log2 12)
  double scale_consistency = 0;    // largest share of notes inside one diatonic scale (any root)
  double ends_on_tonic = 0;        // 1 when the last note's pitch class is the tonic's, else 0
  double repeated_phrase_rate = 0; // share of 2-bar phrases whose exact content recurs elsewhere
};

// The features of `events` (a timeline) with `tonic_pitch_class` (0 = C .. 11)
// as reference. `bar_length`, when known, tells full bars from a pickup or an
// incomplete bar for notes_per_bar.
TuneFeatures ComputeFeatures(const std::vector<abc::NoteEvent>& events, int tonic_pitch_class,
                             std::optional<abc::Rational> bar_length);

// The features of a tune: its timeline, its header key's tonic, its meter's bar length.
TuneFeatures ComputeFeatures(const abc::Tune& tune);

// The features compared between sets, each seen as a vector of numbers
// (scalars as vectors of one); the distance between two tunes for a feature
// is the Euclidean distance between their vectors.
enum class Feature {
  kPitchClassHistogram,
  kPitchRange,
  kMeanAbsInterval,
  kIntervalHistogram,
  kNoteLengthHistogram,
  kNotesPerBar,
  kPitchClassEntropy,
  kScaleConsistency,
  kEndsOnTonic,
  kRepeatedPhraseRate,
};

// Every Feature, in the order above.
const std::vector<Feature>& AllFeatures();
// "pitch_class_histogram", "pitch_range", ... (the report's keys).
const char* FeatureName(Feature f);
std::optional<Feature> ParseFeature(const std::string& name);

std::vector<double> FeatureVector(const TuneFeatures& t, Feature f);
double FeatureDistance(const TuneFeatures& a, const TuneFeatures& b, Feature f);

}  // namespace tunesmith::eval
