#include "abc/beaming.h"

#include <optional>

#include "abc/timeline.h"

namespace tunesmith::abc {
namespace {

int64_t Floor(Rational r) {
  const int64_t q = r.num() / r.den();
  return r.num() < 0 && q * r.den() != r.num() ? q - 1 : q;
}

bool CommonTime(const Meter& m) { return (m.num == 4 && m.den == 4) || (m.num == 2 && m.den == 2); }

// Notes that must not be separated from the note before them: the second and
// later notes of a tuplet, the second note of a broken-rhythm pair.
std::vector<bool> JoinedToPrevious(const Tune& tune) {
  const auto& body = tune.body;
  std::vector<bool> joined(body.size(), false);
  std::vector<int> tuplets;  // notes still to come in each open tuplet
  bool tuplet_started = false;  // a note of an open tuplet has been seen
  for (size_t k = 0; k < body.size(); ++k) {
    const Element& e = body[k];
    if (e.kind == ElementKind::kTuplet) {
      if (tuplets.empty()) tuplet_started = false;
      tuplets.push_back(e.tuplet.r);
    } else if (IsDurational(e.kind)) {
      if (!tuplets.empty()) {
        joined[k] = tuplet_started;
        tuplet_started = true;
        for (int& left : tuplets) --left;
        std::erase_if(tuplets, [](int left) { return left <= 0; });
      }
    } else if (e.kind == ElementKind::kBar) {
      tuplets.clear();  // a tuplet never runs across a bar line in a written tune
    }
  }
  for (size_t k = 0; k < body.size(); ++k) {
    if (body[k].kind != ElementKind::kBrokenRhythm) continue;
    size_t after = k;
    while (++after < body.size() && TransparentForBroken(body[after].kind)) {}
    if (after < body.size() && IsDurational(body[after].kind)) joined[after] = true;
  }
  return joined;
}

struct Placed {
  size_t index;   // into tune.body
  Rational start, end;  // within the bar, from its downbeat
  Rational written;     // written length
  Rational group_start, group_len;
  bool within = false;  // inside one group
};

void Group(Placed* n, Rational group) {
  const int64_t g = Floor(n->start / group);
  n->group_start = group * Rational(g);
  n->group_len = group;
  n->within = n->end <= n->group_start + group;
}

}  // namespace

Rational BeamGroupLength(const Meter& meter) {
  if (meter.symbol == Meter::Symbol::kFree || meter.num <= 0 || meter.den <= 0) return Rational(1, 4);
  if (meter.den >= 8 && meter.num % 3 == 0) return Rational(3, meter.den);  // 3/8, 6/8, 9/8, 12/8, 6/16
  if (CommonTime(meter)) return Rational(1, 2);
  return Rational(1, 4);
}

std::vector<bool> BeatBeamBreaks(const Tune& tune) {
  const auto& body = tune.body;
  std::vector<bool> breaks(body.size(), false);
  const std::vector<Rational> lengths = SoundingLengths(tune);
  const std::vector<bool> joined = JoinedToPrevious(tune);
  Meter meter = tune.meter;
  bool first_bar = true;
  BarKind opening = BarKind::kSingle;  // the bar line before the bar
  size_t k = 0;
  while (k < body.size()) {
    // One bar: the elements up to the next bar line.
    std::vector<Placed> notes;
    std::optional<Meter> bar_meter;
    bool lead_in = false;  // an ending or field between the bar line and the first note
    Rational total(0);
    size_t j = k;
    for (; j < body.size() && body[j].kind != ElementKind::kBar; ++j) {
      const Element& e = body[j];
      if (e.kind == ElementKind::kField && e.meter) meter = *e.meter;
      if (notes.empty() && (e.kind == ElementKind::kEnding || e.kind == ElementKind::kField)) lead_in = true;
      if (!IsDurational(e.kind)) continue;
      if (!bar_meter) bar_meter = meter;
      notes.push_back({j, total, total + lengths[j], e.length, Rational(0), Rational(0)});
      total += lengths[j];
    }
    const BarKind closing = j < body.size() ? body[j].bar : BarKind::kFinal;
    if (!notes.empty()) {
      const Rational group = BeamGroupLength(*bar_meter);
      const auto full = bar_meter->BarLength();
      const bool section_start = first_bar || opening != BarKind::kSingle;
      const bool pickup_close = closing == BarKind::kSingle || closing == BarKind::kRepeatStart;
      if (full && total < *full && section_start && pickup_close) {
        for (Placed& n : notes) {
          n.start += *full - total;
          n.end += *full - total;
        }
      }
      for (Placed& n : notes) Group(&n, group);
      if (CommonTime(*bar_meter)) {
        // A half bar holding notes shorter than an eighth beams by quarter.
        for (Placed& n : notes) {
          bool short_notes = false;
          for (const Placed& m : notes) {
            short_notes |= m.within && m.group_start == n.group_start && m.written < Rational(1, 8);
          }
          if (n.within && short_notes) Group(&n, group / Rational(2));
        }
      }
      breaks[notes[0].index] = lead_in;
      for (size_t i = 1; i < notes.size(); ++i) {
        const Placed& a = notes[i - 1];
        const Placed& b = notes[i];
        const bool together = a.within && b.within && a.group_start == b.group_start && a.group_len == b.group_len;
        breaks[b.index] = !joined[b.index] && !together;
      }
      first_bar = false;
    }
    if (j < body.size()) opening = closing;
    k = j + 1;
  }
  return breaks;
}

}  // namespace tunesmith::abc
