#include "abc/timeline.h"

#include <map>
#include <utility>

namespace tunesmith::abc {
namespace {

struct ActiveTuplet {
  Rational factor;
  int remaining;
};

}  // namespace

std::vector<Rational> SoundingLengths(const Tune& tune) {
  const auto& body = tune.body;
  std::vector<Rational> lengths(body.size(), Rational(0));
  std::vector<ActiveTuplet> tuplets;
  for (size_t k = 0; k < body.size(); ++k) {
    const Element& e = body[k];
    if (e.kind == ElementKind::kTuplet) {
      tuplets.push_back({Rational(e.tuplet.q, e.tuplet.p), e.tuplet.r});
    } else if (IsDurational(e.kind)) {
      Rational length = e.length;
      for (auto& t : tuplets) {
        length *= t.factor;
        --t.remaining;
      }
      std::erase_if(tuplets, [](const ActiveTuplet& t) { return t.remaining <= 0; });
      lengths[k] = length;
    }
  }
  // a>b: a gets 3/2 and b 1/2 (>> 7/4 and 1/4, >>> 15/8 and 1/8); < the other way.
  for (size_t k = 0; k < body.size(); ++k) {
    if (body[k].kind != ElementKind::kBrokenRhythm) continue;
    size_t before = k, after = k;
    while (before-- > 0 && TransparentForBroken(body[before].kind)) {}
    while (++after < body.size() && TransparentForBroken(body[after].kind)) {}
    if (before >= body.size() || after >= body.size() || !IsDurational(body[before].kind) || !IsDurational(body[after].kind))
      continue;
    int n = body[k].broken > 0 ? body[k].broken : -body[k].broken;
    Rational shortf(1, int64_t{1} << n);
    Rational longf = Rational(2) - shortf;
    if (body[k].broken > 0) {
      lengths[before] *= longf;
      lengths[after] *= shortf;
    } else {
      lengths[before] *= shortf;
      lengths[after] *= longf;
    }
  }
  return lengths;
}

std::vector<NoteEvent> Timeline(const Tune& tune) {
  std::vector<NoteEvent> events;
  std::vector<Rational> lengths = SoundingLengths(tune);
  std::array<int, 7> signature = tune.key.Signature();
  std::map<std::pair<int, int>, int> bar_accidentals;  // (step, octave) -> alteration
  Rational time(0);
  int bar = 0;
  bool bar_has_time = false;
  bool tie_open = false;
  std::vector<Pitch> tied_pitches;
  for (size_t k = 0; k < tune.body.size(); ++k) {
    const Element& e = tune.body[k];
    if (e.kind == ElementKind::kBar) {
      bar_accidentals.clear();
      if (bar_has_time) ++bar;
      bar_has_time = false;
      continue;
    }
    if (e.kind == ElementKind::kField && e.key) {
      signature = e.key->Signature();
      continue;
    }
    if (!IsDurational(e.kind)) continue;
    std::vector<int> midi;
    std::vector<Pitch> written;
    for (const Pitch& p : e.pitches) {
      auto where = std::make_pair(p.step, p.octave);
      if (p.accidental != Accidental::kNone) bar_accidentals[where] = AccidentalAlter(p.accidental);
      auto found = bar_accidentals.find(where);
      int alter = found != bar_accidentals.end() ? found->second : signature[p.step];
      midi.push_back(MidiNumber(p, alter));
      Pitch plain = p;
      plain.accidental = Accidental::kNone;
      written.push_back(plain);
    }
    // A tie joins the next note of the same written pitches into one event.
    bool joins = tie_open && e.kind == ElementKind::kNote && !events.empty() && written == tied_pitches;
    if (joins) {
      events.back().length += lengths[k];
    } else {
      NoteEvent ev;
      ev.start = time;
      ev.length = lengths[k];
      ev.midi = std::move(midi);
      ev.bar = bar;
      ev.chord_symbol = e.chord_symbol;
      events.push_back(std::move(ev));
    }
    if (lengths[k] > Rational(0)) bar_has_time = true;
    time += lengths[k];
    tie_open = e.kind == ElementKind::kNote && e.tie;
    tied_pitches = std::move(written);
  }
  return events;
}

}  // namespace tunesmith::abc
