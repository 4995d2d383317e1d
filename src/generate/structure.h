// The form of a tune on request (--parts AABB --bars 8): which parts, how
// many bars each, which are repeated. The grammar mask enforces it
// (grammar_mask.h); CheckStructure verifies a finished token stream against it
// independently of the mask.
//
// A part letter written twice in a row is one repeated part, written once
// between repeat signs: "AABB" is |: A :: B :| (or |: A :| |: B :|); the
// first part's |: may be left out (its :| then repeats from the start). A letter
// written once is a part played once, closed by a double bar: "AB" is
// A || B |]. Each letter may appear in one run only ("ABAB" is refused).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tunesmith::generate {

struct Structure {
  struct Part {
    char letter = 'A';
    bool repeated = false;  // written |: ... :| (played twice)
  };
  std::vector<Part> parts;  // empty: free form (the model decides)
  int bars_per_part = 8;    // bars of each part; a pickup is not counted, its complement is
  bool endings = true;      // a repeated part may close with first/second endings of 1 or 2 bars

  bool free() const { return parts.empty(); }
  // "AABB, 8 bars per part"; "free form" when empty.
  std::string ToString() const;
};

// Reads --parts and --bars. parts "" with bars > 0 is one part of that many
// bars played once ("A"); parts given with bars 0 takes 8 bars per part.
// Fails (saying what is accepted) on anything but letters A-Z in runs of one
// or two, on a letter used in two runs, or on bars outside 1..64.
Result<Structure> ParseStructure(std::string_view parts, int bars);

// Counts the bars of each part in a finished abc-token stream (<s> ... </s>)
// and checks them against `structure`: repeat signs where the parts say,
// bars_per_part bars in each part (first/second endings of equal length),
// the pickup and its complement allowed. Returns an error naming the first
// difference. A free structure accepts anything.
Status CheckStructure(const std::vector<std::string>& tokens, const Structure& structure);

}  // namespace tunesmith::generate
