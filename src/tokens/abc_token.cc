#include "tokens/abc_token.h"

#include <array>
#include <cctype>
#include <numeric>

namespace tunesmith::tokens {
namespace {

constexpr std::array<abc::Mode, 7> kModes = {abc::Mode::kMajor,      abc::Mode::kMinor,  abc::Mode::kDorian,
                                             abc::Mode::kMixolydian, abc::Mode::kLydian, abc::Mode::kPhrygian,
                                             abc::Mode::kLocrian};

struct RhythmAlias {
  std::string_view key;  // lower case, blanks and hyphens removed
  std::string_view rhythm;
};

constexpr RhythmAlias kRhythms[] = {
    {"jig", "jig"},           {"doublejig", "jig"},         {"singlejig", "jig"},
    {"slipjig", "slip-jig"},  {"reel", "reel"},             {"hornpipe", "hornpipe"},
    {"waltz", "waltz"},       {"polka", "polka"},           {"slide", "slide"},
    {"march", "march"},       {"strathspey", "strathspey"}, {"setdance", "set-dance"},
    {"air", "air"},           {"slowair", "air"},           {"mazurka", "mazurka"},
    {"barndance", "barndance"}, {"schottische", "schottische"}, {"polska", "polska"},
    // Ryan's Mammoth files its clog hornpipes as "Clog" (37, all in 2/2 or 2/4).
    {"clog", "hornpipe"},
};

constexpr std::string_view kSpecials[] = {"<pad>", "<s>", "</s>", "<unk>"};

std::optional<abc::Mode> ModeOfName(std::string_view name) {
  for (abc::Mode m : kModes) {
    if (name == abc::ModeName(m)) return m;
  }
  return std::nullopt;
}

// A positive decimal number without leading zeros, all of `s`.
std::optional<int> ParsePositive(std::string_view s) {
  if (s.empty() || s.size() > 6 || s[0] == '0') return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<abc::Meter> ParseMeterValue(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto num = ParsePositive(s.substr(0, slash));
  auto den = ParsePositive(s.substr(slash + 1));
  if (!num || !den) return std::nullopt;
  abc::Meter m;
  m.num = *num;
  m.den = *den;
  m.symbol = abc::Meter::Symbol::kNumeric;
  return m;
}

std::optional<abc::Rational> ParseDurationValue(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) {
    auto n = ParsePositive(s);
    if (!n) return std::nullopt;
    return abc::Rational(*n);
  }
  std::optional<int> num = slash == 0 ? std::optional<int>(1) : ParsePositive(s.substr(0, slash));
  auto den = ParsePositive(s.substr(slash + 1));
  if (!num || !den) return std::nullopt;
  return abc::Rational(*num, *den);
}

std::optional<abc::Pitch> ParsePitchValue(std::string_view s) {
  abc::Pitch p;
  if (s.starts_with("^^")) {
    p.accidental = abc::Accidental::kDoubleSharp;
    s.remove_prefix(2);
  } else if (s.starts_with("__")) {
    p.accidental = abc::Accidental::kDoubleFlat;
    s.remove_prefix(2);
  } else if (s.starts_with("^")) {
    p.accidental = abc::Accidental::kSharp;
    s.remove_prefix(1);
  } else if (s.starts_with("_")) {
    p.accidental = abc::Accidental::kFlat;
    s.remove_prefix(1);
  } else if (s.starts_with("=")) {
    p.accidental = abc::Accidental::kNatural;
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  static constexpr std::string_view kUpper = "CDEFGAB", kLower = "cdefgab";
  size_t step = kUpper.find(s[0]);
  bool lower = false;
  if (step == std::string_view::npos) {
    step = kLower.find(s[0]);
    lower = true;
  }
  if (step == std::string_view::npos) return std::nullopt;
  p.step = static_cast<int>(step);
  p.octave = lower ? 1 : 0;
  for (char c : s.substr(1)) {
    if (c == '\'' && lower) {
      ++p.octave;
    } else if (c == ',' && !lower) {
      --p.octave;
    } else {
      return std::nullopt;
    }
  }
  return p;
}

std::optional<abc::Tuplet> ParseTupletValue(std::string_view s) {
  abc::Tuplet t;
  size_t c1 = s.find(':');
  if (c1 == std::string_view::npos) {
    auto p = ParsePositive(s);
    if (!p || MeterFreeTupletQ(*p) == 0) return std::nullopt;
    t.p = *p;
    t.q = MeterFreeTupletQ(*p);
    t.r = *p;
    return t;
  }
  size_t c2 = s.find(':', c1 + 1);
  if (c2 == std::string_view::npos) return std::nullopt;
  auto p = ParsePositive(s.substr(0, c1));
  auto q = ParsePositive(s.substr(c1 + 1, c2 - c1 - 1));
  auto r = ParsePositive(s.substr(c2 + 1));
  if (!p || !q || !r) return std::nullopt;
  t.p = *p;
  t.q = *q;
  t.r = *r;
  return t;
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads `text` as a token of its class before the canonical-form check.
std::optional<Token> ParseLoose(std::string_view text) {
  Token t;
  t.text = std::string(text);
  if (text.empty()) return std::nullopt;
  for (auto s : kSpecials) {
    if (text == s) {
      t.cls = TokenClass::kSpecial;
      return t;
    }
  }
  if (text.starts_with("M:")) {
    auto m = ParseMeterValue(text.substr(2));
    if (!m) return std::nullopt;
    t.cls = TokenClass::kMeter;
    t.meter = *m;
    return t;
  }
  if (text.starts_with("K:")) {
    auto m = ModeOfName(text.substr(2));
    if (!m) return std::nullopt;
    t.cls = TokenClass::kMode;
    t.mode = *m;
    return t;
  }
  if (text.starts_with("R:")) {
    std::string_view r = text.substr(2);
    if (r != "other" && NormaliseRhythm(r) != r) return std::nullopt;
    t.cls = TokenClass::kRhythm;
    t.rhythm = std::string(r);
    return t;
  }
  if (text.starts_with("[M:") && text.ends_with("]")) {
    auto m = ParseMeterValue(text.substr(3, text.size() - 4));
    if (!m) return std::nullopt;
    t.cls = TokenClass::kInlineMeter;
    t.meter = *m;
    return t;
  }
  if (text.starts_with("[K:") && text.ends_with("]")) {
    std::string_view k = text.substr(3, text.size() - 4);
    if (k.empty()) return std::nullopt;
    static constexpr std::string_view kLetters = "CDEFGAB";
    size_t step = kLetters.find(k[0]);
    if (step == std::string_view::npos) return std::nullopt;
    t.key_tonic.step = static_cast<int>(step);
    size_t i = 1;
    while (i < k.size() && (k[i] == '#' || k[i] == 'b') && i < 3) {
      t.key_tonic.alter += k[i] == '#' ? 1 : -1;
      ++i;
    }
    auto m = ModeOfName(k.substr(i));
    if (!m) return std::nullopt;
    t.cls = TokenClass::kInlineKey;
    t.mode = *m;
    return t;
  }
  if (text == "[") {
    t.cls = TokenClass::kChordStart;
    return t;
  }
  if (text == "]") {
    t.cls = TokenClass::kChordEnd;
    return t;
  }
  if (text[0] == '[') {
    if (!IsNumericEnding(text.substr(1))) return std::nullopt;
    t.cls = TokenClass::kEnding;
    t.ending = std::string(text.substr(1));
    return t;
  }
  if (text == "z") {
    t.cls = TokenClass::kRest;
    return t;
  }
  if (text == "-") {
    t.cls = TokenClass::kTie;
    return t;
  }
  static constexpr std::pair<std::string_view, abc::BarKind> kBars[] = {
      {"|", abc::BarKind::kSingle},       {"||", abc::BarKind::kDouble},    {"|]", abc::BarKind::kFinal},
      {"|:", abc::BarKind::kRepeatStart}, {":|", abc::BarKind::kRepeatEnd}, {"::", abc::BarKind::kRepeatBoth},
  };
  for (const auto& [s, kind] : kBars) {
    if (text == s) {
      t.cls = TokenClass::kBar;
      t.bar = kind;
      return t;
    }
  }
  if (text[0] == '(') {
    auto tuplet = ParseTupletValue(text.substr(1));
    if (!tuplet) return std::nullopt;
    t.cls = TokenClass::kTuplet;
    t.tuplet = *tuplet;
    return t;
  }
  if (text == ">" || text == ">>" || text == ">>>" || text == "<" || text == "<<" || text == "<<<") {
    t.cls = TokenClass::kBroken;
    t.broken = static_cast<int>(text.size()) * (text[0] == '>' ? 1 : -1);
    return t;
  }
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    auto chord = ParseRomanNumeral(text.substr(1, text.size() - 2));
    if (!chord) return std::nullopt;
    t.cls = TokenClass::kChordSymbol;
    t.chord = *chord;
    return t;
  }
  if (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '/') {
    auto d = ParseDurationValue(text);
    if (!d) return std::nullopt;
    t.cls = TokenClass::kDuration;
    t.duration = *d;
    return t;
  }
  auto p = ParsePitchValue(text);
  if (!p) return std::nullopt;
  t.cls = TokenClass::kPitch;
  t.pitch = *p;
  return t;
}

// The token Format* would write for the meaning in `t`.
std::optional<std::string> Reformat(const Token& t) {
  switch (t.cls) {
    case TokenClass::kSpecial: return t.text;
    case TokenClass::kMeter: return FormatMeter(t.meter);
    case TokenClass::kMode: return FormatMode(t.mode);
    case TokenClass::kRhythm: return FormatRhythm(t.rhythm);
    case TokenClass::kInlineMeter: return FormatInlineMeter(t.meter);
    case TokenClass::kInlineKey: return FormatInlineKey(t.key_tonic, t.mode);
    case TokenClass::kPitch: return FormatPitch(t.pitch);
    case TokenClass::kRest: return std::string("z");
    case TokenClass::kChordStart: return std::string("[");
    case TokenClass::kChordEnd: return std::string("]");
    case TokenClass::kDuration: return FormatDuration(t.duration);
    case TokenClass::kTie: return std::string("-");
    case TokenClass::kBar: return FormatBar(t.bar);
    case TokenClass::kEnding: return FormatEnding(t.ending);
    case TokenClass::kTuplet: return FormatTuplet(t.tuplet);
    case TokenClass::kBroken: return FormatBroken(t.broken);
    case TokenClass::kChordSymbol: return FormatChordSymbol(t.chord);
  }
  return std::nullopt;
}

}  // namespace

const char* TokenClassName(TokenClass c) {
  switch (c) {
    case TokenClass::kSpecial: return "special";
    case TokenClass::kMeter: return "meter";
    case TokenClass::kMode: return "mode";
    case TokenClass::kRhythm: return "rhythm";
    case TokenClass::kInlineMeter: return "inline-meter";
    case TokenClass::kInlineKey: return "inline-key";
    case TokenClass::kPitch: return "pitch";
    case TokenClass::kRest: return "rest";
    case TokenClass::kChordStart: return "chord-start";
    case TokenClass::kChordEnd: return "chord-end";
    case TokenClass::kDuration: return "duration";
    case TokenClass::kTie: return "tie";
    case TokenClass::kBar: return "bar";
    case TokenClass::kEnding: return "ending";
    case TokenClass::kTuplet: return "tuplet";
    case TokenClass::kBroken: return "broken";
    case TokenClass::kChordSymbol: return "chord-symbol";
  }
  return "?";
}

std::optional<Token> ParseToken(std::string_view text) {
  auto t = ParseLoose(text);
  if (!t) return std::nullopt;
  auto canonical = Reformat(*t);
  if (!canonical || *canonical != text) return std::nullopt;
  return t;
}

std::string FormatMeter(const abc::Meter& meter) {
  return "M:" + std::to_string(meter.num) + "/" + std::to_string(meter.den);
}

std::string FormatInlineMeter(const abc::Meter& meter) {
  return "[M:" + std::to_string(meter.num) + "/" + std::to_string(meter.den) + "]";
}

std::string FormatMode(abc::Mode mode) { return std::string("K:") + abc::ModeName(mode); }

std::string FormatInlineKey(NoteName tonic, abc::Mode mode) {
  std::string out = "[K:";
  out += "CDEFGAB"[tonic.step];
  out += tonic.alter >= 0 ? std::string(tonic.alter, '#') : std::string(-tonic.alter, 'b');
  out += abc::ModeName(mode);
  out += ']';
  return out;
}

std::string FormatRhythm(std::string_view rhythm) { return "R:" + std::string(rhythm); }

std::string FormatPitch(const abc::Pitch& pitch) {
  std::string out;
  switch (pitch.accidental) {
    case abc::Accidental::kNone: break;
    case abc::Accidental::kNatural: out += '='; break;
    case abc::Accidental::kSharp: out += '^'; break;
    case abc::Accidental::kFlat: out += '_'; break;
    case abc::Accidental::kDoubleSharp: out += "^^"; break;
    case abc::Accidental::kDoubleFlat: out += "__"; break;
  }
  if (pitch.octave >= 1) {
    out += "cdefgab"[pitch.step];
    out += std::string(pitch.octave - 1, '\'');
  } else {
    out += "CDEFGAB"[pitch.step];
    out += std::string(-pitch.octave, ',');
  }
  return out;
}

std::optional<std::string> FormatDuration(abc::Rational eighths) {
  if (eighths <= abc::Rational(0)) return std::nullopt;
  if (eighths == abc::Rational(1)) return std::string();
  if (eighths.den() == 1) return std::to_string(eighths.num());
  std::string out = eighths.num() == 1 ? std::string() : std::to_string(eighths.num());
  out += '/';
  out += std::to_string(eighths.den());
  return out;
}

std::string FormatBar(abc::BarKind bar) {
  switch (bar) {
    case abc::BarKind::kSingle: return "|";
    case abc::BarKind::kDouble: return "||";
    case abc::BarKind::kFinal: return "|]";
    case abc::BarKind::kStart: return "||";
    case abc::BarKind::kRepeatStart: return "|:";
    case abc::BarKind::kRepeatEnd: return ":|";
    case abc::BarKind::kRepeatBoth: return "::";
  }
  return "|";
}

std::string FormatEnding(std::string_view text) {
  std::string out = "[";
  out += text;
  return out;
}

std::string FormatTuplet(const abc::Tuplet& tuplet) {
  // Appending, not "(" + std::to_string(...): GCC 12 warns falsely (-Wrestrict) on the latter.
  std::string out = "(";
  out += std::to_string(tuplet.p);
  if (MeterFreeTupletQ(tuplet.p) == tuplet.q && tuplet.r == tuplet.p) return out;
  out += ':';
  out += std::to_string(tuplet.q);
  out += ':';
  out += std::to_string(tuplet.r);
  return out;
}

std::string FormatBroken(int broken) {
  return std::string(static_cast<size_t>(broken < 0 ? -broken : broken), broken < 0 ? '<' : '>');
}

std::optional<std::string> FormatChordSymbol(const ChordDegree& chord) {
  auto roman = RomanNumeral(chord);
  if (!roman) return std::nullopt;
  return "\"" + *roman + "\"";
}

std::string NormaliseRhythm(std::string_view r_value) {
  std::string key;
  for (char c : Lower(r_value)) {
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '-' && c != '_') key += c;
  }
  for (const auto& alias : kRhythms) {
    if (alias.key == key) return std::string(alias.rhythm);
  }
  return "other";
}

std::string RhythmFieldValue(std::string_view rhythm) {
  if (rhythm == "other" || rhythm.empty()) return "";
  std::string out(rhythm);
  for (char& c : out) {
    if (c == '-') c = ' ';
  }
  return out;
}

bool IsNumericEnding(std::string_view text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front())) ||
      !std::isdigit(static_cast<unsigned char>(text.back()))) {
    return false;
  }
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != ',' && c != '-') return false;
  }
  return true;
}

int MeterFreeTupletQ(int p) {
  switch (p) {
    case 2: return 3;
    case 3: return 2;
    case 4: return 3;
    case 6: return 2;
    case 8: return 3;
  }
  return 0;
}

namespace {

// The meters each rhythm is written in. Measured on nottingham-cleaned +
// oneills1850 + ryans-mammoth (4,041 tunes; docs/generate.md has the counts
// and what was left out as data errors or other traditions' names); rhythms
// the corpus has (almost) none of follow the dance: polka, mazurka, march ...
struct RhythmMeters {
  std::string_view rhythm;
  std::string_view meters;  // space-separated
};
constexpr RhythmMeters kRhythmMeters[] = {
    {"jig", "6/8"},             {"slip-jig", "9/8"},        {"slide", "12/8"},
    {"reel", "4/4 2/2 2/4"},    {"hornpipe", "4/4 2/2 2/4"}, {"strathspey", "4/4"},
    {"waltz", "3/4"},           {"mazurka", "3/4"},          {"polska", "3/4"},
    {"polka", "2/4"},           {"march", "2/4 4/4 6/8"},    {"barndance", "4/4 2/2"},
    {"schottische", "4/4 2/4"},
};

const RhythmMeters* MetersOf(std::string_view rhythm) {
  for (const auto& row : kRhythmMeters) {
    if (row.rhythm == rhythm) return &row;
  }
  return nullptr;
}


}  // namespace

bool RhythmJudged(std::string_view rhythm) { return MetersOf(rhythm) != nullptr; }

std::string MetersOfRhythm(std::string_view rhythm) {
  const RhythmMeters* row = MetersOf(rhythm);
  return row ? std::string(row->meters) : std::string();
}

bool RhythmHasMeter(std::string_view rhythm, int num, int den) {
  const RhythmMeters* row = MetersOf(rhythm);
  if (!row) return true;
  const std::string meter = std::to_string(num) + "/" + std::to_string(den);
  for (size_t at = 0; at < row->meters.size();) {
    size_t end = row->meters.find(' ', at);
    if (end == std::string_view::npos) end = row->meters.size();
    if (row->meters.substr(at, end - at) == meter) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace tunesmith::tokens
