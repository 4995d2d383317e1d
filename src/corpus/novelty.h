// Novelty of one tune against the training set, through the novelty index
// (novelty_index.h, the same one the generation guard follows): the longest
// run of consecutive bars and of melody notes it shares with one training
// tune, the share of its 8- and 16-note windows found anywhere in the
// training set, and its nearest training tune. docs/novelty.md defines them.
// generate reports it for each tune it writes; eval summarises it over sets.
#pragma once

#include <string>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "corpus/novelty_index.h"

namespace tunesmith::corpus {

struct TuneNovelty {
  int bars = 0;   // bars of the tune (as the index counts them)
  int notes = 0;  // melody notes

  int longest_bar_run = 0;        // consecutive bars shared with one training tune
  std::string bar_run_title;      // that tune's title ("" when no bar is shared)
  int longest_note_run = 0;       // consecutive notes (intervals + lengths) shared; 0 if < 4
  std::string note_run_title;     // that tune's title

  int windows8 = 0, windows8_found = 0;    // 8-note windows, and how many occur in the training set
  int windows16 = 0, windows16_found = 0;
  double window8_share = 0;   // windows8_found / windows8 (0 for a tune of fewer than 8 notes)
  double window16_share = 0;

  // The nearest training tune: the one with the longest shared run of bars,
  // or of notes when no bar is shared; "" when neither is.
  std::string nearest_title;
  int nearest_tune = -1;  // its index in the NoveltyIndex
};

// The novelty of `tune`. Fails when the tune cannot be tokenised (its bars
// cannot be hashed): K:none, a free meter, ... (see tokens/normalise.h).
Result<TuneNovelty> MeasureNovelty(const NoveltyIndex& index, const abc::Tune& tune);

// The same from the parts, for callers that already have them (e.g. a tune
// generated as tokens): its bar hashes and its melody.
TuneNovelty MeasureNovelty(const NoveltyIndex& index, const std::vector<BarHash>& bars,
                           const std::vector<MelodyNote>& melody);

// The same for a tune written from an abc-token stream (<s> ... </s>), as
// generate has it: the bars hashed from `tokens`, the melody from `tune`
// (the same tune decoded).
TuneNovelty MeasureNovelty(const NoveltyIndex& index, const std::vector<std::string>& tokens, const abc::Tune& tune);

}  // namespace tunesmith::corpus
