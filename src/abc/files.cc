#include "abc/files.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "base/files.h"

namespace tunesmith::abc {

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
  if (path == "-") {
    std::string text(std::istreambuf_iterator<char>(std::cin), {});
    if (std::cin.bad()) return Status::IOError("cannot read standard input");
    return text;
  }
  return base::ReadFile(path);
}

SourceLines::SourceLines(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

std::string SourceLines::Line(int line) const {
  if (line < 1 || static_cast<size_t>(line) > starts_.size()) return "";
  size_t start = starts_[line - 1];
  size_t end = text_.find('\n', start);
  std::string_view s = text_.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace tunesmith::abc
