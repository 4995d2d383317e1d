// The instrument a tune is written for (--instrument): the range its melody
// must keep to, and the General MIDI program it is played with. Ranges are
// written pitches (middle C = 60), the comfortable range of the instrument
// in the tradition, not its extreme one (docs/generate.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tunesmith::generate {

struct Instrument {
  std::string name;     // "fiddle"
  int lowest = 55;      // lowest written MIDI pitch (G3)
  int highest = 83;     // highest written MIDI pitch (B5)
  int program = 40;     // General MIDI program (0-based: 40 violin)
  std::string range;    // "G3-B5", for --help and reports
  std::string note;     // why this range, in a few words
};

// Every instrument tunesmith knows, the default (fiddle) first.
const std::vector<Instrument>& Instruments();

// The instrument called `name` (case-insensitive); fails listing the names.
Result<Instrument> FindInstrument(std::string_view name);

// "fiddle G3-B5 (first position), whistle D4-B5 ...": for --help.
std::string InstrumentsHelp();

// The window of the root-C tune body that lands inside `instrument`'s range
// when the tune is moved by `shift` semitones (ShiftFromC): [lowest - shift,
// highest - shift].
struct PitchWindow {
  int lowest = 0, highest = 127;
};
PitchWindow BodyWindow(const Instrument& instrument, int shift);

}  // namespace tunesmith::generate
