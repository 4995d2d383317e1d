// Whether a tune can still be finished from a state: the guarantee that the
// mask never dead-ends (Viable, CanFinishBar).
#include "generate/grammar_mask.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "generate/grammar_internal.h"

namespace tunesmith::generate {

bool GrammarState::RhythmFits(const tokens::Token& rhythm) const {
  return internal::RhythmFitsMeter(rules_->options_, rhythm.rhythm, meter_num_, meter_den_);
}

bool GrammarState::Viable() const {
  if (phase_ == Phase::kMode || phase_ == Phase::kRhythm) {
    // The meter chosen must leave a rhythm to write (every meter offered can be filled).
    const std::string& forced = rules_->options_.rhythm;
    for (int32_t id : rules_->rhythm_ids_) {
      const auto& info = rules_->info_[id];
      if (info.valid && (forced.empty() || info.token.text == forced) && RhythmFits(info.token)) return true;
    }
    return false;
  }
  if (phase_ != Phase::kBody) return true;
  if (Blocked()) return true;               // the forced token exists (checked in Make)
  // At a bar line where the tune may end, </s> finishes it even when no bar
  // line could close another bar (a vocabulary with :| but no |] or ||).
  if (EndAllowed()) return true;
  return CanFinishBar();
}

// Can the current bar still end on a bar line the state allows? Finishes what
// is open (the last note's length, a chord, a tuplet's notes, the note after a
// broken-rhythm mark, the note a chord symbol or a tie waits for), then fills
// the rest with plain notes. Only continuations built from the vocabulary's
// tokens count, so every step of one is itself allowed: no dead ends.
bool GrammarState::CanFinishBar() const {
  const GrammarRules& r = *rules_;
  const TimeFill& fill = r.fill_;
  struct Target {
    Rational at;
    bool any = false;     // some bar line may close the bar here
    bool single = false;  // '|' may (what a tie across the bar line needs)
  };
  const uint32_t full_kinds = ClosingKinds(bar_len_);
  const Target full{bar_len_, full_kinds != 0, (full_kinds & Bit(BarKind::kSingle)) != 0};
  Target comp;  // the complement of the pickup, or the pickup itself when a section starts with it
  if (shifted_ || pickup_due_) {
    const Rational at = pickup_due_ ? pickup_ : bar_len_ - pickup_;
    const uint32_t k = ClosingKinds(at);
    comp = {at, k != 0, (k & Bit(BarKind::kSingle)) != 0};
  }
  Target pick;  // any whole number of eighths short of the bar
  if (first_bar_) {
    const uint32_t k = r.options_.structure.free() ? FreeKinds(false, false, true) : StructureKinds(false, false, true);
    pick = {Rational(0), k != 0, (k & Bit(BarKind::kSingle)) != 0};
  }

  const bool in_chord = chord_notes_ >= 0;
  const Rational dur_factor = (dur_open_ || in_chord) ? factor_ : Rational(0);
  const bool needs_note = chord_symbol_pending_;
  const bool tie = tie_pitch_ >= 0;
  GrammarRules::FinishKey key;
  key.used = used_;
  key.bar = bar_len_;
  key.comp = comp.at;
  key.dur_factor = dur_factor;
  key.tuplet_factor = tuplet_left_ > 0 ? tuplet_factor_ : Rational(0);
  key.broken_factor = broken_factor_;
  key.tuplet_left = tuplet_left_;
  key.need_len = (dur_open_ || in_chord) ? need_len_ : Rational(0);
  key.tuplet_len = tuplet_left_ > 0 ? tuplet_len_ : Rational(0);
  const bool first_open = tuplet_first_open_ && (dur_open_ || in_chord);
  key.broken_len = broken_factor_ > Rational(0) ? broken_len_ : Rational(0);
  key.flags = (needs_note ? 1u : 0u) | (tie ? 2u : 0u) | (full.any ? 4u : 0u) | (full.single ? 8u : 0u) |
              (comp.any ? 16u : 0u) | (comp.single ? 32u : 0u) | (pick.any ? 64u : 0u) | (pick.single ? 128u : 0u) |
              (first_open ? 256u : 0u);
  // The bar closes the tune and its last note so far is not the tonic: one more note must come.
  const bool final_bar = FinalBar();
  const bool chord_ok = EndChordOk();  // the tonic triad sounds (or no chord)
  key.flags |= (final_bar ? 512u : 0u) | (last_tonic_ ? 1024u : 0u) |
               (last_sound_ >= kMinFinalNote ? 2048u : 0u) | (chord_ok ? 4096u : 0u);
  // A tie from a note shorter than a beat goes on inside the bar.
  const bool tie_crosses = tie && TieMayCross();
  key.flags |= tie_crosses ? 8192u : 0u;
  if (std::optional<bool> known = r.finish_memo_.Find(key)) return *known;

  // In the last bar a chord symbol off the tonic triad is waiting for its
  // note: a later note must bring the tonic chord back.
  const bool two_notes = final_bar && needs_note && !chord_ok;
  // Can y be filled with plain notes, the last at least kMinFinalNote long
  // (and, with `two`, at least two of them)?
  auto ends_long = [&](Rational y, bool two) {
    for (Rational a : fill.atoms()) {
      if (a > y) break;
      if (a >= kMinFinalNote && fill.Fillable(y - a) && (!two || y > a)) return true;
    }
    return false;
  };
  // From u, with nothing open but possibly a note required (must_add) or a
  // tie; `tonic` false when, in the final bar, the last note is not a tonic
  // long enough to end the tune on.
  auto close = [&](Rational u, bool must_add, bool tie_open, bool tonic) {
    for (const Target* t : std::initializer_list<const Target*>{&full, &comp}) {
      if (!t->any) continue;
      const Rational x = t->at - u;
      if (x < Rational(0)) continue;
      if (x == Rational(0)) {
        if (must_add || (tie_open && (!t->single || !tie_crosses)) || !tonic) continue;
        return true;
      }
      if (!final_bar) {
        if (fill.Fillable(x)) return true;
        continue;
      }
      // The last bar: the notes still to come end with a tonic of at least kMinFinalNote.
      if (tie_open) {
        // The tied note (the last pitch again) first.
        for (Rational a : fill.atoms()) {
          if (a > x) break;
          // (It takes the waiting chord symbol, if any.)
          if (a == x ? last_tonic_ && a >= kMinFinalNote && !two_notes : ends_long(x - a, false)) return true;
        }
        continue;
      }
      if (ends_long(x, two_notes)) return true;
    }
    if (pick.any && u < bar_len_) {
      if (u > Rational(0) && u.den() == 1 && !must_add && (!tie_open || (pick.single && tie_crosses))) return true;
      // Notes up to the next whole eighth short of the bar (at least one note).
      Rational next(u.num() / u.den() + 1);
      const Rational gap = next - u;
      if (next < bar_len_ && fill.Fillable(gap) && gap > Rational(0)) return true;
      if (next + Rational(1) < bar_len_ && fill.Fillable(gap + Rational(1))) return true;
    }
    return false;
  };

  bool result = false;
  const std::vector<Rational> unit = {Rational(1)};
  const std::vector<Rational> needed = {key.need_len};
  const std::vector<Rational>& lengths =
      dur_factor == Rational(0) ? unit : key.need_len != Rational(0) ? needed : fill.atoms();
  for (Rational d : lengths) {
    const Rational u1 = used_ + (d - Rational(1)) * dur_factor;
    if (u1 > bar_len_) break;  // lengths ascend
    if (tuplet_left_ > 0) {
      // The notes still to come are as long as the tuplet's first.
      const std::vector<Rational> first = {key.tuplet_len > Rational(0) ? key.tuplet_len : d};
      const std::vector<Rational>& same = key.tuplet_len > Rational(0) || first_open ? first : fill.atoms();
      for (Rational a : same) {
        const Rational u2 = u1 + tuplet_factor_ * Rational(tuplet_left_) * a;
        if (u2 > bar_len_) break;
        // A tie open into the tuplet's only note left makes that note the tied pitch.
        if (close(u2, false, false, !final_bar)) {  // a tuplet's note does not end a tune
          result = true;
          break;
        }
      }
    } else if (broken_factor_ > Rational(0)) {
      result = close(u1 + broken_factor_ * broken_len_, false, false, !final_bar);  // nor a broken pair's
    } else {
      const Rational sound = dur_factor == Rational(0) ? last_sound_ : d * dur_factor;
      // Ending here needs the tonic, long enough, under the tonic chord; a
      // note still to come can carry the tonic chord symbol.
      result = close(u1, needs_note, tie, !final_bar || (last_tonic_ && sound >= kMinFinalNote && chord_ok));
    }
    if (result) break;
  }
  r.finish_memo_.Insert(key, result);
  return result;
}

}  // namespace tunesmith::generate
