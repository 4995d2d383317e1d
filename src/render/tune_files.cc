#include "render/tune_files.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>

#include "base/files.h"
#include "render/synthesizer.h"
#include "render/wav.h"

namespace tunesmith::render {

namespace fs = std::filesystem;

namespace {
constexpr int kMaxStemTries = 1000;  // stem, stem-2, ... stem-1000
}  // namespace

Result<std::vector<std::string>> ParseTuneFormats(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) continue;
    if (item != "abc" && item != "mid" && item != "wav" && item != "svg") {
      return Status::InvalidArgument("--format '" + item + "' is not one of abc, mid, wav, svg");
    }
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  if (out.empty()) return Status::InvalidArgument("--format '" + list + "' names no format: give one or more of abc, mid, wav, svg, comma-separated");
  return out;
}

std::string Slug(const std::string& title) {
  std::string out;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c == ' ' && !out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "tune" : out;
}

bool TuneFileOptions::Wants(const std::string& format) const {
  return !dir.empty() && std::find(formats.begin(), formats.end(), format) != formats.end();
}

TuneFileWriter::TuneFileWriter(TuneFileOptions options) : options_(std::move(options)) {}
TuneFileWriter::~TuneFileWriter() = default;

Result<TuneFiles> TuneFileWriter::Write(const std::string& abc, const std::string& stem) {
  TuneFiles out;
  if (options_.dir.empty()) return out;
  const fs::path dir = options_.dir;
  if (!dir_made_) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError("--out " + options_.dir + ": " + ec.message());
    dir_made_ = true;
  }
  // Everything is made first, then written under one free stem.
  std::vector<std::pair<std::string, std::string>> files;  // format, bytes
  if (options_.Wants("abc")) files.emplace_back("abc", abc);
  if (options_.Wants("mid") || options_.Wants("wav")) {
    out.midi_converted = true;
    auto m = AbcToMidi(abc, options_.midi, {stem + ".abc", 1});
    if (!m.ok()) {
      out.midi_error = m.status().message();
    } else {
      out.midi_warnings = static_cast<int>(m->messages.size());
      if (options_.Wants("mid")) files.emplace_back("mid", m->bytes);
      if (options_.Wants("wav")) {
        if (!synth_) {
          auto opened = MidiSynthesizer::Open();
          if (!opened.ok()) return opened.status().WithPrefix("--format wav: ");
          synth_ = std::move(*opened);
        }
        auto audio = synth_->Render(m->bytes);
        if (!audio.ok()) return audio.status().WithPrefix("WAV: ");
        files.emplace_back("wav", EncodeWav16(*audio));
      }
    }
  }
  if (options_.Wants("svg")) {
    auto svg = AbcToSvg(abc);
    if (!svg.ok()) return svg.status().WithPrefix("SVG: ");
    files.emplace_back("svg", std::move(svg->svg));
  }
  if (files.empty()) return out;

  static const char* const kAllFormats[] = {"abc", "mid", "wav", "svg"};
  for (int n = 1; n <= kMaxStemTries; ++n) {
    const std::string name = n == 1 ? stem : stem + "-" + std::to_string(n);
    bool taken = false;
    for (const char* format : kAllFormats) {
      struct stat st;
      const fs::path p = dir / (name + "." + format);
      if (::lstat(p.c_str(), &st) == 0) taken = true;  // something is there, whatever it is
    }
    if (taken) continue;
    std::vector<fs::path> made;
    auto undo = [&made] {
      for (const fs::path& p : made) ::unlink(p.c_str());
    };
    for (const auto& [format, bytes] : files) {
      const fs::path p = dir / (name + "." + format);
      auto wrote = WriteNewFile(p.string(), bytes);
      if (!wrote.ok()) {
        undo();
        return wrote.status();
      }
      if (!*wrote) {  // taken since we looked: another writer; the next stem
        taken = true;
        break;
      }
      made.push_back(p);
    }
    if (taken) {
      undo();
      continue;
    }
    out.stem = name;
    for (size_t i = 0; i < files.size(); ++i) out.paths[files[i].first] = made[i].string();
    return out;
  }
  return Status::IOError("--out " + options_.dir + ": " + stem + " and the next " + std::to_string(kMaxStemTries - 1) +
                         " names are taken; choose an empty folder");
}

Result<bool> WriteNewFile(const std::string& path_string, std::string_view bytes) {
  const fs::path path(path_string);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::random_device random;
  std::string temp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 16; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "%08x%08x", random(), random());
    temp = (dir / ("." + path.filename().string() + "." + suffix + ".tmp")).string();
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return Status::IOError("cannot write " + path_string + ": " + std::strerror(errno));
  auto fail = [&](int error) -> Status {
    ::unlink(temp.c_str());
    return Status::IOError("cannot write " + path_string + ": " + std::strerror(error));
  };
  for (std::string_view left = bytes; !left.empty();) {
    const ssize_t n = ::write(fd, left.data(), left.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return fail(error);
    }
    left.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    return fail(error);
  }
  if (::close(fd) != 0) return fail(errno);
  // link() never replaces its target (and does not follow a symlink there).
  bool placed = ::link(temp.c_str(), path.c_str()) == 0;
  int error = placed ? 0 : errno;
  if (!placed && error != EEXIST) {
    // No hard links on this file system: a rename that refuses to replace.
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
      placed = true;
      error = 0;
    } else {
      error = errno;
    }
  }
  ::unlink(temp.c_str());  // after a link, the name the file keeps is `path`
  if (!placed && error == EEXIST) return false;
  if (!placed) return Status::IOError("cannot write " + path_string + ": " + std::strerror(error));
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

}  // namespace tunesmith::render
