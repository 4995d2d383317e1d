#include "generate/instrument.h"

#include <algorithm>
#include <cctype>

namespace tunesmith::generate {

const std::vector<Instrument>& Instruments() {
  static const std::vector<Instrument> kAll = {
      {"fiddle", 55, 83, 40, "G3-B5", "first position: the open G string to B on the E string's fourth finger"},
      {"whistle", 62, 83, 78, "D4-B5", "a D whistle's two octaves without the top notes (written an octave below sound)"},
      {"flute", 62, 86, 73, "D4-D6", "a simple-system D flute, bottom D to the top of the second octave"},
      {"accordion", 55, 84, 21, "G3-C6", "the treble side of a B/C button accordion, as tunes are played on it"},
      {"banjo", 55, 83, 105, "G3-B5", "tenor banjo in GDAE, written as the fiddle"},
      {"piano", 48, 96, 0, "C3-C7", "the right hand's comfortable range"},
  };
  return kAll;
}

Result<Instrument> FindInstrument(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string names;
  for (const Instrument& i : Instruments()) {
    if (i.name == lower) return i;
    names += (names.empty() ? "" : ", ") + i.name;
  }
  return Status::InvalidArgument("--instrument '" + std::string(name) + "' is not one of: " + names);
}

std::string InstrumentsHelp() {
  std::string s;
  for (const Instrument& i : Instruments()) s += (s.empty() ? "" : ", ") + i.name + " " + i.range;
  return s;
}

PitchWindow BodyWindow(const Instrument& instrument, int shift) {
  return {instrument.lowest - shift, instrument.highest - shift};
}

}  // namespace tunesmith::generate
