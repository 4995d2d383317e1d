#include "train/progress.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

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

MetricsLog::~MetricsLog() { Close(); }

void MetricsLog::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status MetricsLog::Open(const std::string& path, bool append, size_t* dropped) {
  Close();
  if (dropped) *dropped = 0;
  path_ = path;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | (append ? 0 : O_TRUNC), 0644);
  if (fd < 0) return Status::IOError("cannot write " + path + ": " + std::strerror(errno));
  struct stat st;
  if (append && ::fstat(fd, &st) == 0 && st.st_size > 0) {
    // Back from the end to the last newline; what follows it is a line cut short.
    off_t end = st.st_size;
    off_t keep = 0;
    char buffer[4096];
    while (end > 0) {
      const off_t from = end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
      const ssize_t n = ::pread(fd, buffer, static_cast<size_t>(end - from), from);
      if (n != end - from) {
        const int error = n < 0 ? errno : EIO;
        ::close(fd);
        return Status::IOError("cannot read " + path + ": " + std::strerror(error));
      }
      const void* nl = ::memrchr(buffer, '\n', static_cast<size_t>(n));
      if (nl) {
        keep = from + (static_cast<const char*>(nl) - buffer) + 1;
        break;
      }
      end = from;
    }
    if (keep != st.st_size) {
      if (::ftruncate(fd, keep) != 0) {
        const int error = errno;
        ::close(fd);
        return Status::IOError("cannot repair " + path + ": " + std::strerror(error));
      }
      if (dropped) *dropped = static_cast<size_t>(st.st_size - keep);
    }
  }
  fd_ = fd;
  return Status::Ok();
}

Status MetricsLog::Append(const std::string& line) {
  if (fd_ < 0) return Status::IOError("cannot write " + path_ + ": the log is not open");
  const std::string text = line + "\n";
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  ssize_t n;
  do {
    n = ::write(fd_, text.data(), text.size());
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(text.size())) return Status::Ok();
  const int error = n < 0 ? errno : ENOSPC;  // a short write: the disk filled up
  if (before >= 0 && ::ftruncate(fd_, before) != 0) {
    return Status::IOError("cannot write " + path_ + ": " + std::strerror(error) +
                           "; the half-written line could not be removed either");
  }
  return Status::IOError("cannot write " + path_ + ": " + std::strerror(error) + " (the line was dropped; the log is whole)");
}

Status AppendMetricsLine(const std::string& path, const std::string& line) {
  MetricsLog log;
  Status st = log.Open(path, /*append=*/true);
  if (!st.ok()) return st;
  return log.Append(line);
}

}  // namespace tunesmith::train
