#include "base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

namespace tunesmith::base {
namespace {

Status ErrnoStatus(const std::string& what, int error) {
  std::string message = what + ": " + std::strerror(error);
  return error == ENOENT ? Status::NotFound(std::move(message)) : Status::IOError(std::move(message));
}

Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> ReadFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open " + path.string(), errno);
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      bytes.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      const int error = errno;
      ::close(fd);
      return Status::IOError("cannot read " + path.string() + ": " + std::strerror(error));
    }
  }
  ::close(fd);
  return bytes;
}

Status WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot write " + path.string(), errno);
  Status st = WriteAll(fd, bytes);
  if (::close(fd) != 0 && st.ok()) st = Status::IOError(std::strerror(errno));
  return st.WithPrefix("cannot write " + path.string() + ": ");
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
  namespace fs = std::filesystem;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  // A name of its own per writer (process id and a counter; O_EXCL makes
  // sure), hidden, beside the target so that the rename stays on one file
  // system. open() applies the umask as for any new file.
  static std::atomic<unsigned> counter{0};
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    temp = (dir / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                   std::to_string(counter.fetch_add(1)))).string();
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return ErrnoStatus("cannot write " + path.string() + " (temporary file " + temp + ")", errno);
  Status st = WriteAll(fd, bytes);
  if (st.ok() && ::fsync(fd) != 0) st = Status::IOError(std::strerror(errno));
  if (::close(fd) != 0 && st.ok()) st = Status::IOError(std::strerror(errno));
  if (st.ok() && ::rename(temp.c_str(), path.c_str()) != 0) st = Status::IOError(std::strerror(errno));
  if (!st.ok()) {
    ::unlink(temp.c_str());
    return st.WithPrefix("cannot write " + path.string() + ": ");
  }
  // Make the rename itself durable.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace tunesmith::base
