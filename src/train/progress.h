// The progress line on stderr:
//   epoch 3/30 | step 1200 | loss 1.234 | lr 1.8e-03 | 35.2k tok/s | eta 3m10s
// redrawn in place on a terminal, or printed every `every` steps otherwise
// (a log file gets lines, not carriage returns). No LibTorch here.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace tunesmith::train {

struct ProgressInfo {
  int64_t epoch = 0, epochs = 0;  // 1-based epoch of the step, of how many planned
  int64_t step = 0;
  double loss = 0;                // smoothed training loss (nats per token)
  double lr = 0;
  double tokens_per_second = 0;
  double eta_seconds = -1;        // < 0: unknown
};

// "3m10s", "1h02m", "42s".
std::string FormatDuration(double seconds);
std::string FormatProgress(const ProgressInfo& info);

class ProgressLine {
 public:
  // `out` is usually stderr; `tty` decides between redrawing and printing lines.
  ProgressLine(std::FILE* out, bool tty, int every);
  void Update(const ProgressInfo& info);
  // Prints `message` on its own line (ends a redrawn line first).
  void Say(const std::string& message);
  void Finish();

 private:
  std::FILE* out_;
  bool tty_;
  int every_;
  bool open_line_ = false;
};

}  // namespace tunesmith::train
