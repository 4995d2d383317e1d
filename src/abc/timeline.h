// The sounding timeline of a tune: what plays when, with key signature and
// bar accidentals resolved, tuplets and broken rhythm applied, ties merged.
// Repeats are not unfolded (each written note appears once). Metrics, the
// novelty index and bar checks read tunes through this.
#pragma once

#include <string>
#include <vector>

#include "abc/rational.h"
#include "abc/tune.h"

namespace tunesmith::abc {

struct NoteEvent {
  Rational start;       // from the start of the tune, in whole notes
  Rational length;      // sounding length
  std::vector<int> midi;  // MIDI numbers; empty for a rest
  int bar = 0;          // index of the bar it sounds in (0 = first, pickup included)
  std::string chord_symbol;  // chord symbol written on it, if any
};

std::vector<NoteEvent> Timeline(const Tune& tune);

// The sounding length of each element of tune.body (same indices): a note's
// or rest's written length with tuplets and broken rhythm applied, 0 for
// every other element.
std::vector<Rational> SoundingLengths(const Tune& tune);

}  // namespace tunesmith::abc
