// The novelty index: what tunesmith remembers of its training tunes to tell a
// new tune from a copy. Used by eval (novelty figures) and by the generation-
// time novelty guard; docs/novelty.md describes the definitions and the bytes.
//
// It holds, per training tune, its title, the hashes of its bars and the
// hashes of its 4-note melody windows, never the tune's text, and serialises
// to one byte string that a checkpoint can carry, so the guard works without
// the corpus.
//
// Bar content, the unit of the bar runs, is read from the abc-token stream
// (docs/tokens.md: root C, L:1/8), so that a tune being generated, token by
// token, and a training tune, through tokens::EncodeTune, hash alike:
//   - the notes, rests, chords [..], durations, ties, tuplets and broken-rhythm
//     marks between two bar tokens, in order;
//   - each pitch as it sounds (key signature of the mode or inline key in
//     force and the bar's accidentals applied), taken relative to the octave
//     of the bar's first note: a bar and the same bar an octave higher match;
//   - chord symbols, bar-line kinds, endings, meter/key/rhythm tokens ignored;
//   - a bar with no notes or rests is not a bar (|| |: gives one bar, not two).
// Transposition invariance comes from the stream being in root C.
//
// A note run is over the melody of the timeline (highest pitch of a chord,
// rests skipped): consecutive notes with the same lengths and the same
// intervals between them, in any key or octave.
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
#include "abc/timeline.h"
#include "abc/tune.h"
#include "base/status.h"
#include "corpus/corpus.h"

namespace tunesmith::corpus {

using BarHash = uint64_t;
using NoteGramHash = uint32_t;

// Notes per melody window stored in the index; note runs shorter than this
// are not seen (reported as 0).
inline constexpr int kNoteGram = 4;

// Turns the abc-token stream, one token at a time, into bar hashes.
class BarHasher {
 public:
  BarHasher();

  // Feeds the next token. Returns the hash of the bar that this token closes
  // (a bar token, or </s> after a bar without a closing bar line), nullopt
  // otherwise. Unknown tokens count as bar content, verbatim.
  std::optional<BarHash> Push(std::string_view token);
  // The hash the current bar would have if a bar token came now; nullopt
  // while it has no note or rest. Lets a sampler test a bar before closing it.
  std::optional<BarHash> Pending() const;

 private:
  void StartBar();
  void Mix(uint64_t value);
  void MixText(std::string_view text);
  int SoundingPitch(const abc::Pitch& pitch);  // records the bar accidental it sets

  std::array<int, 7> signature_{};
  std::unordered_map<int, int> bar_accidentals_;  // step + 7 * octave -> alteration
  uint64_t hash_ = 0;
  bool has_content_ = false;
  std::optional<int> octave_base_;  // MIDI of the C at or below the bar's first pitch
};

// The bar hashes of a whole abc-token stream (<s> ... </s>).
std::vector<BarHash> BarHashesOfTokens(const std::vector<std::string>& tokens);
// The bar hashes of a tune, through tokens::EncodeTune; fails when the tune
// cannot be tokenised (K:none, free meter, ...; see tokens/normalise.h).
Result<std::vector<BarHash>> BarHashesOfTune(const abc::Tune& tune);

struct MelodyNote {
  int midi = 0;
  abc::Rational length;
};
// The melody of a timeline: each pitched event's highest pitch and its
// sounding length, rests skipped.
std::vector<MelodyNote> MelodyOf(const std::vector<abc::NoteEvent>& events);
// The hash of every kNoteGram-note window of `melody` (its lengths and the
// kNoteGram - 1 intervals inside it), in order; empty for a shorter melody.
std::vector<NoteGramHash> NoteGramHashes(const std::vector<MelodyNote>& melody);

// One training tune as the index keeps it.
struct IndexedTune {
  std::string title;
  std::vector<BarHash> bars;
  std::vector<NoteGramHash> note_grams;
};

// Where a run shared with the training set is.
struct SharedRun {
  int length = 0;      // bars (or notes); 0 when nothing is shared
  int tune = -1;       // index of the training tune, -1 when length is 0
  int query_end = 0;   // the run is query[query_end - length, query_end)
  int tune_end = 0;    // ... and tune[tune_end - length, tune_end)
};

struct NoteMatches {
  // run_from[i]: the longest run of melody notes starting at note i that one
  // training tune also holds (0 when shorter than kNoteGram).
  std::vector<int> run_from;
  SharedRun longest;  // in notes
};

class NoveltyIndex {
 public:
  NoveltyIndex() = default;
  // `fingerprint` names the corpus and split it was built from (Corpus::Fingerprint()).
  NoveltyIndex(std::vector<IndexedTune> tunes, std::string fingerprint);

  int size() const { return static_cast<int>(tunes_.size()); }
  const IndexedTune& tune(int i) const { return tunes_.at(i); }
  const std::string& fingerprint() const { return fingerprint_; }
  // False when deserialised from bytes written without note windows.
  bool has_notes() const { return has_notes_; }

  // Every place (tune, bar position) a bar hash occurs, sorted; empty if none.
  struct Place {
    int32_t tune;
    int32_t bar;
  };
  const std::vector<Place>& Occurrences(BarHash bar) const;

  // The longest run of consecutive bars of `bars` that also follows in that
  // order in one training tune (ties: the earliest training tune).
  SharedRun LongestBarRun(const std::vector<BarHash>& bars) const;
  // Runs of melody notes shared with the training set (see NoteMatches).
  // Empty matches when !has_notes(). Thread-safe; the first call builds a
  // suffix array over all windows (about a second for 3,000 tunes).
  NoteMatches MatchNotes(const std::vector<MelodyNote>& melody) const;

  // The index as bytes (docs/novelty.md). With include_notes false the note
  // windows are left out (smaller; enough for the generation guard).
  std::string Serialize(bool include_notes = true) const;
  // Fails with a message on bad magic, version, truncation or checksum.
  static Result<NoveltyIndex> Deserialize(std::string_view bytes);

 private:
  struct NoteLookup;
  void BuildBarLookup();
  const NoteLookup& Notes() const;

  std::vector<IndexedTune> tunes_;
  std::string fingerprint_;
  bool has_notes_ = true;
  std::unordered_map<BarHash, std::vector<Place>> bar_places_;
  // Built on first use and shared by copies (the index never changes after construction).
  struct LazyNotes {
    std::once_flag once;
    std::shared_ptr<const NoteLookup> lookup;
  };
  std::shared_ptr<LazyNotes> lazy_notes_ = std::make_shared<LazyNotes>();
};

// Follows a tune bar by bar (as a sampler writes it) and says after each bar
// how long the run of training bars ending there is. Cheap to copy, so a
// sampler can keep one per candidate and roll back. `index` must outlive it.
class BarRunMatcher {
 public:
  explicit BarRunMatcher(const NoveltyIndex& index) : index_(&index) {}

  // Appends a bar; returns the length of the longest shared run ending at it
  // (0 when the bar occurs in no training tune).
  int Push(BarHash bar);
  // What Push(bar) would return and where, without appending it.
  SharedRun Peek(BarHash bar) const;

  int bars() const { return bars_; }           // bars pushed so far
  int current() const { return current_.length; }  // the run ending at the last bar
  const SharedRun& current_run() const { return current_; }  // ... with its training tune
  const SharedRun& longest() const { return longest_; }  // the longest run so far

 private:
  struct Active {
    int32_t tune, bar, length;  // a run of `length` bars ending at (tune, bar)
  };
  std::vector<Active> Advance(BarHash bar, SharedRun* best) const;

  const NoveltyIndex* index_;
  std::vector<Active> active_;  // runs ending at the last pushed bar, sorted by (tune, bar)
  int bars_ = 0;
  SharedRun current_;
  SharedRun longest_;
};

// What the index keeps of one corpus tune (its abc tokens were made while loading).
IndexedTune IndexTune(const CorpusTune& tune);

// The index of one split of a corpus (normally kTrain): titles, bar hashes
// and note windows of every tune of that split that can be tokenised (the
// others are counted in `skipped`, if given).
NoveltyIndex BuildNoveltyIndex(const Corpus& corpus, Split split = Split::kTrain, int* skipped = nullptr);

}  // namespace tunesmith::corpus
