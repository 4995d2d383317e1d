// Compares two Tunes as music: what the round trip parse(write(parse(x)))
// must preserve. Source positions, line breaks, the L: the tune was written
// with and the order of header fields of different letters are ignored.
#pragma once

#include <string>

#include "abc/tune.h"

namespace tunesmith::abc {

// True when `a` and `b` are the same tune; otherwise false and, if `why` is
// given, a one-line description of the first difference. With
// `compare_blanks` false the blanks between notes (Element::space_before,
// the beaming) are ignored too: for text the writer beamed by beat.
bool SameTune(const Tune& a, const Tune& b, std::string* why = nullptr, bool compare_blanks = true);

}  // namespace tunesmith::abc
