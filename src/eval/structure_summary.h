// Set-level structure figures (docs/eval.md, "Structure"): each per-tune
// count of structure.h pooled over a set of tunes, and two sets side by side
// (generated against the real test split) for the report.
//
//   std::vector<StructureRow> rows = CompareStructure(generated, real);
//   // rows[i].key "bar_repeat_exact_4", .generated 0.02, .real 0.19, ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eval/structure.h"

namespace tunesmith::eval {

// One figure of a set.
struct StructureFigure {
  std::string key;     // stable report key: "bar_repeat_exact_4", "note_length.6_8.eighth", ...
  std::string group;   // "repetition", "form", "key", "range", "rhythm", "harmony", "metadata"
  std::string label;   // what it measures, for a table: "bar n+4 repeats bar n exactly"
  std::string unit;    // what the value is a share / median of: "share of bar pairs", "median, semitones"
  std::optional<double> value;  // nullopt when nothing in the set qualifies (no 6/8 tune, ...)
  int64_t count = 0;   // observations behind the value (bar pairs, tunes with 2+ parts, ...)
};

// Every figure of a set, always the same keys in the same order (values
// absent where nothing qualifies). Shares pool the counts over the set (the
// share of all bar pairs, not the mean of each tune's share); medians are
// over tunes. Tunes without notes should be left out by the caller.
std::vector<StructureFigure> SummariseStructure(const std::vector<TuneStructure>& tunes);

// One figure for two sets.
struct StructureRow {
  std::string key, group, label, unit;
  std::optional<double> generated, real;
  int64_t generated_count = 0, real_count = 0;
};

// SummariseStructure of both sets, row by row. The rows of the tonic
// (tonic.*) and mode (mode.*) distributions where neither set has a tune
// are left out; every other row is kept.
std::vector<StructureRow> CompareStructure(const std::vector<TuneStructure>& generated,
                                           const std::vector<TuneStructure>& real);

}  // namespace tunesmith::eval
