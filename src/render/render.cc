#include "render/render.h"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "base/caret.h"
#include "base/files.h"
#include "base/process.h"
#include "render/external_tool.h"
#include "render/tune_text.h"

namespace tunesmith::render {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int ParseInt(std::string_view s) {
  int value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

Status CheckMidiRange(const char* what, int value) {
  if (value >= 0 && value <= 127) return Status::Ok();
  return Status::InvalidArgument(std::string(what) + " must be 0..127 (General MIDI), not " + std::to_string(value));
}

// The value of the header's M: field ("3/2"), or "" when there is none before K:.
std::string HeaderMeter(std::string_view abc_text) {
  size_t at = 0;
  while (at < abc_text.size()) {
    size_t end = abc_text.find('\n', at);
    if (end == std::string_view::npos) end = abc_text.size();
    std::string_view line = abc_text.substr(at, end - at);
    if (line.starts_with("K:")) break;
    if (line.starts_with("M:")) {
      line.remove_prefix(2);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
      return std::string(line);
    }
    at = end + 1;
  }
  return "";
}

// The directives that carry MidiOptions into the tune, placed after its K: line.
// abc2midi has no accompaniment pattern of its own for 3/2 (it warns "no
// default gchord string for this meter" and plays none), and the patterns we
// tried ("f4c4c4", "fzczcz") make it fail with "Sustained notes beyond end of
// track" on some tunes (a chord symbol on a very short last note): 3/2 tunes
// play without accompaniment, said plainly rather than warned about.
std::vector<std::string> MidiDirectives(const MidiOptions& options, std::string_view meter) {
  std::vector<std::string> lines = {"%%MIDI program " + std::to_string(options.program)};
  if (options.chords && meter != "3/2") {
    lines.push_back("%%MIDI gchordon");
    lines.push_back("%%MIDI chordprog " + std::to_string(options.chord_program));
    lines.push_back("%%MIDI bassprog " + std::to_string(options.bass_program));
    lines.push_back("%%MIDI chordvol " + std::to_string(options.chord_velocity));
    lines.push_back("%%MIDI bassvol " + std::to_string(options.bass_velocity));
  } else {
    lines.push_back("%%MIDI gchordoff");
  }
  return lines;
}

// All error messages, one per paragraph, for a Status.
std::string JoinErrors(const std::vector<ToolMessage>& messages, std::string_view tune_text, const TuneLocation& where) {
  std::string joined;
  for (const ToolMessage& m : messages) {
    if (m.severity != ToolMessage::Severity::kError) continue;
    if (!joined.empty()) joined += "\n";
    joined += FormatToolMessage(m, tune_text, where);
  }
  return joined;
}

}  // namespace

std::string FormatToolMessage(const ToolMessage& message, std::string_view tune_text, const TuneLocation& where) {
  std::string out = where.file;
  if (message.line > 0) {
    out += ":" + std::to_string(where.first_line + message.line - 1);
    if (message.column > 0) out += ":" + std::to_string(message.column);
  }
  out += ": " + message.tool + (message.severity == ToolMessage::Severity::kError ? " error: " : " warning: ");
  out += message.text;
  std::vector<std::string_view> lines = SplitLines(tune_text);
  if (message.line > 0 && message.line <= static_cast<int>(lines.size())) {
    out += "\n" + base::QuoteLineWithCaret(lines[message.line - 1], message.column);
  }
  return out;
}

std::vector<ToolMessage> ParseAbc2midiOutput(std::string_view output) {
  std::vector<ToolMessage> messages;
  for (std::string_view line : SplitLines(output)) {
    line = Trim(line);
    ToolMessage m;
    m.tool = "abc2midi";
    if (line.find("Error") != std::string_view::npos) {
      m.severity = ToolMessage::Severity::kError;
    } else if (line.find("Warning") != std::string_view::npos) {
      m.severity = ToolMessage::Severity::kWarning;
    } else {
      continue;
    }
    // "Error in line-char 5-8 : Guitar chord does not start with A-G or a-g"; the column is 0-based.
    constexpr std::string_view kWhere = "line-char ";
    size_t at = line.find(kWhere);
    size_t colon = line.find(" : ");
    if (at != std::string_view::npos) {
      std::string_view pos = line.substr(at + kWhere.size());
      pos = pos.substr(0, pos.find(' '));
      size_t dash = pos.find('-');
      if (dash != std::string_view::npos) {
        m.line = ParseInt(pos.substr(0, dash));
        m.column = ParseInt(pos.substr(dash + 1)) + 1;
      }
    }
    m.text = std::string(colon != std::string_view::npos ? Trim(line.substr(colon + 3)) : line);
    // abc2midi reads a tune in several passes and may say the same thing on each.
    bool repeated = std::any_of(messages.begin(), messages.end(), [&](const ToolMessage& seen) {
      return seen.severity == m.severity && seen.line == m.line && seen.column == m.column && seen.text == m.text;
    });
    if (!repeated) messages.push_back(std::move(m));
  }
  return messages;
}

std::vector<ToolMessage> ParseAbcm2psOutput(std::string_view output) {
  std::vector<ToolMessage> messages;
  for (std::string_view line : SplitLines(output)) {
    line = Trim(line);
    ToolMessage m;
    m.tool = "abcm2ps";
    size_t kind = line.find(": error: ");
    size_t kind_length = 9;
    m.severity = ToolMessage::Severity::kError;
    if (kind == std::string_view::npos) {
      kind = line.find(": warning: ");
      kind_length = 11;
      m.severity = ToolMessage::Severity::kWarning;
    }
    if (kind == std::string_view::npos) {
      // Unlocated complaints ("error: ...", "Warning: ...") still matter; banner lines do not.
      bool error = line.rfind("error", 0) == 0 || line.rfind("Error", 0) == 0;
      bool warning = line.rfind("warning", 0) == 0 || line.rfind("Warning", 0) == 0;
      if (!error && !warning) continue;
      m.severity = error ? ToolMessage::Severity::kError : ToolMessage::Severity::kWarning;
      size_t colon = line.find(':');
      m.text = std::string(colon != std::string_view::npos ? Trim(line.substr(colon + 1)) : line);
      messages.push_back(std::move(m));
      continue;
    }
    // "tune.abc:5:7: error: Decoration !foo! not defined": file, line and column before the kind.
    std::string_view place = line.substr(0, kind);
    size_t last = place.rfind(':');
    if (last != std::string_view::npos) {
      size_t before = place.rfind(':', last - 1);
      if (before != std::string_view::npos && last > 0) {
        m.line = ParseInt(place.substr(before + 1, last - before - 1));
        m.column = ParseInt(place.substr(last + 1));
      } else {
        m.line = ParseInt(place.substr(last + 1));
      }
    }
    m.text = std::string(Trim(line.substr(kind + kind_length)));
    messages.push_back(std::move(m));
  }
  return messages;
}

Result<MidiFile> AbcToMidi(std::string_view abc_text, const MidiOptions& options, const TuneLocation& where) {
  for (auto [what, value] : {std::pair{"program", options.program}, std::pair{"chord_program", options.chord_program},
                             std::pair{"bass_program", options.bass_program},
                             std::pair{"chord_velocity", options.chord_velocity},
                             std::pair{"bass_velocity", options.bass_velocity}}) {
    if (Status s = CheckMidiRange(what, value); !s.ok()) return s;
  }
  if (options.default_tempo_qpm <= 0) {
    return Status::InvalidArgument("default tempo must be positive, not " + std::to_string(options.default_tempo_qpm));
  }
  Result<std::filesystem::path> tool = FindTool(options.abc2midi, "abcmidi");
  if (!tool.ok()) return tool.status();

  HeaderInsertion tune = InsertAfterKeyLine(abc_text, MidiDirectives(options, HeaderMeter(abc_text)));
  if (tune.key_line == 0) {
    return Status::InvalidArgument(where.file + ":" + std::to_string(where.first_line) +
                                   ": the tune has no K: line (the key field that ends an ABC tune header)");
  }
  Result<ScratchDir> scratch = ScratchDir::Create();
  if (!scratch.ok()) return scratch.status();
  const std::filesystem::path abc_path = scratch->path() / "tune.abc";
  const std::filesystem::path midi_path = scratch->path() / "tune.mid";
  if (Status s = base::WriteFile(abc_path, tune.text); !s.ok()) return s;

  Result<base::ProcessRun> run =
      base::RunProcess({tool->string(), abc_path.string(), "-o", midi_path.string(), "-Q",
                        std::to_string(options.default_tempo_qpm)},
                       {.cwd = scratch->path(), .timeout_seconds = options.timeout_seconds});
  if (!run.ok()) return run.status();

  MidiFile midi;
  midi.messages = ParseAbc2midiOutput(run->out + run->err);
  for (ToolMessage& m : midi.messages) {
    // Back to the caller's lines: our directives sit just after the K: line.
    if (m.line > tune.key_line + tune.inserted) {
      m.line -= tune.inserted;
    } else if (m.line > tune.key_line) {
      m.line = tune.key_line;
      m.column = 0;
    }
  }
  bool has_errors = std::any_of(midi.messages.begin(), midi.messages.end(), [](const ToolMessage& m) {
    return m.severity == ToolMessage::Severity::kError;
  });
  if (options.strict && has_errors) return Status::InvalidArgument(JoinErrors(midi.messages, abc_text, where));

  std::error_code ec;
  if (run->exit_code != 0 || !std::filesystem::is_regular_file(midi_path, ec)) {
    std::string why = has_errors ? "\n" + JoinErrors(midi.messages, abc_text, where) : "";
    std::string message = where.file + ":" + std::to_string(where.first_line) + ": abc2midi wrote no MIDI file (exit " +
                          std::to_string(run->exit_code) + ")" + why;
    return has_errors ? Status::InvalidArgument(std::move(message)) : Status::IOError(std::move(message));
  }
  Result<std::string> bytes = base::ReadFile(midi_path);
  if (!bytes.ok()) return bytes.status();
  midi.bytes = std::move(*bytes);
  return midi;
}

Result<SvgFile> AbcToSvg(std::string_view abc_text, const SvgOptions& options, const TuneLocation& where) {
  Result<std::filesystem::path> tool = FindTool(options.abcm2ps, "abcm2ps");
  if (!tool.ok()) return tool.status();
  Result<ScratchDir> scratch = ScratchDir::Create();
  if (!scratch.ok()) return scratch.status();
  const std::filesystem::path abc_path = scratch->path() / "tune.abc";
  if (Status s = base::WriteFile(abc_path, abc_text); !s.ok()) return s;

  // -g: SVG, one file per tune; -O names it (abcm2ps adds a number: tune001.svg).
  Result<base::ProcessRun> run =
      base::RunProcess({tool->string(), "-g", abc_path.string(), "-O", (scratch->path() / "tune.svg").string()},
                       {.cwd = scratch->path(), .timeout_seconds = options.timeout_seconds});
  if (!run.ok()) return run.status();

  SvgFile svg;
  svg.messages = ParseAbcm2psOutput(run->out + run->err);
  std::vector<std::filesystem::path> pages;
  for (const auto& entry : std::filesystem::directory_iterator(scratch->path())) {
    if (entry.path().extension() == ".svg") pages.push_back(entry.path());
  }
  std::sort(pages.begin(), pages.end());
  // abcm2ps exits 1 when it reported an error but still drew the tune; anything else is a crash.
  if (pages.empty() || run->exit_code > 1) {
    std::string why = JoinErrors(svg.messages, abc_text, where);
    std::string message = where.file + ":" + std::to_string(where.first_line) + ": abcm2ps drew no sheet music (exit " +
                          std::to_string(run->exit_code) + ")" + (why.empty() ? "" : "\n" + why);
    return why.empty() ? Status::IOError(std::move(message)) : Status::InvalidArgument(std::move(message));
  }
  if (pages.size() > 1) {
    svg.messages.push_back({ToolMessage::Severity::kWarning, "abcm2ps", 0, 0,
                            "the text held " + std::to_string(pages.size()) + " tunes; only the first was kept"});
  }
  Result<std::string> bytes = base::ReadFile(pages.front());
  if (!bytes.ok()) return bytes.status();
  svg.svg = std::move(*bytes);
  return svg;
}

}  // namespace tunesmith::render
