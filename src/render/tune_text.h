// ABC text handled as text: splitting a file into its tunes and adding
// directives to a tune's header. Rendering hands text to external tools, so
// it needs no parse tree; this keeps src/render independent of src/abc.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tunesmith::render {

// One tune of a file, as written.
struct TuneText {
  std::string x;      // the X: reference number as written (trimmed), e.g. "12"
  std::string title;  // the first T: line's text (trimmed); empty if none
  std::string text;   // the tune's lines, from its X: line to before the blank line that ends it
  int first_line = 1; // 1-based line of the X: line in the file
};

struct AbcFileText {
  std::string header;           // lines before the first X: (the ABC file header), as written
  std::vector<TuneText> tunes;  // in file order
};

// The lines of `text` without their line ends ("\n" or "\r\n"); a last line
// without "\n" counts, an empty text has none.
std::vector<std::string_view> SplitLines(std::string_view text);

// Splits `text` into tunes the way ABC 2.1 delimits them: a tune starts at a
// line beginning "X:" and ends at the first blank line (or the next X: line).
// Lines between a tune's end and the next X: are free text and are dropped.
AbcFileText SplitTunes(std::string_view text);

// Where InsertAfterKeyLine put its lines.
struct HeaderInsertion {
  std::string text;    // the tune with the lines added
  int key_line = 0;    // 1-based line of the K: field that ends the header in the original text (0: none)
  int inserted = 0;    // number of lines added just after it
};

// Adds `lines` (each without its newline) right after the K: field that ends
// the tune header, so they apply to the whole body. A tune without a header
// K: line is returned unchanged with key_line = 0.
HeaderInsertion InsertAfterKeyLine(std::string_view tune, const std::vector<std::string>& lines);

// A directive RemoveUnsafeDirectives took out.
struct RemovedDirective {
  int line = 0;           // 1-based line in the tune text (the first, for a block)
  std::string directive;  // as written, e.g. "%%beginsvg" or "I:abc-include"
  int lines = 1;          // lines removed (a %%begin... block to its %%end...)
};

struct SafeTuneText {
  std::string text;                       // the tune, every removed line a bare "%" comment line
  std::vector<RemovedDirective> removed;  // in line order
};

// Directives that make the external tools read other files or copy raw
// markup into what they write are not passed on: %%abc-include, %%format,
// %%EPS (read files), %%beginsvg ... %%endsvg, %%beginps ... %%endps,
// %%postscript, %%ps, %%beginml ... %%endml (copy SVG, PostScript or HTML
// into the output) and %%musicfont (a font URL in the SVG), in their %% and
// I: forms, case-insensitive. A removed line becomes "%", so line numbers in
// the tools' messages still point into the caller's text; an inline
// [I:...] of one of them becomes blanks of the same width.
SafeTuneText RemoveUnsafeDirectives(std::string_view tune);

// "the line 4 directive %%beginsvg (3 lines) was not passed to the tools: ...": for warnings.
std::string DescribeRemoved(const RemovedDirective& removed);

}  // namespace tunesmith::render
