// Chord symbols as the reader stores them: one canonical spelling that
// abc2midi accepts ("G", "F#m", "Bbdim", "D/F#", "(A7)"), parsed from the
// spellings found in real files (the NMD's "D/f+" = D over F#, "G/dim", the
// cleaned NMD's "Gd"/"Ca" = Gdim/Caug, "E7/b9", "D m").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tunesmith::abc {

struct ChordSymbol {
  int root_step = 0;      // 0..6 = C..B
  int root_alter = 0;     // semitones
  std::string quality;    // canonical suffix: "", "m", "7", "m7", "maj7", "dim", "aug", ...
  bool has_bass = false;  // slash chord
  int bass_step = 0;
  int bass_alter = 0;
  bool optional = false;  // written in parentheses: an alternative chord, "(A7)"

  // The canonical spelling ("F#m7", "D/F#", "(A7)").
  std::string ToString() const;
  friend bool operator==(const ChordSymbol&, const ChordSymbol&) = default;
};

// nullopt when `text` is not a chord symbol: annotations ("D.C.", "Fine"),
// lone lowercase bass notes ("f#"), several chords in one string ("Dm G7"),
// or a quality abc2midi does not know. Whitespace inside is ignored.
std::optional<ChordSymbol> ParseChordSymbol(std::string_view text);

// The note `letters` steps and `semitones` above (step, alter), e.g. for
// transposition: (D, 0) moved by (1, 2) is (E, 0); by (2, 3) it is (F, 0).
void MoveNoteName(int letters, int semitones, int* step, int* alter);

}  // namespace tunesmith::abc
