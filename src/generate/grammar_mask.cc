#include "generate/grammar_mask.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "generate/grammar_internal.h"

namespace tunesmith::generate {

namespace {

// A chord on the tonic whose third agrees with the mode's: no major (or
// dominant, sixth, augmented) tonic chord where the mode's third is minor, no
// minor one where it is major. Diminished tonic chords (passing chords in
// the NMD) are left alone.
bool TonicQualityFits(tokens::ChordQuality q, bool minor_third) {
  using Q = tokens::ChordQuality;
  const bool major_third = q == Q::kMajor || q == Q::kDominant7 || q == Q::kMajor7 || q == Q::kMajor6 ||
                           q == Q::kAugmented || q == Q::kAugmented7;
  const bool minor = q == Q::kMinor || q == Q::kMinor7 || q == Q::kMinor6;
  return minor_third ? !major_third : !minor;
}

}  // namespace

// ---- chords and pitches ---------------------------------------------------------

bool GrammarState::TieMayCross() const {
  return !rules_->options_.tie_over_beat || last_sound_ >= beat_;
}

bool GrammarState::EndChordOk() const {
  const GrammarOptions& o = rules_->options_;
  if (!o.final_tonic_chord || !o.chord_symbols || triad_id_ < 0 || o.structure.free()) return true;
  return chord_symbol_pending_ ? pending_chord_tonic_ : last_chord_tonic_;
}

int GrammarState::Sounding(const abc::Pitch& pitch, bool new_bar) const {
  int alter = signature_[pitch.step];
  if (!new_bar && carried_ && pitch.octave >= -5 && pitch.octave <= 5) {
    const int8_t carried = carry_[pitch.step * kOctaves + pitch.octave + 5];
    if (carried != kNoCarry) alter = carried;
  }
  return abc::MidiNumber(pitch, alter);
}

bool GrammarState::InWindow(int32_t id) const {
  const int midi = Sounding(rules_->info_[id].token.pitch, false);
  return midi >= lowest_ && midi <= highest_;
}

void GrammarState::CarryAccidental(const abc::Pitch& pitch) {
  if (pitch.accidental == abc::Accidental::kNone || pitch.octave < -5 || pitch.octave > 5) return;
  carry_[pitch.step * kOctaves + pitch.octave + 5] = static_cast<int8_t>(abc::AccidentalAlter(pitch.accidental));
  carried_ = true;
}

int GrammarState::SoundingPitch(int32_t id) const {
  if (!mode_known_ || id < 0 || id >= rules_->size() || rules_->info_[id].token.cls != TokenClass::kPitch) return -1;
  return Sounding(rules_->info_[id].token.pitch, false);
}

Status GrammarState::SetPitchRange(int lowest_midi, int highest_midi) {
  const std::string window = std::to_string(lowest_midi) + ".." + std::to_string(highest_midi);
  if (highest_midi - lowest_midi < 12) {
    return Status::InvalidArgument("a pitch range must span at least an octave (12 semitones); MIDI " + window + " spans " +
                         std::to_string(highest_midi - lowest_midi));
  }
  // A C inside, here and at the start of any later bar: the tune can end on
  // its tonic. (C is natural in the signature of every mode on C.)
  bool here = false, later = false;
  if (rules_->tonic_group_ >= 0) {
    for (int32_t id : rules_->groups_[rules_->tonic_group_].members) {
      const abc::Pitch& p = rules_->info_[id].token.pitch;
      const int now = Sounding(p, false), fresh = Sounding(p, true);
      here |= now >= lowest_midi && now <= highest_midi;
      later |= fresh >= lowest_midi && fresh <= highest_midi;
    }
  }
  if (!here || !later) {
    return Status::InvalidArgument("no C of the model's vocabulary sounds in MIDI " + window + ": the tune could not end on its tonic");
  }
  if (tie_pitch_ >= 0) {
    const abc::Pitch& p = rules_->info_[tie_pitch_].token.pitch;
    for (bool new_bar : {false, true}) {
      const int midi = Sounding(p, new_bar);
      if (midi < lowest_midi || midi > highest_midi) {
        return Status::InvalidArgument("a tie is open to '" + rules_->vocab_.Token(tie_pitch_) + "' (MIDI " + std::to_string(midi) +
                             "), outside MIDI " + window);
      }
    }
  }
  ranged_ = true;
  lowest_ = lowest_midi;
  highest_ = highest_midi;
  return Status::Ok();
}

// ---- the state machine ---------------------------------------------------------

bool GrammarState::Blocked() const {
  if (phase_ != Phase::kBody) return true;
  // A repeated first part may open with |: or without it (its :| then
  // repeats from the start, as in most of O'Neill's and Ryan's tunes):
  // forcing |: put the model among the few corpus tunes that open so,
  // nearly all NMD tunes with chords.
  return final_ || need_ending2_ || need_repeat_start_;
}

bool GrammarState::EndAllowed() const {
  if (phase_ != Phase::kBody) return false;
  if (final_) return true;
  if (!rules_->options_.structure.free()) return false;
  if (last_ != Last::kBar || used_ != Rational(0)) return false;
  if (last_bar_ != BarKind::kRepeatEnd && last_bar_ != BarKind::kDouble) return false;
  if (repeat_open_ || ending_ == 1 || need_ending2_ || tie_pitch_ >= 0) return false;
  return bars_ >= rules_->options_.min_bars;
}

bool GrammarState::NextBarFinal() const {
  const Structure& s = rules_->options_.structure;
  return !s.free() && part_ + 1 == static_cast<int>(s.parts.size()) && part_bar_ + 2 == s.bars_per_part &&
         ending_ != 1;
}

bool GrammarState::FinalBar() const {
  const Structure& s = rules_->options_.structure;
  return !s.free() && part_ + 1 == static_cast<int>(s.parts.size()) && part_bar_ + 1 == s.bars_per_part &&
         ending_ != 1 && !pickup_due_;
}

uint32_t GrammarState::ClosingKinds(Rational used) const {
  if (pickup_due_) {
    return used == pickup_ && rules_->bar_ids_[static_cast<int>(BarKind::kSingle)] >= 0 ? Bit(BarKind::kSingle) : 0;
  }
  const bool full = used == bar_len_;
  const bool comp = shifted_ && used == bar_len_ - pickup_;
  // A pickup is a whole number of eighths: abc2midi's chord accompaniment runs
  // past the end of a tune whose last (complement) bar ends between eighths.
  const bool pick = first_bar_ && used > Rational(0) && used < bar_len_ && used.den() == 1;
  if (!full && !comp && !pick) return 0;
  uint32_t kinds = rules_->options_.structure.free() ? FreeKinds(full, comp, pick) : StructureKinds(full, comp, pick);
  if (shifted_ && full) kinds &= Bit(BarKind::kSingle);  // sections end on the complement
  for (int k = 0; k < 7; ++k) {
    if (rules_->bar_ids_[k] < 0) kinds &= ~(1u << k);
  }
  return kinds;
}

uint32_t GrammarState::FreeKinds(bool full, bool comp, bool pick) const {
  const GrammarOptions& o = rules_->options_;
  if (pick) return Bit(BarKind::kSingle) | (repeat_open_ ? 0 : Bit(BarKind::kRepeatStart));
  const bool end_ok = bars_ + 1 >= o.min_bars;
  if (ending_ == 1) {
    uint32_t m = Bit(BarKind::kRepeatEnd);
    if (full && !closing_ && ending_bars_ + 1 < o.max_ending_bars) m |= Bit(BarKind::kSingle);
    return m;
  }
  if (ending_ == 2) {
    uint32_t m = Bit(BarKind::kDouble);
    if (end_ok) m |= Bit(BarKind::kFinal);
    if (!closing_ || !rules_->plain_end_) m |= Bit(BarKind::kRepeatStart);
    if (full && !closing_ && ending_bars_ + 1 < ending1_bars_) m |= Bit(BarKind::kSingle);
    return m;
  }
  uint32_t m = 0;
  if (full && !closing_) m |= Bit(BarKind::kSingle);
  // A repeat of at least two bars; without |: only from the start of the tune.
  if ((repeat_open_ || !repeat_seen_) && (bars_in_repeat_ + 1 >= 2 || closing_)) {
    m |= Bit(BarKind::kRepeatEnd);
    if (!closing_) m |= Bit(BarKind::kRepeatBoth);
  }
  if (!repeat_open_) {
    m |= Bit(BarKind::kDouble);
    if (end_ok) m |= Bit(BarKind::kFinal);
    // Closing: a vocabulary without |] and || ends a tune on |: ... :|.
    if (!closing_ || !rules_->plain_end_) m |= Bit(BarKind::kRepeatStart);
  }
  return m;
}

uint32_t GrammarState::StructureKinds(bool full, bool comp, bool pick) const {
  const Structure& s = rules_->options_.structure;
  const int n = s.bars_per_part;
  if (pick) return part_ == 0 && part_bar_ == 0 ? Bit(BarKind::kSingle) : 0;
  const int i = part_bar_ + 1;  // the bar being closed, within its part
  if (i < n) return full ? Bit(BarKind::kSingle) : 0;
  if (i > n) return 0;
  const Structure::Part& part = s.parts[part_];
  const bool last = part_ + 1 == static_cast<int>(s.parts.size());
  const bool next_repeated = !last && s.parts[part_ + 1].repeated;
  const bool has_start = rules_->bar_ids_[static_cast<int>(BarKind::kRepeatStart)] >= 0;
  if (part.repeated && ending_ != 2) {
    if (ending_ == 1 || last || !next_repeated) return Bit(BarKind::kRepeatEnd);
    return Bit(BarKind::kRepeatBoth) | (has_start ? Bit(BarKind::kRepeatEnd) : 0);  // :| then |:
  }
  if (last) return Bit(BarKind::kFinal) | Bit(BarKind::kDouble);
  if (next_repeated) return Bit(BarKind::kRepeatStart) | Bit(BarKind::kDouble);  // || then |:
  return Bit(BarKind::kDouble);
}

void GrammarState::StartNote() {
  Rational f(1);
  need_len_ = Rational(0);
  tuplet_first_open_ = false;
  last_in_tuplet_ = tuplet_left_ > 0;
  if (tuplet_left_ > 0) {
    f *= tuplet_factor_;
    --tuplet_left_;
    if (tuplet_len_ > Rational(0)) {
      need_len_ = tuplet_len_;
    } else {
      tuplet_first_open_ = true;
    }
  }
  last_broken_second_ = broken_factor_ != Rational(0);
  if (last_broken_second_) {
    f *= broken_factor_;
    broken_factor_ = Rational(0);
    need_len_ = broken_len_;
  }
  last_written_ = Rational(1);
  factor_ = f;
  last_sound_ = f;
  last_start_ = used_;
  used_ += f;
  dur_open_ = true;
  if (chord_symbol_pending_) last_chord_tonic_ = pending_chord_tonic_;  // the chord sounds from this note on
  chord_symbol_pending_ = false;
  last_ = Last::kNote;
}

void GrammarState::CloseBar(BarKind kind) {
  const GrammarOptions& o = rules_->options_;
  const Structure& s = o.structure;
  const bool pick = first_bar_ && used_ < bar_len_;
  const bool section_pickup = pickup_due_;
  const Rational closed = used_;
  const bool was_closing = closing_;
  if (pick) {
    pickup_ = used_;
    shifted_ = kind == BarKind::kSingle;
  } else if (section_pickup) {
    pickup_due_ = false;  // the other half of the bar the last section ended with
  } else {
    ++bars_;
    ++bars_in_repeat_;
    if (ending_ != 0) ++ending_bars_;
    if (!s.free()) ++part_bar_;
  }
  first_bar_ = false;
  used_ = Rational(0);
  switch (kind) {
    case BarKind::kSingle:
    case BarKind::kStart: break;
    case BarKind::kDouble:
      if (ending_ == 2) ending_ = 0;
      repeat_seen_ = true;
      break;
    case BarKind::kFinal:
      final_ = true;
      ending_ = 0;
      break;
    case BarKind::kRepeatStart:
      if (ending_ == 2) ending_ = 0;
      repeat_open_ = repeat_seen_ = true;
      bars_in_repeat_ = 0;
      break;
    case BarKind::kRepeatEnd:
      if (ending_ == 1) {
        ending1_bars_ = ending_bars_;
        ending_ = 0;
        need_ending2_ = true;
      }
      repeat_open_ = false;
      repeat_seen_ = true;
      bars_in_repeat_ = 0;
      break;
    case BarKind::kRepeatBoth:
      repeat_open_ = repeat_seen_ = true;
      bars_in_repeat_ = 0;
      break;
  }
  if (!s.free() && !pick && !section_pickup && part_bar_ == s.bars_per_part) {
    if (need_ending2_) {
      part_bar_ = s.bars_per_part - ending_len_;  // the second ending replays the first one's bars
    } else {
      const bool last = part_ + 1 == static_cast<int>(s.parts.size());
      ending_ = 0;
      if (last) {
        final_ = true;
      } else {
        need_repeat_start_ = s.parts[part_ + 1].repeated && kind != BarKind::kRepeatBoth && kind != BarKind::kRepeatStart;
        ++part_;
        part_bar_ = 0;
        ending_len_ = 0;
      }
    }
  }
  // A section ended on the complement: the next one starts with the pickup
  // (a second ending follows the bar before the first, so it starts full).
  if (shifted_ && !pick && !section_pickup && closed == bar_len_ - pickup_ && kind != BarKind::kSingle &&
      !need_ending2_ && !final_) {
    pickup_due_ = true;
  }
  closing_ = s.free() && body_tokens_ >= o.soft_max_tokens && bars_ >= o.min_bars;
  // The bar that had to close the tune did: only </s> may follow.
  if (was_closing && (kind == BarKind::kRepeatEnd || kind == BarKind::kDouble) && !repeat_open_ && ending_ != 1 &&
      !need_ending2_ && bars_ >= o.min_bars) {
    final_ = true;
  }
}

bool GrammarState::Apply(int32_t id) {
  if (id < 0 || id >= rules_->size()) return false;
  const GrammarRules::Info& info = rules_->info_[id];
  if (!info.valid || phase_ == Phase::kDone) return false;
  const tokens::Token& t = info.token;
  const GrammarOptions& o = rules_->options_;
  const Structure& s = o.structure;
  const bool was_open = dur_open_;
  const bool in_body = phase_ == Phase::kBody;
  if (was_open && t.cls != TokenClass::kDuration) {  // the open note stays one eighth long
    if (need_len_ != Rational(0) && need_len_ != Rational(1)) return false;
    need_len_ = Rational(0);
    if (tuplet_first_open_) tuplet_len_ = Rational(1);
    tuplet_first_open_ = false;
  }
  dur_open_ = false;
  bool ok = false;
  switch (t.cls) {
    case TokenClass::kSpecial:  // only </s> is valid
      ok = EndAllowed();
      if (ok) phase_ = Phase::kDone;
      return ok;
    case TokenClass::kMeter:
      if (phase_ != Phase::kMeter || (!o.meter.empty() && t.text != o.meter)) return false;
      bar_len_ = Rational(t.meter.num * 8, t.meter.den);
      beat_ = t.meter.den >= 8 && t.meter.num % 3 == 0 ? Rational(24, t.meter.den)
              : t.meter.den <= 4                        ? Rational(2)
                                                        : Rational(8, t.meter.den);
      meter_num_ = t.meter.num;
      meter_den_ = t.meter.den;
      phase_ = Phase::kMode;
      return true;
    case TokenClass::kMode: {
      if (phase_ != Phase::kMode || (!o.mode.empty() && t.text != o.mode)) return false;
      phase_ = Phase::kRhythm;
      mode_known_ = true;
      minor_third_ = t.mode == abc::Mode::kMinor || t.mode == abc::Mode::kDorian || t.mode == abc::Mode::kPhrygian ||
                     t.mode == abc::Mode::kLocrian;
      triad_id_ = t.mode == abc::Mode::kLocrian ? rules_->dim_triad_
                  : minor_third_                ? rules_->minor_triad_
                                                : rules_->major_triad_;
      abc::Key key;  // C in the tune's mode: the key the body is spelled in
      key.mode = t.mode;
      const std::array<int, 7> signature = key.Signature();
      for (int k = 0; k < 7; ++k) signature_[k] = static_cast<int8_t>(signature[k]);
      return true;
    }
    case TokenClass::kRhythm:
      if (phase_ != Phase::kRhythm || (!o.rhythm.empty() && t.text != o.rhythm) || !RhythmFits(t)) return false;
      phase_ = Phase::kBody;
      last_ = Last::kStart;
      if (t.rhythm == "hornpipe") hornpipe_grid_ = meter_num_ == 2 ? Rational(1) : Rational(2);
      return true;
    case TokenClass::kPitch:
      if (Blocked()) return false;
      if (ranged_ && !InWindow(id)) return false;
      CarryAccidental(t.pitch);
      if (chord_notes_ >= 0) {
        if (chord_notes_ >= o.max_chord_notes) return false;
        ++chord_notes_;
        last_ = Last::kChordOpen;
        ok = true;
        break;
      }
      if (tie_pitch_ >= 0) {
        if (id != tie_pitch_) return false;
        tie_pitch_ = -1;
      }
      StartNote();
      last_is_note_ = last_single_ = true;
      last_tonic_ = info.tonic;
      last_pitch_ = id;
      ok = true;
      break;
    case TokenClass::kRest:
      if (Blocked() || chord_notes_ >= 0 || tie_pitch_ >= 0) return false;
      StartNote();
      last_is_note_ = last_single_ = last_tonic_ = false;
      ok = true;
      break;
    case TokenClass::kChordStart:
      // abc2midi mistimes a chord with a length inside a tuplet: none there.
      if (Blocked() || chord_notes_ >= 0 || tie_pitch_ >= 0 || tuplet_left_ > 0) return false;
      StartNote();  // the chord's time counts from here; its duration follows ]
      dur_open_ = false;
      chord_notes_ = 0;
      last_ = Last::kChordOpen;
      last_is_note_ = true;
      last_single_ = last_tonic_ = false;
      ok = true;
      break;
    case TokenClass::kChordEnd:
      if (chord_notes_ < 2) return false;
      chord_notes_ = -1;
      dur_open_ = true;
      last_ = Last::kNote;
      ok = true;
      break;
    case TokenClass::kDuration:
      if (!was_open || last_ != Last::kNote) return false;
      if (need_len_ != Rational(0) && t.duration != need_len_) return false;
      need_len_ = Rational(0);
      last_written_ = t.duration;
      if (tuplet_first_open_) tuplet_len_ = t.duration;
      tuplet_first_open_ = false;
      used_ += (t.duration - Rational(1)) * factor_;
      last_sound_ = t.duration * factor_;
      last_ = Last::kDuration;
      ok = true;
      break;
    case TokenClass::kTie:
      if ((last_ != Last::kNote && last_ != Last::kDuration) || !last_single_) return false;
      // A tie across the bar line into the tune's last bar only from the tonic:
      // a short complement bar could hold nothing but the tied note.
      if (NextBarFinal() && !last_tonic_ && (used_ == bar_len_ || (shifted_ && used_ == bar_len_ - pickup_))) {
        return false;
      }
      // The tied note is the same token; across a bar line (if one may come
      // next) it loses the bar's accidentals, so it must sound inside the
      // window there too.
      if (ranged_ && ClosingKinds(used_) != 0) {
        const int across = Sounding(rules_->info_[last_pitch_].token.pitch, true);
        if (across < lowest_ || across > highest_) return false;
      }
      tie_pitch_ = last_pitch_;
      last_ = Last::kTie;
      ok = true;
      break;
    case TokenClass::kTuplet:
      if (Blocked() || chord_notes_ >= 0 || chord_symbol_pending_ || tuplet_left_ > 0 ||
          broken_factor_ != Rational(0)) {
        return false;
      }
      // (5 (7 (9 take their q from the meter, and abc2midi counts 3/4, 3/8 and
      // 3/2 as compound where ABC 2.1 (and our writer) does not: not in those meters.
      if (meter_num_ == 3 && tokens::MeterFreeTupletQ(t.tuplet.p) == 0) return false;
      tuplet_left_ = t.tuplet.r;
      tuplet_factor_ = Rational(t.tuplet.q, t.tuplet.p);
      tuplet_len_ = Rational(0);
      last_ = Last::kTuplet;
      ok = true;
      break;
    case TokenClass::kBroken: {
      if (Blocked() || (last_ != Last::kNote && last_ != Last::kDuration)) return false;
      if (last_in_tuplet_ || tuplet_left_ > 0 || last_broken_second_ || tie_pitch_ >= 0) return false;
      if (hornpipe_grid_ > Rational(0) && (last_start_ / hornpipe_grid_).den() != 1) return false;
      const int n = std::abs(t.broken);
      const Rational short_f(1, int64_t{1} << n);
      const Rational long_f = Rational(2) - short_f;
      broken_len_ = last_written_;
      if (t.broken > 0) {
        used_ += last_sound_ * (long_f - Rational(1));
        broken_factor_ = short_f;
      } else {
        used_ += last_sound_ * (short_f - Rational(1));
        broken_factor_ = long_f;
      }
      last_ = Last::kBroken;
      ok = true;
      break;
    }
    case TokenClass::kChordSymbol:
      if (!o.chord_symbols || Blocked() || chord_notes_ >= 0 || chord_symbol_pending_) return false;
      if (o.tonic_chord_quality && info.tonic && !TonicQualityFits(t.chord.quality, minor_third_)) return false;
      pending_chord_tonic_ = id == triad_id_;
      chord_symbol_pending_ = true;
      last_ = Last::kChordSymbol;
      ok = true;
      break;
    case TokenClass::kBar: {
      if (!in_body) return false;
      const BarKind kind = t.bar;
      if (used_ == Rational(0)) {
        // Only |: may stand without music before it: opening the tune, or right after :| or ||.
        if (kind != BarKind::kRepeatStart || repeat_open_ || final_ || need_ending2_) return false;
        const bool at_start = last_ == Last::kStart;
        const bool after_close =
            last_ == Last::kBar && (last_bar_ == BarKind::kRepeatEnd || last_bar_ == BarKind::kDouble);
        if (!at_start && !after_close) return false;
        if (s.free()) {
          if (closing_ || tie_pitch_ >= 0) return false;
        } else if (!need_repeat_start_ && !(at_start && s.parts[0].repeated)) {
          return false;
        }
        repeat_open_ = repeat_seen_ = true;
        bars_in_repeat_ = 0;
        need_repeat_start_ = false;
      } else {
        if (Blocked() || chord_notes_ >= 0 || tuplet_left_ > 0 || broken_factor_ != Rational(0) ||
            chord_symbol_pending_) {
          return false;
        }
        if (!(ClosingKinds(used_) & Bit(kind))) return false;
        if (tie_pitch_ >= 0 && (kind != BarKind::kSingle || !TieMayCross())) return false;
        // The tune ends here: on the tonic. (In the last bar only a pickup closes with '|'.)
        if (FinalBar() && kind != BarKind::kSingle && !(last_tonic_ && last_sound_ >= kMinFinalNote && EndChordOk())) {
          return false;
        }
        CloseBar(kind);
      }
      last_ = Last::kBar;
      last_bar_ = kind;
      if (carried_) {  // accidentals last to the end of their bar
        carry_.fill(kNoCarry);
        carried_ = false;
      }
      ok = true;
      break;
    }
    case TokenClass::kEnding: {
      if (!in_body || used_ != Rational(0) || last_ != Last::kBar) return false;
      const int number = id == rules_->ending1_ ? 1 : id == rules_->ending2_ ? 2 : 0;
      if (number == 2) {
        if (!need_ending2_) return false;
        need_ending2_ = false;
        ending_ = 2;
        ending_bars_ = 0;
      } else {
        if (number != 1 || Blocked() || ending_ != 0 || tie_pitch_ >= 0 || last_bar_ != BarKind::kSingle) return false;
        if (s.free()) {
          if (closing_ || !(repeat_open_ || !repeat_seen_) || bars_in_repeat_ < 1) return false;
        } else {
          const int left = s.bars_per_part - part_bar_;
          if (!s.parts[part_].repeated || !s.endings || left < 1 || left > 2 || left >= s.bars_per_part) return false;
          ending_len_ = left;
        }
        ending_ = 1;
        ending_bars_ = 0;
      }
      last_ = Last::kEnding;
      ok = true;
      break;
    }
    case TokenClass::kInlineMeter:
    case TokenClass::kInlineKey: return false;
  }
  if (ok && in_body) ++body_tokens_;
  return ok;
}

void GrammarState::Allowed(std::vector<uint8_t>* allowed) const {
  const GrammarRules& r = *rules_;
  allowed->assign(static_cast<size_t>(r.size()), 0);
  if (done()) return;
  for (size_t g = 0; g < r.groups_.size(); ++g) {
    const auto& group = r.groups_[g];
    if ((static_cast<int>(g) == r.pitch_group_ || static_cast<int>(g) == r.tonic_group_) && tie_pitch_ >= 0 &&
        chord_notes_ < 0) {
      if (IsAllowed(tie_pitch_)) (*allowed)[tie_pitch_] = 1;
      continue;
    }
    if (ranged_ && (static_cast<int>(g) == r.pitch_group_ || static_cast<int>(g) == r.tonic_group_)) {
      // The group's pitches differ only by the window: judge one inside it.
      int32_t inside = -1;
      for (int32_t id : group.members) {
        if (InWindow(id)) {
          inside = id;
          break;
        }
      }
      if (inside < 0 || !IsAllowed(inside)) continue;
      for (int32_t id : group.members) (*allowed)[id] = InWindow(id);
      continue;
    }
    if (!IsAllowed(group.representative)) continue;
    for (int32_t id : group.members) (*allowed)[id] = 1;
  }
}

bool GrammarState::IsAllowed(int32_t id) const {
  GrammarState next = *this;
  return next.Apply(id) && next.Viable();
}

Status GrammarState::Accept(int32_t id) {
  GrammarState next = *this;
  if (!next.Apply(id) || !next.Viable()) {
    const std::string text = id >= 0 && id < rules_->size() ? rules_->vocab_.Token(id) : std::to_string(id);
    return Status::InvalidArgument("token '" + text + "' is not allowed here (" + Describe() + ")");
  }
  *this = next;
  return Status::Ok();
}

Status GrammarState::Accept(const std::string& token) {
  const int32_t id = rules_->vocab_.Id(token);
  if (id == tokens::kUnkId && token != "<unk>") {
    return Status::InvalidArgument("token '" + token + "' is not in the model's vocabulary");
  }
  return Accept(id);
}

Status CheckPrimeFits(const GrammarRules* rules, const std::vector<std::string>& prime) {
  GrammarState probe(rules);
  std::vector<uint8_t> allowed;
  for (int step = 0; !probe.in_body(); ++step) {
    probe.Allowed(&allowed);
    auto it = std::find(allowed.begin(), allowed.end(), 1);
    if (it == allowed.end() || step > 3) return Status::InvalidArgument("no header fits the options");
    if (Status s = probe.Accept(static_cast<int32_t>(it - allowed.begin())); !s.ok()) return s;
  }
  for (const std::string& t : prime) {
    if (Status s = probe.Accept(t); !s.ok()) return s;
  }
  return Status::Ok();
}

void GrammarState::CloseDuration() {
  if (last_ == Last::kNote && chord_notes_ < 0 && (need_len_ == Rational(0) || need_len_ == Rational(1))) {
    dur_open_ = false;
    need_len_ = Rational(0);
    if (tuplet_first_open_) tuplet_len_ = last_written_;
    tuplet_first_open_ = false;
    last_ = Last::kDuration;
  }
}

std::string GrammarState::Describe() const {
  switch (phase_) {
    case Phase::kMeter: return "header, before M:";
    case Phase::kMode: return "header, before K:";
    case Phase::kRhythm: return "header, before R:";
    case Phase::kDone: return "after </s>";
    case Phase::kBody: break;
  }
  std::string out = "body token " + std::to_string(body_tokens_) + ", bar " + std::to_string(bars_ + 1) + " (" +
                    used_.ToString() + " of " + bar_len_.ToString() + " eighths";
  if (pickup_ > Rational(0)) out += ", pickup " + pickup_.ToString() + (shifted_ ? " (shifted)" : "");
  if (pickup_due_) out += ", a section pickup due";
  out += ")";
  if (dur_open_) out += ", note length open (x" + factor_.ToString() + ")";
  if (chord_notes_ >= 0) out += ", in a chord of " + std::to_string(chord_notes_) + " notes";
  if (chord_symbol_pending_) out += ", chord symbol waiting for its note";
  if (tie_pitch_ >= 0) out += ", tie to '" + rules_->vocab_.Token(tie_pitch_) + "'";
  if (tuplet_left_ > 0) out += ", tuplet with " + std::to_string(tuplet_left_) + " notes left";
  if (broken_factor_ > Rational(0)) out += ", broken rhythm waiting for its second note";
  if (repeat_open_) out += ", repeat open";
  if (ending_ > 0) out += ", ending " + std::to_string(ending_) + " (" + std::to_string(ending_bars_) + " bars)";
  if (need_ending2_) out += ", [2 due";
  if (need_repeat_start_) out += ", |: due";
  if (final_) out += ", after the final bar";
  if (ranged_) out += ", pitches MIDI " + std::to_string(lowest_) + ".." + std::to_string(highest_);
  if (closing_) out += ", closing";
  if (!rules_->options_.structure.free()) {
    out += ", part " + std::to_string(part_ + 1) + " bar " + std::to_string(part_bar_ + 1);
  }
  if (last_ == Last::kBar) out += std::string(", after '") + abc::BarText(last_bar_) + "'";
  return out;
}

}  // namespace tunesmith::generate
