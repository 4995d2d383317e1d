#include "generate/grammar_mask.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

namespace tunesmith::generate {

using abc::BarKind;
using abc::Rational;
using tokens::TokenClass;

namespace {

constexpr uint32_t Bit(BarKind k) { return 1u << static_cast<int>(k); }

constexpr int kMaxTupletNotes = 9;
// The tune's last note (the tonic) sounds at least an eighth: no 1/64 tonic
// squeezed in after the melody has stopped elsewhere.
const abc::Rational kMinFinalNote(1);
constexpr int64_t kMaxBarEighths = 48;

const char* BarText(BarKind k) {
  switch (k) {
    case BarKind::kSingle: return "|";
    case BarKind::kDouble: return "||";
    case BarKind::kFinal: return "|]";
    case BarKind::kStart: return "[|";
    case BarKind::kRepeatStart: return "|:";
    case BarKind::kRepeatEnd: return ":|";
    case BarKind::kRepeatBoth: return "::";
  }
  return "?";
}

std::string JoinTokens(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

size_t GrammarRules::FinishKeyHash::operator()(const FinishKey& k) const {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](int64_t v) {
    h ^= static_cast<uint64_t>(v);
    h *= 1099511628211ull;
  };
  for (const Rational& r :
       {k.used, k.bar, k.comp, k.dur_factor, k.tuplet_factor, k.broken_factor, k.need_len, k.broken_len, k.tuplet_len}) {
    mix(r.num());
    mix(r.den());
  }
  mix(k.tuplet_left);
  mix(k.flags);
  return static_cast<size_t>(h);
}

int32_t GrammarRules::Id(TokenClass cls, BarKind bar) const {
  return cls == TokenClass::kBar ? bar_ids_[static_cast<int>(bar)] : -1;
}

Result<std::shared_ptr<const GrammarRules>> GrammarRules::Make(const tokens::Vocabulary& vocab,
                                                               const GrammarOptions& options) {
  if (vocab.kind() != tokens::TokenizerKind::kAbcToken) {
    return Status::Error("the grammar mask needs an abc-token model; this one is " +
                         std::string(tokens::TokenizerKindName(vocab.kind())));
  }
  auto rules = std::shared_ptr<GrammarRules>(new GrammarRules());
  rules->vocab_ = vocab;
  rules->options_ = options;
  const int32_t V = vocab.size();
  rules->info_.resize(V);

  std::vector<Rational> atoms = {Rational(1)};
  std::vector<std::string> meters, modes, rhythms;
  Rational max_bar(0);
  Rational min_tuplet_factor(1);
  bool has_pitch = false, has_double_broken = false, has_broken = false;
  for (int32_t id = 0; id < V; ++id) {
    const std::string& text = vocab.Token(id);
    auto token = tokens::ParseToken(text);
    if (!token) continue;
    Info& info = rules->info_[id];
    info.token = *token;
    bool valid = true;
    switch (token->cls) {
      case TokenClass::kSpecial:
        valid = text == "</s>";
        if (valid) rules->eos_ = id;
        break;
      case TokenClass::kMeter: {
        const Rational bar = Rational(token->meter.num * 8, token->meter.den);
        valid = bar > Rational(0) && bar <= Rational(kMaxBarEighths);
        if (valid) {
          max_bar = std::max(max_bar, bar);
          meters.push_back(text);
        }
        break;
      }
      case TokenClass::kMode: modes.push_back(text); break;
      case TokenClass::kRhythm:
        rhythms.push_back(text);
        rules->rhythm_ids_.push_back(id);
        break;
      case TokenClass::kInlineMeter:
      case TokenClass::kInlineKey: valid = false; break;
      case TokenClass::kPitch:
        has_pitch = true;
        info.tonic = token->pitch.step == 0 &&
                     (token->pitch.accidental == abc::Accidental::kNone || token->pitch.accidental == abc::Accidental::kNatural);
        break;
      case TokenClass::kDuration: atoms.push_back(token->duration); break;
      case TokenClass::kBar: rules->bar_ids_[static_cast<int>(token->bar)] = id; break;
      case TokenClass::kEnding:
        valid = token->ending == "1" || token->ending == "2";
        if (valid) (token->ending == "1" ? rules->ending1_ : rules->ending2_) = id;
        break;
      case TokenClass::kTuplet: {
        const auto& t = token->tuplet;
        valid = t.p >= 2 && t.p <= kMaxTupletNotes && t.r >= 1 && t.r <= kMaxTupletNotes && t.q >= 1;
        if (valid) min_tuplet_factor = std::min(min_tuplet_factor, Rational(t.q, t.p));
        break;
      }
      case TokenClass::kBroken:
        valid = std::abs(token->broken) <= 2;
        has_broken |= valid;
        has_double_broken |= valid && std::abs(token->broken) == 2;
        break;
      case TokenClass::kChordSymbol: valid = options.chord_symbols; break;
      default: break;
    }
    info.valid = valid;
  }

  auto need = [&](bool ok, const std::string& what) -> Status {
    return ok ? Status::Ok() : Status::Error("the model's vocabulary has no " + what + "; it cannot write a tune");
  };
  for (Status s : {need(!meters.empty(), "meter (M:) token"), need(!modes.empty(), "mode (K:) token"),
                   need(!rhythms.empty(), "rhythm (R:) token"), need(has_pitch, "pitch token"),
                   need(rules->bar_ids_[static_cast<int>(BarKind::kSingle)] >= 0, "'|' token"),
                   need(rules->bar_ids_[static_cast<int>(BarKind::kFinal)] >= 0 ||
                            rules->bar_ids_[static_cast<int>(BarKind::kDouble)] >= 0 ||
                            (rules->bar_ids_[static_cast<int>(BarKind::kRepeatStart)] >= 0 &&
                             rules->bar_ids_[static_cast<int>(BarKind::kRepeatEnd)] >= 0),
                        "way to close a tune (|] or || or both |: and :|)"),
                   need(rules->eos_ >= 0, "</s> token")}) {
    if (!s.ok()) return s;
  }
  rules->plain_end_ = rules->bar_ids_[static_cast<int>(BarKind::kFinal)] >= 0 ||
                      rules->bar_ids_[static_cast<int>(BarKind::kDouble)] >= 0;
  // An ending needs its partner and the repeat sign that separates them.
  if (rules->ending1_ < 0 || rules->ending2_ < 0 || rules->bar_ids_[static_cast<int>(BarKind::kRepeatEnd)] < 0) {
    for (int32_t id : {rules->ending1_, rules->ending2_}) {
      if (id >= 0) rules->info_[id].valid = false;
    }
    rules->ending1_ = rules->ending2_ = -1;
  }

  auto forced = [&](const std::string& token, const std::vector<std::string>& have, const char* what) -> Status {
    if (token.empty() || std::find(have.begin(), have.end(), token) != have.end()) return Status::Ok();
    return Status::Error("the model has no " + std::string(what) + " token '" + token + "'; it knows " + JoinTokens(have));
  };
  for (Status s : {forced(options.meter, meters, "meter"), forced(options.mode, modes, "mode"),
                   forced(options.rhythm, rhythms, "rhythm")}) {
    if (!s.ok()) return s;
  }
  const Structure& st = options.structure;
  for (const auto& part : st.parts) {
    if (part.repeated && (rules->bar_ids_[static_cast<int>(BarKind::kRepeatStart)] < 0 ||
                          rules->bar_ids_[static_cast<int>(BarKind::kRepeatEnd)] < 0)) {
      return Status::Error("--parts asks for repeated parts but the model has no '|:' or ':|' token");
    }
  }
  if (!st.free() && rules->bar_ids_[static_cast<int>(BarKind::kDouble)] < 0 &&
      rules->bar_ids_[static_cast<int>(BarKind::kFinal)] < 0) {
    return Status::Error("--parts needs the '||' or '|]' token, which the model does not have");
  }

  if (!options.rhythm.empty() && !options.meter.empty() && options.rhythm == "R:hornpipe" &&
      options.meter != "M:2/4" && options.meter != "M:4/4") {
    return Status::Error("a hornpipe must be in 2/4 or 4/4 (abc2midi plays no other), not " + options.meter.substr(2));
  }

  // A meter is only offered when its bar can be filled with the vocabulary's lengths.
  if (!options.meter.empty()) {
    const auto m = tokens::ParseToken(options.meter);
    max_bar = std::max(max_bar, Rational(m->meter.num * 8, m->meter.den));
  }
  rules->fill_ = TimeFill(atoms, max_bar);
  for (int32_t id = 0; id < V; ++id) {
    Info& info = rules->info_[id];
    if (info.valid && info.token.cls == TokenClass::kMeter &&
        !rules->fill_.Fillable(Rational(info.token.meter.num * 8, info.token.meter.den))) {
      info.valid = false;
    }
  }

  if (!options.meter.empty() && !rules->info_[vocab.Id(options.meter)].valid) {
    return Status::Error("the model's note lengths cannot fill a bar of " + options.meter.substr(2));
  }

  // Groups: the tonic's pitches, every other pitch, every chord symbol; the rest alone.
  int chord_group = -1;
  for (int32_t id = 0; id < V; ++id) {
    Info& info = rules->info_[id];
    if (!info.valid) continue;
    int* shared = info.token.cls == TokenClass::kPitch         ? (info.tonic ? &rules->tonic_group_ : &rules->pitch_group_)
                  : info.token.cls == TokenClass::kChordSymbol ? &chord_group
                                                               : nullptr;
    if (shared && *shared >= 0) {
      info.group = *shared;
      rules->groups_[*shared].members.push_back(id);
      continue;
    }
    info.group = static_cast<int>(rules->groups_.size());
    rules->groups_.push_back({id, {id}});
    if (shared) *shared = info.group;
  }

  // The termination bound (see the header): bars are bounded by the options,
  // tokens per bar by the shortest sounding note.
  Rational shortest = rules->fill_.smallest() * min_tuplet_factor;
  if (has_broken) shortest = std::min(shortest, rules->fill_.smallest() * Rational(1, has_double_broken ? 4 : 2));
  const Rational notes = max_bar / shortest;
  const int64_t notes_per_bar = (notes.num() + notes.den() - 1) / notes.den();
  // chord symbol, [ pitches ], duration, tie, tuplet, broken mark
  const int64_t per_note = 1 + (2 + options.max_chord_notes) + 1 + 1 + 1 + 1;
  const int64_t per_bar = notes_per_bar * per_note + 4;
  int64_t bars;
  if (st.free()) {
    bars = std::max(options.min_bars, 0) + 4 + options.soft_max_tokens / 2;
    rules->max_tokens_ = 5 + std::max(options.soft_max_tokens, 0) + (std::max(options.min_bars, 0) + 4) * per_bar;
    rules->max_tokens_ = std::min(rules->max_tokens_, 5 + bars * per_bar);
  } else {
    bars = static_cast<int64_t>(st.parts.size()) * (st.bars_per_part + 2) + 1;
    rules->max_tokens_ = 5 + bars * per_bar + 3 * static_cast<int64_t>(st.parts.size());
  }
  return std::shared_ptr<const GrammarRules>(std::move(rules));
}

// ---- the state machine ---------------------------------------------------------

bool GrammarState::Blocked() const {
  if (phase_ != Phase::kBody) return true;
  if (final_ || need_ending2_ || need_repeat_start_) return true;
  const Structure& s = rules_->options_.structure;
  return !s.free() && last_ == Last::kStart && s.parts[0].repeated;
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
      meter_num_ = t.meter.num;
      meter_den_ = t.meter.den;
      phase_ = Phase::kMode;
      return true;
    case TokenClass::kMode:
      if (phase_ != Phase::kMode || (!o.mode.empty() && t.text != o.mode)) return false;
      phase_ = Phase::kRhythm;
      return true;
    case TokenClass::kRhythm:
      if (phase_ != Phase::kRhythm || (!o.rhythm.empty() && t.text != o.rhythm) || !RhythmFits(t)) return false;
      phase_ = Phase::kBody;
      last_ = Last::kStart;
      if (t.rhythm == "hornpipe") hornpipe_grid_ = meter_num_ == 2 ? Rational(1) : Rational(2);
      return true;
    case TokenClass::kPitch:
      if (Blocked()) return false;
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
        if (tie_pitch_ >= 0 && kind != BarKind::kSingle) return false;
        // The tune ends here: on the tonic. (In the last bar only a pickup closes with '|'.)
        if (FinalBar() && kind != BarKind::kSingle && !(last_tonic_ && last_sound_ >= kMinFinalNote)) return false;
        CloseBar(kind);
      }
      last_ = Last::kBar;
      last_bar_ = kind;
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

bool GrammarState::RhythmFits(const tokens::Token& rhythm) const {
  return rhythm.rhythm != "hornpipe" || (meter_den_ == 4 && (meter_num_ == 2 || meter_num_ == 4));
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
  key.flags |= (final_bar ? 512u : 0u) | (last_tonic_ ? 1024u : 0u) |
               (last_sound_ >= kMinFinalNote ? 2048u : 0u);
  auto found = r.finish_memo_.find(key);
  if (found != r.finish_memo_.end()) return found->second;

  // Can y be filled with plain notes, the last at least kMinFinalNote long?
  auto ends_long = [&](Rational y) {
    for (Rational a : fill.atoms()) {
      if (a > y) break;
      if (a >= kMinFinalNote && fill.Fillable(y - a)) return true;
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
        if (must_add || (tie_open && !t->single) || !tonic) continue;
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
          if (a == x ? last_tonic_ && a >= kMinFinalNote : ends_long(x - a)) return true;
        }
        continue;
      }
      if (ends_long(x)) return true;
    }
    if (pick.any && u < bar_len_) {
      if (u > Rational(0) && u.den() == 1 && !must_add && (!tie_open || pick.single)) return true;
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
      result = close(u1, needs_note, tie, !final_bar || (last_tonic_ && sound >= kMinFinalNote));
    }
    if (result) break;
  }
  r.finish_memo_.emplace(key, result);
  return result;
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
    return Status::Error("token '" + text + "' is not allowed here (" + Describe() + ")");
  }
  *this = next;
  return Status::Ok();
}

Status GrammarState::Accept(const std::string& token) {
  const int32_t id = rules_->vocab_.Id(token);
  if (id == tokens::kUnkId && token != "<unk>") {
    return Status::Error("token '" + token + "' is not in the model's vocabulary");
  }
  return Accept(id);
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
  if (closing_) out += ", closing";
  if (!rules_->options_.structure.free()) {
    out += ", part " + std::to_string(part_ + 1) + " bar " + std::to_string(part_bar_ + 1);
  }
  if (last_ == Last::kBar) out += std::string(", after '") + BarText(last_bar_) + "'";
  return out;
}

}  // namespace tunesmith::generate
