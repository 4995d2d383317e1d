// The Tune model: one tune of ABC 2.1 as tunesmith understands it.
//
// A Tune is a header (X:, T:, M:, L:, K:, ... in source order plus the parsed
// meter, unit length and key) and a body: a flat sequence of Elements (notes,
// rests, bar lines, endings, tuplet marks, broken-rhythm marks, inline fields,
// line breaks). Lengths are stored as exact fractions of a whole note, so a
// tune keeps its meaning whatever L: it was written with; the writer picks the
// L: it prints with.
//
// Written lengths are kept as written: a tuplet mark or a broken-rhythm mark
// is its own Element and changes the *sounding* length of the notes after it;
// the timeline (timeline.h) resolves those.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "abc/rational.h"

namespace tunesmith::abc {

// Line and column (both 1-based) of the character an element started at.
struct SourcePos {
  int line = 0;
  int column = 0;
};

enum class Accidental { kNone, kNatural, kSharp, kFlat, kDoubleSharp, kDoubleFlat };

// Semitones an explicit accidental sets (kNone and kNatural give 0).
int AccidentalAlter(Accidental a);
// How ABC writes it: "" "=" "^" "_" "^^" "__".
const char* AccidentalText(Accidental a);

// The step 0..6 of a note letter C D E F G A B (either case); -1 for any
// other character.
int StepOfLetter(char c);

// A written pitch. step 0..6 is the letter C D E F G A B; octave 0 is the
// octave of uppercase letters (C = middle C, MIDI 60), 1 of lowercase letters,
// each ',' subtracts one and each '\'' adds one.
struct Pitch {
  int step = 0;
  int octave = 0;
  Accidental accidental = Accidental::kNone;

  friend bool operator==(const Pitch&, const Pitch&) = default;
};

enum class Mode { kMajor, kMinor, kDorian, kMixolydian, kLydian, kPhrygian, kLocrian };

// "maj", "min", "dor", "mix", "lyd", "phr", "loc".
const char* ModeName(Mode m);
// Parses "maj"/"ionian"/"m"/"min"/"aeolian"/"dor"/... (case-insensitive,
// first three letters significant). Empty string means major.
std::optional<Mode> ParseMode(std::string_view s);

// A key signature: tonic, mode and any explicit extra accidentals
// (K:D exp ^f ^c, K:Ador ^g). K:HP/K:Hp (Highland pipes) and K:none are flags.
struct Key {
  int tonic_step = 0;   // 0..6 = C..B
  int tonic_alter = 0;  // -1 flat, +1 sharp
  Mode mode = Mode::kMajor;
  std::vector<Pitch> extra;  // explicit accidentals after the mode; octave ignored
  bool explicit_only = false;  // "exp": the signature is only `extra`
  bool none = false;           // K:none: no signature at all
  bool highland_pipes = false; // K:HP (no signature printed) / K:Hp (F# C# G=)

  // Semitone alteration the signature gives each letter C..B.
  std::array<int, 7> Signature() const;
  // Pitch class of the tonic, 0 = C .. 11 = B.
  int TonicPitchClass() const;
  // "G", "Ador", "Bbmin", "D exp ^f ^c".
  std::string ToString() const;

  friend bool operator==(const Key&, const Key&) = default;
};

// M: field. A free meter (M:none) has no bar length.
struct Meter {
  enum class Symbol { kNumeric, kCommon, kCut, kFree };
  int num = 4;
  int den = 4;
  Symbol symbol = Symbol::kNumeric;

  // Length of a full bar as a fraction of a whole note (6/8 -> 3/4);
  // nullopt for a free meter.
  std::optional<Rational> BarLength() const;
  // "6/8", "C", "C|", "none".
  std::string ToString() const;

  friend bool operator==(const Meter&, const Meter&) = default;
};

enum class BarKind {
  kSingle,       // |
  kDouble,       // ||
  kFinal,        // |]
  kStart,        // [|
  kRepeatStart,  // |:
  kRepeatEnd,    // :|
  kRepeatBoth,   // :: or :|:
};

// How ABC writes it: "|" "||" "|]" "[|" "|:" ":|" "::".
const char* BarText(BarKind kind);

enum class ElementKind {
  kNote,          // one pitch or a chord [CEG]; see Element::pitches
  kRest,          // z (or invisible x); a whole-bar rest Z is a rest of bars * bar length
  kBar,           // a bar line; see Element::bar
  kEnding,        // start of a numbered ending: [1 |1 :|2 [1,3 (text in Element::text)
  kTuplet,        // (p:q:r; see Element::tuplet
  kBrokenRhythm,  // > >> < between two notes; see Element::broken
  kField,         // a field in the body, inline [K:D] or on its own line; see field_key/text
  kPart,          // P:A in the body (a part label)
  kSlurStart,     // (
  kSlurEnd,       // )
  kLineBreak,     // end of a music line in the source (kept so fmt keeps the layout)
};

// Notes and rests: the elements that take time.
bool IsDurational(ElementKind kind);
// What may stand between a broken-rhythm mark and its two notes (slurs, line
// breaks, tuplet marks).
bool TransparentForBroken(ElementKind kind);

struct Tuplet {
  int p = 3;  // p notes ...
  int q = 2;  // ... in the time of q
  int r = 3;  // ... for the next r notes
  friend bool operator==(const Tuplet&, const Tuplet&) = default;
};

struct Element {
  ElementKind kind = ElementKind::kNote;
  SourcePos pos;

  // kNote: one or more pitches (more for a chord [CEG] or old-style +CEG+).
  std::vector<Pitch> pitches;
  // kNote, kRest: written length as a fraction of a whole note (A2 with L:1/8 is 1/4).
  Rational length;
  bool tie = false;           // kNote: tied to the next note (A-)
  bool invisible = false;     // kRest: x rather than z
  bool space_before = false;  // kNote, kRest: whitespace before it in the source (beam break)
  std::string chord_symbol;   // kNote, kRest: "Am", "D7" without quotes; empty if none
  std::vector<std::string> annotations;  // kNote, kRest: "^text" etc. with their position char
  std::vector<std::string> decorations;  // kNote, kRest: "~", ".", "trill", "segno", ...
  std::vector<Pitch> grace_notes;        // kNote: {ABc} before the note
  std::vector<Rational> grace_lengths;   // kNote: written lengths of grace_notes

  BarKind bar = BarKind::kSingle;  // kBar
  Tuplet tuplet;                   // kTuplet
  int broken = 0;                  // kBrokenRhythm: +1 >, +2 >>, +3 >>>, -1 <, ...
  char field_key = 0;              // kField: 'K', 'M', 'L', 'P', 'Q', 'V', 'W', ...
  std::string text;                // kField value, kEnding "1" / "1,3" / "1-2", kPart label

  // kField with field_key 'K' or 'M': the parsed value.
  std::optional<Key> key;
  std::optional<Meter> meter;
};

// A header field as written (key and value without the "K:" and leading space).
struct Field {
  char key = 0;
  std::string value;
  SourcePos pos;
};

struct Tune {
  std::string file;  // where it was read from ("" or "-" for stdin)
  SourcePos pos;     // the X: line
  int x = 0;         // reference number (0 if X: had none)

  std::vector<Field> header;  // every header field from X: up to and including K:, in order

  // Parsed from the header (defaults per ABC 2.1 when absent).
  Meter meter;
  Rational unit_length{1, 8};  // L:, or from M: when L: is absent
  Key key;

  std::vector<Element> body;

  // First T: value, or "" if none.
  std::string Title() const;
  // All values of header field `key`, in order.
  std::vector<std::string> FieldValues(char key) const;
  // "file X:3 \"Title\"" for diagnostics.
  std::string Describe() const;
};

// The decoration ABC 2.1 gives letter `c` by default ('T' -> "trill",
// 'v' -> "downbow", 'H' -> "fermata", ...); nullptr for any other character.
const char* LetterDecoration(char c);
// The other way: 'T' for "trill"; 0 for a decoration without a letter.
char DecorationLetter(std::string_view name);

// MIDI note number of `p` given the alteration in force for its letter
// (from the key signature or an earlier accidental in the bar) when p has no
// accidental of its own.
int MidiNumber(const Pitch& p, int alter_in_force);

}  // namespace tunesmith::abc
