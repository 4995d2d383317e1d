// Chord symbols ("G", "F#m7", "D/F#") as tunesmith understands them, and their
// tonic-relative form, the roman numeral ("I", "V7", "ii", "bVII", "I/3") that
// the abc-token stream carries so that chords survive transposition.
//
// The parser accepts the spellings of the corpora (the NMD's "D/f+" = D over
// F#, "G/dim", the cleaned NMD's "Gd" = Gdim and "Ca" = Caug); ChordName writes
// the spelling abc2midi understands ("Gdim", "Caug", "D/F#").
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// A chord with letter names, in the key it is written in.
struct ChordSymbol {
  NoteName root;
  ChordQuality quality = ChordQuality::kMajor;
  std::optional<NoteName> bass;  // slash chord: the bass note (never the root itself)
  friend bool operator==(const ChordSymbol&, const ChordSymbol&) = default;
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

// Parses a chord symbol as the corpora write it. Whitespace is ignored.
// nullopt for text that is not a chord: annotations ("D.C.", "p", "Fine"),
// lone lowercase bass notes of the NMD ("f#"), alternative chords in
// parentheses ("(A7)"), several chords in one symbol ("Dm G7"), and qualities
// outside ChordQuality ("C9", "Csus4"). "7b9" is read as a plain dominant 7.
std::optional<ChordSymbol> ParseChordSymbol(std::string_view text);

// abc2midi's spelling: "F#m7", "Bbdim", "D/F#".
std::string ChordName(const ChordSymbol& chord);

// The same chord with double sharps and flats respelled on the next letter
// (F##dim -> Gdim, Bbb -> A): chord names a player reads at sight.
ChordSymbol WithoutDoubleAccidentals(const ChordSymbol& chord);

// The degree of `note` over `tonic`, and back.
Degree DegreeOf(NoteName note, NoteName tonic);
NoteName NoteOfDegree(Degree degree, NoteName tonic);

ChordDegree ToDegrees(const ChordSymbol& chord, NoteName tonic);
ChordSymbol FromDegrees(const ChordDegree& chord, NoteName tonic);

// "bVII", "V7", "ii", "viio7", "III+", "I/3", "V7/#4"... (no quotes). See
// docs/tokens.md for the grammar. nullopt when a degree is altered by more
// than two semitones (not writable).
std::optional<std::string> RomanNumeral(const ChordDegree& chord);
// The inverse of RomanNumeral; nullopt for anything it would not write.
std::optional<ChordDegree> ParseRomanNumeral(std::string_view roman);

}  // namespace tunesmith::tokens
