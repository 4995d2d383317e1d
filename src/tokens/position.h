// Where a token stands in the music, as a few small numbers a model reads
// beside the token (DESIGN.md, "Musical structure"): the beat in the bar,
// the bar in the part, the bars left in the part, the part; and two
// look-backs, after Magenta's Lookback RNN: the token at the same place of
// the bar four bars earlier, and of the same bar of the previous part, each
// with whether the bar so far repeats that bar. A model told this at every
// step can see bar 8 coming, and can choose to answer bar 1 in bar 5 — the
// choice stays the model's: nothing here writes a token.
//
// The same tracker computes the features when training (over a whole tune)
// and when generating (token by token, as the sampler draws), so the two
// always agree. Each position describes the moment *after* its token: where
// the next token will go. Times are counted the way ABC sounds them
// (durations, tuplets, broken rhythm); a bar that closes short at the start
// of a part is a pickup and is not counted, a short bar that ends a part is
// (as Structure counts). A part ends at a bar line other than '|' (|: only
// once the part has bars), except the :| of a first ending; a second ending
// restarts the bar count where the first ending started and ends the part
// once it is as long.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "abc/rational.h"
#include "tokens/abc_token.h"
#include "tokens/vocabulary.h"

namespace tunesmith::tokens {

// The feature columns, in the order a model reads them. A model may read
// only the first kBarColumns (positions) or all kContextColumns (with the
// look-backs).
enum ContextColumn {
  kPosBeat = 0,    // sixteenths used in the bar, 0..47 (clamped); 48 in the header
  kPosBar = 1,     // full bars closed in the part, 0..15 (clamped); 16 in the header
  kPosLeft = 2,    // bars left in the part, the current one included, 1..16 (clamped); 0 unknown
  kPosPart = 3,    // the part, 0..3 (clamped)
  kLook4 = 4,      // the next token of the bar four bars back (id + 1); 0 none
  kLook4Same = 5,  // 0: no such bar, 1: this bar differs from it so far, 2: it repeats it so far
  kLookPart = 6,   // the next token of the same bar of the previous part (id + 1); 0 none
  kLookPartSame = 7,
};
inline constexpr int kBarColumns = 4;
inline constexpr int kContextColumns = 8;
// Values of each column; 0 stands for "the vocabulary size + 1" (the
// look-back token columns), filled in once the vocabulary is known.
inline constexpr std::array<int, kContextColumns> kContextSizes = {49, 17, 17, 4, 0, 3, 0, 3};
inline constexpr int kBeatInHeader = 48;
inline constexpr int kBarInHeader = 16;
inline constexpr int kLeftUnknown = 0;
inline constexpr int kLookBackBars = 4;

using Position = std::array<int32_t, kContextColumns>;

// The sizes of the first `columns` columns for a vocabulary of `vocab_size`.
std::vector<int64_t> ContextSizes(int columns, int64_t vocab_size);

class PositionTracker {
 public:
  // `part_bars[p]`: the bars of part p (as the structure counts them), when
  // known; parts past the end of the list, or an empty list, are unknown and
  // get left = kLeftUnknown.
  explicit PositionTracker(std::vector<int> part_bars = {}) : part_bars_(std::move(part_bars)) {}

  // Takes the next token of the tune (<s> and the header included) with its
  // vocabulary id and returns the position after it. Tokens that do not
  // parse (specials) leave the musical position as it was.
  Position Push(const Token& token, int32_t id);
  Position Push(const std::string& token, int32_t id);
  Position current() const;

  // Bars of each part seen so far (the last one possibly unfinished).
  const std::vector<int>& bars_per_part() const { return seen_bars_; }

 private:
  void CloseBar(abc::BarKind kind);
  void EndPart();
  void StartNote(abc::Rational written);
  // Column pair of a look-back at `bar` (null: none).
  void LookBack(const std::vector<int32_t>* bar, Position* p, int token_column) const;

  std::vector<int> part_bars_;
  std::vector<int> seen_bars_ = {0};
  bool in_body_ = false;
  abc::Rational bar_len_{1};    // eighths in a full bar
  abc::Rational done_{0};       // eighths of finished notes in this bar
  abc::Rational open_{0};       // eighths the open note sounds so far
  abc::Rational open_factor_{1};
  abc::Rational next_factor_{1};  // broken rhythm: the next note's factor
  abc::Rational tuplet_factor_{1};
  int tuplet_left_ = 0;
  bool last_note_ = false;       // a note or rest is open: a duration or > may follow
  int part_ = 0;
  int bar_ = 0;                  // full bars closed in the part
  int ending_ = 0;               // 1 or 2 inside a first/second ending
  int ending_start_ = 0;         // bar_ where the first ending started
  int ending1_bars_ = 0;
  int ending2_bars_ = 0;
  bool in_chord_ = false;

  // Look-backs: the ids of every bar so far (each ends with its bar line),
  // and of each part's bars by their number in the part.
  std::vector<std::vector<int32_t>> bars_;
  std::vector<std::vector<std::vector<int32_t>>> part_bar_ids_ = {{}};
  std::vector<int32_t> this_bar_;
};

// The positions of every token of a tune (<s> ... </s>, with their ids).
// With `know_part_bars`, the bars left in each part come from the tune itself
// (a first pass counts them), as the structure tells them at generation
// time; without, they are unknown (free form).
std::vector<Position> TunePositions(const std::vector<std::string>& tokens, const std::vector<int32_t>& ids,
                                    bool know_part_bars);

// The first `columns` context columns of every token of tunes given as ids
// of `vocab`, flattened per tune (token t's column c at [t * columns + c]):
// what a model that reads them is fed beside the ids. `unknown_share` of the
// tunes (picked by a hash of their index and `seed`) are given unknown part
// lengths, so that a model trained on them also knows what to do in free
// form, where they are unknown.
std::vector<std::vector<int32_t>> TuneContexts(const Vocabulary& vocab, const std::vector<std::vector<int32_t>>& tunes,
                                               int columns, double unknown_share = 0.0, uint64_t seed = 0);

}  // namespace tunesmith::tokens
