// Bar-length checks: each bar's sounding length against the meter in force,
// with a pickup (anacrusis) at the start and its complement at the end
// recognised, and repeats and endings understood (a bar split across a repeat
// sign or an ending counts as one bar).
#pragma once

#include <vector>

#include "abc/diagnostic.h"
#include "abc/rational.h"
#include "abc/tune.h"

namespace tunesmith::abc {

struct BarInfo {
  Rational length;      // sounding length (tuplets and broken rhythm applied)
  Rational expected;    // the meter's bar length where it started
  bool off_meter = false;
  SourcePos pos;        // where the bar started
};

struct BarCheck {
  std::vector<BarInfo> bars;
  int off_meter = 0;
  std::vector<Diagnostic> diagnostics;  // one warning per off-meter bar
};

// Never fails; a tune in free meter (M:none) has bars but none off-meter.
BarCheck CheckBars(const Tune& tune);

}  // namespace tunesmith::abc
