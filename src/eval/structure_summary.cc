#include "eval/structure_summary.h"

#include <algorithm>
#include <functional>

#include "eval/stats.h"

namespace tunesmith::eval {
namespace {

using Tunes = std::vector<TuneStructure>;

class Figures {
 public:
  explicit Figures(const Tunes& tunes) : tunes_(tunes) {}

  // Share: sum of numerator(t) over sum of denominator(t).
  void Share(std::string key, std::string group, std::string label, std::string unit,
             const std::function<int64_t(const TuneStructure&)>& numerator,
             const std::function<int64_t(const TuneStructure&)>& denominator) {
    int64_t n = 0, d = 0;
    for (const TuneStructure& t : tunes_) {
      n += numerator(t);
      d += denominator(t);
    }
    StructureFigure f{std::move(key), std::move(group), std::move(label), std::move(unit), std::nullopt, d};
    if (d > 0) f.value = static_cast<double>(n) / static_cast<double>(d);
    out_.push_back(std::move(f));
  }

  // Share of tunes where `applies` holds that satisfy `test`.
  void TuneShare(std::string key, std::string group, std::string label, std::string unit,
                 const std::function<bool(const TuneStructure&)>& test,
                 const std::function<bool(const TuneStructure&)>& applies = [](const TuneStructure&) { return true; }) {
    Share(std::move(key), std::move(group), std::move(label), std::move(unit),
          [&](const TuneStructure& t) { return applies(t) && test(t) ? 1 : 0; },
          [&](const TuneStructure& t) { return applies(t) ? 1 : 0; });
  }

  // Median over tunes of the values `value` gives (nullopt: the tune does not count).
  void Median(std::string key, std::string group, std::string label, std::string unit,
              const std::function<std::optional<double>(const TuneStructure&)>& value) {
    std::vector<double> values;
    for (const TuneStructure& t : tunes_) {
      if (auto v = value(t)) values.push_back(*v);
    }
    std::sort(values.begin(), values.end());
    StructureFigure f{std::move(key), std::move(group), std::move(label), std::move(unit), std::nullopt,
                      static_cast<int64_t>(values.size())};
    if (!values.empty()) f.value = SortedQuantile(values, 0.5);
    out_.push_back(std::move(f));
  }

  void Mean(std::string key, std::string group, std::string label, std::string unit,
            const std::function<std::vector<double>(const TuneStructure&)>& values) {
    double sum = 0;
    int64_t n = 0;
    for (const TuneStructure& t : tunes_) {
      for (double v : values(t)) {
        sum += v;
        ++n;
      }
    }
    StructureFigure f{std::move(key), std::move(group), std::move(label), std::move(unit), std::nullopt, n};
    if (n > 0) f.value = sum / static_cast<double>(n);
    out_.push_back(std::move(f));
  }

  std::vector<StructureFigure> Take() { return std::move(out_); }

 private:
  const Tunes& tunes_;
  std::vector<StructureFigure> out_;
};

constexpr const char* kTonicNames[12] = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
constexpr const char* kMeterKeys[kMeterGroupCount] = {"2_4", "4_4", "3_4", "6_8", "9_8", "other"};

// kSimilarBarThreshold as written in a label ("0.75").
std::string Threshold() {
  std::string s = std::to_string(kSimilarBarThreshold);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  return s;
}

bool TwoParts(const TuneStructure& t) { return t.parts >= 2 && t.first_part_end != Degree::kNone; }

void Repetition(Figures& f) {
  for (int d = 1; d <= kMaxRepeatDistance; ++d) {
    const std::string n = std::to_string(d);
    f.Share("bar_repeat_exact_" + n, "repetition", "bar n+" + n + " repeats bar n exactly", "share of bar pairs",
            [d](const TuneStructure& t) { return t.exact_repeats[d - 1]; },
            [d](const TuneStructure& t) { return t.bar_pairs[d - 1]; });
  }
  for (int d = 1; d <= kMaxRepeatDistance; ++d) {
    const std::string n = std::to_string(d);
    f.Share("bar_repeat_similar_" + n, "repetition", "bar n+" + n + " is similar to bar n (onset/pitch grid >= " + Threshold() + ")",
            "share of bar pairs", [d](const TuneStructure& t) { return t.similar_repeats[d - 1]; },
            [d](const TuneStructure& t) { return t.bar_pairs[d - 1]; });
  }
  f.Share("duplicated_bars", "repetition", "bars that have an exact duplicate in the tune", "share of bars",
          [](const TuneStructure& t) { return t.bars_with_duplicate; }, [](const TuneStructure& t) { return t.bars; });
  f.Mean("phrase_similarity", "repetition", "bars 1-3 against bars 5-7 of an 8-bar phrase, grid similarity",
         "mean over 8-bar phrases", [](const TuneStructure& t) { return t.phrase_similarities; });
}

void Form(Figures& f) {
  f.Median("bars", "form", "written bars per tune (pickups left out)", "median over tunes",
           [](const TuneStructure& t) { return std::optional<double>(t.bars); });
  f.Median("parts", "form", "parts per tune", "median over tunes",
           [](const TuneStructure& t) { return std::optional<double>(t.parts); });
  f.TuneShare("first_part_ends_on_tonic", "form", "first part ends on the tonic", "share of tunes with 2+ parts",
              [](const TuneStructure& t) { return t.first_part_end == Degree::kTonic; }, TwoParts);
  f.TuneShare("first_part_ends_on_dominant", "form", "first part ends on the dominant", "share of tunes with 2+ parts",
              [](const TuneStructure& t) { return t.first_part_end == Degree::kDominant; }, TwoParts);
  f.TuneShare("tune_ends_on_tonic", "form", "tune ends on the tonic", "share of tunes",
              [](const TuneStructure& t) { return t.final_note == Degree::kTonic; });
  f.TuneShare("tune_ends_on_dominant", "form", "tune ends on the dominant", "share of tunes",
              [](const TuneStructure& t) { return t.final_note == Degree::kDominant; });
  f.Median("register_rise", "form", "part 2 minus part 1, mean pitch", "median over tunes with 2+ parts, semitones",
           [](const TuneStructure& t) { return t.register_rise; });
  f.TuneShare("part2_higher", "form", "part 2 higher than part 1 (mean pitch)", "share of tunes with 2+ parts",
              [](const TuneStructure& t) { return *t.register_rise > 0; },
              [](const TuneStructure& t) { return t.register_rise.has_value(); });
}

void Key(Figures& f) {
  f.TuneShare("key_in_dgae", "key", "tunes in D, G, A or E (any mode)", "share of tunes", [](const TuneStructure& t) {
    return t.tonic_pitch_class == 2 || t.tonic_pitch_class == 7 || t.tonic_pitch_class == 9 ||
           t.tonic_pitch_class == 4;
  });
  for (abc::Mode m : {abc::Mode::kMajor, abc::Mode::kMinor, abc::Mode::kDorian, abc::Mode::kMixolydian,
                      abc::Mode::kLydian, abc::Mode::kPhrygian, abc::Mode::kLocrian}) {
    f.TuneShare(std::string("mode.") + abc::ModeName(m), "key", std::string("mode ") + abc::ModeName(m),
                "share of tunes", [m](const TuneStructure& t) { return t.mode == m; });
  }
  for (int pc = 0; pc < 12; ++pc) {
    f.TuneShare(std::string("tonic.") + kTonicNames[pc], "key", std::string("tonic ") + kTonicNames[pc] + " (any mode)",
                "share of tunes", [pc](const TuneStructure& t) { return t.tonic_pitch_class == pc; });
  }
}

void Range(Figures& f) {
  const auto has_notes = [](const TuneStructure& t) { return t.notes > 0; };
  f.TuneShare("above_b5", "range", "tunes with a note above B5 (fiddle first position)", "share of tunes",
              [](const TuneStructure& t) { return t.highest > kInstrumentHighest; }, has_notes);
  f.TuneShare("below_g3", "range", "tunes with a note below G3 (the fiddle's lowest)", "share of tunes",
              [](const TuneStructure& t) { return t.lowest < kInstrumentLowest; }, has_notes);
  f.Median("highest", "range", "highest note", "median over tunes, MIDI", [](const TuneStructure& t) {
    return t.notes > 0 ? std::optional<double>(t.highest) : std::nullopt;
  });
  f.Median("lowest", "range", "lowest note", "median over tunes, MIDI", [](const TuneStructure& t) {
    return t.notes > 0 ? std::optional<double>(t.lowest) : std::nullopt;
  });
}

void Rhythm(Figures& f) {
  const char* kLabels[kLengthClassCount] = {"notes shorter than an eighth", "eighth notes",
                                            "notes longer than an eighth, up to a quarter",
                                            "notes longer than a quarter"};
  for (int c = 0; c < kLengthClassCount; ++c) {
    f.Share(std::string("note_length.") + LengthClassName(static_cast<LengthClass>(c)), "rhythm", kLabels[c],
            "share of notes", [c](const TuneStructure& t) { return t.note_lengths[c]; },
            [](const TuneStructure& t) { return t.notes; });
  }
  for (int g = 0; g < kMeterGroupCount; ++g) {
    const auto group = static_cast<MeterGroup>(g);
    for (int c = 0; c < kLengthClassCount; ++c) {
      f.Share(std::string("note_length.") + kMeterKeys[g] + "." + LengthClassName(static_cast<LengthClass>(c)),
              "rhythm", std::string(kLabels[c]) + ", " + MeterGroupName(group) + " tunes", "share of notes",
              [c, group](const TuneStructure& t) { return t.meter_group == group ? t.note_lengths[c] : 0; },
              [group](const TuneStructure& t) { return t.meter_group == group ? t.notes : 0; });
    }
  }
  f.Share("jig_classic_bars", "rhythm", "6/8 bars made of classic jig figures", "share of full 6/8 bars",
          [](const TuneStructure& t) { return t.classic_jig_bars; }, [](const TuneStructure& t) { return t.jig_bars; });
  f.TuneShare("jig_tunes_classic", "rhythm", "6/8 tunes with >= 80% bars of classic jig figures", "share of 6/8 tunes",
              [](const TuneStructure& t) { return 5 * t.classic_jig_bars >= 4 * t.jig_bars; },
              [](const TuneStructure& t) { return t.jig_bars > 0; });
  f.Share("reel_even_eighths", "rhythm", "beats of even eighths in 4/4 and 2/2 tunes", "share of quarter beats",
          [](const TuneStructure& t) { return t.even_eighth_beats; }, [](const TuneStructure& t) { return t.reel_beats; });
  f.Share("tied_bar_lines", "rhythm", "bar lines crossed by a tie", "share of bar lines",
          [](const TuneStructure& t) { return t.tied_bar_lines; }, [](const TuneStructure& t) { return t.bar_lines; });
  f.TuneShare("tunes_with_tie_across_bar", "rhythm", "tunes with a tie across a bar line", "share of tunes",
              [](const TuneStructure& t) { return t.tied_bar_lines > 0; });
  f.TuneShare("tunes_with_32nd", "rhythm", "tunes with a note of 1/32 or shorter", "share of tunes",
              [](const TuneStructure& t) { return t.has_32nd; });
}

void Harmony(Figures& f) {
  const auto has_chords = [](const TuneStructure& t) { return t.chords > 0; };
  f.TuneShare("tunes_with_chords", "harmony", "tunes with chord symbols", "share of tunes", has_chords);
  f.Share("strong_beat_chord_tones", "harmony", "melody note is a tone of the chord on strong beats",
          "share of strong beats under a chord", [](const TuneStructure& t) { return t.strong_chord_tones; },
          [](const TuneStructure& t) { return t.strong_beats; });
  f.TuneShare("final_note_in_final_chord", "harmony", "final note belongs to the final chord",
              "share of tunes with chords", [](const TuneStructure& t) { return *t.final_note_in_final_chord; },
              [](const TuneStructure& t) { return t.final_note_in_final_chord.has_value(); });
  f.TuneShare("final_chord_is_tonic", "harmony", "final chord is the tonic triad (I, or i in minor modes)",
              "share of tunes with chords", [](const TuneStructure& t) { return *t.final_chord_is_tonic; },
              [](const TuneStructure& t) { return t.final_chord_is_tonic.has_value(); });
}

void Metadata(Figures& f) {
  f.TuneShare("rhythm_judged", "metadata", "tunes whose R: is one judged against M:", "share of tunes",
              [](const TuneStructure& t) { return t.rhythm_meter_agree.has_value(); });
  f.TuneShare("rhythm_meter_agree", "metadata", "R: agrees with M: (jig 6/8, reel 4/4, ...)",
              "share of tunes with a judged R:", [](const TuneStructure& t) { return *t.rhythm_meter_agree; },
              [](const TuneStructure& t) { return t.rhythm_meter_agree.has_value(); });
}

}  // namespace

std::vector<StructureFigure> SummariseStructure(const std::vector<TuneStructure>& tunes) {
  Figures f(tunes);
  Repetition(f);
  Form(f);
  Key(f);
  Range(f);
  Rhythm(f);
  Harmony(f);
  Metadata(f);
  return f.Take();
}

std::vector<StructureRow> CompareStructure(const std::vector<TuneStructure>& generated,
                                           const std::vector<TuneStructure>& real) {
  const std::vector<StructureFigure> g = SummariseStructure(generated), r = SummariseStructure(real);
  std::vector<StructureRow> rows;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const bool distribution = g[i].key.starts_with("tonic.") || g[i].key.starts_with("mode.");
    if (distribution && g[i].value.value_or(0) == 0 && r[i].value.value_or(0) == 0) continue;
    rows.push_back({g[i].key, g[i].group, g[i].label, g[i].unit, g[i].value, r[i].value, g[i].count, r[i].count});
  }
  return rows;
}

}  // namespace tunesmith::eval
