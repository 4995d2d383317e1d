#include "serve/abc_edit.h"

#include <algorithm>
#include <cctype>

#include "abc/bar_check.h"
#include "abc/reader.h"
#include "abc/transpose.h"
#include "abc/writer.h"

namespace tunesmith::serve {
namespace {

bool IsClosing(abc::BarKind k) {
  return k == abc::BarKind::kRepeatEnd || k == abc::BarKind::kRepeatBoth || k == abc::BarKind::kDouble ||
         k == abc::BarKind::kFinal;
}

// Index of the element that closes the first part (its last bar line), or -1.
int FirstPartEnd(const abc::Tune& tune) {
  const auto& body = tune.body;
  bool notes = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const abc::Element& e = body[i];
    if (abc::IsDurational(e.kind)) notes = true;
    if (e.kind != abc::ElementKind::kBar || !notes || !IsClosing(e.bar)) continue;
    // A second ending after the closing repeat belongs to this part: it runs
    // to the next bar line that is not a plain one.
    size_t j = i + 1;
    while (j < body.size() && body[j].kind == abc::ElementKind::kLineBreak) ++j;
    if (j < body.size() && body[j].kind == abc::ElementKind::kEnding) {
      for (size_t k = j + 1; k < body.size(); ++k) {
        if (body[k].kind == abc::ElementKind::kBar && body[k].bar != abc::BarKind::kSingle) return static_cast<int>(k);
      }
      return static_cast<int>(body.size()) - 1;
    }
    return static_cast<int>(i);
  }
  return -1;
}

bool HasNotes(const std::vector<abc::Element>& body, size_t from, size_t to) {
  for (size_t i = from; i < to && i < body.size(); ++i) {
    if (abc::IsDurational(body[i].kind)) return true;
  }
  return false;
}

// The body of the written tune: the lines after its header (the last
// field line, K:, before the first line of music).
std::string BodyText(const abc::Tune& tune) {
  const std::string text = WriteAbc(tune);
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const bool field = start + 1 < text.size() && std::isalpha(static_cast<unsigned char>(text[start])) &&
                       text[start + 1] == ':';
    if (!field) return text.substr(start);
    if (end == std::string::npos) return std::string();
    start = end + 1;
  }
  return std::string();
}

bool Before(const abc::SourcePos& a, const abc::SourcePos& b) {
  return a.line < b.line || (a.line == b.line && a.column < b.column);
}

}  // namespace

Result<abc::Tune> ReadOneTune(std::string_view text) {
  abc::ReadResult read = abc::ReadAbc(text, "tune");
  for (const abc::Diagnostic& d : read.diagnostics) {
    if (d.severity == abc::Severity::kError) {
      return Status::InvalidArgument("line " + std::to_string(d.line) + ", column " + std::to_string(d.column) + ": " +
                                     d.message);
    }
  }
  if (read.tunes.empty()) return Status::InvalidArgument("no tune (a tune starts with an X: line)");
  return std::move(read.tunes[0]);
}

std::string WriteAbc(const abc::Tune& tune) {
  abc::WriteOptions options;
  options.beam_by_beat = true;
  return abc::WriteTune(tune, options);
}

Result<abc::Tune> Transpose(const abc::Tune& tune, int semitones) {
  if (semitones % 12 == 0) return tune;
  // Tonic spellings by pitch class: flats for major-like keys on the flat
  // side, sharps for minor-like ones (C# minor rather than Db minor).
  static const char* kMajorLike[12] = {"C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
  static const char* kMinorLike[12] = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"};
  const bool minor_like = tune.key.mode == abc::Mode::kMinor || tune.key.mode == abc::Mode::kDorian ||
                          tune.key.mode == abc::Mode::kPhrygian || tune.key.mode == abc::Mode::kLocrian;
  const int pc = ((tune.key.TonicPitchClass() + semitones) % 12 + 12) % 12;
  int step = 0, alter = 0;
  if (!abc::ParseTonic(minor_like ? kMinorLike[pc] : kMajorLike[pc], &step, &alter)) {
    return Status::InvalidArgument("transpose: no key name for pitch class " + std::to_string(pc));
  }
  return abc::TransposeTo(tune, step, alter);
}

abc::Tune WithTempo(abc::Tune tune, int qpm) {
  std::erase_if(tune.header, [](const abc::Field& f) { return f.key == 'Q'; });
  abc::Field q;
  q.key = 'Q';
  q.value = "1/4=" + std::to_string(qpm);
  // Before K:, which ends the header.
  auto k = std::find_if(tune.header.begin(), tune.header.end(), [](const abc::Field& f) { return f.key == 'K'; });
  tune.header.insert(k, q);
  return tune;
}

abc::Tune Swung(abc::Tune tune) {
  const abc::Meter& m = tune.meter;
  const bool simple = m.symbol == abc::Meter::Symbol::kCommon || m.symbol == abc::Meter::Symbol::kCut ||
                      (m.symbol == abc::Meter::Symbol::kNumeric && m.den == 4);
  if (!simple) return tune;
  const abc::Rational eighth(1, 8), beat(1, 4);
  std::vector<abc::Element> out;
  out.reserve(tune.body.size() * 2);
  abc::Rational t(0);
  bool lost = false;  // a tuplet or a broken pair in this bar: positions no longer known
  auto& body = tune.body;
  for (size_t i = 0; i < body.size(); ++i) {
    const abc::Element& e = body[i];
    out.push_back(e);
    if (e.kind == abc::ElementKind::kBar) {
      t = 0;
      lost = false;
      continue;
    }
    if (e.kind == abc::ElementKind::kTuplet || e.kind == abc::ElementKind::kBrokenRhythm) lost = true;
    if (!abc::IsDurational(e.kind)) continue;
    const abc::Rational start = t;
    t += e.length;
    if (lost || e.kind != abc::ElementKind::kNote || e.length != eighth) continue;
    const abc::Rational in_beat = start - abc::Rational((start / beat).num() / (start / beat).den()) * beat;
    if (in_beat != abc::Rational(0)) continue;
    if (i + 1 < body.size() && body[i + 1].kind == abc::ElementKind::kNote && body[i + 1].length == eighth) {
      abc::Element broken;
      broken.kind = abc::ElementKind::kBrokenRhythm;
      broken.broken = 1;
      broken.pos = body[i + 1].pos;
      out.push_back(broken);
      // The pair keeps its written length: A>B is as long as AB.
      out.push_back(body[i + 1]);
      t += body[i + 1].length;
      ++i;
    }
  }
  tune.body = std::move(out);
  return tune;
}

Result<abc::Tune> Part(const abc::Tune& tune, std::string_view part) {
  const int end = FirstPartEnd(tune);
  if (part == "A") {
    if (end < 0) return tune;  // one part: the whole tune
    abc::Tune a = tune;
    a.body.resize(end + 1);
    if (a.body.back().bar == abc::BarKind::kRepeatBoth) a.body.back().bar = abc::BarKind::kRepeatEnd;
    return a;
  }
  if (end < 0 || !HasNotes(tune.body, end + 1, tune.body.size())) {
    return Status::NotFound("the tune has no part " + std::string(part));
  }
  abc::Tune b = tune;
  b.body.assign(tune.body.begin() + end + 1, tune.body.end());
  if (tune.body[end].bar == abc::BarKind::kRepeatBoth) {
    abc::Element open;
    open.kind = abc::ElementKind::kBar;
    open.bar = abc::BarKind::kRepeatStart;
    b.body.insert(b.body.begin(), open);
  }
  return b;
}

Result<Prime> PrimeOfFirstBars(const abc::Tune& tune, int keep_bars) {
  const abc::BarCheck bars = abc::CheckBars(tune);
  const int n = static_cast<int>(bars.bars.size());
  if (keep_bars >= n) {
    return Status::InvalidArgument("keep_bars must be less than the tune's " + std::to_string(n) + " bars");
  }
  const abc::SourcePos cut = bars.bars[keep_bars].pos;
  abc::Tune head = tune;
  head.body.clear();
  for (const abc::Element& e : tune.body) {
    if (!Before(e.pos, cut)) break;
    head.body.push_back(e);
  }
  // Line breaks at the end say nothing.
  while (!head.body.empty() && head.body.back().kind == abc::ElementKind::kLineBreak) head.body.pop_back();
  return Prime{BodyText(head), keep_bars, n};
}

Result<Prime> PrimeOfFirstPart(const abc::Tune& tune) {
  const int end = FirstPartEnd(tune);
  if (end < 0 || !HasNotes(tune.body, end + 1, tune.body.size())) {
    return Status::InvalidArgument("the tune has one part only: give keep_bars instead of keep");
  }
  auto a = Part(tune, "A");
  if (!a.ok()) return a.status();
  return Prime{BodyText(*a), static_cast<int>(abc::CheckBars(*a).bars.size()),
               static_cast<int>(abc::CheckBars(tune).bars.size())};
}

}  // namespace tunesmith::serve
