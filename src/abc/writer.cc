#include "abc/writer.h"

#include <cctype>
#include <vector>

#include "abc/beaming.h"
#include "abc/fields.h"

namespace tunesmith::abc {
namespace {

// A length as a multiple of the unit: "" for 1, "2", "/", "/4", "3/2".
std::string LengthText(Rational length, Rational unit) {
  Rational m = length / unit;
  if (m == Rational(1)) return "";
  if (m.den() == 1) return std::to_string(m.num());
  if (m.num() == 1) return m.den() == 2 ? "/" : "/" + std::to_string(m.den());
  return std::to_string(m.num()) + "/" + std::to_string(m.den());
}

std::string PitchText(const Pitch& p) {
  std::string s = AccidentalText(p.accidental);
  int octave = p.octave;
  s += octave >= 1 ? "cdefgab"[p.step] : "CDEFGAB"[p.step];
  for (; octave > 1; --octave) s += '\'';
  for (; octave < 0; ++octave) s += ',';
  return s;
}

class BodyWriter {
 public:
  BodyWriter(const Tune& tune, Rational unit, bool keep_line_breaks, bool beam_by_beat)
      : tune_(tune), unit_(unit), keep_line_breaks_(keep_line_breaks), meter_(tune.meter) {
    if (beam_by_beat) beat_breaks_ = BeatBeamBreaks(tune);
  }

  std::string Write() {
    const auto& body = tune_.body;
    for (size_t k = 0; k < body.size(); ++k) {
      const Element& e = body[k];
      switch (e.kind) {
        case ElementKind::kNote:
        case ElementKind::kRest:
          WriteNote(e, k);
          break;
        case ElementKind::kBar:
          // Two bar lines in a row stay two ("| |:" is not "||:").
          if (last_ == ElementKind::kBar && !AtLineStart()) out_ += ' ';
          out_ += BarText(e.bar);
          break;
        case ElementKind::kEnding:
          if (last_ == ElementKind::kBar && !AtLineStart() &&
              (last_bar_ == BarKind::kSingle || last_bar_ == BarKind::kRepeatEnd)) {
            out_ += e.text;
          } else {
            if (!AtLineStart() && last_ != ElementKind::kBar) out_ += ' ';
            out_ += "[" + e.text;
          }
          break;
        case ElementKind::kTuplet:
          SpaceFor(k);
          out_ += "(" + std::to_string(e.tuplet.p);
          if (e.tuplet.q != DefaultTupletQ(e.tuplet.p, meter_) || e.tuplet.r != e.tuplet.p) {
            out_ += ":" + std::to_string(e.tuplet.q) + ":" + std::to_string(e.tuplet.r);
          } else if (k + 1 < body.size() && body[k + 1].kind == ElementKind::kBar) {
            out_ += ' ';  // "(2 :|", not "(2:|" (which reads as "(2:" then "|")
          }
          break;
        case ElementKind::kBrokenRhythm:
          out_ += std::string(e.broken > 0 ? e.broken : -e.broken, e.broken > 0 ? '>' : '<');
          break;
        case ElementKind::kSlurStart:
          SpaceFor(k);
          out_ += "(";
          break;
        case ElementKind::kSlurEnd:
          out_ += ")";
          break;
        case ElementKind::kField:
        case ElementKind::kPart:
          WriteField(e);
          break;
        case ElementKind::kLineBreak:
          if (keep_line_breaks_) {
            NewLine();
          } else if (!AtLineStart()) {
            out_ += ' ';
          }
          break;
      }
      if (e.kind != ElementKind::kLineBreak) last_ = e.kind;
      if (e.kind == ElementKind::kBar) last_bar_ = e.bar;
    }
    NewLine();
    return out_;
  }

 private:
  bool AtLineStart() const { return out_.empty() || out_.back() == '\n'; }
  // A blank before note k: by beat when asked, else where the source had one.
  bool SpaceBefore(size_t k) const { return beat_breaks_.empty() ? tune_.body[k].space_before : beat_breaks_[k]; }
  // Ends a music line. One that would read as a field line ("z:|", "X:|")
  // gets a leading space, which the reader ignores.
  void NewLine() {
    if (AtLineStart()) return;
    size_t start = out_.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    if (out_.size() - start >= 2 && std::isalpha(static_cast<unsigned char>(out_[start])) && out_[start + 1] == ':')
      out_.insert(start, 1, ' ');
    out_ += '\n';
  }

  // A space before a tuplet or slur mark stands for the space before its first note.
  void SpaceFor(size_t k) {
    for (size_t j = k + 1; j < tune_.body.size(); ++j) {
      const Element& next = tune_.body[j];
      if (next.kind == ElementKind::kNote || next.kind == ElementKind::kRest) {
        if (SpaceBefore(j) && space_written_for_ != j && !AtLineStart() && out_.back() != ' ') out_ += ' ';
        if (SpaceBefore(j)) space_written_for_ = j;
        return;
      }
      if (next.kind != ElementKind::kTuplet && next.kind != ElementKind::kSlurStart) return;
    }
  }

  void WriteNote(const Element& e, size_t k) {
    if (SpaceBefore(k) && space_written_for_ != k && !AtLineStart() && out_.back() != ' ') out_ += ' ';
    if (!e.chord_symbol.empty()) out_ += "\"" + e.chord_symbol + "\"";
    for (const auto& a : e.annotations) out_ += "\"" + a + "\"";
    if (!e.grace_notes.empty()) {
      out_ += '{';
      for (size_t g = 0; g < e.grace_notes.size(); ++g) {
        out_ += PitchText(e.grace_notes[g]);
        if (g < e.grace_lengths.size()) out_ += LengthText(e.grace_lengths[g], unit_);
      }
      out_ += '}';
    }
    for (const auto& d : e.decorations) {
      // A letter where ABC has one: abc2midi rejects "!downbow!" after "." or "~".
      if (d == "~" || d == ".") out_ += d;
      else if (char letter = DecorationLetter(d)) out_ += letter;
      else if (d.find('!') != std::string::npos) out_ += "+" + d + "+";  // read from +...+
      else out_ += "!" + d + "!";
    }
    if (e.kind == ElementKind::kRest) {
      out_ += e.invisible ? 'x' : 'z';
    } else if (e.pitches.size() == 1) {
      out_ += PitchText(e.pitches[0]);
    } else {
      out_ += '[';
      for (const auto& p : e.pitches) out_ += PitchText(p);
      out_ += ']';
    }
    out_ += LengthText(e.length, unit_);
    if (e.tie) out_ += '-';
  }

  void WriteField(const Element& e) {
    char key = e.kind == ElementKind::kPart ? 'P' : e.field_key;
    // Lengths are written in the writer's own unit: an L: change would alter them.
    if (key == 'L') return;
    std::string value = e.text;
    if (key == 'K' && e.key) value = e.key->ToString();
    if (key == 'M' && e.meter) {
      value = e.meter->ToString();
      meter_ = *e.meter;
    }
    // A field read from its own line is written on its own line; one met in
    // the middle of a music line can only have come inline ([K:D]), so it is
    // written back inline.
    if (AtLineStart() || value.find(']') != std::string::npos) {
      NewLine();
      // "B: |x" must not read back as the note B and a repeat sign.
      bool looks_like_music = std::string_view("ABCDEFGabcdefg").find(key) != std::string_view::npos &&
                              !value.empty() && (value[0] == '|' || value[0] == ':');
      out_ += std::string(1, key) + (looks_like_music ? ": " : ":") + value + "\n";
    } else {
      out_ += "[" + std::string(1, key) + ":" + value + "]";
    }
  }

  const Tune& tune_;
  Rational unit_;
  bool keep_line_breaks_;
  Meter meter_;
  std::string out_;
  ElementKind last_ = ElementKind::kLineBreak;
  BarKind last_bar_ = BarKind::kSingle;
  size_t space_written_for_ = static_cast<size_t>(-1);
  std::vector<bool> beat_breaks_;  // empty: keep the source's blanks
};

}  // namespace

std::string WriteTune(const Tune& tune, const WriteOptions& options) {
  Rational unit = options.keep_unit_length ? tune.unit_length : options.unit_length;
  std::string out;
  if (!options.header_only_music) {
    out += "X:" + std::to_string(tune.x) + "\n";
    for (const Field& f : tune.header) {
      if (f.key == 'T') out += "T:" + f.value + "\n";
    }
    for (const Field& f : tune.header) {
      if (f.key == 'X' || f.key == 'T' || f.key == 'M' || f.key == 'L' || f.key == 'K' || f.key == 'R') continue;
      out += std::string(1, f.key) + ":" + f.value + "\n";
    }
  }
  out += "M:" + tune.meter.ToString() + "\n";
  out += "L:" + unit.ToString() + "\n";
  for (const Field& f : tune.header) {
    if (f.key == 'R') out += "R:" + f.value + "\n";
  }
  out += "K:" + tune.key.ToString() + "\n";
  out += BodyWriter(tune, unit, options.keep_line_breaks, options.beam_by_beat).Write();
  return out;
}

}  // namespace tunesmith::abc
