#include "abc/bar_check.h"

#include "abc/timeline.h"

namespace tunesmith::abc {
namespace {

// The music between two bar lines (or a bar line and an ending mark).
struct Segment {
  Rational length;
  std::optional<Rational> expected;  // nullopt in free meter
  SourcePos pos;
  bool ends_structural = false;  // ends at a bar other than '|', a part or field, or an ending
  bool ends_repeat = false;      // ends at :| or ::
  bool ending_follows = false;   // an ending starts right after it
  bool starts_section = false;   // first of the tune, or after a structural end
  int starts_ending = 0;         // number of the ending it starts (1, 2 ...), 0 if none
};

std::vector<Segment> Segments(const Tune& tune) {
  std::vector<Rational> lengths = SoundingLengths(tune);
  std::vector<Segment> segments;
  Meter meter = tune.meter;
  Segment current;
  current.expected = meter.BarLength();
  current.starts_section = true;
  bool has_start = false;
  auto close = [&](bool structural, bool repeat, bool ending) {
    if (current.length > Rational(0)) {
      current.ends_structural = structural || ending;
      current.ends_repeat = repeat;
      current.ending_follows = ending;
      segments.push_back(current);
      current = Segment();
      current.starts_section = structural || ending;
    } else if (!segments.empty()) {
      // Nothing between two marks: the marks belong to the previous segment.
      segments.back().ends_structural |= structural || ending;
      segments.back().ends_repeat |= repeat;
      segments.back().ending_follows |= ending;
      current.starts_section |= structural || ending;
    }
    current.expected = meter.BarLength();
    has_start = false;
  };
  for (size_t k = 0; k < tune.body.size(); ++k) {
    const Element& e = tune.body[k];
    switch (e.kind) {
      case ElementKind::kBar:
        close(e.bar != BarKind::kSingle, e.bar == BarKind::kRepeatEnd || e.bar == BarKind::kRepeatBoth, false);
        break;
      case ElementKind::kEnding: {
        int number = 0;
        for (char c : e.text) {
          if (c < '0' || c > '9' || number > 1000) break;
          number = number * 10 + (c - '0');
        }
        if (current.length > Rational(0)) {
          close(true, false, true);
        } else if (!segments.empty()) {
          segments.back().ending_follows = true;
          segments.back().ends_structural = true;
        }
        current.starts_ending = number > 0 ? number : 1;
        break;
      }
      case ElementKind::kPart:
        // A part label, even in the middle of a bar, starts a section.
        close(true, false, false);
        break;
      case ElementKind::kField:
        if (e.meter) {
          meter = *e.meter;
          if (current.length == Rational(0)) current.expected = meter.BarLength();
        }
        if (e.meter || e.key) close(true, false, false);
        break;
      case ElementKind::kNote:
      case ElementKind::kRest:
        if (!has_start) {
          current.pos = e.pos;
          has_start = true;
        }
        current.length += lengths[k];
        break;
      default:
        break;
    }
  }
  if (current.length > Rational(0)) segments.push_back(current);
  return segments;
}

}  // namespace

BarCheck CheckBars(const Tune& tune) {
  BarCheck check;
  std::vector<Segment> segs = Segments(tune);
  Rational pickup(0);          // the last pickup met: its complement may close a section
  Rational before_endings(0);  // a partial bar cut by the first ending of a group
  auto add = [&](const Segment& s, Rational length, bool off) {
    BarInfo info;
    info.length = length;
    info.expected = s.expected.value_or(length);
    info.off_meter = off;
    info.pos = s.pos;
    check.bars.push_back(info);
    if (!off) return;
    check.off_meter++;
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.file = tune.file;
    d.x = tune.x;
    d.title = tune.Title();
    d.line = s.pos.line;
    d.column = s.pos.column;
    d.message = "bar " + std::to_string(check.bars.size()) + " lasts " + length.ToString() + " but the meter wants " +
                info.expected.ToString();
    check.diagnostics.push_back(std::move(d));
  };
  for (size_t k = 0; k < segs.size(); ++k) {
    const Segment& s = segs[k];
    bool last = k + 1 == segs.size();
    if (!s.expected) {
      add(s, s.length, false);
      continue;
    }
    Rational bar = *s.expected;
    // The partial bar before the endings stays known through the first
    // ending's bars, until a section that is not an ending starts.
    if (s.starts_section && !s.starts_ending) before_endings = Rational(0);
    if (s.length == bar) {
      add(s, s.length, false);
      continue;
    }
    if (s.length > bar) {
      add(s, s.length, true);
      continue;
    }
    // A bar split by a repeat sign, a double bar, a part or an ending.
    if (s.ends_structural && !last && segs[k + 1].expected == s.expected && s.length + segs[k + 1].length == bar) {
      add(s, bar, false);
      // The second half is the new section's pickup (or the start of an ending).
      if (s.ending_follows) before_endings = s.length;
      else pickup = segs[k + 1].length;
      ++k;
      continue;
    }
    // A later ending completing the partial bar before the first one.
    if (s.starts_ending > 1 && before_endings > Rational(0) && s.length + before_endings == bar) {
      add(s, bar, false);
      continue;
    }
    // The complement of the pickup, where a section or the tune ends.
    if ((s.ends_repeat || s.ending_follows || s.ends_structural || last) && pickup > Rational(0) &&
        s.length + pickup == bar) {
      add(s, s.length, false);
      continue;
    }
    // A pickup (anacrusis) at the start of the tune or of a section.
    if ((k == 0 || s.starts_section) && !last) {
      pickup = s.length;
      add(s, s.length, false);
      continue;
    }
    add(s, s.length, true);
  }
  return check;
}

}  // namespace tunesmith::abc
