#include "eval/novelty.h"

namespace tunesmith::eval {

NoveltySummary SummariseNovelty(const std::vector<TuneNovelty>& tunes) {
  std::vector<double> bars, notes, w8, w16;
  for (const TuneNovelty& t : tunes) {
    bars.push_back(t.longest_bar_run);
    notes.push_back(t.longest_note_run);
    if (t.windows8 > 0) w8.push_back(t.window8_share);
    if (t.windows16 > 0) w16.push_back(t.window16_share);
  }
  return {Summarise(bars), Summarise(notes), Summarise(w8), Summarise(w16)};
}

}  // namespace tunesmith::eval
