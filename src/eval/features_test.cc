#include "eval/features.h"

#include <gtest/gtest.h>

#include <cmath>

#include "abc/reader.h"
#include "abc/transpose.h"

namespace tunesmith::eval {
namespace {

using abc::NoteEvent;
using abc::Rational;

// Events of one pitch each (or a rest for -1), all `length` long, `per_bar` to a bar.
std::vector<NoteEvent> Events(const std::vector<int>& midi, Rational length, int per_bar) {
  std::vector<NoteEvent> out;
  Rational t(0);
  for (std::size_t i = 0; i < midi.size(); ++i) {
    NoteEvent e;
    e.start = t;
    e.length = length;
    if (midi[i] >= 0) e.midi = {midi[i]};
    e.bar = static_cast<int>(i) / per_bar;
    out.push_back(e);
    t += length;
  }
  return out;
}

const std::vector<int> kCMajorOctave = {60, 62, 64, 65, 67, 69, 71, 72};  // C D E F G A B c

abc::Tune ReadOne(const std::string& text) {
  abc::ReadResult r = abc::ReadAbc(text, "test.abc");
  EXPECT_EQ(r.tunes.size(), 1u) << text;
  return r.tunes.empty() ? abc::Tune{} : r.tunes.front();
}

TEST(FeaturesTest, CMajorScaleUpAnOctave) {
  const TuneFeatures f = ComputeFeatures(Events(kCMajorOctave, Rational(1, 8), 8), 0, Rational(1));
  EXPECT_EQ(f.notes, 8);
  EXPECT_EQ(f.bars, 1);
  // C twice, the other six degrees once; nothing chromatic.
  const std::array<double, 12> pch = {0.25, 0, 0.125, 0, 0.125, 0.125, 0, 0.125, 0, 0.125, 0, 0.125};
  for (int pc = 0; pc < 12; ++pc) EXPECT_DOUBLE_EQ(f.pitch_class_histogram[pc], pch[pc]) << pc;
  EXPECT_DOUBLE_EQ(f.pitch_range, 12);
  // Steps 2 2 1 2 2 2 1.
  EXPECT_DOUBLE_EQ(f.mean_abs_interval, 12.0 / 7.0);
  EXPECT_DOUBLE_EQ(f.interval_histogram[kMaxHistogramInterval + 2], 5.0 / 7.0);
  EXPECT_DOUBLE_EQ(f.interval_histogram[kMaxHistogramInterval + 1], 2.0 / 7.0);
  EXPECT_DOUBLE_EQ(f.interval_histogram[kMaxHistogramInterval], 0);
  // -(1/4 log2 1/4 + 6 * 1/8 log2 1/8) = 1/2 + 18/8.
  EXPECT_DOUBLE_EQ(f.pitch_class_entropy, 2.75);
  EXPECT_DOUBLE_EQ(f.scale_consistency, 1);
  EXPECT_DOUBLE_EQ(f.ends_on_tonic, 1);
  EXPECT_DOUBLE_EQ(f.notes_per_bar, 8);
  EXPECT_DOUBLE_EQ(f.note_length_histogram[3], 1);  // kNoteLengthBins[3] is 1/8
  EXPECT_DOUBLE_EQ(f.repeated_phrase_rate, 0);
}

TEST(FeaturesTest, SevenNoteScaleHasEntropyLog2Of7AndDoesNotEndOnTonic) {
  const std::vector<int> c_to_b(kCMajorOctave.begin(), kCMajorOctave.end() - 1);
  const TuneFeatures f = ComputeFeatures(Events(c_to_b, Rational(1, 8), 7), 0, std::nullopt);
  EXPECT_DOUBLE_EQ(f.pitch_class_entropy, std::log2(7.0));
  EXPECT_DOUBLE_EQ(f.pitch_range, 11);
  EXPECT_DOUBLE_EQ(f.mean_abs_interval, 11.0 / 6.0);
  EXPECT_DOUBLE_EQ(f.ends_on_tonic, 0);
  EXPECT_DOUBLE_EQ(f.scale_consistency, 1);
}

TEST(FeaturesTest, PitchClassesAreRelativeToTheTonic) {
  // The C major scale heard against a G tonic: C D E F G A B c sit 5 7 9 10 0 2 4 5 above G.
  const TuneFeatures f = ComputeFeatures(Events(kCMajorOctave, Rational(1, 8), 8), 7, std::nullopt);
  const std::array<double, 12> pch = {0.125, 0, 0.125, 0, 0.125, 0.25, 0, 0.125, 0, 0.125, 0.125, 0};
  for (int pc = 0; pc < 12; ++pc) EXPECT_DOUBLE_EQ(f.pitch_class_histogram[pc], pch[pc]) << pc;
  EXPECT_DOUBLE_EQ(f.ends_on_tonic, 0);
}

TEST(FeaturesTest, ChromaticNotesLowerScaleConsistency) {
  // C D E F F# G: C major misses F#, G major misses F; no diatonic scale
  // holds both, so the best holds 5 of the 6 notes.
  const TuneFeatures f = ComputeFeatures(Events({60, 62, 64, 65, 66, 67}, Rational(1, 8), 6), 0, std::nullopt);
  EXPECT_DOUBLE_EQ(f.scale_consistency, 5.0 / 6.0);
  // All twelve pitch classes once: entropy log2 12, and no 7-note scale holds more than 7.
  const TuneFeatures chromatic =
      ComputeFeatures(Events({60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71}, Rational(1, 8), 12), 0, std::nullopt);
  EXPECT_DOUBLE_EQ(chromatic.pitch_class_entropy, std::log2(12.0));
  EXPECT_DOUBLE_EQ(chromatic.scale_consistency, 7.0 / 12.0);
}

TEST(FeaturesTest, LargeLeapsAreClampedIntoTheEndBins) {
  const TuneFeatures f = ComputeFeatures(Events({48, 72, 50}, Rational(1, 4), 4), 0, std::nullopt);
  EXPECT_DOUBLE_EQ(f.interval_histogram[kIntervalBinCount - 1], 0.5);  // +24
  EXPECT_DOUBLE_EQ(f.interval_histogram[0], 0.5);                      // -22
  EXPECT_DOUBLE_EQ(f.mean_abs_interval, 23);
  EXPECT_DOUBLE_EQ(f.pitch_range, 24);
}

TEST(FeaturesTest, RestsAreSkippedAndChordsGiveTheirTopNote) {
  std::vector<NoteEvent> events = Events({60, -1, 64, 67}, Rational(1, 4), 4);
  events[3].midi = {55, 59, 67};  // G, B, g: the melody note is g
  const TuneFeatures f = ComputeFeatures(events, 0, Rational(1));
  EXPECT_EQ(f.notes, 3);
  EXPECT_DOUBLE_EQ(f.mean_abs_interval, (4.0 + 3.0) / 2.0);  // C->E over the rest, E->g
  EXPECT_DOUBLE_EQ(f.pitch_range, 7);
  EXPECT_DOUBLE_EQ(f.notes_per_bar, 3);  // the full bar has 3 notes and a rest
}

TEST(FeaturesTest, NotesPerBarCountsFullBarsOnly) {
  // 2/4: a pickup of one quaver, a bar of four quavers, a bar of two crotchets.
  std::vector<NoteEvent> events;
  auto add = [&](int midi, Rational len, int bar) {
    NoteEvent e;
    e.midi = {midi};
    e.length = len;
    e.bar = bar;
    events.push_back(e);
  };
  add(67, Rational(1, 8), 0);
  for (int i = 0; i < 4; ++i) add(72, Rational(1, 8), 1);
  for (int i = 0; i < 2; ++i) add(67, Rational(1, 4), 2);
  EXPECT_DOUBLE_EQ(ComputeFeatures(events, 0, Rational(1, 2)).notes_per_bar, 3);
  EXPECT_DOUBLE_EQ(ComputeFeatures(events, 0, std::nullopt).notes_per_bar, 7.0 / 3.0);
}

TEST(FeaturesTest, RepeatedPhraseRate) {
  // Bars A B A B C: phrases AB, BA, AB, BC; AB occurs twice -> 2 of 4.
  const std::vector<int> a = {60, 62}, b = {64, 65}, c = {67, 60};
  std::vector<int> midi;
  for (const auto* bar : {&a, &b, &a, &b, &c}) midi.insert(midi.end(), bar->begin(), bar->end());
  EXPECT_DOUBLE_EQ(ComputeFeatures(Events(midi, Rational(1, 4), 2), 0, Rational(1, 2)).repeated_phrase_rate, 0.5);
  // A B C D: nothing recurs.
  const std::vector<int> distinct = {60, 62, 64, 65, 67, 69, 71, 72};
  EXPECT_DOUBLE_EQ(ComputeFeatures(Events(distinct, Rational(1, 4), 2), 0, Rational(1, 2)).repeated_phrase_rate, 0);
  // The same notes an octave up are a different phrase (the rate is literal).
  std::vector<int> shifted = {60, 62, 64, 65, 72, 74, 76, 77};
  EXPECT_DOUBLE_EQ(ComputeFeatures(Events(shifted, Rational(1, 4), 2), 0, Rational(1, 2)).repeated_phrase_rate, 0);
}

TEST(FeaturesTest, EmptyTuneIsAllZero) {
  const TuneFeatures f = ComputeFeatures(std::vector<NoteEvent>{}, 0, Rational(1));
  EXPECT_EQ(f.notes, 0);
  EXPECT_EQ(f.pitch_class_entropy, 0);
  EXPECT_EQ(f.scale_consistency, 0);
}

TEST(FeaturesTest, FromAbcWithBrokenRhythmAndKey) {
  // D major, ends on D: the tonic from K:. A>B is a dotted quaver and a semiquaver.
  const abc::Tune tune = ReadOne("X:1\nT:t\nM:2/4\nL:1/8\nK:D\nA>B AF|D4|]\n");
  const TuneFeatures f = ComputeFeatures(tune);
  EXPECT_EQ(f.notes, 5);
  EXPECT_DOUBLE_EQ(f.ends_on_tonic, 1);
  EXPECT_DOUBLE_EQ(f.note_length_histogram[4], 0.2);  // 3/16
  EXPECT_DOUBLE_EQ(f.note_length_histogram[1], 0.2);  // 1/16
  EXPECT_DOUBLE_EQ(f.note_length_histogram[3], 0.4);  // 1/8
  EXPECT_DOUBLE_EQ(f.note_length_histogram[8], 0.2);  // 1/2
  // A B A F# D over tonic D: 7, 9, 7, 4, 0.
  EXPECT_DOUBLE_EQ(f.pitch_class_histogram[7], 0.4);
  EXPECT_DOUBLE_EQ(f.pitch_class_histogram[4], 0.2);  // F# (the key signature applies)
  EXPECT_DOUBLE_EQ(f.notes_per_bar, 2.5);
}

TEST(FeaturesTest, TransposedTuneHasTheSameFeatures) {
  const abc::Tune tune =
      ReadOne("X:1\nT:t\nM:6/8\nL:1/8\nK:D\nA|dfa afd|B2c d3|gfe dcB|A3- A2:|\n|:f|gfg ^gag|a2g f2e|d3 D3|]\n");
  const TuneFeatures original = ComputeFeatures(tune);
  for (auto [step, alter] : std::vector<std::pair<int, int>>{{4, 0}, {6, -1}, {3, 1}}) {  // to G, Bb, F#
    auto moved = abc::TransposeTo(tune, step, alter);
    ASSERT_TRUE(moved.ok()) << moved.status().message();
    const TuneFeatures f = ComputeFeatures(*moved);
    for (Feature feature : AllFeatures()) {
      EXPECT_EQ(FeatureVector(f, feature), FeatureVector(original, feature)) << FeatureName(feature) << " " << step;
      EXPECT_EQ(FeatureDistance(f, original, feature), 0) << FeatureName(feature);
    }
  }
}

TEST(FeaturesTest, DistanceIsEuclidean) {
  TuneFeatures a, b;
  a.pitch_range = 12;
  b.pitch_range = 7;
  EXPECT_DOUBLE_EQ(FeatureDistance(a, b, Feature::kPitchRange), 5);
  a.pitch_class_histogram[0] = 1;
  b.pitch_class_histogram[7] = 1;
  EXPECT_DOUBLE_EQ(FeatureDistance(a, b, Feature::kPitchClassHistogram), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(FeatureDistance(a, a, Feature::kPitchClassHistogram), 0);
}

TEST(FeaturesTest, NamesRoundTrip) {
  for (Feature f : AllFeatures()) EXPECT_EQ(ParseFeature(FeatureName(f)), f);
  EXPECT_FALSE(ParseFeature("tempo").has_value());
  EXPECT_EQ(AllFeatures().size(), 10u);
}

}  // namespace
}  // namespace tunesmith::eval
