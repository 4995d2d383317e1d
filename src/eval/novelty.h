// Novelty over a set of tunes: the distributions of the per-tune figures
// (corpus/novelty.h measures one tune), as the report and docs/novelty.md
// print them.
#pragma once

#include <string>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "corpus/novelty.h"
#include "eval/stats.h"

namespace tunesmith::eval {

using corpus::MeasureNovelty;
using corpus::TuneNovelty;

// Distributions over a set of tunes, as the report and docs/novelty.md print them.
struct NoveltySummary {
  Summary longest_bar_run;
  Summary longest_note_run;
  Summary window8_share;
  Summary window16_share;
};
NoveltySummary SummariseNovelty(const std::vector<TuneNovelty>& tunes);

}  // namespace tunesmith::eval
