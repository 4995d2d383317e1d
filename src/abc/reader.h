// The ABC 2.1 reader: text holding any number of tunes -> Tunes + diagnostics.
//
// Each tune starts at an X: line and ends at a blank line (or the next X:).
// A tune with an error is rejected (its diagnostics say why) and reading goes
// on with the next; what the reader does not model it skips with a warning.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "abc/diagnostic.h"
#include "abc/tune.h"
#include "base/status.h"

namespace tunesmith::abc {

// A tune of more text than this is rejected unread (the longest of the 1,126
// corpus files' tunes is 2.4 KB). It bounds the memory one tune takes: about
// 300 bytes per note, so at most ~80 MB for a tune of single-letter notes.
constexpr size_t kMaxTuneBytes = 256 * 1024;
// Warnings listed per tune (and for the text between tunes of a file); the
// rest are counted in ReadResult::warnings and summed up in one more warning.
constexpr int kMaxListedWarnings = 50;

struct ReadOptions {
  // Keep only the first voice of a multi-voice tune (others skipped with a warning).
  bool first_voice_only = true;
};

struct ReadResult {
  std::vector<Tune> tunes;               // the tunes read, in file order
  std::vector<Diagnostic> diagnostics;   // warnings and errors, in file order
  int tunes_seen = 0;                    // X: lines met (read + rejected)
  int rejected = 0;                      // tunes dropped because of an error
  int warnings = 0;                      // diagnostics of severity kWarning
};

// Reads every tune in `text`. `file` names the source in diagnostics and in
// Tune::file. Never fails as a whole: problems are in the diagnostics. Lines
// end in LF, CRLF or CR; a UTF-8 byte-order mark is skipped; a tune with bytes
// that are not UTF-8 is read as Latin-1 (with a warning); text without any X:
// line gets an error. Time is linear in the text.
ReadResult ReadAbc(std::string_view text, std::string_view file, const ReadOptions& options = {});

// One stretch of text as ReadAbcTunes hands it over: one tune (read or
// rejected) with its diagnostics, or text between tunes.
struct ReadStep {
  ReadResult result;      // at most one tune; the diagnostics and counts of this stretch
  std::string_view text;  // the stretch of source text
  int first_line = 1;     // line number of the first line of `text`
};

// ReadAbc one stretch at a time: `each` gets every step in file order, so a
// caller that keeps nothing needs the memory of one tune (plus `text`).
// The steps' results summed are ReadAbc's.
void ReadAbcTunes(std::string_view text, std::string_view file, const ReadOptions& options,
                  const std::function<void(ReadStep&)>& each);

// Reads a file ("-" is stdin). Fails only when the file cannot be read.
Result<ReadResult> ReadAbcFile(const std::string& path, const ReadOptions& options = {});

// What `check`, `fmt` and `tokens` do with their paths: every ABC file under
// `paths` (ListAbcFiles, each path on its own) read one tune at a time
// (ReadAbcTunes): `each(file, step)` for every step, then
// `file_done(file, tunes_seen)` (may be null). A path that cannot be listed,
// a file that cannot be read as text, or one whose reading runs out of
// memory goes to `problem` with a message naming it, and the rest are still
// read. False when any did.
bool ReadAbcFiles(const std::vector<std::string>& paths,
                  const std::function<void(const std::string& file, ReadStep& step)>& each,
                  const std::function<void(const std::string& file, int tunes_seen)>& file_done,
                  const std::function<void(const std::string& message)>& problem);

}  // namespace tunesmith::abc
