#include "corpus/novelty.h"

#include "abc/timeline.h"

namespace tunesmith::corpus {
namespace {

// How many of the n-note windows of a melody (n >= kNoteGram) occur in one
// training tune: window i does exactly when the shared run from note i is >= n.
void CountWindows(const std::vector<int>& run_from, int n, int* windows, int* found) {
  *windows = 0;
  *found = 0;
  for (std::size_t i = 0; i + n <= run_from.size(); ++i) {
    ++*windows;
    if (run_from[i] >= n) ++*found;
  }
}

}  // namespace

TuneNovelty MeasureNovelty(const NoveltyIndex& index, const std::vector<BarHash>& bars,
                           const std::vector<MelodyNote>& melody) {
  TuneNovelty out;
  out.bars = static_cast<int>(bars.size());
  out.notes = static_cast<int>(melody.size());

  const SharedRun bar_run = index.LongestBarRun(bars);
  out.longest_bar_run = bar_run.length;
  if (bar_run.tune >= 0) out.bar_run_title = index.tune(bar_run.tune).title;

  const NoteMatches notes = index.MatchNotes(melody);
  out.longest_note_run = notes.longest.length;
  if (notes.longest.tune >= 0) out.note_run_title = index.tune(notes.longest.tune).title;
  CountWindows(notes.run_from, 8, &out.windows8, &out.windows8_found);
  CountWindows(notes.run_from, 16, &out.windows16, &out.windows16_found);
  if (out.windows8 > 0) out.window8_share = static_cast<double>(out.windows8_found) / out.windows8;
  if (out.windows16 > 0) out.window16_share = static_cast<double>(out.windows16_found) / out.windows16;

  if (bar_run.tune >= 0) {
    out.nearest_tune = bar_run.tune;
  } else if (notes.longest.tune >= 0) {
    out.nearest_tune = notes.longest.tune;
  }
  if (out.nearest_tune >= 0) out.nearest_title = index.tune(out.nearest_tune).title;
  return out;
}

Result<TuneNovelty> MeasureNovelty(const NoveltyIndex& index, const abc::Tune& tune) {
  auto bars = BarHashesOfTune(tune);
  if (!bars.ok()) return bars.status().WithPrefix(tune.Describe() + ": ");
  return MeasureNovelty(index, *bars, MelodyOf(abc::Timeline(tune)));
}

TuneNovelty MeasureNovelty(const NoveltyIndex& index, const std::vector<std::string>& tokens, const abc::Tune& tune) {
  return MeasureNovelty(index, BarHashesOfTokens(tokens), MelodyOf(abc::Timeline(tune)));
}

}  // namespace tunesmith::corpus
