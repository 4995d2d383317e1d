#include "eval/bar_layout.h"

#include <algorithm>

#include "abc/timeline.h"

namespace tunesmith::eval {
namespace {

using abc::BarKind;
using abc::ElementKind;
using abc::Rational;

struct Segment {
  Rational start, length;
  int ending = 0;
  bool starts_ending = false;  // an ending mark opens it
  bool structural = false;     // closed by a bar line other than '|', a part label or the end
  BarKind closing = BarKind::kFinal;
};

int EndingNumber(const std::string& text) {
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || n > 1000) break;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? n : 1;
}

std::vector<Segment> Segments(const abc::Tune& tune) {
  const std::vector<Rational> lengths = abc::SoundingLengths(tune);
  std::vector<Segment> segments;
  Segment current;
  Rational time(0);
  int ending_open = 0;
  // Closes the current segment at a bar line of `kind` (an ending mark or a
  // part label inside a bar closes it too). Marks between two bar lines
  // without music belong to the segment before them.
  auto close = [&](BarKind kind, bool structural) {
    if (current.length > Rational(0)) {
      current.closing = kind;
      current.structural = structural;
      segments.push_back(current);
      current = Segment();
    } else if (!segments.empty() && structural) {
      segments.back().structural = true;
      if (segments.back().closing == BarKind::kSingle) segments.back().closing = kind;
    }
    if (structural) ending_open = 0;
    current.start = time;
    current.ending = ending_open;
  };
  for (std::size_t k = 0; k < tune.body.size(); ++k) {
    const abc::Element& e = tune.body[k];
    switch (e.kind) {
      case ElementKind::kBar:
        close(e.bar, e.bar != BarKind::kSingle);
        break;
      case ElementKind::kEnding:
        if (current.length > Rational(0)) close(BarKind::kSingle, false);
        ending_open = EndingNumber(e.text);
        current.ending = ending_open;
        current.starts_ending = true;
        break;
      case ElementKind::kPart:
        close(BarKind::kSingle, true);
        break;
      case ElementKind::kNote:
      case ElementKind::kRest:
        current.length += lengths[k];
        time += lengths[k];
        break;
      default:
        break;
    }
  }
  if (current.length > Rational(0)) {
    current.structural = true;
    current.closing = BarKind::kFinal;
    segments.push_back(current);
  } else if (!segments.empty()) {
    segments.back().structural = true;
  }
  return segments;
}

// Cuts the timeline's events to the bars: an event sounding across a bar line
// (a tie) is in both bars.
void FillNotes(const std::vector<abc::NoteEvent>& events, std::vector<WrittenBar>& bars) {
  std::size_t first = 0;
  for (WrittenBar& bar : bars) {
    const Rational bar_end = bar.start + bar.length;
    while (first < events.size() && events[first].start + events[first].length <= bar.start) ++first;
    for (std::size_t k = first; k < events.size() && events[k].start < bar_end; ++k) {
      const abc::NoteEvent& e = events[k];
      const Rational end = e.start + e.length;
      if (end <= bar.start) continue;
      const Rational from = std::max(e.start, bar.start), to = std::min(end, bar_end);
      if (to <= from) continue;
      BarNote n;
      n.onset = from - bar.start;
      n.length = to - from;
      n.pitch = e.midi.empty() ? -1 : *std::max_element(e.midi.begin(), e.midi.end());
      n.tied_in = e.start < bar.start;
      n.tied_out = end > bar_end;
      bar.notes.push_back(n);
    }
  }
}

struct GridPoint {
  int pitch = -1;
  bool struck = false;
  friend bool operator==(const GridPoint&, const GridPoint&) = default;
};

std::vector<GridPoint> Grid(const WrittenBar& bar) {
  const Rational points = bar.length * Rational(kGridPerWhole);
  const int64_t n = (points.num() + points.den() - 1) / points.den();
  std::vector<GridPoint> grid(static_cast<std::size_t>(std::clamp<int64_t>(n, 0, kMaxGridPoints)));
  for (std::size_t k = 0; k < grid.size(); ++k) {
    const Rational t(static_cast<int64_t>(k), kGridPerWhole);
    for (const BarNote& note : bar.notes) {
      if (note.onset <= t && t < note.onset + note.length) {
        grid[k].pitch = note.pitch;
        grid[k].struck = note.onset == t && !note.tied_in;
        break;
      }
    }
  }
  return grid;
}

}  // namespace

BarLayout LayOutBars(const abc::Tune& tune) {
  BarLayout layout;
  layout.bar_length = tune.meter.BarLength().value_or(Rational(0));
  const std::vector<Segment> segments = Segments(tune);
  int part = 0;
  bool part_open = false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    WrittenBar bar;
    bar.start = s.start;
    bar.length = s.length;
    bar.ending = s.ending;
    bar.closing = s.closing;
    bar.full = layout.bar_length > Rational(0) && s.length == layout.bar_length;
    if (!part_open) {
      layout.parts.push_back({static_cast<int>(layout.bars.size()), static_cast<int>(layout.bars.size())});
      bar.pickup = layout.bar_length > Rational(0) && s.length < layout.bar_length;
      part_open = true;
    }
    bar.part = part;
    layout.bars.push_back(bar);
    layout.parts.back().end_bar = static_cast<int>(layout.bars.size());
    const bool ending_follows = i + 1 < segments.size() && segments[i + 1].starts_ending;
    if (s.structural && !ending_follows) {
      part_open = false;
      // A part made only of a pickup is no part.
      const Part& p = layout.parts.back();
      if (p.end_bar - p.first_bar == 1 && layout.bars[p.first_bar].pickup) {
        layout.bars[p.first_bar].part = -1;
        layout.parts.pop_back();
      } else {
        ++part;
      }
    }
  }
  if (part_open) {
    const Part& p = layout.parts.back();
    if (p.end_bar - p.first_bar == 1 && layout.bars[p.first_bar].pickup) {
      layout.bars[p.first_bar].part = -1;
      layout.parts.pop_back();
    }
  }
  FillNotes(abc::Timeline(tune), layout.bars);
  return layout;
}

std::vector<int> PartBars(const BarLayout& layout, int p) {
  std::vector<int> out;
  for (int i = layout.parts[p].first_bar; i < layout.parts[p].end_bar; ++i) {
    if (!layout.bars[i].pickup) out.push_back(i);
  }
  return out;
}

std::vector<int> FirstPassBars(const BarLayout& layout, int p) {
  std::vector<int> out;
  for (int i : PartBars(layout, p)) {
    if (layout.bars[i].ending <= 1) out.push_back(i);
  }
  return out;
}

std::vector<int> TuneBars(const BarLayout& layout) {
  std::vector<int> out;
  for (std::size_t p = 0; p < layout.parts.size(); ++p) {
    for (int i : PartBars(layout, static_cast<int>(p))) out.push_back(i);
  }
  return out;
}

double GridSimilarity(const WrittenBar& a, const WrittenBar& b) {
  const std::vector<GridPoint> ga = Grid(a), gb = Grid(b);
  const std::size_t n = std::max(ga.size(), gb.size());
  if (n == 0) return 1;
  std::size_t same = 0;
  for (std::size_t k = 0; k < std::min(ga.size(), gb.size()); ++k) same += ga[k] == gb[k];
  return static_cast<double>(same) / static_cast<double>(n);
}

bool SameContent(const WrittenBar& a, const WrittenBar& b) {
  if (a.length != b.length || a.notes.size() != b.notes.size()) return false;
  for (std::size_t i = 0; i < a.notes.size(); ++i) {
    const BarNote &x = a.notes[i], &y = b.notes[i];
    if (x.onset != y.onset || x.length != y.length || x.pitch != y.pitch || x.tied_in != y.tied_in) return false;
  }
  return true;
}

}  // namespace tunesmith::eval
