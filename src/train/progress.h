// The progress line on stderr:
//   epoch 3/30 | step 1200 | loss 1.234 | lr 1.8e-03 | 35.2k tok/s | eta 3m10s
// redrawn in place on a terminal, or printed every `every` steps otherwise
// (a log file gets lines, not carriage returns). No LibTorch here.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "base/status.h"

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

// MODEL.metrics.jsonl: one JSON object per line, appended as training goes.
// Never holds half a line: a line is one write(), and a write that fails
// part-way (disk full) is cut back off; a half line left by a killed process
// or an older build is cut off when the log is opened to append.
class MetricsLog {
 public:
  MetricsLog() = default;
  ~MetricsLog();
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;

  // Opens `path`, emptied unless `append`. When appending, an unfinished last
  // line is removed and its length stored in `*dropped` (0 when the log ended
  // with a newline). IOError naming the path on failure.
  Status Open(const std::string& path, bool append, size_t* dropped = nullptr);
  // Writes `line` and a newline; on failure the log is as it was before the
  // call and the status (IOError) names the path and the reason.
  Status Append(const std::string& line);
  bool is_open() const { return fd_ >= 0; }
  void Close();

 private:
  int fd_ = -1;
  std::string path_;
};

// Appends one line to the log at `path` (opened and closed for it).
Status AppendMetricsLine(const std::string& path, const std::string& line);

}  // namespace tunesmith::train
