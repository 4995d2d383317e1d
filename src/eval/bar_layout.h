// The bars and parts of a tune as written, for the structure figures
// (structure.h; docs/eval.md, "Structure"). Repeats are not unfolded: a part
// under a repeat sign is written, and counted, once; first and second endings
// are both kept, in written order.
//
//   BarLayout layout = LayOutBars(tune);
//   for (const WrittenBar& b : layout.bars) if (!b.pickup) ...   // b.notes: what sounds in it
//   double s = GridSimilarity(layout.bars[0], layout.bars[4]);   // 0..1
#pragma once

#include <vector>

#include "abc/rational.h"
#include "abc/tune.h"

namespace tunesmith::eval {

// One event of a bar: a note (its highest pitch if a chord) or a rest, cut to
// the bar. A note tied across the bar line appears in both bars, the second
// time with tied_in set (it sounds on, it is not struck again).
struct BarNote {
  abc::Rational onset;   // from the start of the bar, whole notes
  abc::Rational length;  // sounding length inside this bar
  int pitch = -1;        // MIDI number, -1 for a rest
  bool tied_in = false;  // held over from the previous bar
  bool tied_out = false; // held on into the next bar

  friend bool operator==(const BarNote&, const BarNote&) = default;
};

// The music between two bar lines (or a bar line and an ending mark, a part
// label, the start or the end of the tune), in written order.
struct WrittenBar {
  abc::Rational start;   // from the start of the tune, whole notes
  abc::Rational length;  // sounding length
  std::vector<BarNote> notes;
  int part = 0;          // index into BarLayout::parts
  int ending = 0;        // the (first) number of the ending it lies in; 0 outside endings
  bool pickup = false;   // a part's first bar when shorter than the meter's bar
  bool full = false;     // length equals the header meter's bar length
  abc::BarKind closing = abc::BarKind::kFinal;  // the bar line after it (kFinal at the end of the tune)
};

struct Part {
  int first_bar = 0;  // index of its first bar in BarLayout::bars (its pickup, if any)
  int end_bar = 0;    // one past its last bar
};

struct BarLayout {
  std::vector<WrittenBar> bars;  // every bar of the tune, pickups included
  std::vector<Part> parts;       // parts holding at least one bar that is not a pickup
  abc::Rational bar_length;      // the header meter's bar length (0 in free meter)
};

// Splits `tune` into bars and parts. A part ends at a bar line other than
// '|' (:| :: || |] [| and |: after music) or at a P: label in the body,
// except where the next bar starts an ending (the first ending's :| does not
// end its part: the part runs on through its last ending). A part's first
// bar is a pickup when shorter than the meter's bar. A part made only of a
// pickup (a pickup written before the first |:) is dropped, its bar kept
// with part = -1. Never fails; a tune without bars has no parts.
BarLayout LayOutBars(const abc::Tune& tune);

// The bars of part `p` that are not pickups, in written order (indices into layout.bars).
std::vector<int> PartBars(const BarLayout& layout, int p);

// The bars of part `p` that are played the first time through: not pickups,
// not in a second or later ending (indices into layout.bars).
std::vector<int> FirstPassBars(const BarLayout& layout, int p);

// Every bar of the tune that is not a pickup, in written order.
std::vector<int> TuneBars(const BarLayout& layout);

// Grid points per whole note: the similarity grid is a sixteenth-note grid.
inline constexpr int kGridPerWhole = 16;
// A bar is sampled on at most this many points (256 whole notes), so that a
// hostile file's bar of thousands of whole notes costs no more than that.
inline constexpr int kMaxGridPoints = 4096;

// Onset/pitch grid similarity of two bars, 0..1: each bar is sampled at
// every sixteenth from its start (ceil(length * 16) points, at most
// kMaxGridPoints); a point holds
// the pitch sounding there (-1 for a rest or nothing) and whether a note or
// rest is struck exactly there. The similarity is the share of points, over
// the longer bar's count, where both agree (points past the shorter bar's
// end never agree). Two empty bars have similarity 1.
double GridSimilarity(const WrittenBar& a, const WrittenBar& b);

// Exact equality of content: the same sequence of (onset, length, pitch,
// tied_in) and the same length. Chord symbols and bar lines are ignored.
bool SameContent(const WrittenBar& a, const WrittenBar& b);

}  // namespace tunesmith::eval
