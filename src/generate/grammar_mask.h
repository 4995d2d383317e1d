// The grammar mask: an incremental ABC state machine over abc tokens
// (tokens/abc_token.h gives each token its meaning) that allows, at every
// step, only the tokens after which the tune can still be finished
// well-formed. What it guarantees for any logits (docs/generate.md):
//
//  - the header is M: K: R: (each forced when asked for), then the body;
//  - every bar is exactly the meter's length, counted with exact rationals
//    through tuplets, broken rhythm, chords and ties; a pickup may open the
//    tune and its complement may close a section (as abc::CheckBars allows);
//  - tuplets, chords [..], chord symbols, ties and broken rhythm are whole
//    (a tuplet ends inside its bar, a chord symbol sits on a note, a tie
//    joins two notes of the same pitch, a broken-rhythm mark has a note on
//    each side);
//  - repeats are balanced, endings come as [1 ... :| [2 ..., and </s> only
//    follows a closing bar line (|] :| ||) once the tune is long enough;
//  - with a Structure, the parts, their repeats and their bar counts, and
//    the tune's last note on the tonic, at least an eighth long;
//  - the tune ends: past GrammarOptions::soft_max_tokens the next full bar
//    closes it.
//
// Inline meter and key changes ([M:..] [K:..]) are never allowed. Two rules
// come from abc2midi, which renders the tunes: R:hornpipe only follows M:2/4 or
// M:4/4, and in a hornpipe a broken-rhythm mark only follows a note that
// starts on a beat (see hornpipe_grid_ below). Rules of the music, each an
// option measured on the corpus (docs/generate.md): R: agrees with M:, no
// major tonic chord in a minor mode (nor a minor one in a major mode), the
// last chord of a structured tune is the tonic triad, no note written shorter
// than a sixteenth, a note tied over a bar line lasts a beat; and, on request
// (SetPitchRange), a window of pitches.
//
// The state is a small value: copy it to try a token or to roll back. It
// points at its GrammarRules, which must outlive it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "abc/rational.h"
#include "base/status.h"
#include "generate/structure.h"
#include "generate/time_fill.h"
#include "tokens/abc_token.h"
#include "tokens/vocabulary.h"

namespace tunesmith::generate {

// The free form's bounds unless a request says otherwise.
inline constexpr int kDefaultMinBars = 8;
inline constexpr int kDefaultMaxLength = 600;

struct GrammarOptions {
  std::string meter;   // the M: token to force ("M:6/8"); "" lets the model choose
  std::string mode;    // the K: token to force ("K:min"); ""
  std::string rhythm;  // the R: token to force ("R:jig"); ""
  Structure structure;  // parts and bars to enforce; free form by default
  bool chord_symbols = true;  // allow chord-symbol tokens ("V7")
  int min_bars = kDefaultMinBars;          // free form: </s> only after this many bars (a pickup not counted)
  int soft_max_tokens = kDefaultMaxLength;  // free form: past this many body tokens the next full bar closes the tune
  int max_chord_notes = 4;    // pitches in one chord [..]
  int max_ending_bars = 4;    // bars of a first ending (free form)

  // Rules of the music, measured on the corpus (docs/generate.md).
  bool rhythm_meter = true;         // R: only with a meter that rhythm has in the corpus (RhythmHasMeter)
  bool tonic_chord_quality = true;  // no I, I7, I6, I+ ... in a minor-third mode (min dor phr loc), no i, i7, i6 in a major one
  bool final_tonic_chord = true;    // with a structure: the tune's last chord symbol is the tonic triad (I, or i in min dor phr)
  bool min_sixteenth = true;        // no written length shorter than a sixteenth (no /4, /8 ...)
  bool tie_over_beat = true;        // a note tied over a bar line sounds at least a beat (a quarter; a dotted quarter in 6/8)
};

// Whether rhythm `rhythm` ("reel", as in R:reel) is written in meter num/den
// in the corpus (docs/generate.md has the counts): reels in 4/4, 2/2 and 2/4,
// jigs in 6/8, slip jigs in 9/8, waltzes in 3/4 ... True for every meter
// when the rhythm has no fixed one. The table lives with the R: tokens.
using tokens::RhythmHasMeter;

// What the mask knows of a vocabulary: each token's meaning, grouped so that
// tokens with the same effect (every pitch but the tonic's, every chord
// symbol off the tonic) are judged once. Built once per model and options; shared by every tune's state.
class GrammarRules {
 public:
  // Fails when the vocabulary is not an abc-token one, lacks what any tune
  // needs (a meter, a mode, a rhythm, a pitch, '|', a closing bar, </s>),
  // or lacks a forced header token (the message lists those it has).
  static Result<std::shared_ptr<const GrammarRules>> Make(const tokens::Vocabulary& vocab,
                                                          const GrammarOptions& options);

  const GrammarOptions& options() const { return options_; }
  const tokens::Vocabulary& vocabulary() const { return vocab_; }
  int32_t size() const { return static_cast<int32_t>(info_.size()); }

  // An upper bound on the tokens of any tune the mask allows (<s> and </s>
  // included), whatever the logits: the termination guarantee, for tests.
  int64_t MaxTokens() const { return max_tokens_; }

  // Per token: its class (nullopt-class tokens are never allowed) and meaning.
  struct Info {
    bool valid = false;  // a token of the grammar the mask can use
    bool tonic = false;  // a pitch on the tonic (C or =C in any octave: the body is in root C);
                         // a chord symbol on the tonic (I, i7, I/3 ...; not bI or #I)
    tokens::Token token;
    int group = -1;      // tokens of one group have the same effect on the state
  };
  const Info& info(int32_t id) const { return info_[id]; }
  const TimeFill& fill() const { return fill_; }
  int32_t Id(tokens::TokenClass cls, abc::BarKind bar) const;  // -1 when the vocabulary lacks that bar token
  int32_t ending_id(int number) const { return number == 1 ? ending1_ : number == 2 ? ending2_ : -1; }

 private:
  friend class GrammarState;
  GrammarRules() = default;

  struct Group {
    int32_t representative;
    std::vector<int32_t> members;
  };

  // Memo of CanFinish (see grammar_mask.cc), shared by all states.
  struct FinishKey {
    abc::Rational used, bar, comp, dur_factor, tuplet_factor, broken_factor, need_len, broken_len, tuplet_len;
    int tuplet_left = 0;
    uint32_t flags = 0;
    friend bool operator==(const FinishKey&, const FinishKey&) = default;
  };
  struct FinishKeyHash {
    size_t operator()(const FinishKey& k) const;
  };

  tokens::Vocabulary vocab_;
  GrammarOptions options_;
  std::vector<Info> info_;
  std::vector<Group> groups_;
  int pitch_group_ = -1;
  int tonic_group_ = -1;  // the tonic's pitches: the last note of a tune must be one
  int32_t major_triad_ = -1, minor_triad_ = -1, dim_triad_ = -1;  // "I" "i" "io": a mode's tonic triad
  TimeFill fill_;
  int32_t bar_ids_[7] = {-1, -1, -1, -1, -1, -1, -1};  // by abc::BarKind
  int32_t ending1_ = -1, ending2_ = -1;
  int32_t eos_ = -1;
  bool plain_end_ = false;  // the vocabulary has |] or ||; else tunes end on :|
  std::vector<int32_t> rhythm_ids_;
  int64_t max_tokens_ = 0;
  // The memo of CanFinish, shared by every state in every thread (the rules
  // are shared as shared_ptr<const>): split into shards, each behind its own
  // lock, so that threads seldom wait for one another. In front of it each
  // thread keeps its own copy of the entries it has met (no lock, no cache
  // line shared with another thread: the generator asks ~80 times per tune
  // and step, from several threads at once), tagged with the memo's `id_`
  // so that a copy never outlives the rules it belongs to.
  class FinishMemo {
   public:
    FinishMemo();
    std::optional<bool> Find(const FinishKey& key) const;
    void Insert(const FinishKey& key, bool can_finish) const;

   private:
    using Map = std::unordered_map<FinishKey, bool, FinishKeyHash>;
    Map& Local() const;  // this thread's copy
    const uint64_t id_;  // unique in the process, never reused
    static constexpr size_t kShards = 16;
    struct Shard {
      std::mutex mu;
      Map map;
    };
    Shard& ShardOf(const FinishKey& key) const { return shards_[FinishKeyHash()(key) % kShards]; }
    mutable std::array<Shard, kShards> shards_;
  };
  FinishMemo finish_memo_;
};

class GrammarState {
 public:
  explicit GrammarState(const GrammarRules* rules) : rules_(rules) { carry_.fill(kNoCarry); }

  // allowed[id] = 1 for every token that keeps the tune finishable, else 0
  // (resized to the vocabulary). Never all zero unless done() — that would
  // be a bug of the mask (Describe() says where).
  void Allowed(std::vector<uint8_t>* allowed) const;
  // The same for one token, judged alone (slower; for checks and tests).
  bool IsAllowed(int32_t id) const;
  // Takes the token. On error (a token the mask does not allow) the state is unchanged.
  Status Accept(int32_t id);
  Status Accept(const std::string& token);

  // After --prime: the last note's length is final (no duration token may
  // follow it), so that the primed notes are kept as written.
  void CloseDuration();

  // From now on no note (a single pitch, or any pitch of a chord [..]) may
  // sound outside [lowest_midi, highest_midi], MIDI numbers with middle C
  // (the token C) = 60. The sounding pitch of a token of the C-rooted body
  // comes from the key signature of C in the tune's mode (in C dorian B is
  // Bb), its own accidental, and the accidentals carried to the end of the
  // bar (letter and octave, as in ABC). A tie is only allowed to a pitch
  // inside the window, the tonic stays reachable: the window never makes
  // the mask dead-end. May be called before the header or anywhere in the
  // body; a later call replaces the window. Fails, leaving the state
  // unchanged, when the window is narrower than an octave (highest - lowest
  // < 12), holds no tonic (a C) of the vocabulary, or would leave an open
  // tie without its note.
  Status SetPitchRange(int lowest_midi, int highest_midi);
  bool has_pitch_range() const { return ranged_; }
  // The sounding MIDI pitch of pitch token `id` if it came next (see
  // SetPitchRange); -1 for a token that is not a pitch or before K:.
  int SoundingPitch(int32_t id) const;

  bool done() const { return phase_ == Phase::kDone; }
  bool in_body() const { return phase_ == Phase::kBody; }
  int bars() const { return bars_; }           // full bars closed (the pickup not counted)
  int body_tokens() const { return body_tokens_; }
  // True when the last token closed a bar (a bar line after some music):
  // the points the novelty guard rolls back to.
  bool at_bar_start() const { return last_ == Last::kBar && used_ == abc::Rational(0); }
  // "body, bar 5 (3/2 of 6 eighths), in a tuplet (2 notes left), first ending ..."
  std::string Describe() const;

 private:
  enum class Phase : uint8_t { kMeter, kMode, kRhythm, kBody, kDone };
  enum class Last : uint8_t { kStart, kNote, kChordOpen, kDuration, kTie, kChordSymbol, kTuplet, kBroken, kBar, kEnding };

  // Closing a bar of `used` eighths now: the bar kinds allowed (bit per abc::BarKind).
  uint32_t ClosingKinds(abc::Rational used) const;
  uint32_t FreeKinds(bool full, bool comp, bool pick) const;
  uint32_t StructureKinds(bool full, bool comp, bool pick) const;
  bool Blocked() const;  // a forced token is due: no music token may come
  bool EndAllowed() const;
  bool Apply(int32_t id);  // the grammar's rules for one token; false: not allowed here
  void StartNote();
  void CloseBar(abc::BarKind kind);
  bool Viable() const;     // the tune can still be finished from here
  bool RhythmFits(const tokens::Token& rhythm) const;  // with the meter chosen
  bool CanFinishBar() const;
  // With a structure: the bar being written closes the tune, so its last
  // note must be the tonic.
  bool FinalBar() const;
  // The chord sounding at this point (after the pending chord symbol, if
  // any) lets the tune end: no chord symbol yet, or the last one the tonic triad.
  bool EndChordOk() const;
  // An open tie may cross the bar line: the tied note sounds at least a beat
  // (GrammarOptions::tie_over_beat).
  bool TieMayCross() const;
  // Pitches: sounding MIDI number of `pitch` here (or at the start of a new
  // bar), whether pitch token `id` may sound here, and the ABC carry of
  // explicit accidentals to the end of the bar.
  int Sounding(const abc::Pitch& pitch, bool new_bar) const;
  bool InWindow(int32_t id) const;
  void CarryAccidental(const abc::Pitch& pitch);
  bool NextBarFinal() const;  // the bar after this one (closed by '|') is the last

  const GrammarRules* rules_;
  Phase phase_ = Phase::kMeter;
  Last last_ = Last::kStart;
  abc::BarKind last_bar_ = abc::BarKind::kSingle;

  int meter_num_ = 0, meter_den_ = 0;
  abc::Rational bar_len_;  // eighths in a full bar
  abc::Rational beat_;     // eighths in a beat: a dotted quarter in 6/8 9/8 12/8 3/8, a quarter in x/4 and x/2
  abc::Rational used_;     // eighths sounded in the current bar
  abc::Rational pickup_;   // eighths of the pickup bar; 0 when the tune has none
  // abc2midi times a repeat or a new section by gluing the short bars on
  // either side of the bar line, so a tune whose pickup opens its first
  // section (closed by |, not |:) is "shifted": every section then ends on
  // the complement of the pickup and the next one starts with the pickup
  // again. A pickup closed by |: lies outside the repeat, and every later
  // bar is full.
  bool shifted_ = false;
  bool pickup_due_ = false;  // shifted: this bar is the next section's pickup
  bool first_bar_ = true;  // no bar with music has closed yet
  int bars_ = 0;
  int body_tokens_ = 0;
  bool closing_ = false;   // free form: the current bar must close the tune

  // The note (or chord, or rest) being written.
  bool dur_open_ = false;      // a duration token may still follow it
  abc::Rational factor_;       // its sounding length per written eighth (tuplet x broken)
  abc::Rational last_sound_;   // its sounding length
  bool last_is_note_ = false;  // a pitch or a chord, not a rest
  bool last_single_ = false;   // one pitch (ties only join single pitches)
  bool last_tonic_ = false;    // a single pitch on the tonic
  int32_t last_pitch_ = -1;
  bool last_in_tuplet_ = false;
  bool last_broken_second_ = false;
  int chord_notes_ = -1;       // pitches in the open chord [...; -1 outside a chord
  bool chord_symbol_pending_ = false;
  int32_t tie_pitch_ = -1;     // a tie is open: the next note must be this pitch
  int tuplet_left_ = 0;
  abc::Rational tuplet_factor_;
  // abc2midi times a tuplet of unequal notes its own way (and warns): every
  // note of a tuplet is written as long as its first.
  abc::Rational tuplet_len_;        // the written length of the tuplet's notes; 0 until the first is known
  bool tuplet_first_open_ = false;  // the open note is the tuplet's first
  abc::Rational broken_factor_;  // the next note's factor after > or <; 0 when none
  // abc2midi wants the two notes of a broken-rhythm pair written equally long.
  abc::Rational last_written_;   // the written length of the last note so far
  abc::Rational broken_len_;     // after > or <: the written length the next note must have
  abc::Rational need_len_;       // the written length the open note must end with; 0 when free
  // R:hornpipe: abc2midi dots pairs of equal short notes itself (eighths in
  // 4/4, sixteenths in 2/4) and fails on a written > or < whose first note it
  // has already shortened; a mark is only allowed on a note that starts on a
  // multiple of two such notes.
  abc::Rational hornpipe_grid_;  // 0 unless R:hornpipe
  abc::Rational last_start_;     // where the last note started in its bar

  // Repeats and endings.
  bool repeat_open_ = false;   // after |: or ::
  bool repeat_seen_ = false;   // a bar line other than | so far: a :| needs its |:
  int bars_in_repeat_ = 0;     // bars since the repeat (or the tune) started
  int ending_ = 0;             // 1 or 2 inside a first/second ending
  int ending_bars_ = 0;
  int ending1_bars_ = 0;
  bool need_ending2_ = false;  // after the :| of a first ending
  bool need_repeat_start_ = false;  // structure: a |: is due
  bool final_ = false;         // only </s> may come

  // Structure.
  int part_ = 0;
  int part_bar_ = 0;   // bars closed in the current part
  int ending_len_ = 0; // structure: bars of each ending of this part

  // The mode, for the rules on chords and pitches.
  bool mode_known_ = false;
  bool minor_third_ = false;  // min dor phr loc: the tonic triad is minor (diminished in loc)
  int32_t triad_id_ = -1;     // the mode's tonic triad chord symbol ("I", "i", "io"); -1: none in the vocabulary
  std::array<int8_t, 7> signature_{};  // key signature of C <mode>, per letter C..B
  bool last_chord_tonic_ = true;     // no chord symbol yet, or the last one is the tonic triad
  bool pending_chord_tonic_ = false; // the pending chord symbol is the tonic triad

  // Pitch window (SetPitchRange) and the accidentals carried in the bar.
  static constexpr int kOctaves = 11;             // octave -5..5 (the reader's range)
  static constexpr int8_t kNoCarry = 127;
  bool ranged_ = false;
  int lowest_ = 0, highest_ = 0;
  std::array<int8_t, 7 * kOctaves> carry_;        // alteration per (letter, octave); kNoCarry: none
  bool carried_ = false;                          // some entry of carry_ is set
};

// Whether `prime` (body tokens) fits the grammar at the start of a body:
// walks some header (each forced token, else the first allowed, e.g. the
// first rhythm that fits the meter), then accepts the prime token by token.
// The error of the first token that does not fit, as Accept gives it.
Status CheckPrimeFits(const GrammarRules* rules, const std::vector<std::string>& prime);

}  // namespace tunesmith::generate
