// Tune -> ABC text in tunesmith's one normalised style. Reading what the
// writer wrote gives back the same Tune: ReadAbc(WriteTune(t)) == t for every
// field the Tune model holds (positions and layout aside).
#pragma once

#include <string>

#include "abc/rational.h"
#include "abc/tune.h"

namespace tunesmith::abc {

struct WriteOptions {
  Rational unit_length{1, 8};     // the L: the body is written in
  bool keep_unit_length = false;  // write in the tune's own L: instead (fmt does)
  bool keep_line_breaks = true;   // break music lines where the source did
  bool header_only_music = false; // only M:, L:, R:, K: in the header (the char baseline's view)
  // Blanks between notes at each beat, so that they beam as musicians write
  // them (abc/beaming.h), instead of where the source had them. Generated
  // tunes and fmt use it; reading the text back gives those blanks.
  bool beam_by_beat = false;
};

// The tune as ABC text, ending with a newline.
std::string WriteTune(const Tune& tune, const WriteOptions& options = {});

}  // namespace tunesmith::abc
