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

// abc::ChordSymbol's canonical quality (abc2midi's name) for each quality,
// and the roman-numeral form (case, suffix).
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

abc::ChordSymbol WithoutDoubleAccidentals(const abc::ChordSymbol& chord) {
  auto respell = [](int* step, int* alter) {
    if (*alter >= -1 && *alter <= 1) return;
    const int pc = PitchClass(NoteName{*step, *alter});
    const int new_step = Mod(*step + (*alter > 0 ? 1 : -1), 7);
    *alter = Fold(pc - kNaturalPc[new_step]);
    *step = new_step;
  };
  abc::ChordSymbol out = chord;
  respell(&out.root_step, &out.root_alter);
  if (out.has_bass) respell(&out.bass_step, &out.bass_alter);
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

std::optional<ChordDegree> ToDegrees(const abc::ChordSymbol& chord, NoteName tonic) {
  // An alternative chord is not played: it never had a numeral.
  if (chord.optional) return std::nullopt;
  const QualityForms* forms = nullptr;
  for (const auto& f : kQualityForms) {
    if (chord.quality == f.abc2midi) forms = &f;
  }
  if (forms == nullptr) return std::nullopt;
  const NoteName root{chord.root_step, chord.root_alter};
  ChordDegree d;
  d.root = DegreeOf(root, tonic);
  d.quality = forms->quality;
  if (chord.has_bass) {
    const NoteName bass{chord.bass_step, chord.bass_alter};
    if (PitchClass(bass) != PitchClass(root)) d.bass = DegreeOf(bass, tonic);
  }
  return d;
}

abc::ChordSymbol FromDegrees(const ChordDegree& chord, NoteName tonic) {
  abc::ChordSymbol c;
  const NoteName root = NoteOfDegree(chord.root, tonic);
  c.root_step = root.step;
  c.root_alter = root.alter;
  c.quality = FormsOf(chord.quality).abc2midi;
  if (chord.bass) {
    const NoteName bass = NoteOfDegree(*chord.bass, tonic);
    c.has_bass = true;
    c.bass_step = bass.step;
    c.bass_alter = bass.alter;
  }
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
