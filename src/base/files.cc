#include "base/files.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
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
  // A name of its own per write (the process id, for RemoveStaleTemporaryFiles,
  // and 64 random bits nobody can guess; O_EXCL refuses an existing name,
  // symlinks included), hidden, beside the target so that the rename stays on
  // one file system. open() applies the umask as for any new file.
  std::random_device entropy;
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 100; ++attempt) {
    char suffix[17];
    const uint64_t r = (static_cast<uint64_t>(entropy()) << 32) ^ entropy();
    std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(r));
    temp = TemporaryFilePrefix(path, ::getpid()) + suffix;
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
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

std::string TemporaryFilePrefix(const std::filesystem::path& path, long pid) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  return (dir / ("." + path.filename().string() + ".tmp." + std::to_string(pid) + ".")).string();
}

int RemoveStaleTemporaryFiles(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string head = "." + path.filename().string() + ".tmp.";
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, head.size(), head) != 0) continue;
    // .NAME.tmp.PID.RANDOM: the writer's process id between the dots.
    const size_t dot = name.find('.', head.size());
    const std::string pid_text = name.substr(head.size(), dot == std::string::npos ? std::string::npos : dot - head.size());
    if (pid_text.empty() || pid_text.size() > 9 || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(pid_text);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to ask)
    std::error_code remove_error;
    if (fs::remove(it->path(), remove_error)) ++removed;
  }
  return removed;
}

}  // namespace tunesmith::base
