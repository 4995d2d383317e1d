#include "train/progress.h"

#include <cmath>

namespace tunesmith::train {

std::string FormatDuration(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

std::string FormatProgress(const ProgressInfo& p) {
  char rate[32];
  if (p.tokens_per_second >= 1000) {
    std::snprintf(rate, sizeof rate, "%.1fk", p.tokens_per_second / 1000);
  } else {
    std::snprintf(rate, sizeof rate, "%.0f", p.tokens_per_second);
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "epoch %lld/%lld | step %lld | loss %.3f | lr %.1e | %s tok/s | eta %s",
                static_cast<long long>(p.epoch), static_cast<long long>(p.epochs), static_cast<long long>(p.step),
                p.loss, p.lr, rate, FormatDuration(p.eta_seconds).c_str());
  return buf;
}

ProgressLine::ProgressLine(std::FILE* out, bool tty, int every) : out_(out), tty_(tty), every_(every) {}

void ProgressLine::Update(const ProgressInfo& info) {
  if (tty_) {
    std::fprintf(out_, "\r%s\x1b[K", FormatProgress(info).c_str());
    open_line_ = true;
  } else if (every_ > 0 && info.step % every_ == 0) {
    std::fprintf(out_, "%s\n", FormatProgress(info).c_str());
  }
  std::fflush(out_);
}

void ProgressLine::Say(const std::string& message) {
  if (open_line_) std::fputc('\n', out_);
  open_line_ = false;
  std::fprintf(out_, "%s\n", message.c_str());
  std::fflush(out_);
}

void ProgressLine::Finish() {
  if (open_line_) std::fputc('\n', out_);
  open_line_ = false;
  std::fflush(out_);
}

}  // namespace tunesmith::train
