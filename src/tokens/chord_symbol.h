// The tonic-relative form of a chord symbol, the roman numeral ("I", "V7",
// "ii", "bVII", "I/3") that the abc-token stream carries so that chords
// survive transposition.
//
// Chord symbols themselves are abc::ChordSymbol (abc/chord_symbol.h), parsed
// once by the reader; this file only maps them to numerals and back. The
// numerals cover the qualities of ChordQuality: an optional chord "(A7)" and
// the qualities abc knows beyond them (9, 11, m9, maj9, sus2, sus4, 7sus4, 5)
// have no numeral, and the normaliser drops them, as it always has, so that
// the vocabulary and the bundled model stay as they are.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "abc/chord_symbol.h"

namespace tunesmith::tokens {

enum class ChordQuality {
  kMajor,           // C      I
  kMinor,           // Cm     i
  kDominant7,       // C7     I7
  kMinor7,          // Cm7    i7
  kMajor7,          // Cmaj7  Imaj7
  kMajor6,          // C6     I6
  kMinor6,          // Cm6    i6
  kDiminished,      // Cdim   io
  kDiminished7,     // Cdim7  io7
  kAugmented,       // Caug   I+
  kAugmented7,      // Caug7  I+7
  kHalfDiminished,  // Cm7b5  i7b5
};

// A note name: letter 0..6 = C..B and its alteration in semitones.
struct NoteName {
  int step = 0;
  int alter = 0;
  friend bool operator==(const NoteName&, const NoteName&) = default;
};

// A scale degree relative to a tonic: degree 0..6 (I..VII) and its alteration
// against the *major* scale on the tonic, whatever the mode (so the subtonic
// of a dorian or minor tune is bVII, and the relative major of a minor is bIII).
struct Degree {
  int degree = 0;
  int alter = 0;
  friend bool operator==(const Degree&, const Degree&) = default;
};

// A chord relative to a tonic: what the roman-numeral token means.
struct ChordDegree {
  Degree root;
  ChordQuality quality = ChordQuality::kMajor;
  std::optional<Degree> bass;
  friend bool operator==(const ChordDegree&, const ChordDegree&) = default;
};

// The degree of `note` over `tonic`, and back.
Degree DegreeOf(NoteName note, NoteName tonic);
NoteName NoteOfDegree(Degree degree, NoteName tonic);

// `chord` over `tonic`; nullopt when it has no numeral (an optional chord, or
// a quality outside ChordQuality). A bass note sounding the root is dropped
// ("C/B#" is C).
std::optional<ChordDegree> ToDegrees(const abc::ChordSymbol& chord, NoteName tonic);
// The chord a numeral names over `tonic`, spelled with the letters of the
// degrees (so possibly with double accidentals: see WithoutDoubleAccidentals).
abc::ChordSymbol FromDegrees(const ChordDegree& chord, NoteName tonic);

// The same chord with double sharps and flats respelled on the next letter
// (F##dim -> Gdim, Bbb -> A): chord names a player reads at sight.
abc::ChordSymbol WithoutDoubleAccidentals(const abc::ChordSymbol& chord);

// "bVII", "V7", "ii", "viio7", "III+", "I/3", "V7/#4"... (no quotes). See
// docs/tokens.md for the grammar. nullopt when a degree is altered by more
// than two semitones (not writable).
std::optional<std::string> RomanNumeral(const ChordDegree& chord);
// The inverse of RomanNumeral; nullopt for anything it would not write.
std::optional<ChordDegree> ParseRomanNumeral(std::string_view roman);

}  // namespace tunesmith::tokens
