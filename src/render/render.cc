#include "render/render.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>
#include <utility>

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

// The directives RemoveUnsafeDirectives took out, as warnings in front of the tool's own.
void AddRemovedWarnings(const SafeTuneText& safe, std::vector<ToolMessage>* messages) {
  std::vector<ToolMessage> removed;
  for (const RemovedDirective& r : safe.removed) {
    removed.push_back({ToolMessage::Severity::kWarning, "render", r.line, 1, DescribeRemoved(r)});
  }
  messages->insert(messages->begin(), removed.begin(), removed.end());
}

// Keeps what a tool said bounded however much it said: at most
// kMaxToolMessages distinct messages (errors first kept, since they decide
// the outcome), then one that counts the rest. A message repeated word for
// word at the same place is kept once.
class MessageCollector {
 public:
  explicit MessageCollector(std::string tool) : tool_(std::move(tool)) {}
  void Add(ToolMessage m) {
    if (m.text.size() > kMaxToolMessageBytes) {
      m.text.resize(kMaxToolMessageBytes);
      m.text += " ...";
    }
    const std::string key = std::to_string(static_cast<int>(m.severity)) + ":" + std::to_string(m.line) + ":" +
                            std::to_string(m.column) + ":" + m.text;
    if (seen_.count(key)) return;
    if (seen_.size() < kMaxRemembered) seen_.insert(key);
    const bool error = m.severity == ToolMessage::Severity::kError;
    if (messages_.size() >= kMaxToolMessages) {
      ++left_out_;
      if (error) ++errors_left_out_;
      // An error still counts when only warnings were kept: it replaces the last warning.
      if (!error || kept_errors_ > 0) return;
      for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
        if (it->severity != ToolMessage::Severity::kError) {
          *it = std::move(m);
          ++kept_errors_;
          --errors_left_out_;
          return;
        }
      }
      return;
    }
    kept_errors_ += error;
    messages_.push_back(std::move(m));
  }
  std::vector<ToolMessage> Take() {
    if (left_out_ > 0) {
      ToolMessage more;
      more.severity = errors_left_out_ > 0 ? ToolMessage::Severity::kError : ToolMessage::Severity::kWarning;
      more.tool = tool_;
      more.text = std::to_string(left_out_) + " more message" + (left_out_ == 1 ? "" : "s") + " not shown (" +
                  std::to_string(errors_left_out_) + " of them errors); only the first " +
                  std::to_string(kMaxToolMessages) + " are kept";
      messages_.push_back(std::move(more));
    }
    return std::move(messages_);
  }

 private:
  static constexpr size_t kMaxRemembered = 10000;  // distinct messages told apart (~3 MB at most)
  std::string tool_;
  std::vector<ToolMessage> messages_;
  std::set<std::string> seen_;
  int64_t left_out_ = 0, errors_left_out_ = 0;
  int kept_errors_ = 0;
};

// A long source line shown around `column` only, so that a message about a
// 64,000-character line does not print it whole: the window's text and the
// column within it.
std::pair<std::string, int> LineWindow(std::string_view line, int column) {
  constexpr int kHalf = 60;
  if (static_cast<int>(line.size()) <= 2 * kHalf + 20) return {std::string(line), column};
  const int at = std::max(1, column);
  const int from = std::max(0, at - 1 - kHalf);
  const int to = std::min(static_cast<int>(line.size()), at - 1 + kHalf);
  std::string shown = (from > 0 ? "..." : "") + std::string(line.substr(from, to - from)) +
                      (to < static_cast<int>(line.size()) ? "..." : "");
  return {shown, column > 0 ? column - from + (from > 0 ? 3 : 0) : column};
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
    const auto [shown, column] = LineWindow(lines[message.line - 1], message.column);
    out += "\n" + base::QuoteLineWithCaret(shown, column);
  }
  return out;
}

std::vector<ToolMessage> ParseAbc2midiOutput(std::string_view output) {
  MessageCollector messages("abc2midi");
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
    // abc2midi reads a tune in several passes and may say the same thing on each: kept once.
    messages.Add(std::move(m));
  }
  return messages.Take();
}

std::vector<ToolMessage> ParseAbcm2psOutput(std::string_view output) {
  MessageCollector messages("abcm2ps");
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
      messages.Add(std::move(m));
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
    messages.Add(std::move(m));
  }
  return messages.Take();
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

  const SafeTuneText safe = RemoveUnsafeDirectives(abc_text);
  HeaderInsertion tune = InsertAfterKeyLine(safe.text, MidiDirectives(options, HeaderMeter(safe.text)));
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
  AddRemovedWarnings(safe, &midi.messages);
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
  const SafeTuneText safe = RemoveUnsafeDirectives(abc_text);
  if (Status s = base::WriteFile(abc_path, safe.text); !s.ok()) return s;

  // -g: SVG, one file per tune; -O names it (abcm2ps adds a number: tune001.svg).
  Result<base::ProcessRun> run =
      base::RunProcess({tool->string(), "-g", abc_path.string(), "-O", (scratch->path() / "tune.svg").string()},
                       {.cwd = scratch->path(), .timeout_seconds = options.timeout_seconds});
  if (!run.ok()) return run.status();

  SvgFile svg;
  svg.messages = ParseAbcm2psOutput(run->out + run->err);
  AddRemovedWarnings(safe, &svg.messages);
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
