#include "render/tune_text.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace tunesmith::render {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view line) { return Trim(line).empty(); }

// "X:12" -> true for field 'X'. ABC fields are a letter and a colon at the line start.
bool IsField(std::string_view line, char field) {
  return line.size() >= 2 && line[0] == field && line[1] == ':';
}

}  // namespace

AbcFileText SplitTunes(std::string_view text) {
  AbcFileText file;
  std::vector<std::string_view> lines = SplitLines(text);
  TuneText* current = nullptr;
  bool seen_tune = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (IsField(line, 'X')) {
      seen_tune = true;
      file.tunes.push_back(TuneText{});
      current = &file.tunes.back();
      current->x = std::string(Trim(line.substr(2)));
      current->first_line = static_cast<int>(i) + 1;
    } else if (!seen_tune) {
      file.header.append(line).append("\n");
      continue;
    } else if (current == nullptr) {
      continue;  // free text between tunes
    } else if (IsBlank(line)) {
      current = nullptr;
      continue;
    }
    if (current == nullptr) continue;
    if (current->title.empty() && IsField(line, 'T')) current->title = std::string(Trim(line.substr(2)));
    current->text.append(line).append("\n");
  }
  return file;
}

HeaderInsertion InsertAfterKeyLine(std::string_view tune, const std::vector<std::string>& lines) {
  HeaderInsertion result;
  std::vector<std::string_view> tune_lines = SplitLines(tune);
  for (size_t i = 0; i < tune_lines.size(); ++i) {
    if (IsField(tune_lines[i], 'K')) {
      result.key_line = static_cast<int>(i) + 1;
      break;
    }
  }
  for (size_t i = 0; i < tune_lines.size(); ++i) {
    result.text.append(tune_lines[i]).append("\n");
    if (static_cast<int>(i) + 1 == result.key_line) {
      for (const std::string& line : lines) result.text.append(line).append("\n");
      result.inserted = static_cast<int>(lines.size());
    }
  }
  return result;
}

namespace {

// The directive's name, lowercased ("beginsvg"), when `line` is a %% or I:
// directive; "" otherwise.
std::string DirectiveName(std::string_view line, std::string_view* written) {
  std::string_view rest;
  if (line.substr(0, 2) == "%%") {
    rest = line.substr(2);
  } else if (IsField(line, 'I')) {
    rest = line.substr(2);
  } else {
    return "";
  }
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  size_t end = 0;
  while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end])) && rest[end] != ']') ++end;
  std::string name(rest.substr(0, end));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (written) *written = line.substr(0, static_cast<size_t>(rest.data() - line.data()) + end);
  return name;
}

bool IsUnsafe(const std::string& name) {
  static const std::array<const char*, 12> kUnsafe = {"abc-include", "format",   "eps",     "postscript",
                                                      "ps",          "beginsvg", "endsvg",  "beginps",
                                                      "endps",       "beginml",  "endml",   "musicfont"};
  return std::find(kUnsafe.begin(), kUnsafe.end(), name) != kUnsafe.end();
}

// "beginsvg" -> "endsvg"; "" for a directive that is not a block.
std::string BlockEnd(const std::string& name) {
  if (name == "beginsvg" || name == "beginps" || name == "beginml") return "end" + name.substr(5);
  return "";
}

}  // namespace

SafeTuneText RemoveUnsafeDirectives(std::string_view tune) {
  SafeTuneText out;
  std::vector<std::string_view> lines = SplitLines(tune);
  out.text.reserve(tune.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::string_view written;
    const std::string name = DirectiveName(line, &written);
    if (!name.empty() && IsUnsafe(name)) {
      RemovedDirective r;
      r.line = static_cast<int>(i) + 1;
      r.directive = std::string(written);
      out.text += "%\n";
      const std::string end = BlockEnd(name);
      if (!end.empty()) {
        // The block runs to its end directive (or to the end of the tune).
        while (i + 1 < lines.size()) {
          ++i;
          ++r.lines;
          out.text += "%\n";
          if (DirectiveName(lines[i], nullptr) == end) break;
        }
      }
      out.removed.push_back(std::move(r));
      continue;
    }
    // Inline fields: [I:abc-include x] inside a music line.
    std::string kept(line);
    for (size_t at = kept.find("[I:"); at != std::string::npos; at = kept.find("[I:", at + 1)) {
      const size_t close = kept.find(']', at);
      const size_t stop = close == std::string::npos ? kept.size() : close + 1;
      std::string_view field(kept.data() + at + 1, stop - at - 1);
      std::string_view inline_written;
      const std::string inline_name = DirectiveName(field, &inline_written);
      if (inline_name.empty() || !IsUnsafe(inline_name)) continue;
      out.removed.push_back({static_cast<int>(i) + 1, "[" + std::string(inline_written) + "]", 1});
      std::fill(kept.begin() + static_cast<std::ptrdiff_t>(at), kept.begin() + static_cast<std::ptrdiff_t>(stop), ' ');
    }
    out.text += kept;
    out.text += "\n";
  }
  return out;
}

std::string DescribeRemoved(const RemovedDirective& r) {
  std::string what = r.directive;
  if (r.lines > 1) what += " (a block of " + std::to_string(r.lines) + " lines)";
  return what + " was not passed to the tools: rendering does not pass on directives that read other files or copy "
                "SVG, PostScript or markup into the output";
}

}  // namespace tunesmith::render
