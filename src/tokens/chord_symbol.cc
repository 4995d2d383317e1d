#include "tokens/chord_symbol.h"

#include <array>
#include <cctype>

namespace tunesmith::tokens {
namespace {

// Pitch class of each letter C..B; also the major scale on C, degree by degree.
constexpr std::array<int, 7> kNaturalPc = {0, 2, 4, 5, 7, 9, 11};
constexpr std::array<const char*, 7> kNumerals = {"I", "II", "III", "IV", "V", "VI", "VII"};

int Mod(int a, int m) { return ((a % m) + m) % m; }
// An interval in semitones folded into -6..5, so that alterations come out small.
int Fold(int semitones) { return Mod(semitones + 6, 12) - 6; }
int PitchClass(NoteName n) { return Mod(kNaturalPc[n.step] + n.alter, 12); }

std::optional<int> StepOfLetter(char c) {
  switch (std::toupper(static_cast<unsigned char>(c))) {
    case 'C': return 0;
    case 'D': return 1;
    case 'E': return 2;
    case 'F': return 3;
    case 'G': return 4;
    case 'A': return 5;
    case 'B': return 6;
  }
  return std::nullopt;
}

struct QualitySpelling {
  std::string_view text;
  ChordQuality quality;
};

// Every quality suffix the corpora use, with the common alternatives.
constexpr QualitySpelling kQualitySpellings[] = {
    {"", ChordQuality::kMajor},          {"maj", ChordQuality::kMajor},
    {"m", ChordQuality::kMinor},         {"min", ChordQuality::kMinor},        {"mi", ChordQuality::kMinor},
    {"-", ChordQuality::kMinor},         {"7", ChordQuality::kDominant7},      {"7b9", ChordQuality::kDominant7},
    {"m7", ChordQuality::kMinor7},       {"min7", ChordQuality::kMinor7},      {"-7", ChordQuality::kMinor7},
    {"maj7", ChordQuality::kMajor7},     {"M7", ChordQuality::kMajor7},        {"ma7", ChordQuality::kMajor7},
    {"6", ChordQuality::kMajor6},        {"m6", ChordQuality::kMinor6},        {"min6", ChordQuality::kMinor6},
    {"dim", ChordQuality::kDiminished},  {"d", ChordQuality::kDiminished},     {"o", ChordQuality::kDiminished},
    {"dim7", ChordQuality::kDiminished7}, {"d7", ChordQuality::kDiminished7},  {"o7", ChordQuality::kDiminished7},
    {"aug", ChordQuality::kAugmented},   {"a", ChordQuality::kAugmented},      {"+", ChordQuality::kAugmented},
    {"aug7", ChordQuality::kAugmented7}, {"a7", ChordQuality::kAugmented7},    {"+7", ChordQuality::kAugmented7},
    {"7+", ChordQuality::kAugmented7},   {"m7b5", ChordQuality::kHalfDiminished},
};

// abc2midi's name for each quality, and the roman-numeral form (case, suffix).
struct QualityForms {
  ChordQuality quality;
  const char* abc2midi;
  bool lower_case;
  const char* roman_suffix;
};

constexpr QualityForms kQualityForms[] = {
    {ChordQuality::kMajor, "", false, ""},
    {ChordQuality::kMinor, "m", true, ""},
    {ChordQuality::kDominant7, "7", false, "7"},
    {ChordQuality::kMinor7, "m7", true, "7"},
    {ChordQuality::kMajor7, "maj7", false, "maj7"},
    {ChordQuality::kMajor6, "6", false, "6"},
    {ChordQuality::kMinor6, "m6", true, "6"},
    {ChordQuality::kDiminished, "dim", true, "o"},
    {ChordQuality::kDiminished7, "dim7", true, "o7"},
    {ChordQuality::kAugmented, "aug", false, "+"},
    {ChordQuality::kAugmented7, "aug7", false, "+7"},
    {ChordQuality::kHalfDiminished, "m7b5", true, "7b5"},
};

const QualityForms& FormsOf(ChordQuality q) {
  for (const auto& f : kQualityForms) {
    if (f.quality == q) return f;
  }
  return kQualityForms[0];
}

std::string Accidentals(int alter, char sharp, char flat) {
  return alter >= 0 ? std::string(alter, sharp) : std::string(-alter, flat);
}

// "F#", "Bb", "f+" (the NMD writes sharps in bass notes as '+'): a letter and
// its accidentals, all of `text`.
std::optional<NoteName> ParseNoteName(std::string_view text, bool allow_lower) {
  if (text.empty()) return std::nullopt;
  if (!allow_lower && !std::isupper(static_cast<unsigned char>(text[0]))) return std::nullopt;
  auto step = StepOfLetter(text[0]);
  if (!step) return std::nullopt;
  NoteName n{*step, 0};
  for (char c : text.substr(1)) {
    if (c == '#' || c == '+') {
      ++n.alter;
    } else if (c == 'b') {
      --n.alter;
    } else {
      return std::nullopt;
    }
  }
  if (n.alter < -2 || n.alter > 2) return std::nullopt;
  return n;
}

// Reads [b|bb|#|##] at the front of `s`; returns the alteration and advances.
int ReadDegreeAccidental(std::string_view& s) {
  int alter = 0;
  while (!s.empty() && (s[0] == 'b' || s[0] == '#') && alter > -2 && alter < 2) {
    alter += s[0] == '#' ? 1 : -1;
    s.remove_prefix(1);
  }
  return alter;
}

}  // namespace

std::optional<ChordSymbol> ParseChordSymbol(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  }
  if (s.empty() || !std::isupper(static_cast<unsigned char>(s[0]))) return std::nullopt;
  auto root_step = StepOfLetter(s[0]);
  if (!root_step) return std::nullopt;

  ChordSymbol chord;
  chord.root.step = *root_step;
  size_t i = 1;
  // A root takes '#' or 'b' (never two 'b's: "Bbb" is not in the corpora, and
  // "Cb" followed by "b..." would be ambiguous).
  if (i < s.size() && (s[i] == '#' || s[i] == 'b')) {
    chord.root.alter = s[i] == '#' ? 1 : -1;
    ++i;
  }
  std::string_view rest = std::string_view(s).substr(i);
  std::string_view quality_text = rest;
  std::string_view bass_text;
  size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    quality_text = rest.substr(0, slash);
    bass_text = rest.substr(slash + 1);
  }

  bool found = false;
  for (const auto& q : kQualitySpellings) {
    if (q.text == quality_text) {
      chord.quality = q.quality;
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;

  if (slash != std::string_view::npos) {
    if (bass_text == "dim" && chord.quality == ChordQuality::kMajor) {
      chord.quality = ChordQuality::kDiminished;  // the NMD's "G/dim"
    } else {
      auto bass = ParseNoteName(bass_text, /*allow_lower=*/true);
      if (!bass) return std::nullopt;
      if (PitchClass(*bass) != PitchClass(chord.root)) chord.bass = *bass;
    }
  }
  return chord;
}

std::string ChordName(const ChordSymbol& chord) {
  std::string out(1, "CDEFGAB"[chord.root.step]);
  out += Accidentals(chord.root.alter, '#', 'b');
  out += FormsOf(chord.quality).abc2midi;
  if (chord.bass) {
    out += '/';
    out += "CDEFGAB"[chord.bass->step];
    out += Accidentals(chord.bass->alter, '#', 'b');
  }
  return out;
}

ChordSymbol WithoutDoubleAccidentals(const ChordSymbol& chord) {
  auto respell = [](NoteName n) {
    if (n.alter >= -1 && n.alter <= 1) return n;
    int pc = PitchClass(n);
    NoteName out{Mod(n.step + (n.alter > 0 ? 1 : -1), 7), 0};
    out.alter = Fold(pc - kNaturalPc[out.step]);
    return out;
  };
  ChordSymbol out = chord;
  out.root = respell(chord.root);
  if (chord.bass) out.bass = respell(*chord.bass);
  return out;
}

Degree DegreeOf(NoteName note, NoteName tonic) {
  int degree = Mod(note.step - tonic.step, 7);
  int interval = PitchClass(note) - PitchClass(tonic);
  return Degree{degree, Fold(interval - kNaturalPc[degree])};
}

NoteName NoteOfDegree(Degree degree, NoteName tonic) {
  int step = Mod(tonic.step + degree.degree, 7);
  int pc = PitchClass(tonic) + kNaturalPc[degree.degree] + degree.alter;
  return NoteName{step, Fold(pc - kNaturalPc[step])};
}

ChordDegree ToDegrees(const ChordSymbol& chord, NoteName tonic) {
  ChordDegree d;
  d.root = DegreeOf(chord.root, tonic);
  d.quality = chord.quality;
  if (chord.bass) d.bass = DegreeOf(*chord.bass, tonic);
  return d;
}

ChordSymbol FromDegrees(const ChordDegree& chord, NoteName tonic) {
  ChordSymbol c;
  c.root = NoteOfDegree(chord.root, tonic);
  c.quality = chord.quality;
  if (chord.bass) c.bass = NoteOfDegree(*chord.bass, tonic);
  return c;
}

std::optional<std::string> RomanNumeral(const ChordDegree& chord) {
  auto writable = [](Degree d) { return d.alter >= -2 && d.alter <= 2 && d.degree >= 0 && d.degree < 7; };
  if (!writable(chord.root) || (chord.bass && !writable(*chord.bass))) return std::nullopt;
  const QualityForms& forms = FormsOf(chord.quality);
  std::string out = Accidentals(chord.root.alter, '#', 'b');
  std::string numeral = kNumerals[chord.root.degree];
  if (forms.lower_case) {
    for (char& c : numeral) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  out += numeral;
  out += forms.roman_suffix;
  if (chord.bass) {
    out += '/';
    out += Accidentals(chord.bass->alter, '#', 'b');
    out += static_cast<char>('1' + chord.bass->degree);
  }
  return out;
}

std::optional<ChordDegree> ParseRomanNumeral(std::string_view roman) {
  std::string_view s = roman;
  ChordDegree chord;
  chord.root.alter = ReadDegreeAccidental(s);
  size_t n = 0;
  while (n < s.size() && (s[n] == 'I' || s[n] == 'V' || s[n] == 'i' || s[n] == 'v')) ++n;
  if (n == 0) return std::nullopt;
  std::string numeral(s.substr(0, n));
  bool lower = std::islower(static_cast<unsigned char>(numeral[0]));
  for (char c : numeral) {
    if (static_cast<bool>(std::islower(static_cast<unsigned char>(c))) != lower) return std::nullopt;
  }
  std::string upper = numeral;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  int degree = -1;
  for (int d = 0; d < 7; ++d) {
    if (upper == kNumerals[d]) degree = d;
  }
  if (degree < 0) return std::nullopt;
  chord.root.degree = degree;
  s.remove_prefix(n);

  std::string_view suffix = s;
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) suffix = s.substr(0, slash);
  bool found = false;
  for (const auto& f : kQualityForms) {
    if (f.lower_case == lower && suffix == f.roman_suffix) {
      chord.quality = f.quality;
      found = true;
    }
  }
  if (!found) return std::nullopt;

  if (slash != std::string_view::npos) {
    std::string_view bass = s.substr(slash + 1);
    Degree b;
    b.alter = ReadDegreeAccidental(bass);
    if (bass.size() != 1 || bass[0] < '1' || bass[0] > '7') return std::nullopt;
    b.degree = bass[0] - '1';
    chord.bass = b;
  }
  // Only the spelling RomanNumeral writes is a token.
  auto again = RomanNumeral(chord);
  if (!again || *again != roman) return std::nullopt;
  return chord;
}

}  // namespace tunesmith::tokens
