// Reads one music line of a tune body into Elements.
#include <cctype>

#include "abc/chord_symbol.h"
#include "abc/fields.h"
#include "abc/reader_internal.h"

namespace tunesmith::abc::internal {
namespace {

constexpr int kMaxNumber = 9999999;  // largest number accepted in a length or tuplet
// Bounds on a note's length (in whole notes) that keep every length the writer
// can write, in any unit L: may set, within kMaxNumber.
constexpr int64_t kMaxLengthNum = 4096;
constexpr int64_t kMaxLengthDen = 16384;

bool IsNoteLetter(char c) { return StepOfLetter(c) >= 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads up to 4 digits; false if there are none or the number is too long.
bool ReadNumber(std::string_view s, size_t* i, int* out) {
  size_t start = *i;
  int v = 0;
  while (*i < s.size() && IsDigit(s[*i])) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    if (v > kMaxNumber) return false;
  }
  if (*i == start) return false;
  *out = v;
  return true;
}

}  // namespace

bool TuneParser::CheckLength(Rational length, size_t column) {
  if (length.num() > kMaxLengthNum || length.den() > kMaxLengthDen)
    return Fail(column, "note length " + length.ToString() + " of a whole note is out of range");
  return true;
}

bool TuneParser::HasPrefix() const {
  return !pending_chord_.empty() || !pending_annotations_.empty() || !pending_decorations_.empty() ||
         !pending_graces_.empty();
}

void TuneParser::AttachPrefix(Element* e) {
  e->chord_symbol = std::move(pending_chord_);
  e->annotations = std::move(pending_annotations_);
  e->decorations = std::move(pending_decorations_);
  if (e->kind == ElementKind::kNote) {
    e->grace_notes = std::move(pending_graces_);
    e->grace_lengths = std::move(pending_grace_lengths_);
  } else if (!pending_graces_.empty()) {
    Warn(static_cast<size_t>(e->pos.column - 1), "grace notes before a rest dropped");
  }
  pending_chord_.clear();
  pending_annotations_.clear();
  pending_decorations_.clear();
  pending_graces_.clear();
  pending_grace_lengths_.clear();
  // Whitespace before the first note of a line separates nothing.
  e->space_before = pending_space_ && !line_start_;
}

void TuneParser::Push(Element&& e, size_t column) {
  e.pos = {line_no_, static_cast<int>(column) + 1};
  bool durational = e.kind == ElementKind::kNote || e.kind == ElementKind::kRest;
  if (!durational && !TransparentForBroken(e.kind)) {
    // A broken-rhythm mark needs a note on each side.
    for (size_t k = tune_.body.size(); k-- > 0;) {
      if (TransparentForBroken(tune_.body[k].kind)) continue;
      if (tune_.body[k].kind == ElementKind::kBrokenRhythm) {
        Warn(static_cast<size_t>(tune_.body[k].pos.column - 1), "broken rhythm without a note after it; dropped");
        tune_.body.erase(tune_.body.begin() + static_cast<long>(k));
      }
      break;
    }
  }
  if (durational) {
    AttachPrefix(&e);
    seen_music_ = true;
  }
  if (e.kind == ElementKind::kBar) {
    seen_music_ = true;
    if (!pending_chord_.empty()) Warn(column, "chord symbol before a bar line moved to the next note");
  }
  // Whitespace before a slur or tuplet mark counts as whitespace before its note.
  if (e.kind != ElementKind::kLineBreak && e.kind != ElementKind::kSlurStart && e.kind != ElementKind::kTuplet) {
    pending_space_ = false;
    // A field at the start of a line is written on a line of its own, so the
    // music after it still starts a line.
    if (e.kind != ElementKind::kField && e.kind != ElementKind::kPart) line_start_ = false;
  }
  if (e.kind == ElementKind::kField) last_field_ = tune_.body.size();
  tune_.body.push_back(std::move(e));
}

bool TuneParser::ReadMusicLine(std::string_view line) {
  size_t i = 0;
  bool continued = false;
  size_t before = tune_.body.size();
  pending_space_ = false;
  line_start_ = true;
  while (i < line.size() && !failed_) {
    char c = line[i];
    if (skipping_voice_) {
      // Only an inline [V:] can bring the kept voice back on this line.
      size_t v = line.find("[V:", i);
      if (v == std::string_view::npos) break;
      i = v;
      if (!ReadInlineField(&i)) return false;
      continue;
    }
    switch (c) {
      case ' ':
      case '\t':
        pending_space_ = true;
        ++i;
        break;
      case '%':
        i = line.size();
        break;
      case '\\': {
        size_t k = i + 1;
        while (k < line.size() && std::isspace(static_cast<unsigned char>(line[k]))) ++k;
        if (k == line.size() || line[k] == '%') {
          continued = true;
          i = line.size();
        } else {
          Warn(i, "'\\' inside a line skipped");
          ++i;
        }
        break;
      }
      case '`':  // beaming aid with no meaning of its own
        ++i;
        break;
      case '"':
        if (!ReadQuoted(&i)) return false;
        break;
      case '!': {
        size_t close = line.find('!', i + 1);
        if (close == std::string_view::npos) {
          Warn(i, "'!' without a closing '!' skipped");
          ++i;
        } else if (close == i + 1) {
          Warn(i, "empty decoration '!!' skipped");
          i = close + 1;
        } else {
          pending_decorations_.push_back(std::string(line.substr(i + 1, close - i - 1)));
          i = close + 1;
        }
        break;
      }
      case '+':
        ReadPlus(&i);
        break;
      case '~':
        pending_decorations_.push_back("~");
        ++i;
        break;
      case '.':
        if (i + 1 < line.size() && line[i + 1] == '|') {
          Warn(i, "dotted bar line read as a plain one");
          ++i;
        } else if (i + 1 < line.size() && line[i + 1] == '(') {
          Warn(i, "dotted slur read as a plain one");
          ++i;
        } else {
          pending_decorations_.push_back(".");
          ++i;
        }
        break;
      case '{':
        if (!ReadGrace(&i)) return false;
        break;
      case '(':
        if (i + 1 < line.size() && IsDigit(line[i + 1])) {
          if (!ReadTuplet(&i)) return false;
        } else {
          Element e;
          e.kind = ElementKind::kSlurStart;
          Push(std::move(e), i);
          ++i;
        }
        break;
      case ')': {
        Element e;
        e.kind = ElementKind::kSlurEnd;
        Push(std::move(e), i);
        ++i;
        break;
      }
      case '[':
        if (i + 1 < line.size() && line[i + 1] == '|') {
          if (!ReadBar(&i)) return false;
        } else if (i + 1 < line.size() && IsDigit(line[i + 1])) {
          size_t column = i;
          ++i;
          if (!ReadEnding(&i, column)) return false;
        } else if (i + 2 < line.size() && std::isalpha(static_cast<unsigned char>(line[i + 1])) && line[i + 2] == ':') {
          if (!ReadInlineField(&i)) return false;
        } else {
          if (!ReadNoteOrChord(&i)) return false;
        }
        break;
      case '|':
      case ':':
        if (!ReadBar(&i)) return false;
        break;
      case '>':
      case '<':
        AddBroken(&i);
        break;
      case '-':
        AddTie(i);
        ++i;
        break;
      case '&': {
        Warn(i, "voice overlay '&' not modelled: the rest of the bar is skipped");
        size_t bar = line.find('|', i);
        i = bar == std::string_view::npos ? line.size() : bar;
        break;
      }
      case 'z':
      case 'x':
      case 'Z':
      case 'X':
        if (!ReadRest(&i)) return false;
        break;
      case '=':
        // Tunes that went through e-mail come quoted-printable encoded (Ryan's
        // Mammoth): a soft line break '=' ends a line, '=20' is a blank and
        // '=3D' the '=' itself. None of them means anything in ABC.
        if (line.find_first_not_of(" \t", i + 1) == std::string_view::npos) {
          Warn(i, "'=' ending a line read as an e-mail (quoted-printable) soft line break: the line goes on");
          continued = true;
          i = line.size();
        } else if (line.substr(i, 3) == "=20" || line.substr(i, 3) == "=09") {
          Warn(i, "'" + std::string(line.substr(i, 3)) + "' read as a blank (quoted-printable)");
          pending_space_ = true;
          i += 3;
        } else if (!ReadNoteOrChord(&i)) {
          return false;
        }
        break;
      default:
        if (c == '^' || c == '_' || IsNoteLetter(c)) {
          if (!ReadNoteOrChord(&i)) return false;
        } else if (const char* name = LetterDecoration(c)) {
          pending_decorations_.push_back(name);
          ++i;
        } else if (c == 'y') {
          Warn(i, "spacer 'y' skipped");
          ++i;
        } else {
          Warn(i, std::string("unexpected character '") + c + "' skipped");
          ++i;
        }
        break;
    }
  }
  if (failed_) return false;
  if (!continued && tune_.body.size() > before) {
    Element e;
    e.kind = ElementKind::kLineBreak;
    Push(std::move(e), line.size());
  }
  return true;
}

bool TuneParser::ReadQuoted(size_t* i) {
  size_t open = *i;
  size_t close = line_.find('"', open + 1);
  if (close == std::string_view::npos) return Fail(open, "unclosed '\"': a chord symbol or annotation needs a closing quote");
  std::string text(line_.substr(open + 1, close - open - 1));
  *i = close + 1;
  if (!text.empty() && std::string_view("^_<>@").find(text[0]) != std::string_view::npos) {
    pending_annotations_.push_back(text);
    return true;
  }
  bool blank = true;
  for (char c : text) blank = blank && std::isspace(static_cast<unsigned char>(c));
  if (blank) {
    Warn(open, "empty chord symbol skipped");
    return true;
  }
  // Fiddle books write fingerings and string numbers as quoted digits ("4"e,
  // "0"e, "04"): an annotation above the note, never a chord, and no mistake.
  if (text.find_first_not_of("0123456789") == std::string::npos) {
    pending_annotations_.push_back("^" + text);
    return true;
  }
  auto chord = ParseChordSymbol(text);
  if (!chord) {
    // Text that is not a chord (D.C., Fine, a lone bass note "f#") is kept as
    // an annotation above the note, which abc2midi does not try to play.
    Warn(open, "\"" + text + "\" is not a chord symbol; kept as an annotation");
    pending_annotations_.push_back("^" + text);
    return true;
  }
  if (!pending_chord_.empty()) {
    Warn(open, "second chord symbol on one note kept as an annotation");
    pending_annotations_.push_back("^" + chord->ToString());
    return true;
  }
  pending_chord_ = chord->ToString();
  return true;
}

bool TuneParser::ReadLength(size_t* i, Rational* multiplier) {
  size_t start = *i;
  int num = 1, den = 1;
  if (*i < line_.size() && IsDigit(line_[*i])) {
    if (!ReadNumber(line_, i, &num)) return Fail(start, "note length too long");
  }
  int slashes = 0;
  while (*i < line_.size() && line_[*i] == '/') {
    ++slashes;
    ++*i;
  }
  if (slashes > 0) {
    if (*i < line_.size() && IsDigit(line_[*i])) {
      size_t digits = *i;
      if (!ReadNumber(line_, i, &den)) return Fail(digits, "note length too short");
      if (slashes > 1) {
        if (slashes > 8) return Fail(start, "note length too short");
        den <<= (slashes - 1);
      }
    } else {
      if (slashes > 12) return Fail(start, "note length too short");
      den = 1 << slashes;
    }
  }
  if (num == 0 || den == 0)
    return Fail(start, "unknown note length '" + std::string(line_.substr(start, *i - start)) + "'");
  *multiplier = Rational(num, den);
  return true;
}

bool TuneParser::ReadPitch(size_t* i, Pitch* pitch, Rational* length, bool* tie) {
  size_t start = *i;
  pitch->accidental = Accidental::kNone;
  if (line_.substr(*i, 2) == "^^") { pitch->accidental = Accidental::kDoubleSharp; *i += 2; }
  else if (line_.substr(*i, 2) == "__") { pitch->accidental = Accidental::kDoubleFlat; *i += 2; }
  else if (line_[*i] == '^') { pitch->accidental = Accidental::kSharp; ++*i; }
  else if (line_[*i] == '_') { pitch->accidental = Accidental::kFlat; ++*i; }
  else if (line_.substr(*i, 3) == "=3D") {  // quoted-printable '=' (see ReadMusicLine)
    Warn(*i, "'=3D' read as '=' (quoted-printable)");
    pitch->accidental = Accidental::kNatural;
    *i += 3;
  }
  else if (line_[*i] == '=') { pitch->accidental = Accidental::kNatural; ++*i; }
  if (*i < line_.size() && pitch->accidental != Accidental::kNone && (line_[*i] == '/' || IsDigit(line_[*i]))) {
    Warn(*i, "microtonal accidental not modelled: read as a whole semitone");
    while (*i < line_.size() && (line_[*i] == '/' || IsDigit(line_[*i]))) ++*i;
  }
  if (*i >= line_.size() || !IsNoteLetter(line_[*i]))
    return Fail(*i < line_.size() ? *i : start, "accidental without a note");
  char letter = line_[*i];
  pitch->step = StepOfLetter(letter);
  pitch->octave = letter >= 'a' ? 1 : 0;
  ++*i;
  while (*i < line_.size() && (line_[*i] == '\'' || line_[*i] == ',')) {
    pitch->octave += line_[*i] == '\'' ? 1 : -1;
    ++*i;
  }
  if (pitch->octave < -5 || pitch->octave > 5) return Fail(start, "note out of range");
  Rational multiplier;
  if (!ReadLength(i, &multiplier)) return false;
  *length = unit_length_ * multiplier;
  if (!CheckLength(*length, start)) return false;
  if (tie) {
    *tie = false;
    if (*i < line_.size() && line_[*i] == '-') {
      *tie = true;
      ++*i;
    }
  }
  return true;
}

bool TuneParser::ReadNoteOrChord(size_t* i) {
  if (line_[*i] == '[') return ReadChord(i, ']');
  size_t column = *i;
  Element e;
  e.kind = ElementKind::kNote;
  Pitch p;
  if (!ReadPitch(i, &p, &e.length, &e.tie)) return false;
  e.pitches.push_back(p);
  Push(std::move(e), column);
  return true;
}

// [CEG]2 (close ']') or the old +CEG+ (close '+'); *i is at the opening mark.
bool TuneParser::ReadChord(size_t* i, char close) {
  size_t column = *i;
  size_t end = line_.find(close, *i + 1);
  if (end == std::string_view::npos) return Fail(column, std::string("unclosed chord: no '") + close + "'");
  ++*i;
  Element e;
  e.kind = ElementKind::kNote;
  bool uneven = false;
  while (*i < end && !failed_) {
    char c = line_[*i];
    if (c == '^' || c == '_' || c == '=' || IsNoteLetter(c)) {
      Pitch p;
      Rational length;
      bool tie = false;
      if (!ReadPitch(i, &p, &length, &tie)) return false;
      if (e.pitches.empty()) e.length = length;
      else if (length != e.length) uneven = true;
      e.pitches.push_back(p);
      e.tie = e.tie || tie;
    } else if (c == ' ' || c == '\t') {
      ++*i;
    } else if (c == '[' && close == ']') {
      return Fail(*i, "'[' inside a chord: chords do not nest");
    } else if (c == '"') {
      if (!ReadQuoted(i)) return false;
    } else if (c == '!') {
      size_t dclose = line_.find('!', *i + 1);
      if (dclose == std::string_view::npos || dclose > end) {
        Warn(*i, "'!' without a closing '!' skipped");
        ++*i;
      } else if (dclose == *i + 1) {
        Warn(*i, "empty decoration '!!' skipped");
        *i = dclose + 1;
      } else {
        pending_decorations_.push_back(std::string(line_.substr(*i + 1, dclose - *i - 1)));
        *i = dclose + 1;
      }
    } else if (c == '.' || c == '~') {
      pending_decorations_.push_back(std::string(1, c));
      ++*i;
    } else if (const char* name = LetterDecoration(c)) {
      pending_decorations_.push_back(name);
      ++*i;
    } else {
      Warn(*i, std::string("unexpected '") + c + "' inside a chord skipped");
      ++*i;
    }
  }
  if (failed_) return false;
  *i = end + 1;
  if (e.pitches.empty()) {
    Warn(column, "empty chord skipped");
    return true;
  }
  if (uneven) Warn(column, "notes of a chord have different lengths; the first note's length is used");
  if (close == ']') {
    Rational multiplier;
    if (!ReadLength(i, &multiplier)) return false;
    e.length *= multiplier;
    if (!CheckLength(e.length, column)) return false;
  }
  Push(std::move(e), column);
  return true;
}

// +trill+ (a decoration, ABC 2.0) or +CEG+ (a chord, ABC 1.6).
void TuneParser::ReadPlus(size_t* i) {
  size_t close = line_.find('+', *i + 1);
  if (close == std::string_view::npos) {
    Warn(*i, "'+' without a closing '+' skipped");
    ++*i;
    return;
  }
  std::string_view content = line_.substr(*i + 1, close - *i - 1);
  if (content.empty()) {
    Warn(*i, "empty '++' skipped");
    *i = close + 1;
    return;
  }
  bool notes_only = true;
  for (char c : content) {
    if (!(IsNoteLetter(c) || IsDigit(c) || c == '/' || c == '^' || c == '_' || c == '=' || c == ',' || c == '\'' ||
          c == ' ' || c == '-')) {
      notes_only = false;
    }
  }
  bool name_like = std::isalpha(static_cast<unsigned char>(content[0])) && content.find(' ') == std::string_view::npos;
  // A decoration name made only of note letters ("+ace+") cannot be told from
  // a chord; ABC 2.0 has none, so such content is read as a chord.
  if (notes_only) {
    ReadChord(i, '+');
    return;
  }
  if (name_like) {
    pending_decorations_.push_back(std::string(content));
    *i = close + 1;
    return;
  }
  Warn(*i, "'+" + std::string(content) + "+' is neither a chord nor a decoration; skipped");
  *i = close + 1;
}

bool TuneParser::ReadRest(size_t* i) {
  size_t column = *i;
  char c = line_[*i];
  ++*i;
  Element e;
  e.kind = ElementKind::kRest;
  e.invisible = c == 'x' || c == 'X';
  if (c == 'z' || c == 'x') {
    Rational multiplier;
    if (!ReadLength(i, &multiplier)) return false;
    e.length = unit_length_ * multiplier;
  } else {
    int bars = 1;
    if (*i < line_.size() && IsDigit(line_[*i])) {
      if (!ReadNumber(line_, i, &bars) || bars == 0) return Fail(column, "bad number of bars in a multi-bar rest");
    }
    auto bar = meter_.BarLength();
    if (!bar) {
      Warn(column, "multi-bar rest in free meter: one whole note per bar assumed");
      bar = Rational(1);
    }
    e.length = *bar * Rational(bars);
  }
  if (!CheckLength(e.length, column)) return false;
  Push(std::move(e), column);
  return true;
}

bool TuneParser::ReadBar(size_t* i) {
  size_t column = *i;
  std::string text;
  while (*i < line_.size()) {
    char c = line_[*i];
    bool take = c == '|' || c == ':' || (c == ']' && !text.empty() && text.back() == '|') ||
                (c == '[' && *i + 1 < line_.size() && line_[*i + 1] == '|' && text.find('|') == std::string::npos);
    if (!take) break;
    text += c;
    ++*i;
  }
  // Ryan's Mammoth ends strains with "[|]|]" and "[|]:|": an invisible bar
  // line glued to the real one, which is what it means.
  if (text.size() > 3 && text.compare(0, 3, "[|]") == 0) text.erase(0, 3);
  size_t lead = text.find_first_not_of(':');
  if (lead == std::string::npos) {
    if (text.size() == 1) {
      Warn(column, "stray ':' skipped");
      return true;
    }
    if (text.size() > 2) Warn(column, "repeat count of '" + text + "' not modelled; read as '::'");
    lead = text.size();
  }
  size_t trail = text.size() - 1 - text.find_last_not_of(':');
  if (lead == text.size()) trail = 0;
  std::string middle = lead == text.size() ? "" : text.substr(lead, text.size() - lead - trail);
  Element e;
  e.kind = ElementKind::kBar;
  if ((lead > 0 && trail > 0) || middle.empty()) e.bar = BarKind::kRepeatBoth;
  else if (lead > 0) e.bar = BarKind::kRepeatEnd;
  else if (trail > 0) e.bar = BarKind::kRepeatStart;
  else if (middle == "|") e.bar = BarKind::kSingle;
  else if (middle == "||") e.bar = BarKind::kDouble;
  else if (middle == "|]" || middle == "||]" || middle == "[|]") e.bar = BarKind::kFinal;
  else if (middle == "|||") {
    Warn(column, "bar line '|||' read as '||'");
    e.bar = BarKind::kDouble;
  } else if (middle == "|:|") {
    // O'Neill's transcriptions close a repeated strain with |:|.
    Warn(column, "bar line '|:|' read as ':|'");
    e.bar = BarKind::kRepeatEnd;
  }
  else if (middle == "[|") e.bar = BarKind::kStart;
  else {
    Warn(column, "bar line '" + text + "' read as '|'");
    e.bar = BarKind::kSingle;
  }
  if (!middle.empty() && ((lead > 1 && trail == 0) || (trail > 1 && lead == 0))) Warn(column, "repeat count of '" + text + "' not modelled; read as one repeat");
  Push(std::move(e), column);
  if (*i < line_.size() && IsDigit(line_[*i])) return ReadEnding(i, *i);
  return true;
}

// The number list of an ending ("1", "1,3", "1-2"); *i is at its first digit.
bool TuneParser::ReadEnding(size_t* i, size_t column) {
  std::string text;
  while (*i < line_.size() && (IsDigit(line_[*i]) || line_[*i] == ',' || line_[*i] == '-')) {
    if (!IsDigit(line_[*i]) && (*i + 1 >= line_.size() || !IsDigit(line_[*i + 1]))) break;
    text += line_[*i];
    ++*i;
    if (text.size() > 16) return Fail(column, "ending number too long");
  }
  Element e;
  e.kind = ElementKind::kEnding;
  e.text = text;
  Push(std::move(e), column);
  return true;
}

bool TuneParser::ReadGrace(size_t* i) {
  size_t column = *i;
  size_t close = line_.find('}', *i + 1);
  if (close == std::string_view::npos) return Fail(column, "unclosed grace notes: no '}'");
  ++*i;
  if (*i < close && line_[*i] == '/') {
    Warn(*i, "acciaccatura slash not kept: read as plain grace notes");
    ++*i;
  }
  while (*i < close && !failed_) {
    char c = line_[*i];
    if (c == '^' || c == '_' || c == '=' || IsNoteLetter(c)) {
      Pitch p;
      Rational length;
      if (!ReadPitch(i, &p, &length, nullptr)) return false;
      pending_graces_.push_back(p);
      pending_grace_lengths_.push_back(length);
    } else if (c == ' ' || c == '\t' || c == '-') {
      ++*i;
    } else if (c == '{') {
      return Fail(*i, "'{' inside grace notes: grace notes do not nest");
    } else {
      Warn(*i, std::string("unexpected '") + c + "' in grace notes skipped");
      ++*i;
    }
  }
  if (failed_) return false;
  *i = close + 1;
  return true;
}

bool TuneParser::ReadTuplet(size_t* i) {
  size_t column = *i;
  ++*i;
  int p = 0, q = 0, r = 0;
  if (!ReadNumber(line_, i, &p)) return Fail(column, "tuplet number too large");
  if (*i < line_.size() && line_[*i] == ':') {
    ++*i;
    if (*i < line_.size() && IsDigit(line_[*i]) && !ReadNumber(line_, i, &q)) return Fail(column, "tuplet number too large");
    if (*i < line_.size() && line_[*i] == ':') {
      ++*i;
      if (*i < line_.size() && IsDigit(line_[*i]) && !ReadNumber(line_, i, &r)) return Fail(column, "tuplet number too large");
    }
  }
  if (p < 2 || p > 64 || q > 64 || r > 64) {
    Warn(column, "tuplet (" + std::to_string(p) + " not modelled; skipped");
    return true;
  }
  Element e;
  e.kind = ElementKind::kTuplet;
  e.tuplet.p = p;
  e.tuplet.q = q > 0 ? q : DefaultTupletQ(p, meter_);
  e.tuplet.r = r > 0 ? r : p;
  Push(std::move(e), column);
  return true;
}

bool TuneParser::ReadInlineField(size_t* i) {
  size_t column = *i;
  size_t close = line_.find(']', *i);
  if (close == std::string_view::npos) return Fail(column, "unclosed inline field: no ']'");
  char key = line_[*i + 1];
  std::string_view value = line_.substr(*i + 3, close - *i - 3);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  *i = close + 1;
  return ReadBodyField(key, value, column, true);
}

void TuneParser::AddBroken(size_t* i) {
  size_t column = *i;
  char c = line_[*i];
  int n = 0;
  while (*i < line_.size() && line_[*i] == c) {
    ++n;
    ++*i;
  }
  ElementKind before = ElementKind::kLineBreak;
  for (size_t k = tune_.body.size(); k-- > 0;) {
    if (TransparentForBroken(tune_.body[k].kind)) continue;
    before = tune_.body[k].kind;
    break;
  }
  if (before != ElementKind::kNote && before != ElementKind::kRest) {
    Warn(column, std::string("broken rhythm '") + c + "' without a note before it; skipped");
    return;
  }
  if (n > 3) {
    Warn(column, "broken rhythm longer than '>>>' read as '>>>'");
    n = 3;
  }
  Element e;
  e.kind = ElementKind::kBrokenRhythm;
  e.broken = c == '>' ? n : -n;
  Push(std::move(e), column);
}

void TuneParser::AddTie(size_t column) {
  // Looking back a bounded way keeps a run of ties after a run of ')' linear.
  const size_t stop = tune_.body.size() > 64 ? tune_.body.size() - 64 : 0;
  for (size_t k = tune_.body.size(); k-- > stop;) {
    ElementKind kind = tune_.body[k].kind;
    if (kind == ElementKind::kSlurEnd || kind == ElementKind::kBrokenRhythm) continue;
    if (kind == ElementKind::kNote) {
      tune_.body[k].tie = true;
      return;
    }
    break;
  }
  Warn(column, "tie '-' without a note before it; skipped");
}

}  // namespace tunesmith::abc::internal
