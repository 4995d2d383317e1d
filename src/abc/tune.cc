#include "abc/tune.h"

#include <cctype>
#include <string_view>
#include <utility>

namespace tunesmith::abc {
namespace {

// Semitones above C of each letter C..B.
constexpr int kNaturalPc[7] = {0, 2, 4, 5, 7, 9, 11};
// Position of each letter C..B on the circle of fifths (C = 0, G = 1, F = -1).
constexpr int kFifths[7] = {0, 2, 4, -1, 1, 3, 5};
// Letters in the order sharps (and, reversed, flats) enter a key signature.
constexpr int kSharpOrder[7] = {3, 0, 4, 1, 5, 2, 6};  // F C G D A E B

// Fifths a mode's signature lies from the major key on the same tonic.
int ModeFifths(Mode m) {
  switch (m) {
    case Mode::kMajor: return 0;
    case Mode::kMixolydian: return -1;
    case Mode::kDorian: return -2;
    case Mode::kMinor: return -3;
    case Mode::kPhrygian: return -4;
    case Mode::kLocrian: return -5;
    case Mode::kLydian: return 1;
  }
  return 0;
}

}  // namespace

namespace {
// The decorations ABC 2.1 gives single letters by default.
constexpr std::pair<char, std::string_view> kLetterDecorations[] = {
    {'H', "fermata"}, {'L', "accent"}, {'M', "lowermordent"}, {'O', "coda"}, {'P', "uppermordent"},
    {'S', "segno"},   {'T', "trill"},  {'u', "upbow"},        {'v', "downbow"},
};
}  // namespace

const char* LetterDecoration(char c) {
  for (const auto& [letter, name] : kLetterDecorations) {
    if (letter == c) return name.data();
  }
  return nullptr;
}

char DecorationLetter(std::string_view name) {
  for (const auto& [letter, n] : kLetterDecorations) {
    if (n == name) return letter;
  }
  return 0;
}

const char* AccidentalText(Accidental a) {
  switch (a) {
    case Accidental::kNone: return "";
    case Accidental::kNatural: return "=";
    case Accidental::kSharp: return "^";
    case Accidental::kFlat: return "_";
    case Accidental::kDoubleSharp: return "^^";
    case Accidental::kDoubleFlat: return "__";
  }
  return "";
}

int StepOfLetter(char c) {
  switch (c) {
    case 'C': case 'c': return 0;
    case 'D': case 'd': return 1;
    case 'E': case 'e': return 2;
    case 'F': case 'f': return 3;
    case 'G': case 'g': return 4;
    case 'A': case 'a': return 5;
    case 'B': case 'b': return 6;
  }
  return -1;
}

const char* BarText(BarKind kind) {
  switch (kind) {
    case BarKind::kSingle: return "|";
    case BarKind::kDouble: return "||";
    case BarKind::kFinal: return "|]";
    case BarKind::kStart: return "[|";
    case BarKind::kRepeatStart: return "|:";
    case BarKind::kRepeatEnd: return ":|";
    case BarKind::kRepeatBoth: return "::";
  }
  return "|";  // not reached: every kind is above; a writer must still write a bar line
}

bool IsDurational(ElementKind kind) { return kind == ElementKind::kNote || kind == ElementKind::kRest; }

bool TransparentForBroken(ElementKind kind) {
  return kind == ElementKind::kSlurStart || kind == ElementKind::kSlurEnd || kind == ElementKind::kLineBreak ||
         kind == ElementKind::kTuplet;
}

int AccidentalAlter(Accidental a) {
  switch (a) {
    case Accidental::kSharp: return 1;
    case Accidental::kFlat: return -1;
    case Accidental::kDoubleSharp: return 2;
    case Accidental::kDoubleFlat: return -2;
    case Accidental::kNone:
    case Accidental::kNatural: return 0;
  }
  return 0;
}

const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kMajor: return "maj";
    case Mode::kMinor: return "min";
    case Mode::kDorian: return "dor";
    case Mode::kMixolydian: return "mix";
    case Mode::kLydian: return "lyd";
    case Mode::kPhrygian: return "phr";
    case Mode::kLocrian: return "loc";
  }
  return "maj";
}

std::optional<Mode> ParseMode(std::string_view s) {
  if (s.empty()) return Mode::kMajor;
  std::string low;
  for (char c : s.substr(0, 3)) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (low == "m") return Mode::kMinor;
  if (low.size() < 3) return std::nullopt;
  if (low == "maj" || low == "ion") return Mode::kMajor;
  if (low == "min" || low == "aeo") return Mode::kMinor;
  if (low == "dor") return Mode::kDorian;
  if (low == "mix") return Mode::kMixolydian;
  if (low == "lyd") return Mode::kLydian;
  if (low == "phr") return Mode::kPhrygian;
  if (low == "loc") return Mode::kLocrian;
  return std::nullopt;
}

std::array<int, 7> Key::Signature() const {
  std::array<int, 7> sig{};
  if (none) return sig;
  if (highland_pipes) {
    sig[3] = 1;  // F#
    sig[0] = 1;  // C#
    return sig;
  }
  if (!explicit_only) {
    int fifths = kFifths[tonic_step] + 7 * tonic_alter + ModeFifths(mode);
    for (int k = 0; k < fifths; ++k) sig[kSharpOrder[k % 7]] += 1;
    for (int k = 0; k < -fifths; ++k) sig[kSharpOrder[6 - k % 7]] -= 1;
  }
  for (const Pitch& p : extra) sig[p.step] = AccidentalAlter(p.accidental);
  return sig;
}

int Key::TonicPitchClass() const { return ((kNaturalPc[tonic_step] + tonic_alter) % 12 + 12) % 12; }

std::string Key::ToString() const {
  if (none) return "none";
  if (highland_pipes) return "HP";
  std::string s(1, "CDEFGAB"[tonic_step]);
  if (tonic_alter > 0) s.append(tonic_alter, '#');
  if (tonic_alter < 0) s.append(-tonic_alter, 'b');
  if (mode != Mode::kMajor) s += ModeName(mode);
  if (explicit_only) s += " exp";
  for (const Pitch& p : extra) {
    s += ' ';
    s += AccidentalText(p.accidental == Accidental::kNone ? Accidental::kNatural : p.accidental);
    s += "cdefgab"[p.step];
  }
  return s;
}

std::optional<Rational> Meter::BarLength() const {
  if (symbol == Symbol::kFree) return std::nullopt;
  return Rational(num, den);
}

std::string Meter::ToString() const {
  switch (symbol) {
    case Symbol::kCommon: return "C";
    case Symbol::kCut: return "C|";
    case Symbol::kFree: return "none";
    case Symbol::kNumeric: break;
  }
  return std::to_string(num) + "/" + std::to_string(den);
}

std::string Tune::Title() const {
  for (const Field& f : header) {
    if (f.key == 'T') return f.value;
  }
  return "";
}

std::vector<std::string> Tune::FieldValues(char field_key) const {
  std::vector<std::string> values;
  for (const Field& f : header) {
    if (f.key == field_key) values.push_back(f.value);
  }
  return values;
}

std::string Tune::Describe() const {
  std::string s = file.empty() ? "-" : file;
  s += " X:" + std::to_string(x);
  std::string title = Title();
  if (!title.empty()) s += " \"" + title + "\"";
  return s;
}

int MidiNumber(const Pitch& p, int alter_in_force) {
  int alter = p.accidental == Accidental::kNone ? alter_in_force : AccidentalAlter(p.accidental);
  return 60 + 12 * p.octave + kNaturalPc[p.step] + alter;
}

}  // namespace tunesmith::abc
