// Splits text into tunes and reads header lines and field lines; the music
// lines are read in music_line.cc.
#include "abc/reader.h"

#include <cctype>
#include <cstdint>
#include <new>

#include "abc/fields.h"
#include "abc/files.h"
#include "abc/reader_internal.h"
#include "base/text.h"

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
  d.title = tune_.Title().substr(0, 200);
  d.line = line_no_;
  d.column = static_cast<int>(column) + 1;
  d.message = message;
  d.SetSource(line_);
  return d;
}

void TuneParser::Warn(size_t column, const std::string& message) {
  result_->warnings++;
  if (listed_warnings_ >= kMaxListedWarnings) {
    ++unlisted_warnings_;
    return;
  }
  ++listed_warnings_;
  result_->diagnostics.push_back(Make(Severity::kWarning, column, message));
}

bool TuneParser::Fail(size_t column, const std::string& message) {
  if (!failed_) result_->diagnostics.push_back(Make(Severity::kError, column, message));
  failed_ = true;
  return false;
}

namespace {

// The voice a multi-voice tune keeps: the first V: of the header; else voice
// "1" when the body names it (the melody, whichever voice comes first);
// else the first voice met.
std::string KeptVoice(const std::vector<std::string_view>& lines) {
  std::string first;
  bool header = true, one = false;
  for (size_t k = 1; k < lines.size(); ++k) {
    std::string_view line = lines[k];
    if (line.size() >= 2 && line[1] == ':' && line[0] == 'V') {
      std::string id = FirstWord(FieldValue(line.substr(2)));
      if (header && !id.empty()) return id;
      if (first.empty()) first = id;
      one = one || id == "1";
    }
    if (header && line.size() >= 2 && line[0] == 'K' && line[1] == ':') header = false;
    for (size_t at = line.find("[V:"); at != std::string_view::npos; at = line.find("[V:", at + 3)) {
      size_t close = line.find(']', at);
      std::string id = FirstWord(FieldValue(line.substr(at + 3, close == std::string_view::npos ? 0 : close - at - 3)));
      if (first.empty()) first = id;
      one = one || id == "1";
    }
  }
  return one ? "1" : first;
}

// `line` with each byte that is not UTF-8 read as Latin-1.
std::string Latin1ToUtf8(std::string_view line) {
  std::string out;
  while (!line.empty()) {
    size_t bad = base::FirstInvalidUtf8(line);
    out.append(line.substr(0, bad));
    if (bad == std::string_view::npos) break;
    unsigned char c = static_cast<unsigned char>(line[bad]);
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
    line.remove_prefix(bad + 1);
  }
  return out;
}

}  // namespace

void TuneParser::ReadTune(const std::vector<std::string_view>& source_lines, int first_line) {
  result_->tunes_seen++;
  tune_.file = file_;
  // Collections typed before UTF-8 are Latin-1 (or Windows-1252): their titles
  // are read as such rather than kept as bytes no JSON or terminal can show.
  std::vector<std::string> converted;
  std::vector<std::string_view> lines = source_lines;
  int latin1_line = 0;
  size_t latin1_column = 0;
  for (size_t k = 0; k < lines.size(); ++k) {
    size_t bad = base::FirstInvalidUtf8(lines[k]);
    if (bad == std::string_view::npos) continue;
    if (latin1_line == 0) {
      latin1_line = first_line + static_cast<int>(k);
      latin1_column = bad;
      converted.reserve(lines.size());
    }
    converted.push_back(Latin1ToUtf8(lines[k]));
    lines[k] = converted.back();
  }
  first_voice_ = KeptVoice(lines);

  line_ = lines[0];
  line_no_ = first_line;
  tune_.pos = {line_no_, 1};
  std::string_view xvalue = FieldValue(line_.substr(2));
  tune_.header.push_back({'X', std::string(xvalue), tune_.pos});
  size_t digits = 0;
  while (digits < xvalue.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(xvalue[digits]))) ++digits;
  if (digits > 0) tune_.x = std::stoi(std::string(xvalue.substr(0, digits)));
  if (digits == 0 || digits != xvalue.size()) Warn(2, "X: should be a number; the tune is numbered " + std::to_string(tune_.x));
  if (latin1_line > 0) {
    line_no_ = latin1_line;
    line_ = source_lines[static_cast<size_t>(latin1_line - first_line)];
    Warn(latin1_column, "bytes that are not UTF-8: the tune is read as Latin-1");
  }

  // Elements are large; growing the body once avoids moving them again and again.
  size_t chars = 0;
  for (std::string_view l : lines) chars += l.size();
  tune_.body.reserve(chars / 2 + 8);
  for (size_t k = 1; k < lines.size() && !failed_; ++k) {
    line_ = lines[k];
    line_no_ = first_line + static_cast<int>(k);
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
  if (unlisted_warnings_ > 0) {
    line_ = std::string_view();
    line_no_ = tune_.pos.line;
    Diagnostic d = Make(Severity::kWarning, 0, std::to_string(unlisted_warnings_) + " more warnings in this tune not listed");
    d.column = 0;
    result_->diagnostics.push_back(std::move(d));
  }
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
        std::string_view more = FieldValue(line.substr(2));
        if (last_field_ < tune_.body.size() && !more.empty()) tune_.body[last_field_].text += " " + std::string(more);
        return true;
      }
      return ReadBodyField(line[0], FieldValue(line.substr(2)), 0, false);
    }
  }
  // A line of a skipped voice may switch back with an inline [V:].
  if (skipping_voice_ && line.find("[V:") == std::string_view::npos) return true;
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

namespace {

// The line starting at *pos (without its end: LF, CRLF or a lone CR); moves
// *pos past the end.
std::string_view NextLine(std::string_view text, size_t* pos) {
  size_t start = *pos, end = start;
  while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
  *pos = end;
  if (end < text.size()) *pos += text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1;
  return text.substr(start, end - start);
}

// A tune of more than kMaxTuneBytes: rejected at the line where it crosses
// the bound, with its X: and title when they come before it.
Diagnostic TooLongTune(std::string_view file, const std::vector<std::string_view>& lines, std::string_view crossing, int crossing_line, size_t column) {
  Diagnostic d;
  d.severity = Severity::kError;
  d.file = std::string(file);
  std::string_view x = internal::FieldValue(lines[0].substr(2));
  size_t digits = 0;
  while (digits < x.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(x[digits]))) ++digits;
  if (digits > 0) d.x = std::stoi(std::string(x.substr(0, digits)));
  for (std::string_view l : lines) {
    if (l.size() >= 2 && l[0] == 'T' && l[1] == ':') {
      d.title = std::string(internal::FieldValue(l.substr(2)).substr(0, 200));
      break;
    }
  }
  d.line = crossing_line;
  d.column = static_cast<int>(column) + 1;
  d.message = "the tune is longer than " + std::to_string(kMaxTuneBytes / 1024) +
              " KiB, the most tunesmith reads in one tune; skipped (a tune ends at a blank line)";
  d.SetSource(crossing);
  return d;
}

}  // namespace

void ReadAbcTunes(std::string_view text, std::string_view file, const ReadOptions& options,
                  const std::function<void(ReadStep&)>& each) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark
  int tunes_seen = 0;
  int outside_listed = 0, outside_unlisted = 0;
  size_t pos = 0;
  int line_no = 0;
  std::vector<std::string_view> lines;
  // A line read ahead (the one that ended the previous stretch); its number
  // is line_no, the number of the last line taken from the text.
  bool have_next = false;
  std::string_view next;
  size_t next_start = 0;
  auto read_line = [&](std::string_view* line, size_t* start) {
    if (have_next) {
      have_next = false;
      *line = next;
      *start = next_start;
      return true;
    }
    if (pos >= text.size()) return false;
    *start = pos;
    *line = NextLine(text, &pos);
    ++line_no;
    return true;
  };
  std::string_view line;
  size_t line_start = 0;
  while (read_line(&line, &line_start)) {
    ReadStep step;
    step.first_line = line_no;
    if (internal::IsXLine(line)) {
      lines.clear();
      lines.push_back(line);
      size_t bytes = line.size();
      bool too_long = bytes > kMaxTuneBytes;
      Diagnostic error;
      if (too_long) error = TooLongTune(file, lines, line, line_no, kMaxTuneBytes);
      size_t end = pos;
      std::string_view l;
      size_t l_start = 0;
      while (read_line(&l, &l_start)) {
        if (internal::IsBlank(l) || internal::IsXLine(l)) {
          have_next = true;
          next = l;
          next_start = l_start;
          break;
        }
        end = pos;
        if (too_long) continue;
        if (bytes + l.size() > kMaxTuneBytes) {
          too_long = true;
          error = TooLongTune(file, lines, l, line_no, kMaxTuneBytes - bytes);
          continue;
        }
        bytes += l.size();
        lines.push_back(l);
      }
      ++tunes_seen;
      if (too_long) {
        step.result.tunes_seen = 1;
        step.result.rejected = 1;
        step.result.diagnostics.push_back(std::move(error));
      } else {
        internal::TuneParser parser(file, options, &step.result);
        parser.ReadTune(lines, step.first_line);
      }
      step.text = text.substr(line_start, end - line_start);
      each(step);
      continue;
    }
    // A run of text outside any tune: one warning for the run.
    size_t end = pos;
    int first_text_line = 0;
    std::string_view first_text;
    for (;;) {
      if (!internal::IsBlank(line) && line[0] != '%' && first_text_line == 0) {
        first_text_line = line_no;
        first_text = line;
      }
      end = pos;
      std::string_view l;
      size_t l_start = 0;
      if (!read_line(&l, &l_start)) break;
      if (internal::IsXLine(l)) {
        have_next = true;
        next = l;
        next_start = l_start;
        break;
      }
      line = l;
    }
    if (first_text_line > 0) {
      step.result.warnings = 1;
      if (outside_listed < kMaxListedWarnings) {
        ++outside_listed;
        Diagnostic d;
        d.file = std::string(file);
        d.line = first_text_line;
        d.column = 1;
        d.message = internal::IsFieldLine(first_text)
                        ? "field outside a tune skipped (file header fields are not applied)"
                        : "text outside a tune skipped";
        d.SetSource(first_text);
        step.result.diagnostics.push_back(std::move(d));
      } else {
        ++outside_unlisted;
      }
    }
    step.text = text.substr(line_start, end - line_start);
    each(step);
  }
  if (outside_unlisted > 0 || tunes_seen == 0) {
    ReadStep step;
    step.first_line = line_no;
    Diagnostic d;
    d.file = std::string(file);
    if (outside_unlisted > 0) {
      d.message = std::to_string(outside_unlisted) + " more stretches of text outside tunes not listed";
      step.result.diagnostics.push_back(d);
    }
    if (tunes_seen == 0) {
      d.severity = Severity::kError;
      d.message = text.find_first_not_of(" \t\r\n") == std::string_view::npos
                      ? "no tune: the file is empty"
                      : "no tune: a tune starts with an X: line";
      step.result.diagnostics.push_back(std::move(d));
    }
    each(step);
  }
}

ReadResult ReadAbc(std::string_view text, std::string_view file, const ReadOptions& options) {
  ReadResult result;
  ReadAbcTunes(text, file, options, [&](ReadStep& step) {
    for (Tune& t : step.result.tunes) result.tunes.push_back(std::move(t));
    for (Diagnostic& d : step.result.diagnostics) result.diagnostics.push_back(std::move(d));
    result.tunes_seen += step.result.tunes_seen;
    result.rejected += step.result.rejected;
    result.warnings += step.result.warnings;
  });
  return result;
}

Result<ReadResult> ReadAbcFile(const std::string& path, const ReadOptions& options) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return ReadAbc(*text, path, options);
}

bool ReadAbcFiles(const std::vector<std::string>& paths,
                  const std::function<void(const std::string& file, ReadStep& step)>& each,
                  const std::function<void(const std::string& file, int tunes_seen)>& file_done,
                  const std::function<void(const std::string& message)>& problem) {
  bool all_read = true;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    if (Status listed = ListAbcFiles({path}, &files); !listed.ok()) {
      problem(listed.message());
      all_read = false;
    }
  }
  for (const std::string& file : files) {
    int tunes_seen = 0;
    try {
      auto text = ReadTextFile(file);
      if (!text.ok()) {
        problem(text.status().message());
        all_read = false;
        continue;
      }
      // One tune at a time: memory is the file's text and one tune.
      ReadAbcTunes(*text, file, {}, [&](ReadStep& step) {
        tunes_seen += step.result.tunes_seen;
        each(file, step);
      });
    } catch (const std::bad_alloc&) {
      problem(file + ": out of memory while reading it");
      all_read = false;
    }
    if (file_done) file_done(file, tunes_seen);
  }
  return all_read;
}

}  // namespace tunesmith::abc
