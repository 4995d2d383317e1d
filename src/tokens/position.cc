#include "tokens/position.h"

#include <algorithm>

namespace tunesmith::tokens {
namespace {

using abc::Rational;

int Clamp(int64_t v, int lo, int hi) { return static_cast<int>(std::clamp<int64_t>(v, lo, hi)); }

// 2^-n: the short note of a broken-rhythm pair marked with n signs.
Rational ShortFactor(int n) { return Rational(1, int64_t{1} << n); }

}  // namespace

std::vector<int64_t> ContextSizes(int columns, int64_t vocab_size) {
  std::vector<int64_t> sizes;
  for (int c = 0; c < columns && c < kContextColumns; ++c) {
    sizes.push_back(kContextSizes[c] == 0 ? vocab_size + 1 : kContextSizes[c]);
  }
  return sizes;
}

void PositionTracker::LookBack(const std::vector<int32_t>* bar, Position* p, int token_column) const {
  if (!bar) return;  // both columns stay 0: no such bar
  const size_t j = this_bar_.size();
  (*p)[token_column] = j < bar->size() ? (*bar)[j] + 1 : 0;
  const bool same = j <= bar->size() && std::equal(this_bar_.begin(), this_bar_.end(), bar->begin());
  (*p)[token_column + 1] = same ? 2 : 1;
}

Position PositionTracker::current() const {
  Position p{};
  auto left = [&](int bar) -> int {
    if (part_ >= static_cast<int>(part_bars_.size()) || part_bars_[part_] <= 0) return kLeftUnknown;
    return Clamp(part_bars_[part_] - bar, 1, kContextSizes[kPosLeft] - 1);
  };
  if (!in_body_) {
    p[kPosBeat] = kBeatInHeader;
    p[kPosBar] = kBarInHeader;
    p[kPosLeft] = left(0);
    return p;
  }
  const Rational used = (done_ + open_) * Rational(2);  // sixteenths
  p[kPosBeat] = Clamp(used.num() / used.den(), 0, kBeatInHeader - 1);
  p[kPosBar] = Clamp(bar_, 0, kBarInHeader - 1);
  p[kPosLeft] = left(bar_);
  p[kPosPart] = Clamp(part_, 0, kContextSizes[kPosPart] - 1);
  const size_t k = bars_.size();
  LookBack(k >= static_cast<size_t>(kLookBackBars) ? &bars_[k - kLookBackBars] : nullptr, &p, kLook4);
  const std::vector<std::vector<int32_t>>* previous = part_ > 0 ? &part_bar_ids_[part_ - 1] : nullptr;
  LookBack(previous && static_cast<int>(previous->size()) > bar_ ? &(*previous)[bar_] : nullptr, &p, kLookPart);
  return p;
}

Position PositionTracker::Push(const std::string& token, int32_t id) {
  std::optional<Token> t = ParseToken(token);
  if (!t) {
    if (in_body_) this_bar_.push_back(id);
    return current();
  }
  return Push(*t, id);
}

void PositionTracker::StartNote(Rational written) {
  done_ += open_;
  Rational factor = next_factor_;
  if (tuplet_left_ > 0) {
    factor = factor * tuplet_factor_;
    --tuplet_left_;
  }
  next_factor_ = Rational(1);
  open_factor_ = factor;
  open_ = written * factor;
  last_note_ = true;
}

void PositionTracker::EndPart() {
  ++part_;
  bar_ = 0;
  ending_ = 0;
  seen_bars_.push_back(0);
  part_bar_ids_.emplace_back();
}

void PositionTracker::CloseBar(abc::BarKind kind) {
  const Rational used = done_ + open_;
  // A bar line with no music before it (a leading |:) is not a bar: its
  // token stays with the bar it opens.
  const bool empty = used == Rational(0);
  done_ = open_ = Rational(0);
  next_factor_ = Rational(1);
  tuplet_left_ = 0;
  last_note_ = false;
  if (!empty) {
    const bool pickup = used < bar_len_ && bar_ == 0 && kind == abc::BarKind::kSingle && ending_ == 0;
    bars_.push_back(this_bar_);
    if (!pickup) {
      auto& part = part_bar_ids_[part_];
      if (static_cast<int>(part.size()) <= bar_) part.resize(bar_ + 1);
      part[bar_] = this_bar_;
      ++bar_;
      seen_bars_[part_] = std::max(seen_bars_[part_], bar_);
      if (ending_ == 1) ++ending1_bars_;
      if (ending_ == 2) ++ending2_bars_;
    }
  }
  if (!empty) this_bar_.clear();
  if (bar_ == 0) return;  // nothing of the part yet: a leading |: or a pickup
  if (kind == abc::BarKind::kSingle) {
    if (ending_ == 2 && ending2_bars_ >= ending1_bars_) EndPart();
    return;
  }
  if (ending_ == 1) return;  // the :| of a first ending: the second follows
  EndPart();
}

Position PositionTracker::Push(const Token& token, int32_t id) {
  if (in_body_) this_bar_.push_back(id);
  switch (token.cls) {
    case TokenClass::kSpecial:
    case TokenClass::kMode:
    case TokenClass::kInlineKey:
    case TokenClass::kTie:
    case TokenClass::kChordSymbol:
      break;
    case TokenClass::kMeter:
    case TokenClass::kInlineMeter:
      if (auto len = token.meter.BarLength(); len && *len > Rational(0)) bar_len_ = *len * Rational(8);
      break;
    case TokenClass::kRhythm:
      in_body_ = true;  // the header is M: K: R:, always in that order
      break;
    case TokenClass::kPitch:
    case TokenClass::kRest:
      if (!in_chord_) StartNote(Rational(1));
      break;
    case TokenClass::kChordStart:
      StartNote(Rational(1));
      in_chord_ = true;
      break;
    case TokenClass::kChordEnd:
      in_chord_ = false;
      break;
    case TokenClass::kDuration:
      if (last_note_) open_ = token.duration * open_factor_;
      break;
    case TokenClass::kBar:
      in_chord_ = false;
      CloseBar(token.bar);
      break;
    case TokenClass::kEnding:
      if (!token.ending.empty() && token.ending[0] == '1') {
        ending_ = 1;
        ending_start_ = bar_;
        ending1_bars_ = 0;
      } else {
        ending_ = 2;
        bar_ = ending_start_;
        ending2_bars_ = 0;
      }
      break;
    case TokenClass::kTuplet:
      tuplet_factor_ = Rational(token.tuplet.q, token.tuplet.p);
      tuplet_left_ = token.tuplet.r;
      break;
    case TokenClass::kBroken: {
      const int n = std::abs(token.broken);
      const Rational shortf = ShortFactor(n), longf = Rational(2) - shortf;
      if (last_note_) open_ = open_ * (token.broken > 0 ? longf : shortf);
      next_factor_ = token.broken > 0 ? shortf : longf;
      break;
    }
  }
  return current();
}

std::vector<Position> TunePositions(const std::vector<std::string>& tokens, const std::vector<int32_t>& ids,
                                    bool know_part_bars) {
  std::vector<int> part_bars;
  if (know_part_bars) {
    PositionTracker counter;
    for (size_t i = 0; i < tokens.size(); ++i) counter.Push(tokens[i], ids[i]);
    part_bars = counter.bars_per_part();
  }
  PositionTracker tracker(std::move(part_bars));
  std::vector<Position> out;
  out.reserve(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) out.push_back(tracker.Push(tokens[i], ids[i]));
  return out;
}

std::vector<std::vector<int32_t>> TuneContexts(const Vocabulary& vocab, const std::vector<std::vector<int32_t>>& tunes,
                                               int columns, double unknown_share, uint64_t seed) {
  std::vector<std::vector<int32_t>> out;
  out.reserve(tunes.size());
  for (size_t i = 0; i < tunes.size(); ++i) {
    // splitmix64 of (seed, index): a fixed, well-spread choice per tune.
    uint64_t z = seed + 0x9e3779b97f4a7c15ull * (i + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    const bool unknown = static_cast<double>(z >> 11) * 0x1.0p-53 < unknown_share;
    std::vector<int32_t> flat;
    flat.reserve(tunes[i].size() * columns);
    for (const Position& p : TunePositions(vocab.Tokens(tunes[i]), tunes[i], !unknown)) {
      flat.insert(flat.end(), p.begin(), p.begin() + columns);
    }
    out.push_back(std::move(flat));
  }
  return out;
}

}  // namespace tunesmith::tokens
