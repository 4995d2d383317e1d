#include "tokens/normalise.h"

#include <string>

#include "tokens/abc_token.h"
#include "tokens/chord_symbol.h"

namespace tunesmith::tokens {
namespace {

Status CheckKey(const abc::Key& key, const std::string& where) {
  if (key.none) return Status::NotSupported(where + "K:none has no tonic to transpose to");
  if (key.highland_pipes) return Status::NotSupported(where + "K:HP (Highland pipes) is not supported");
  if (key.explicit_only || !key.extra.empty()) {
    return Status::NotSupported(where + "a key with explicit accidentals (K:" + key.ToString() + ") is not supported");
  }
  return Status::Ok();
}

// C and C| become 4/4 and 2/2: the same bar, one spelling for the model.
Result<abc::Meter> NumericMeter(const abc::Meter& meter, const std::string& where) {
  abc::Meter m = meter;
  switch (meter.symbol) {
    case abc::Meter::Symbol::kFree:
      return Status::NotSupported(where + "a free meter (M:none) has no bars to learn");
    case abc::Meter::Symbol::kCommon:
      m.num = 4;
      m.den = 4;
      break;
    case abc::Meter::Symbol::kCut:
      m.num = 2;
      m.den = 2;
      break;
    case abc::Meter::Symbol::kNumeric:
      break;
  }
  m.symbol = abc::Meter::Symbol::kNumeric;
  if (m.num <= 0 || m.den <= 0) return Status::InvalidArgument(where + "meter " + meter.ToString() + " has no bar length");
  return m;
}

std::optional<abc::Rational> ParseUnitLength(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    int64_t n = std::stoll(text.substr(0, slash));
    int64_t d = std::stoll(text.substr(slash + 1));
    if (n <= 0 || d <= 0) return std::nullopt;
    return abc::Rational(n, d);
  } catch (...) {
    return std::nullopt;
  }
}

// A body K: that gives only a clef (K:clef=bass, [K:treble]) keeps the key in
// force; the reader parses it as C major, so the normaliser drops it instead.
bool NamesAKey(const std::string& value) {
  size_t i = value.find_first_not_of(" \t");
  if (i == std::string::npos) return false;
  std::string_view v = std::string_view(value).substr(i);
  return std::string_view("ABCDEFG").find(v[0]) != std::string_view::npos || v.starts_with("none") ||
         v.starts_with("HP") || v.starts_with("Hp");
}

std::string Where(const abc::Element& e) {
  return "line " + std::to_string(e.pos.line) + ": ";
}

void NormaliseChordSymbol(abc::Element& e, NormaliseStats* stats) {
  if (e.chord_symbol.empty()) return;
  // Written over C and back: the chord as its numeral spells it (a bass note
  // on the root dropped).
  const NoteName c{0, 0};
  auto chord = abc::ParseChordSymbol(e.chord_symbol);
  auto degrees = chord ? ToDegrees(*chord, c) : std::nullopt;
  if (degrees && RomanNumeral(*degrees)) {
    e.chord_symbol = FromDegrees(*degrees, c).ToString();
    if (stats) ++stats->chord_symbols_kept;
  } else {
    e.chord_symbol.clear();
    if (stats) ++stats->chord_symbols_dropped;
  }
}

}  // namespace

Result<abc::Tune> Normalise(const abc::Tune& tune, NormaliseStats* stats) {
  abc::Tune out;
  out.file = tune.file;
  out.pos = tune.pos;
  out.x = tune.x;
  out.unit_length = tune.unit_length;
  out.key = tune.key;
  out.meter = tune.meter;

  size_t first_note = 0;
  while (first_note < tune.body.size() && tune.body[first_note].kind != abc::ElementKind::kNote &&
         tune.body[first_note].kind != abc::ElementKind::kRest) {
    ++first_note;
  }

  bool has_note = false;
  for (size_t i = 0; i < tune.body.size(); ++i) {
    abc::Element e = tune.body[i];
    const bool leading = i < first_note;
    switch (e.kind) {
      case abc::ElementKind::kNote:
      case abc::ElementKind::kRest:
        if (e.kind == abc::ElementKind::kNote && e.pitches.empty()) {
          return Status::InvalidArgument(Where(e) + "a chord without notes");
        }
        if (e.length <= abc::Rational(0)) return Status::InvalidArgument(Where(e) + "a note or rest of no length");
        e.decorations.clear();
        e.annotations.clear();
        e.grace_notes.clear();
        e.grace_lengths.clear();
        e.space_before = false;
        e.invisible = false;
        NormaliseChordSymbol(e, stats);
        has_note = has_note || e.kind == abc::ElementKind::kNote;
        out.body.push_back(std::move(e));
        break;
      case abc::ElementKind::kBar:
        if (e.bar == abc::BarKind::kStart) e.bar = abc::BarKind::kDouble;
        out.body.push_back(std::move(e));
        break;
      case abc::ElementKind::kEnding:
        if (!IsNumericEnding(e.text)) {
          return Status::InvalidArgument(Where(e) + "ending [" + e.text + " is not numbered (1, 2, 1,3, 1-2)");
        }
        out.body.push_back(std::move(e));
        break;
      case abc::ElementKind::kTuplet:
        if (e.tuplet.p <= 0 || e.tuplet.q <= 0 || e.tuplet.r <= 0) {
          return Status::InvalidArgument(Where(e) + "a tuplet of no notes");
        }
        out.body.push_back(std::move(e));
        break;
      case abc::ElementKind::kBrokenRhythm:
        out.body.push_back(std::move(e));
        break;
      case abc::ElementKind::kField:
        if (e.field_key == 'K' && e.key && !NamesAKey(e.text)) {
          break;
        } else if (e.field_key == 'K' && e.key) {
          if (Status s = CheckKey(*e.key, Where(e)); !s.ok()) return s;
          if (leading) {
            out.key = *e.key;
          } else {
            e.text = e.key->ToString();
            out.body.push_back(std::move(e));
          }
        } else if (e.field_key == 'M' && e.meter) {
          auto m = NumericMeter(*e.meter, Where(e));
          if (!m.ok()) return m.status();
          if (leading) {
            out.meter = *m;
          } else {
            e.meter = *m;
            e.text = m->ToString();
            out.body.push_back(std::move(e));
          }
        } else if (e.field_key == 'L' && leading) {
          if (auto l = ParseUnitLength(e.text)) out.unit_length = *l;
        }
        // Any other field (P:, Q:, W:, V:, a later L:) is dropped: lengths are
        // absolute in the Tune model, so a body L: changes nothing musical.
        break;
      case abc::ElementKind::kPart:
      case abc::ElementKind::kSlurStart:
      case abc::ElementKind::kSlurEnd:
      case abc::ElementKind::kLineBreak:
        break;
    }
  }
  if (!has_note) return Status::InvalidArgument("the tune has no notes");

  if (Status s = CheckKey(out.key, ""); !s.ok()) return s;
  auto meter = NumericMeter(out.meter, "");
  if (!meter.ok()) return meter.status();
  out.meter = *meter;

  out.header.push_back({'X', std::to_string(tune.x), tune.pos});
  std::string title = tune.Title();
  if (!title.empty()) out.header.push_back({'T', title, {}});
  out.header.push_back({'M', out.meter.ToString(), {}});
  out.header.push_back({'L', out.unit_length.ToString().find('/') == std::string::npos
                                 ? out.unit_length.ToString() + "/1"
                                 : out.unit_length.ToString(),
                        {}});
  auto rhythms = tune.FieldValues('R');
  std::string rhythm = RhythmFieldValue(NormaliseRhythm(rhythms.empty() ? "" : rhythms.front()));
  if (!rhythm.empty()) out.header.push_back({'R', rhythm, {}});
  out.header.push_back({'K', out.key.ToString(), {}});
  return out;
}

}  // namespace tunesmith::tokens
