#include "render/tune_files.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "base/files.h"
#include "render/synthesizer.h"

namespace tunesmith::render {

namespace fs = std::filesystem;

Result<std::vector<std::string>> ParseTuneFormats(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) continue;
    if (item != "abc" && item != "mid" && item != "wav" && item != "svg") {
      return Status::InvalidArgument("--format '" + item + "' is not one of abc, mid, wav, svg");
    }
    out.push_back(item);
  }
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
  auto write = [&](const std::string& format, const std::string& bytes) -> Status {
    const fs::path p = dir / (stem + "." + format);
    if (Status s = base::WriteFileAtomically(p, bytes); !s.ok()) return s;
    out.paths[format] = p.string();
    return Status::Ok();
  };
  if (options_.Wants("abc")) {
    if (Status s = write("abc", abc); !s.ok()) return s;
  }
  if (options_.Wants("mid") || options_.Wants("wav")) {
    out.midi_converted = true;
    auto m = AbcToMidi(abc, options_.midi, {stem + ".abc", 1});
    if (!m.ok()) {
      out.midi_error = m.status().message();
    } else {
      out.midi_warnings = static_cast<int>(m->messages.size());
      if (options_.Wants("mid")) {
        if (Status s = write("mid", m->bytes); !s.ok()) return s;
      }
      if (options_.Wants("wav")) {
        if (!synth_) {
          auto opened = MidiSynthesizer::Open();
          if (!opened.ok()) return opened.status().WithPrefix("--format wav: ");
          synth_ = std::move(*opened);
        }
        const fs::path p = dir / (stem + ".wav");
        auto wav = synth_->RenderToWav(m->bytes, p);
        if (!wav.ok()) return wav.status().WithPrefix("WAV: ");
        out.paths["wav"] = p.string();
      }
    }
  }
  if (options_.Wants("svg")) {
    auto svg = AbcToSvg(abc);
    if (!svg.ok()) return svg.status().WithPrefix("SVG: ");
    if (Status s = write("svg", svg->svg); !s.ok()) return s;
  }
  return out;
}

}  // namespace tunesmith::render
