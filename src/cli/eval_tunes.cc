#include "cli/eval_tunes.h"

#include <algorithm>

#include "abc/bar_check.h"
#include "abc/files.h"
#include "abc/reader.h"
#include "render/tune_text.h"

namespace tunesmith::cli {

CheckedSample CheckSample(const EvalSample& s, const render::MidiOptions& midi_options) {
  CheckedSample c;
  if (s.abc.empty()) {
    c.first_error = s.write_error;
    return c;
  }
  abc::ReadResult read = abc::ReadAbc(s.abc, "<sample " + std::to_string(s.index + 1) + ">");
  for (const auto& d : read.diagnostics) {
    if (d.severity == abc::Severity::kError) {
      if (c.first_error.empty()) c.first_error = d.Format();
    }
  }
  c.read = read.tunes.size() == 1 && read.rejected == 0 && c.first_error.empty();
  if (c.read) {
    c.tune = std::move(read.tunes[0]);
    const abc::BarCheck bars = abc::CheckBars(c.tune);
    c.bars = static_cast<int>(bars.bars.size());
    c.bars_off_meter = bars.off_meter;
  }
  auto midi = render::AbcToMidi(s.abc, midi_options);
  if (midi.ok()) {
    bool errors = false;
    for (const auto& m : midi->messages) {
      if (m.severity == render::ToolMessage::Severity::kError) {
        errors = true;
        if (c.first_error.empty()) c.first_error = "abc2midi: " + m.text;
      } else {
        ++c.abc2midi_warnings;
        std::string kind = m.text;
        for (char& ch : kind) {
          if (ch >= '0' && ch <= '9') ch = '#';
        }
        if (std::find(c.warning_kinds.begin(), c.warning_kinds.end(), kind) == c.warning_kinds.end()) {
          c.warning_kinds.push_back(kind);
        }
      }
    }
    c.abc2midi_ok = !errors;
    if (c.abc2midi_ok) c.midi = std::move(midi->bytes);
  } else if (c.first_error.empty()) {
    c.first_error = midi.status().message();
  }
  return c;
}

Result<std::vector<EvalSample>> ReadTunesForEval(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  if (Status st = abc::ListAbcFiles(paths, &files); !st.ok()) return st;
  std::vector<EvalSample> samples;
  for (const std::string& file : files) {
    auto text = abc::ReadTextFile(file);
    if (!text.ok()) return text.status();
    const render::AbcFileText split = render::SplitTunes(*text);
    // The file header's fields (L:, M:, ...) apply to every tune of the file.
    const bool header = split.header.find_first_not_of(" \t\r\n") != std::string::npos;
    for (const render::TuneText& t : split.tunes) {
      EvalSample s;
      s.index = static_cast<int>(samples.size());
      s.title = t.title;
      s.abc = header ? split.header + "\n" + t.text : t.text;
      s.finished = true;
      samples.push_back(std::move(s));
    }
  }
  if (samples.empty()) return Status::Error("no tune (no X: line) in the --tunes files");
  return samples;
}

}  // namespace tunesmith::cli
