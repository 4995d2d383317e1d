#include "eval/structure.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "abc/chord_symbol.h"
#include "abc/timeline.h"
#include "eval/bar_layout.h"
#include "tokens/abc_token.h"

namespace tunesmith::eval {
namespace {

using abc::Rational;

constexpr int kNaturalPc[7] = {0, 2, 4, 5, 7, 9, 11};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int PitchClass(int v) { return ((v % 12) + 12) % 12; }

struct ChordShape {
  int root = 0;                // pitch class
  std::vector<int> intervals;  // above the root, root (0) included
  int bass = -1;               // pitch class of a slash chord's bass, -1 if none
};

// Intervals above the root of each canonical quality abc::ParseChordSymbol gives.
std::vector<int> QualityIntervals(const std::string& q) {
  struct Entry {
    const char* quality;
    std::vector<int> intervals;
  };
  static const std::vector<Entry> kQualities = {
      {"", {0, 4, 7}},          {"m", {0, 3, 7}},          {"7", {0, 4, 7, 10}},     {"9", {0, 4, 7, 10, 2}},
      {"11", {0, 4, 7, 10, 2, 5}}, {"m7", {0, 3, 7, 10}},  {"maj7", {0, 4, 7, 11}},  {"6", {0, 4, 7, 9}},
      {"m6", {0, 3, 7, 9}},     {"m9", {0, 3, 7, 10, 2}},  {"maj9", {0, 4, 7, 11, 2}}, {"dim", {0, 3, 6}},
      {"dim7", {0, 3, 6, 9}},   {"aug", {0, 4, 8}},        {"aug7", {0, 4, 8, 10}},  {"m7b5", {0, 3, 6, 10}},
      {"sus4", {0, 5, 7}},      {"sus2", {0, 2, 7}},       {"7sus4", {0, 5, 7, 10}}, {"5", {0, 7}},
  };
  for (const Entry& e : kQualities) {
    if (q == e.quality) return e.intervals;
  }
  return {};
}

std::optional<ChordShape> ParseShape(const std::string& text) {
  const auto chord = abc::ParseChordSymbol(text);
  if (!chord || chord->optional) return std::nullopt;
  ChordShape s;
  s.root = PitchClass(kNaturalPc[chord->root_step] + chord->root_alter);
  s.intervals = QualityIntervals(chord->quality);
  if (s.intervals.empty()) return std::nullopt;
  if (chord->has_bass) s.bass = PitchClass(kNaturalPc[chord->bass_step] + chord->bass_alter);
  return s;
}

bool HasTone(const ChordShape& c, int pitch_class) {
  if (c.bass == pitch_class) return true;
  for (int i : c.intervals) {
    if (PitchClass(c.root + i) == pitch_class) return true;
  }
  return false;
}

bool HasInterval(const ChordShape& c, int interval) {
  return std::find(c.intervals.begin(), c.intervals.end(), interval) != c.intervals.end();
}

// The triad on the mode's first degree: major for major, mixolydian and
// lydian; minor for minor, dorian and phrygian; diminished for locrian.
bool IsTonicTriad(const ChordShape& c, int tonic, abc::Mode mode) {
  if (c.root != tonic) return false;
  switch (mode) {
    case abc::Mode::kMajor:
    case abc::Mode::kMixolydian:
    case abc::Mode::kLydian:
      return HasInterval(c, 4) && HasInterval(c, 7);
    case abc::Mode::kMinor:
    case abc::Mode::kDorian:
    case abc::Mode::kPhrygian:
      return HasInterval(c, 3) && HasInterval(c, 7);
    case abc::Mode::kLocrian:
      return HasInterval(c, 3) && HasInterval(c, 6);
  }
  return false;
}

Degree DegreeOf(int midi, int tonic) {
  const int pc = PitchClass(midi - tonic);
  return pc == 0 ? Degree::kTonic : pc == 7 ? Degree::kDominant : Degree::kOther;
}

LengthClass ClassOf(Rational length) {
  if (length < Rational(1, 8)) return LengthClass::kShorterThanEighth;
  if (length == Rational(1, 8)) return LengthClass::kEighth;
  if (length <= Rational(1, 4)) return LengthClass::kUpToQuarter;
  return LengthClass::kLonger;
}

// The notes of `bar` struck in [from, to), or nullopt when one is tied or
// crosses either edge.
std::optional<std::vector<Rational>> StruckLengths(const WrittenBar& bar, Rational from, Rational to) {
  std::vector<Rational> lengths;
  for (const BarNote& n : bar.notes) {
    const Rational end = n.onset + n.length;
    if (end <= from || n.onset >= to) continue;
    if (n.onset < from || end > to || n.tied_in || n.tied_out) return std::nullopt;
    lengths.push_back(n.length);
  }
  return lengths;
}

// Three eighths, quarter + eighth, or a dotted quarter, on one dotted-quarter beat.
bool ClassicJigBeat(const WrittenBar& bar, Rational from) {
  const auto l = StruckLengths(bar, from, from + Rational(3, 8));
  if (!l) return false;
  const Rational e(1, 8), q(1, 4), dq(3, 8);
  return *l == std::vector<Rational>{e, e, e} || *l == std::vector<Rational>{q, e} || *l == std::vector<Rational>{dq};
}

bool EvenEighthBeat(const WrittenBar& bar, Rational from) {
  const auto l = StruckLengths(bar, from, from + Rational(1, 4));
  return l && *l == std::vector<Rational>{Rational(1, 8), Rational(1, 8)};
}

// The pitch sounding at `offset` in `bar` (-1 for a rest or nothing).
int SoundingPitch(const WrittenBar& bar, Rational offset) {
  for (const BarNote& n : bar.notes) {
    if (n.onset <= offset && offset < n.onset + n.length) return n.pitch;
  }
  return -1;
}

struct TimedChord {
  Rational time;
  ChordShape shape;
};

std::vector<TimedChord> ChordsOf(const abc::Tune& tune) {
  const std::vector<Rational> lengths = abc::SoundingLengths(tune);
  std::vector<TimedChord> chords;
  Rational time(0);
  for (std::size_t k = 0; k < tune.body.size(); ++k) {
    const abc::Element& e = tune.body[k];
    if (e.kind != abc::ElementKind::kNote && e.kind != abc::ElementKind::kRest) continue;
    if (!e.chord_symbol.empty()) {
      if (auto shape = ParseShape(e.chord_symbol)) chords.push_back({time, *shape});
    }
    time += lengths[k];
  }
  return chords;
}

void Repetition(const BarLayout& layout, TuneStructure& s) {
  const std::vector<int> bars = TuneBars(layout);
  const int n = static_cast<int>(bars.size());
  for (int d = 1; d <= kMaxRepeatDistance; ++d) {
    for (int i = 0; i + d < n; ++i) {
      const WrittenBar &a = layout.bars[bars[i]], &b = layout.bars[bars[i + d]];
      ++s.bar_pairs[d - 1];
      s.exact_repeats[d - 1] += SameContent(a, b);
      s.similar_repeats[d - 1] += GridSimilarity(a, b) >= kSimilarBarThreshold;
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (j != i && SameContent(layout.bars[bars[i]], layout.bars[bars[j]])) {
        ++s.bars_with_duplicate;
        break;
      }
    }
  }
  for (std::size_t p = 0; p < layout.parts.size(); ++p) {
    const std::vector<int> pass = FirstPassBars(layout, static_cast<int>(p));
    if (pass.size() % 8 != 0) continue;
    for (std::size_t at = 0; at + 8 <= pass.size(); at += 8) {
      double sum = 0;
      for (int k = 0; k < 3; ++k) sum += GridSimilarity(layout.bars[pass[at + k]], layout.bars[pass[at + k + 4]]);
      s.phrase_similarities.push_back(sum / 3);
    }
  }
}

// Struck melody notes of part `p` (its pickup included), in order.
std::vector<int> PartMelody(const BarLayout& layout, int p) {
  std::vector<int> melody;
  for (int i = layout.parts[p].first_bar; i < layout.parts[p].end_bar; ++i) {
    for (const BarNote& n : layout.bars[i].notes) {
      if (n.pitch >= 0 && !n.tied_in) melody.push_back(n.pitch);
    }
  }
  return melody;
}

void Form(const BarLayout& layout, int tonic, TuneStructure& s) {
  if (layout.parts.size() < 2) return;
  const std::vector<int> a = PartMelody(layout, 0), b = PartMelody(layout, 1);
  if (!a.empty()) s.first_part_end = DegreeOf(a.back(), tonic);
  if (a.empty() || b.empty()) return;
  double mean_a = 0, mean_b = 0;
  for (int p : a) mean_a += p;
  for (int p : b) mean_b += p;
  s.register_rise = mean_b / static_cast<double>(b.size()) - mean_a / static_cast<double>(a.size());
}

void Rhythm(const abc::Tune& tune, const BarLayout& layout, TuneStructure& s) {
  const bool jig = tune.meter.symbol == abc::Meter::Symbol::kNumeric && tune.meter.num == 6 && tune.meter.den == 8;
  const bool common = s.meter_group == MeterGroup::k4_4;
  for (const WrittenBar& bar : layout.bars) {
    if (!bar.full) continue;
    if (jig) {
      ++s.jig_bars;
      s.classic_jig_bars += ClassicJigBeat(bar, Rational(0)) && ClassicJigBeat(bar, Rational(3, 8));
    }
    if (common) {
      for (Rational beat(0); beat < bar.length; beat += Rational(1, 4)) {
        ++s.reel_beats;
        s.even_eighth_beats += EvenEighthBeat(bar, beat);
      }
    }
  }
  for (std::size_t i = 0; i + 1 < layout.bars.size(); ++i) {
    ++s.bar_lines;
    const auto& notes = layout.bars[i].notes;
    s.tied_bar_lines += !notes.empty() && notes.back().tied_out;
  }
}

void Harmony(const abc::Tune& tune, const BarLayout& layout, int last_note, TuneStructure& s) {
  const std::vector<TimedChord> chords = ChordsOf(tune);
  s.chords = static_cast<int>(chords.size());
  if (chords.empty()) return;
  const bool two_halves = tune.meter.symbol != abc::Meter::Symbol::kFree && tune.meter.num % 2 == 0;
  for (int i : TuneBars(layout)) {
    const WrittenBar& bar = layout.bars[i];
    std::vector<Rational> points = {Rational(0)};
    if (two_halves && layout.bar_length > Rational(0) && layout.bar_length / Rational(2) < bar.length)
      points.push_back(layout.bar_length / Rational(2));
    for (Rational offset : points) {
      const Rational t = bar.start + offset;
      const auto after = std::upper_bound(chords.begin(), chords.end(), t,
                                          [](Rational x, const TimedChord& c) { return x < c.time; });
      const int pitch = SoundingPitch(bar, offset);
      if (after == chords.begin() || pitch < 0) continue;
      ++s.strong_beats;
      s.strong_chord_tones += HasTone(std::prev(after)->shape, PitchClass(pitch));
    }
  }
  if (last_note >= 0) s.final_note_in_final_chord = HasTone(chords.back().shape, PitchClass(last_note));
  s.final_chord_is_tonic = IsTonicTriad(chords.back().shape, s.tonic_pitch_class, s.mode);
}

}  // namespace

const char* MeterGroupName(MeterGroup g) {
  switch (g) {
    case MeterGroup::k2_4: return "2/4";
    case MeterGroup::k4_4: return "4/4 2/2";
    case MeterGroup::k3_4: return "3/4";
    case MeterGroup::k6_8: return "6/8";
    case MeterGroup::k9_8: return "9/8";
    case MeterGroup::kOther: return "other";
  }
  return "?";
}

MeterGroup MeterGroupOf(const abc::Meter& m) {
  using Symbol = abc::Meter::Symbol;
  if (m.symbol == Symbol::kCommon || m.symbol == Symbol::kCut) return MeterGroup::k4_4;
  if (m.symbol == Symbol::kFree) return MeterGroup::kOther;
  if ((m.num == 4 && m.den == 4) || (m.num == 2 && m.den == 2)) return MeterGroup::k4_4;
  if (m.num == 2 && m.den == 4) return MeterGroup::k2_4;
  if (m.num == 3 && m.den == 4) return MeterGroup::k3_4;
  if (m.num == 6 && m.den == 8) return MeterGroup::k6_8;
  if (m.num == 9 && m.den == 8) return MeterGroup::k9_8;
  return MeterGroup::kOther;
}

const char* LengthClassName(LengthClass c) {
  switch (c) {
    case LengthClass::kShorterThanEighth: return "shorter_than_eighth";
    case LengthClass::kEighth: return "eighth";
    case LengthClass::kUpToQuarter: return "eighth_to_quarter";
    case LengthClass::kLonger: return "longer";
  }
  return "?";
}

std::vector<int> ChordTones(const std::string& text) {
  std::vector<int> tones;
  const auto shape = ParseShape(text);
  if (!shape) return tones;
  for (int i : shape->intervals) tones.push_back(PitchClass(shape->root + i));
  if (shape->bass >= 0) tones.push_back(shape->bass);
  std::sort(tones.begin(), tones.end());
  tones.erase(std::unique(tones.begin(), tones.end()), tones.end());
  return tones;
}

std::optional<bool> RhythmFitsMeter(const std::string& rhythm, const abc::Meter& meter) {
  // The corpus's table (tokens::RhythmHasMeter), the one the grammar mask keeps to.
  if (!tokens::RhythmJudged(rhythm)) return std::nullopt;
  using Symbol = abc::Meter::Symbol;
  if (meter.symbol == Symbol::kCommon) return tokens::RhythmHasMeter(rhythm, 4, 4);
  if (meter.symbol == Symbol::kCut) return tokens::RhythmHasMeter(rhythm, 2, 2);
  if (meter.symbol != Symbol::kNumeric) return false;
  return tokens::RhythmHasMeter(rhythm, meter.num, meter.den);
}

TuneStructure ComputeStructure(const abc::Tune& tune) {
  TuneStructure s;
  s.tonic_pitch_class = tune.key.TonicPitchClass();
  s.mode = tune.key.mode;
  s.meter_group = MeterGroupOf(tune.meter);
  const std::vector<std::string> r = tune.FieldValues('R');
  s.rhythm = tokens::NormaliseRhythm(r.empty() ? "" : r.front());
  s.rhythm_meter_agree = RhythmFitsMeter(s.rhythm, tune.meter);

  const BarLayout layout = LayOutBars(tune);
  s.bars = static_cast<int>(TuneBars(layout).size());
  s.parts = static_cast<int>(layout.parts.size());

  int last_note = -1;
  for (const abc::NoteEvent& e : abc::Timeline(tune)) {
    if (e.midi.empty()) continue;
    const int pitch = *std::max_element(e.midi.begin(), e.midi.end());
    s.highest = s.notes == 0 ? pitch : std::max(s.highest, pitch);
    s.lowest = s.notes == 0 ? pitch : std::min(s.lowest, pitch);
    ++s.notes;
    ++s.note_lengths[static_cast<int>(ClassOf(e.length))];
    s.has_32nd |= e.length <= Rational(1, 32);
    last_note = pitch;
  }
  if (last_note >= 0) s.final_note = DegreeOf(last_note, s.tonic_pitch_class);

  Repetition(layout, s);
  Form(layout, s.tonic_pitch_class, s);
  Rhythm(tune, layout, s);
  Harmony(tune, layout, last_note, s);
  return s;
}

const std::vector<std::string>& StructureFeatureNames() {
  static const std::vector<std::string> kNames = {
      "bars", "parts", "repeat_exact_1", "repeat_exact_2", "repeat_exact_3", "repeat_exact_4",
      "repeat_similar_1", "repeat_similar_2", "repeat_similar_3", "repeat_similar_4", "duplicated_bars",
      "phrase_similarity", "first_part_end_tonic", "first_part_end_dominant", "final_note_dominant",
      "register_rise", "key_in_dgae", "mode_major", "mode_minor", "mode_dorian", "mode_mixolydian",
      "highest", "lowest", "length_shorter_than_eighth", "length_eighth", "length_eighth_to_quarter",
      "length_longer", "classic_jig_bars", "even_eighth_beats", "tied_bar_lines", "has_32nd", "has_chords",
      "strong_beat_chord_tones", "final_note_in_final_chord", "final_chord_is_tonic", "rhythm_meter_agree"};
  return kNames;
}

std::vector<double> StructureFeatureVector(const TuneStructure& s) {
  auto share = [](int n, int d) { return d > 0 ? static_cast<double>(n) / d : kNaN; };
  auto flag = [](const std::optional<bool>& b) { return b ? (*b ? 1.0 : 0.0) : kNaN; };
  auto degree_is = [](Degree d, Degree want) { return d == Degree::kNone ? kNaN : (d == want ? 1.0 : 0.0); };
  std::vector<double> v = {static_cast<double>(s.bars), static_cast<double>(s.parts)};
  for (int d = 0; d < kMaxRepeatDistance; ++d) v.push_back(share(s.exact_repeats[d], s.bar_pairs[d]));
  for (int d = 0; d < kMaxRepeatDistance; ++d) v.push_back(share(s.similar_repeats[d], s.bar_pairs[d]));
  v.push_back(share(s.bars_with_duplicate, s.bars));
  double phrase = kNaN;
  if (!s.phrase_similarities.empty()) {
    phrase = 0;
    for (double p : s.phrase_similarities) phrase += p;
    phrase /= static_cast<double>(s.phrase_similarities.size());
  }
  v.push_back(phrase);
  v.push_back(degree_is(s.first_part_end, Degree::kTonic));
  v.push_back(degree_is(s.first_part_end, Degree::kDominant));
  v.push_back(degree_is(s.final_note, Degree::kDominant));
  v.push_back(s.register_rise.value_or(kNaN));
  const int t = s.tonic_pitch_class;
  v.push_back(t == 2 || t == 7 || t == 9 || t == 4 ? 1.0 : 0.0);
  for (abc::Mode m : {abc::Mode::kMajor, abc::Mode::kMinor, abc::Mode::kDorian, abc::Mode::kMixolydian})
    v.push_back(s.mode == m ? 1.0 : 0.0);
  v.push_back(s.notes > 0 ? s.highest : kNaN);
  v.push_back(s.notes > 0 ? s.lowest : kNaN);
  for (int c = 0; c < kLengthClassCount; ++c) v.push_back(share(s.note_lengths[c], s.notes));
  v.push_back(share(s.classic_jig_bars, s.jig_bars));
  v.push_back(share(s.even_eighth_beats, s.reel_beats));
  v.push_back(share(s.tied_bar_lines, s.bar_lines));
  v.push_back(s.has_32nd ? 1.0 : 0.0);
  v.push_back(s.chords > 0 ? 1.0 : 0.0);
  v.push_back(share(s.strong_chord_tones, s.strong_beats));
  v.push_back(flag(s.final_note_in_final_chord));
  v.push_back(flag(s.final_chord_is_tonic));
  v.push_back(flag(s.rhythm_meter_agree));
  return v;
}

}  // namespace tunesmith::eval
