// Transposition that keeps the mode and spells accidentals by the new key:
// D dorian moved to C is C dorian, and its F (the minor third) is written _E
// there (in K:Cdor, simply E), never ^D.
#pragma once

#include "abc/tune.h"
#include "base/status.h"

namespace tunesmith::abc {

// Returns `tune` with every pitch, key field and chord symbol moved so that its
// tonic becomes tonic_step/tonic_alter (0..6 = C..B, -1 flat, +1 sharp), by the
// interval of smallest size (at most a tritone up or down). The mode is kept.
// Fails (leaving nothing changed) for K:none or when a pitch cannot be spelled.
Result<Tune> TransposeTo(const Tune& tune, int tonic_step, int tonic_alter);

// Parses a key name such as "G", "Bb", "F#" (mode, if any, is ignored) into
// tonic_step/tonic_alter; false when it is not a key name.
bool ParseTonic(std::string_view name, int* tonic_step, int* tonic_alter);

}  // namespace tunesmith::abc
