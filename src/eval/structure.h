// Per-tune structure figures: repetition, form, cadences, register, key,
// range, rhythm, ties, harmony and metadata, computed from a tune as written
// (bar_layout.h; repeats not unfolded). docs/eval.md ("Structure") defines
// each one; structure_summary.h turns a set of them into the report's
// figures, and StructureFeatureVector feeds the classifier two-sample test.
//
// Counts are kept rather than shares so that a set can pool them (share of
// bar pairs over all tunes, not the mean of per-tune shares).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "abc/tune.h"

namespace tunesmith::eval {

// Bars whose onset/pitch grid similarity (GridSimilarity) reaches this count
// as similar: up to a quarter of the grid may differ (two eighths of a 4/4
// bar). Chosen from real tunes (NMD + O'Neill's, docs/eval.md): 0.17% of
// pairs of bars from two different tunes of the same key and bar length
// reach it, and 20% of bar pairs four bars apart in one tune (15% exact).
inline constexpr double kSimilarBarThreshold = 0.75;

// Bar distances the repetition figures look at: bar n against bar n+1 .. n+4.
inline constexpr int kMaxRepeatDistance = 4;

// Fiddle, first position: G3 (the open G string) to B5 (fourth finger on E).
inline constexpr int kInstrumentLowest = 55;
inline constexpr int kInstrumentHighest = 83;

// The meters the note-length shares are broken down by.
enum class MeterGroup { k2_4, k4_4, k3_4, k6_8, k9_8, kOther };
inline constexpr int kMeterGroupCount = 6;
// "2/4", "4/4 2/2", "3/4", "6/8", "9/8", "other" (4/4 includes C, 2/2 and C|).
const char* MeterGroupName(MeterGroup g);
MeterGroup MeterGroupOf(const abc::Meter& m);

// Note lengths (sounding, ties merged): shorter than an eighth; an eighth;
// longer than an eighth up to a quarter (dotted eighth, quarter); longer.
enum class LengthClass { kShorterThanEighth, kEighth, kUpToQuarter, kLonger };
inline constexpr int kLengthClassCount = 4;
const char* LengthClassName(LengthClass c);  // "shorter_than_eighth", "eighth", "eighth_to_quarter", "longer"

// Where a melody note sits relative to the home tonic.
enum class Degree { kNone, kTonic, kDominant, kOther };

struct TuneStructure {
  int notes = 0;   // melody notes (the highest pitch of a chord; rests left out)
  int bars = 0;    // written bars, pickups left out
  int parts = 0;

  // Repetition over the written bars in order; index d-1 for distance d.
  std::array<int, kMaxRepeatDistance> bar_pairs{};        // pairs (n, n+d)
  std::array<int, kMaxRepeatDistance> exact_repeats{};    // ... with identical content
  std::array<int, kMaxRepeatDistance> similar_repeats{};  // ... with grid similarity >= kSimilarBarThreshold
  int bars_with_duplicate = 0;  // bars whose exact content recurs elsewhere in the tune
  // One per 8-bar phrase (parts of 8, 16, ... bars on their first pass): the
  // mean grid similarity of bars 1, 2, 3 with bars 5, 6, 7.
  std::vector<double> phrase_similarities;

  // Cadences, relative to the header key's tonic.
  Degree first_part_end = Degree::kNone;  // last melody note of part 1; kNone with fewer than 2 parts
  Degree final_note = Degree::kNone;      // last melody note of the tune
  std::optional<double> register_rise;    // mean MIDI pitch of part 2 minus part 1 (2+ parts with notes)

  // Key (header K:).
  int tonic_pitch_class = 0;  // 0 = C .. 11 = B
  abc::Mode mode = abc::Mode::kMajor;

  // Range of the melody, MIDI (0 without notes).
  int highest = 0;
  int lowest = 0;

  // Rhythm.
  MeterGroup meter_group = MeterGroup::kOther;
  std::array<int, kLengthClassCount> note_lengths{};  // melody notes per LengthClass
  int jig_bars = 0;          // 6/8 tunes: full bars
  int classic_jig_bars = 0;  // ... made only of classic jig figures per dotted-quarter beat
  int reel_beats = 0;        // 4/4 and 2/2 tunes: quarter-note beats of full bars
  int even_eighth_beats = 0; // ... that are two even eighths
  int bar_lines = 0;         // bar lines between two bars of music (pickups included)
  int tied_bar_lines = 0;    // ... crossed by a tied note
  bool has_32nd = false;     // a melody note of 1/32 or shorter

  // Harmony (chord symbols as written; "(A7)" alternatives and text ignored).
  int chords = 0;              // chord symbols
  int strong_beats = 0;        // strong-beat points with a chord in force and a note sounding
  int strong_chord_tones = 0;  // ... where the note's pitch class is a tone of the chord
  std::optional<bool> final_note_in_final_chord;  // when the tune has a chord and a note
  std::optional<bool> final_chord_is_tonic;       // the last chord is the mode's tonic triad

  // Metadata: R: against M:; nullopt when the rhythm is not one judged.
  std::string rhythm;                    // tokens::NormaliseRhythm of the first R: ("other" if none)
  std::optional<bool> rhythm_meter_agree;
};

// The figures of one tune.
TuneStructure ComputeStructure(const abc::Tune& tune);

// The pitch classes (0..11, relative to C) of a chord symbol ("Am7", "D/F#":
// root, the quality's intervals, and the bass); empty when `text` is not a
// chord symbol or is an optional "(A7)".
std::vector<int> ChordTones(const std::string& text);

// Whether `meter` suits rhythm `rhythm` (a tokens::NormaliseRhythm name):
// jig 6/8, reel 4/4 or 2/2, hornpipe 4/4, 2/2 or 2/4, waltz 3/4, polka 2/4,
// slip-jig 9/8, slide 12/8 (C counts as 4/4, C| as 2/2); nullopt for any
// other rhythm (not judged).
std::optional<bool> RhythmFitsMeter(const std::string& rhythm, const abc::Meter& meter);

// The per-tune numbers the classifier reads, in StructureFeatureNames()
// order: shares and 0/1 flags, NaN where a figure does not apply to the
// tune (no 8-bar part, not 6/8, no chords, ...).
std::vector<double> StructureFeatureVector(const TuneStructure& s);
const std::vector<std::string>& StructureFeatureNames();

}  // namespace tunesmith::eval
