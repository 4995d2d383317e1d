#include "abc/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tunesmith::abc {
namespace {

std::string Where(std::string_view text, size_t offset) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

// Why `text` (the start of a file, or all of it) is not ABC text; Ok when it may be.
Status CheckText(const std::string& name, std::string_view text) {
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
    return Status::NotSupported(name + ": UTF-16 text (byte-order mark " +
                                std::string(text[0] == '\xFF' ? "FF FE" : "FE FF") +
                                "); save it as UTF-8 to read it");
  const size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return Status::Ok();
  // ASCII letters in UTF-16 without a byte-order mark: every other byte is NUL.
  size_t pairs = 0, nul_pairs = 0;
  for (size_t i = 0; i + 1 < std::min<size_t>(text.size(), 512); i += 2) {
    ++pairs;
    if ((text[i] == '\0') != (text[i + 1] == '\0')) ++nul_pairs;
  }
  if (pairs >= 2 && nul_pairs * 10 >= pairs * 9)
    return Status::NotSupported(name + ": looks like UTF-16 text (a NUL byte beside each letter); save it as UTF-8 to read it");
  return Status::NotSupported(name + ":" + Where(text, nul) + ": binary data (a NUL byte), not ABC text");
}

}  // namespace

Status ListAbcFiles(const std::vector<std::string>& paths, std::vector<std::string>* files) {
  namespace fs = std::filesystem;
  std::vector<std::string> found;
  for (const std::string& path : paths) {
    if (path == "-") {
      found.push_back(path);
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> in_folder;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".abc") in_folder.push_back(it->path().string());
      }
      if (ec) return Status::IOError("cannot list " + path + ": " + ec.message());
      if (in_folder.empty()) return Status::NotFound("no *.abc file in the folder " + path);
      std::sort(in_folder.begin(), in_folder.end());
      found.insert(found.end(), in_folder.begin(), in_folder.end());
    } else if (fs::exists(path, ec)) {
      found.push_back(path);
    } else {
      return Status::NotFound("no such file or folder: " + path);
    }
  }
  files->insert(files->end(), found.begin(), found.end());
  return Status::Ok();
}

Result<std::string> ReadTextFile(const std::string& path) {
  const bool stdin_ = path == "-";
  const std::string name = stdin_ ? "standard input" : path;
  const int fd = stdin_ ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return Status::NotFound("no such file: " + path);
    return Status::IOError("cannot open " + path + ": " + std::strerror(error));
  }
  std::string text;
  char buffer[1 << 16];
  Status status = Status::Ok();
  bool checked_start = false;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      status = Status::IOError("cannot read " + name + ": " + std::strerror(errno));
      break;
    }
    if (text.size() + static_cast<size_t>(n) > kMaxAbcFileBytes) {
      status = Status::NotSupported(name + ": larger than " + std::to_string(kMaxAbcFileBytes >> 20) +
                                    " MiB, the most tunesmith reads of one file; split it");
      break;
    }
    const size_t before = text.size();
    text.append(buffer, static_cast<size_t>(n));
    // Binary input (/dev/zero, an image) stops at its first block, not at the bound.
    if (!checked_start && text.size() >= 512) {
      checked_start = true;
      if (Status st = CheckText(name, text); !st.ok()) {
        status = st;
        break;
      }
    } else if (checked_start && std::memchr(text.data() + before, '\0', static_cast<size_t>(n))) {
      status = CheckText(name, text);
      break;
    }
  }
  if (!stdin_) ::close(fd);
  if (!status.ok()) return status;
  if (Status st = CheckText(name, text); !st.ok()) return st;
  return text;
}

SourceLines::SourceLines(std::string_view text, int first_line) : text_(text), first_line_(first_line) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) starts_.push_back(i + 1);
  }
}

std::string_view SourceLines::Line(int line) const {
  const int index = line - first_line_;
  if (index < 0 || static_cast<size_t>(index) >= starts_.size()) return "";
  size_t start = starts_[static_cast<size_t>(index)];
  size_t end = start;
  while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') ++end;
  return text_.substr(start, end - start);
}

}  // namespace tunesmith::abc
