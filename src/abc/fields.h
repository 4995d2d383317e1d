// Parsers for the header fields that carry musical meaning: M:, L:, K:.
// Each takes the field's value (after "M:") and returns the parsed value or a
// Status a user can act on; parts it understands but does not model (K:
// clef=bass) are listed in `skipped` so the caller can warn about them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "abc/rational.h"
#include "abc/tune.h"
#include "base/status.h"

namespace tunesmith::abc {

// "6/8", "C", "C|", "2+3/8", "none" (also "" = none).
Result<Meter> ParseMeter(std::string_view value);

// "1/8", "1/16", "1".
Result<Rational> ParseUnitLength(std::string_view value);

// The L: ABC 2.1 implies when a tune has none: 1/16 for bars shorter than
// 3/4, 1/8 otherwise (and for a free meter).
Rational DefaultUnitLength(const Meter& meter);

// "G", "Ador", "F#m", "Bb mixolydian", "D exp ^f ^c", "Am ^g", "HP", "Hp",
// "none", "" (C major). Appends to `skipped` the parts it does not model.
Result<Key> ParseKey(std::string_view value, std::vector<std::string>* skipped);

// True when tuplets in this meter default to q = 3 (6/8, 9/8, 12/8 ...).
bool IsCompound(const Meter& meter);

// The q of (p when only p is written (ABC 2.1 section 4.13).
int DefaultTupletQ(int p, const Meter& meter);

}  // namespace tunesmith::abc
