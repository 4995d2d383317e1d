// Internal to the reader: the state of one tune being read. reader.cc splits
// files into tunes and reads header and field lines; music_line.cc reads the
// music lines (notes, bars, chords, decorations ...).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "abc/diagnostic.h"
#include "abc/reader.h"
#include "abc/tune.h"

namespace tunesmith::abc::internal {

class TuneParser {
 public:
  TuneParser(std::string_view file, const ReadOptions& options, ReadResult* result);

  // Reads `lines` (lines[0] is the X: line, line number `first_line`) and
  // adds the tune (or its rejection) to the result.
  void ReadTune(const std::vector<std::string_view>& lines, int first_line);

 private:
  // reader.cc
  bool ReadHeaderLine(std::string_view line);
  bool ReadBodyLine(std::string_view line);
  bool ReadBodyField(char key, std::string_view value, size_t column, bool inline_field);
  bool FinishHeader();
  void Finish();

  // music_line.cc
  bool ReadMusicLine(std::string_view line);
  bool ReadQuoted(size_t* i);
  bool ReadNoteOrChord(size_t* i);
  bool ReadChord(size_t* i, char close);
  bool ReadPitch(size_t* i, Pitch* pitch, Rational* length, bool* tie);
  bool ReadLength(size_t* i, Rational* multiplier);
  bool CheckLength(Rational length, size_t column);
  bool ReadRest(size_t* i);
  bool ReadBar(size_t* i);
  bool ReadEnding(size_t* i, size_t column);
  bool ReadGrace(size_t* i);
  bool ReadTuplet(size_t* i);
  bool ReadInlineField(size_t* i);
  void ReadPlus(size_t* i);
  void AddBroken(size_t* i);
  void AddTie(size_t column);
  void Push(Element&& e, size_t column);
  void AttachPrefix(Element* e);
  bool HasPrefix() const;

  // Diagnostics at `column` (0-based index into the current line).
  void Warn(size_t column, const std::string& message);
  bool Fail(size_t column, const std::string& message);  // always false
  Diagnostic Make(Severity severity, size_t column, const std::string& message) const;

  std::string file_;
  ReadOptions options_;
  ReadResult* result_;

  Tune tune_;
  bool failed_ = false;
  bool in_header_ = true;
  bool have_unit_length_ = false;
  bool seen_music_ = false;     // a note, rest or bar has been read
  std::string_view line_;       // the line being read
  int line_no_ = 0;

  Meter meter_{4, 4, Meter::Symbol::kFree};  // meter in force; free until an M: (ABC 2.1)
  Rational unit_length_{1, 8};  // L: in force

  // Chord symbol, annotations, decorations and grace notes waiting for their note.
  std::string pending_chord_;
  std::vector<std::string> pending_annotations_;
  std::vector<std::string> pending_decorations_;
  std::vector<Pitch> pending_graces_;
  std::vector<Rational> pending_grace_lengths_;
  bool pending_space_ = false;
  bool line_start_ = true;  // nothing read yet on the current line

  int listed_warnings_ = 0;    // warnings of this tune in the diagnostics
  int unlisted_warnings_ = 0;  // warnings past kMaxListedWarnings, only counted
  size_t last_field_ = SIZE_MAX;  // index in tune_.body of the last kField, for a +: line

  std::string first_voice_;  // id of the voice kept
  bool skipping_voice_ = false;
  std::set<std::string> skipped_voices_;
};

}  // namespace tunesmith::abc::internal
