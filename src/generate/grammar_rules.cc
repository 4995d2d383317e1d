// GrammarRules: what the mask knows of a vocabulary and its options.
#include "generate/grammar_mask.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "generate/grammar_internal.h"

namespace tunesmith::generate {

using internal::kMaxBarEighths;
using internal::kMaxTupletNotes;

namespace {

std::string JoinTokens(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

bool internal::RhythmFitsMeter(const GrammarOptions& options, std::string_view rhythm, int num, int den) {
  if (rhythm == "hornpipe" && !(den == 4 && (num == 2 || num == 4))) return false;
  return !options.rhythm_meter || RhythmHasMeter(rhythm, num, den);
}

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

namespace {
std::atomic<uint64_t> next_memo_id{1};
}  // namespace

GrammarRules::FinishMemo::FinishMemo() : id_(next_memo_id.fetch_add(1, std::memory_order_relaxed)) {}

GrammarRules::FinishMemo::Map& GrammarRules::FinishMemo::Local() const {
  // One copy per thread, of the memo that thread used last: another memo's
  // entries (other rules, other options) are dropped, never consulted.
  struct Copy {
    uint64_t id = 0;
    Map map;
  };
  thread_local Copy copy;
  if (copy.id != id_) {
    copy.map.clear();
    copy.id = id_;
  }
  return copy.map;
}

std::optional<bool> GrammarRules::FinishMemo::Find(const FinishKey& key) const {
  Map& local = Local();
  if (auto mine = local.find(key); mine != local.end()) return mine->second;
  Shard& shard = ShardOf(key);
  std::optional<bool> found;
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.map.find(key);
    if (it != shard.map.end()) found = it->second;
  }
  if (found) local.emplace(key, *found);
  return found;
}

void GrammarRules::FinishMemo::Insert(const FinishKey& key, bool can_finish) const {
  Local().emplace(key, can_finish);
  Shard& shard = ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  shard.map.emplace(key, can_finish);
}

int32_t GrammarRules::Id(TokenClass cls, BarKind bar) const {
  return cls == TokenClass::kBar ? bar_ids_[static_cast<int>(bar)] : -1;
}

Result<std::shared_ptr<const GrammarRules>> GrammarRules::Make(const tokens::Vocabulary& vocab,
                                                               const GrammarOptions& options) {
  if (vocab.kind() != tokens::TokenizerKind::kAbcToken) {
    return Status::NotSupported("the grammar mask needs an abc-token model; this one is " +
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
      case TokenClass::kDuration:
        // Nothing written shorter than a sixteenth (half an eighth): the
        // corpus has /4 in 2% of its tunes, mostly O'Neill's airs.
        valid = !options.min_sixteenth || token->duration >= Rational(1, 2);
        if (valid) atoms.push_back(token->duration);
        break;
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
      case TokenClass::kChordSymbol: {
        valid = options.chord_symbols;
        const tokens::ChordDegree& chord = token->chord;
        info.tonic = chord.root.degree == 0 && chord.root.alter == 0;
        if (valid && info.tonic && !chord.bass) {
          if (chord.quality == tokens::ChordQuality::kMajor) rules->major_triad_ = id;
          if (chord.quality == tokens::ChordQuality::kMinor) rules->minor_triad_ = id;
          if (chord.quality == tokens::ChordQuality::kDiminished) rules->dim_triad_ = id;
        }
        break;
      }
      default: break;
    }
    info.valid = valid;
  }

  auto need = [&](bool ok, const std::string& what) -> Status {
    return ok ? Status::Ok() : Status::NotSupported("the model's vocabulary has no " + what + "; it cannot write a tune");
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
    return Status::InvalidArgument("the model has no " + std::string(what) + " token '" + token + "'; it knows " + JoinTokens(have));
  };
  for (Status s : {forced(options.meter, meters, "meter"), forced(options.mode, modes, "mode"),
                   forced(options.rhythm, rhythms, "rhythm")}) {
    if (!s.ok()) return s;
  }
  const Structure& st = options.structure;
  for (const auto& part : st.parts) {
    if (part.repeated && (rules->bar_ids_[static_cast<int>(BarKind::kRepeatStart)] < 0 ||
                          rules->bar_ids_[static_cast<int>(BarKind::kRepeatEnd)] < 0)) {
      return Status::InvalidArgument("--parts asks for repeated parts but the model has no '|:' or ':|' token");
    }
  }
  if (!st.free() && rules->bar_ids_[static_cast<int>(BarKind::kDouble)] < 0 &&
      rules->bar_ids_[static_cast<int>(BarKind::kFinal)] < 0) {
    return Status::InvalidArgument("--parts needs the '||' or '|]' token, which the model does not have");
  }

  // A forced rhythm and meter must agree; a forced one must leave the other something.
  const auto forced_meter = options.meter.empty() ? std::nullopt : tokens::ParseToken(options.meter);
  const auto forced_rhythm = options.rhythm.empty() ? std::nullopt : tokens::ParseToken(options.rhythm);
  if (forced_rhythm && forced_meter) {
    const std::string& r = forced_rhythm->rhythm;
    const abc::Meter& m = forced_meter->meter;
    GrammarOptions any_meter;
    any_meter.rhythm_meter = false;
    if (r == "hornpipe" && !internal::RhythmFitsMeter(any_meter, r, m.num, m.den)) {
      return Status::InvalidArgument("a hornpipe must be in 2/4 or 4/4 (abc2midi plays no other), not " + options.meter.substr(2));
    }
    if (!internal::RhythmFitsMeter(options, r, m.num, m.den)) {
      return Status::InvalidArgument("a " + r + " is written in " + tokens::MetersOfRhythm(r) + " (the corpus has no other), not " +
                           options.meter.substr(2));
    }
  } else if (forced_meter) {
    bool any = false;
    for (int32_t id : rules->rhythm_ids_) {
      any |= internal::RhythmFitsMeter(options, rules->info_[id].token.rhythm, forced_meter->meter.num,
                                       forced_meter->meter.den);
    }
    if (!any) return Status::InvalidArgument("no rhythm the model knows (" + JoinTokens(rhythms) + ") is written in " + options.meter.substr(2));
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
    return Status::InvalidArgument("the model's note lengths cannot fill a bar of " + options.meter.substr(2));
  }
  // Some meter offered must have a rhythm to go with it (the forced one, if any).
  bool pair = false;
  for (int32_t m = 0; m < V && !pair; ++m) {
    const Info& meter = rules->info_[m];
    if (!meter.valid || meter.token.cls != TokenClass::kMeter) continue;
    if (!options.meter.empty() && meter.token.text != options.meter) continue;
    for (int32_t r : rules->rhythm_ids_) {
      if (!options.rhythm.empty() && rules->info_[r].token.text != options.rhythm) continue;
      pair |= internal::RhythmFitsMeter(options, rules->info_[r].token.rhythm, meter.token.meter.num, meter.token.meter.den);
    }
  }
  if (!pair) {
    return Status::InvalidArgument(forced_rhythm ? "the model knows no meter a " + forced_rhythm->rhythm + " is written in (" +
                                             JoinTokens(meters) + ")"
                                       : "no meter of the model goes with any of its rhythms (" + JoinTokens(rhythms) + ")");
  }

  // Groups: the tonic's pitches, every other pitch, the chord symbols off
  // the tonic, those on it by quality (the rules on chords tell them apart);
  // the rest alone.
  std::map<std::string, int> shared;
  for (int32_t id = 0; id < V; ++id) {
    Info& info = rules->info_[id];
    if (!info.valid) continue;
    std::string key;
    if (info.token.cls == TokenClass::kPitch) key = info.tonic ? "tonic" : "pitch";
    if (info.token.cls == TokenClass::kChordSymbol) {
      key = !info.tonic ? "chord"
                        : "chord I " + std::to_string(static_cast<int>(info.token.chord.quality)) +
                              (info.token.chord.bass ? "/" : "");
    }
    if (!key.empty()) {
      auto found = shared.find(key);
      if (found != shared.end()) {
        info.group = found->second;
        rules->groups_[found->second].members.push_back(id);
        continue;
      }
    }
    info.group = static_cast<int>(rules->groups_.size());
    rules->groups_.push_back({id, {id}});
    if (!key.empty()) shared[key] = info.group;
  }
  if (shared.count("pitch")) rules->pitch_group_ = shared["pitch"];
  if (shared.count("tonic")) rules->tonic_group_ = shared["tonic"];

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

}  // namespace tunesmith::generate
