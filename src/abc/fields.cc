#include "abc/fields.h"

#include <cctype>

namespace tunesmith::abc {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Reads a decimal number of at most 4 digits at s[*i]; false if none.
bool ReadSmallNumber(std::string_view s, size_t* i, int* out) {
  size_t start = *i;
  int v = 0;
  while (*i < s.size() && std::isdigit(static_cast<unsigned char>(s[*i]))) {
    if (*i - start >= 4) return false;
    v = v * 10 + (s[*i] - '0');
    ++*i;
  }
  if (*i == start) return false;
  *out = v;
  return true;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<Meter> ParseMeter(std::string_view value) {
  std::string_view v = Trim(value);
  Meter m;
  if (v.empty() || Lower(v) == "none") {
    m.symbol = Meter::Symbol::kFree;
    return m;
  }
  if (v == "C") {
    m.symbol = Meter::Symbol::kCommon;
    return m;
  }
  if (v == "C|") {
    m.symbol = Meter::Symbol::kCut;
    m.num = 2;
    m.den = 2;
    return m;
  }
  // Numerator: a sum such as 2+3 or (2+3); denominator after '/'.
  size_t i = 0;
  bool paren = i < v.size() && v[i] == '(';
  if (paren) ++i;
  int num = 0;
  while (true) {
    int part = 0;
    if (!ReadSmallNumber(v, &i, &part)) return Status::InvalidArgument("meter '" + std::string(v) + "' is not a fraction like 6/8");
    num += part;
    if (i < v.size() && v[i] == '+') { ++i; continue; }
    break;
  }
  if (paren) {
    if (i >= v.size() || v[i] != ')') return Status::InvalidArgument("meter '" + std::string(v) + "' has an unclosed '('");
    ++i;
  }
  int den = 0;
  if (i >= v.size() || v[i] != '/' || (++i, !ReadSmallNumber(v, &i, &den)))
    return Status::InvalidArgument("meter '" + std::string(v) + "' is not a fraction like 6/8");
  if (Trim(v.substr(i)).size() != 0) return Status::InvalidArgument("unexpected text after meter '" + std::string(v) + "'");
  if (num <= 0 || den <= 0) return Status::InvalidArgument("meter '" + std::string(v) + "' has a zero part");
  m.num = num;
  m.den = den;
  return m;
}

Result<Rational> ParseUnitLength(std::string_view value) {
  std::string_view v = Trim(value);
  size_t i = 0;
  int num = 0, den = 1;
  if (!ReadSmallNumber(v, &i, &num)) return Status::InvalidArgument("unit length '" + std::string(v) + "' is not a fraction like 1/8");
  if (i < v.size() && v[i] == '/') {
    ++i;
    if (!ReadSmallNumber(v, &i, &den)) return Status::InvalidArgument("unit length '" + std::string(v) + "' is not a fraction like 1/8");
  }
  if (i != v.size()) return Status::InvalidArgument("unexpected text after unit length '" + std::string(v) + "'");
  if (num <= 0 || den <= 0) return Status::InvalidArgument("unit length '" + std::string(v) + "' is zero");
  Rational unit(num, den);
  if (unit > Rational(1) || unit.num() > 16 || unit.den() > 256)
    return Status::InvalidArgument("unit length '" + std::string(v) + "' is out of range (1/256 to 1)");
  return unit;
}

Rational DefaultUnitLength(const Meter& meter) {
  if (meter.symbol == Meter::Symbol::kFree) return Rational(1, 8);
  return Rational(meter.num, meter.den) < Rational(3, 4) ? Rational(1, 16) : Rational(1, 8);
}

Result<Key> ParseKey(std::string_view value, std::vector<std::string>* skipped) {
  std::string_view v = Trim(value);
  Key key;
  // Split into words; the first may glue tonic, accidental and mode together.
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) ++i;
    size_t start = i;
    while (i < v.size() && !std::isspace(static_cast<unsigned char>(v[i]))) ++i;
    if (i > start) words.push_back(v.substr(start, i - start));
  }
  size_t w = 0;
  bool have_mode = false;
  if (w < words.size()) {
    std::string_view first = words[w];
    if (Lower(first) == "none") {
      key.none = true;
      ++w;
      have_mode = true;
    } else if (first == "HP" || first == "Hp") {
      key.highland_pipes = true;
      key.tonic_step = 5;  // the pipes' scale: A mixolydian
      key.mode = Mode::kMixolydian;
      ++w;
      have_mode = true;
    } else if (StepOfLetter(first[0]) >= 0 && std::isupper(static_cast<unsigned char>(first[0])) &&
               first.find('=') == std::string_view::npos) {
      key.tonic_step = StepOfLetter(first[0]);
      size_t j = 1;
      if (j < first.size() && (first[j] == '#' || first[j] == 'b')) {
        key.tonic_alter = first[j] == '#' ? 1 : -1;
        ++j;
      }
      std::string_view rest = first.substr(j);
      if (!rest.empty()) {
        auto mode = ParseMode(rest);
        if (!mode) return Status::InvalidArgument("unknown mode '" + std::string(rest) + "' in key '" + std::string(v) + "'");
        key.mode = *mode;
        have_mode = true;
      }
      ++w;
    }
  }
  for (; w < words.size(); ++w) {
    std::string_view word = words[w];
    char c = word[0];
    if (c == '^' || c == '_' || c == '=') {
      Pitch p;
      size_t j = 0;
      if (word.substr(0, 2) == "^^") { p.accidental = Accidental::kDoubleSharp; j = 2; }
      else if (word.substr(0, 2) == "__") { p.accidental = Accidental::kDoubleFlat; j = 2; }
      else { p.accidental = c == '^' ? Accidental::kSharp : c == '_' ? Accidental::kFlat : Accidental::kNatural; j = 1; }
      if (j + 1 != word.size() || StepOfLetter(word[j]) < 0)
        return Status::InvalidArgument("bad accidental '" + std::string(word) + "' in key '" + std::string(v) + "'");
      p.step = StepOfLetter(word[j]);
      // A later accidental for the same letter replaces an earlier one.
      std::erase_if(key.extra, [&](const Pitch& e) { return e.step == p.step; });
      key.extra.push_back(p);
      continue;
    }
    if (Lower(word) == "exp") {
      key.explicit_only = true;
      continue;
    }
    if (word.find('=') != std::string_view::npos) {
      // clef=, middle=, transpose=, octave=, stafflines=: layout or playback, not pitch.
      if (skipped) skipped->push_back(std::string(word));
      continue;
    }
    if (!have_mode && !key.none) {
      auto mode = ParseMode(word);
      if (mode) {
        key.mode = *mode;
        have_mode = true;
        continue;
      }
    }
    std::string low = Lower(word);
    if (low == "treble" || low == "bass" || low == "alto" || low == "tenor" || low == "perc") {
      if (skipped) skipped->push_back(std::string(word));
      continue;
    }
    return Status::InvalidArgument("cannot read key '" + std::string(v) + "': unexpected '" + std::string(word) + "'");
  }
  return key;
}

bool IsCompound(const Meter& meter) {
  return meter.symbol == Meter::Symbol::kNumeric && meter.num % 3 == 0 && meter.num > 3;
}

int DefaultTupletQ(int p, const Meter& meter) {
  switch (p) {
    case 2: case 4: case 8: return 3;
    case 3: case 6: return 2;
    default: return IsCompound(meter) ? 3 : 2;
  }
}

}  // namespace tunesmith::abc
