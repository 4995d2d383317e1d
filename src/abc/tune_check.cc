#include "abc/tune_check.h"

#include "abc/bar_check.h"
#include "abc/reader.h"

namespace tunesmith::abc {

TuneTextCheck CheckTuneText(const std::string& text, const std::string& source) {
  TuneTextCheck c;
  ReadResult read = ReadAbc(text, source);
  c.read_warnings = read.warnings;
  for (const auto& d : read.diagnostics) {
    if (d.severity == Severity::kError) {
      c.error = d.Format();
      break;
    }
  }
  c.read_ok = read.tunes.size() == 1 && read.rejected == 0 && c.error.empty();
  if (!read.tunes.empty()) {
    const BarCheck bars = CheckBars(read.tunes[0]);
    c.bars = static_cast<int>(bars.bars.size());
    c.off_meter = bars.off_meter;
    c.tune = std::move(read.tunes[0]);
  }
  return c;
}

}  // namespace tunesmith::abc
