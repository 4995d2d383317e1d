#include "render/tune_text.h"

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

}  // namespace tunesmith::render
