// Splits text into tunes and reads header lines and field lines; the music
// lines are read in music_line.cc.
#include "abc/reader.h"

#include <cctype>

#include "abc/fields.h"
#include "abc/files.h"
#include "abc/reader_internal.h"

namespace tunesmith::abc {
namespace internal {
namespace {

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsXLine(std::string_view line) { return line.size() >= 2 && line[0] == 'X' && line[1] == ':'; }

// "K:" at the start of a line (any letter, or '+' for a continued field).
bool IsFieldLine(std::string_view line) {
  return line.size() >= 2 && line[1] == ':' && (std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '+');
}

// The value of a field with its comment and surrounding whitespace removed.
std::string_view FieldValue(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && (i == 0 || text[i - 1] != '\\')) {
      text = text.substr(0, i);
      break;
    }
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::string FirstWord(std::string_view s) {
  size_t end = 0;
  while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end]))) ++end;
  return std::string(s.substr(0, end));
}

}  // namespace

TuneParser::TuneParser(std::string_view file, const ReadOptions& options, ReadResult* result)
    : file_(file), options_(options), result_(result) {}

Diagnostic TuneParser::Make(Severity severity, size_t column, const std::string& message) const {
  Diagnostic d;
  d.severity = severity;
  d.file = file_;
  d.x = tune_.x;
  d.title = tune_.Title();
  d.line = line_no_;
  d.column = static_cast<int>(column) + 1;
  d.message = message;
  d.source_line = std::string(line_);
  return d;
}

void TuneParser::Warn(size_t column, const std::string& message) {
  result_->diagnostics.push_back(Make(Severity::kWarning, column, message));
  result_->warnings++;
}

bool TuneParser::Fail(size_t column, const std::string& message) {
  if (!failed_) result_->diagnostics.push_back(Make(Severity::kError, column, message));
  failed_ = true;
  return false;
}

void TuneParser::ReadTune(const std::vector<std::string_view>& lines, size_t begin, size_t end) {
  result_->tunes_seen++;
  tune_.file = file_;
  line_ = lines[begin];
  line_no_ = static_cast<int>(begin) + 1;
  tune_.pos = {line_no_, 1};
  std::string_view xvalue = FieldValue(line_.substr(2));
  tune_.header.push_back({'X', std::string(xvalue), tune_.pos});
  size_t digits = 0;
  while (digits < xvalue.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(xvalue[digits]))) ++digits;
  if (digits > 0) tune_.x = std::stoi(std::string(xvalue.substr(0, digits)));
  if (digits == 0 || digits != xvalue.size()) Warn(2, "X: should be a number; the tune is numbered " + std::to_string(tune_.x));

  // Elements are large; growing the body once avoids moving them again and again.
  size_t chars = 0;
  for (size_t k = begin; k < end; ++k) chars += lines[k].size();
  tune_.body.reserve(chars / 2 + 8);
  for (size_t k = begin + 1; k < end && !failed_; ++k) {
    line_ = lines[k];
    line_no_ = static_cast<int>(k) + 1;
    if (in_header_) {
      ReadHeaderLine(line_);
    } else {
      ReadBodyLine(line_);
    }
  }
  if (!failed_ && in_header_) {
    Warn(0, "the tune has no K: field; C major assumed");
    FinishHeader();
  }
  if (!failed_) Finish();
  if (failed_) {
    result_->rejected++;
  } else {
    result_->tunes.push_back(std::move(tune_));
  }
}

bool TuneParser::ReadHeaderLine(std::string_view line) {
  if (line.substr(0, 2) == "%%") {
    Warn(0, "directive skipped: " + std::string(FieldValue(line.substr(2))));
    return true;
  }
  if (!line.empty() && line[0] == '%') return true;
  if (!IsFieldLine(line)) {
    Warn(0, "music before the K: field; the header ends here and C major is assumed");
    if (!FinishHeader()) return false;
    return ReadBodyLine(line);
  }
  char key = line[0];
  std::string_view value = FieldValue(line.substr(2));
  SourcePos pos{line_no_, 1};
  if (key == '+') {
    if (tune_.header.empty() || value.empty()) return true;
    tune_.header.back().value += " " + std::string(value);
    return true;
  }
  tune_.header.push_back({key, std::string(value), pos});
  switch (key) {
    case 'M': {
      auto meter = ParseMeter(value);
      if (!meter.ok()) {
        Warn(2, meter.status().message() + "; free meter assumed");
        meter_ = Meter{4, 4, Meter::Symbol::kFree};
      } else {
        meter_ = *meter;
      }
      tune_.meter = meter_;
      break;
    }
    case 'L': {
      auto unit = ParseUnitLength(value);
      if (!unit.ok()) return Fail(2, unit.status().message());
      unit_length_ = *unit;
      have_unit_length_ = true;
      break;
    }
    case 'V':
      if (first_voice_.empty()) first_voice_ = FirstWord(value);
      break;
    case 'K': {
      std::vector<std::string> skipped;
      auto key_value = ParseKey(value, &skipped);
      if (!key_value.ok()) return Fail(2, key_value.status().message());
      for (const auto& s : skipped) Warn(2, "K: '" + s + "' not modelled, skipped");
      tune_.key = *key_value;
      return FinishHeader();
    }
    default:
      break;
  }
  return true;
}

bool TuneParser::FinishHeader() {
  in_header_ = false;
  if (!have_unit_length_) unit_length_ = DefaultUnitLength(meter_);
  tune_.meter = meter_;
  tune_.unit_length = unit_length_;
  return true;
}

bool TuneParser::ReadBodyLine(std::string_view line) {
  if (line.substr(0, 2) == "%%") {
    Warn(0, "directive skipped: " + std::string(FieldValue(line.substr(2))));
    return true;
  }
  if (!line.empty() && line[0] == '%') return true;
  // "A:|" is music, not an A: field: a body field letter is never a note
  // letter followed by a bar or repeat sign.
  if (IsFieldLine(line)) {
    bool music = std::string_view("ABCDEFGabcdefg").find(line[0]) != std::string_view::npos && line.size() > 2 &&
                 (line[2] == '|' || line[2] == ':');
    if (!music) {
      if (line[0] == '+') {
        for (auto it = tune_.body.rbegin(); it != tune_.body.rend(); ++it) {
          if (it->kind == ElementKind::kField) {
            std::string_view more = FieldValue(line.substr(2));
            if (!more.empty()) it->text += " " + std::string(more);
            break;
          }
        }
        return true;
      }
      return ReadBodyField(line[0], FieldValue(line.substr(2)), 0, false);
    }
  }
  if (skipping_voice_) return true;
  return ReadMusicLine(line);
}

bool TuneParser::ReadBodyField(char key, std::string_view value, size_t column, bool inline_field) {
  if (key == 'V') {
    std::string id = FirstWord(value);
    if (first_voice_.empty()) first_voice_ = id;
    skipping_voice_ = options_.first_voice_only && id != first_voice_;
    if (skipping_voice_ && skipped_voices_.insert(id).second)
      Warn(column, "voice V:" + id + " skipped: only the first voice (V:" + first_voice_ + ") is kept");
    return true;
  }
  if (skipping_voice_) return true;
  Element e;
  e.kind = ElementKind::kField;
  e.field_key = key;
  e.text = std::string(value);
  size_t value_column = column + (inline_field ? 3 : 2);
  switch (key) {
    case 'L': {
      // Lengths are stored as fractions of a whole note, so a new L: only
      // changes how the notes after it are read.
      auto unit = ParseUnitLength(value);
      if (!unit.ok()) return Fail(value_column, unit.status().message());
      unit_length_ = *unit;
      return true;
    }
    case 'M': {
      auto meter = ParseMeter(value);
      if (!meter.ok()) {
        Warn(value_column, meter.status().message() + "; meter change skipped");
        return true;
      }
      // The NMD writes M:4/4 before K: and the real meter (M:6/8) after it;
      // before any music the body's M: is the tune's meter.
      if (!seen_music_) {
        if (!(*meter == tune_.meter))
          Warn(value_column, "M:" + meter->ToString() + " before the first note replaces the header's M:" +
                                 tune_.meter.ToString());
        tune_.meter = *meter;
        meter_ = *meter;
        return true;
      }
      meter_ = *meter;
      e.meter = *meter;
      break;
    }
    case 'K': {
      std::vector<std::string> skipped;
      auto key_value = ParseKey(value, &skipped);
      if (!key_value.ok()) return Fail(value_column, key_value.status().message());
      for (const auto& s : skipped) Warn(value_column, "K: '" + s + "' not modelled, skipped");
      e.key = *key_value;
      break;
    }
    case 'P':
      e.kind = ElementKind::kPart;
      e.field_key = 0;
      break;
    case 'X':
      return Fail(column, "X: inside a tune (a blank line should end the tune before it)");
    default:
      break;
  }
  Push(std::move(e), column);
  return true;
}

void TuneParser::Finish() {
  line_ = std::string_view();
  if (HasPrefix()) {
    // "Segno"|| at the very end: the text belongs to the last note.
    Element* last = nullptr;
    for (auto it = tune_.body.rbegin(); it != tune_.body.rend() && !last; ++it) {
      if (it->kind == ElementKind::kNote || it->kind == ElementKind::kRest) last = &*it;
    }
    if (last && pending_graces_.empty() && pending_chord_.empty()) {
      last->annotations.insert(last->annotations.end(), pending_annotations_.begin(), pending_annotations_.end());
      last->decorations.insert(last->decorations.end(), pending_decorations_.begin(), pending_decorations_.end());
    } else {
      Warn(0, "chord symbol, decoration or grace notes at the end of the tune have no note; dropped");
    }
  }
  // A broken-rhythm mark with no note after it.
  for (size_t k = tune_.body.size(); k-- > 0;) {
    ElementKind kind = tune_.body[k].kind;
    if (TransparentForBroken(kind)) continue;
    if (kind == ElementKind::kBrokenRhythm) {
      line_no_ = tune_.body[k].pos.line;
      Warn(tune_.body[k].pos.column - 1, "broken rhythm at the end of the tune has no note after it; dropped");
      tune_.body.erase(tune_.body.begin() + static_cast<long>(k));
    }
    break;
  }
  bool music = false;
  for (const Element& e : tune_.body) music = music || e.kind == ElementKind::kNote || e.kind == ElementKind::kRest;
  if (!music) {
    line_no_ = tune_.pos.line;
    Warn(0, "the tune has no notes");
  }
}

}  // namespace internal

ReadResult ReadAbc(std::string_view text, std::string_view file, const ReadOptions& options) {
  ReadResult result;
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  size_t i = 0;
  while (i < lines.size()) {
    if (internal::IsXLine(lines[i])) {
      size_t j = i + 1;
      while (j < lines.size() && !internal::IsBlank(lines[j]) && !internal::IsXLine(lines[j])) ++j;
      internal::TuneParser parser(file, options, &result);
      parser.ReadTune(lines, i, j);
      i = j;
      continue;
    }
    std::string_view line = lines[i];
    if (!internal::IsBlank(line) && line[0] != '%') {
      Diagnostic d;
      d.file = std::string(file);
      d.line = static_cast<int>(i) + 1;
      d.column = 1;
      d.message = internal::IsFieldLine(line) ? "field outside a tune skipped (file header fields are not applied)"
                                              : "text outside a tune skipped";
      d.source_line = std::string(line);
      result.diagnostics.push_back(std::move(d));
      result.warnings++;
    }
    ++i;
  }
  return result;
}

Result<ReadResult> ReadAbcFile(const std::string& path, const ReadOptions& options) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ReadAbc(*text, path, options);
}

}  // namespace tunesmith::abc
