// What the studio does to a stored tune's ABC before rendering it or
// composing from it: transpose, set the tempo, swing the eighths, take one
// part, cut the first bars off as a prime. Each reads the tune with the
// project's reader and writes it back with its writer; none needs LibTorch.
#pragma once

#include <string>
#include <string_view>

#include "abc/tune.h"
#include "base/status.h"

namespace tunesmith::serve {

// `abc` (one tune) read; InvalidArgument naming the first error otherwise.
Result<abc::Tune> ReadOneTune(std::string_view abc);

// The tune moved by `semitones` (-12..12): to the key that many semitones
// away, by the smaller interval (so +12 and 0 are the same), mode kept.
Result<abc::Tune> Transpose(const abc::Tune& tune, int semitones);

// The tune with its Q: set to 1/4=qpm.
abc::Tune WithTempo(abc::Tune tune, int qpm);

// Even eighth notes on the beat in simple meters (2/4, 4/4, C, C|) written as
// broken pairs (A>B); played with "%%MIDI ratio 2 1" (SwingDirective) they
// sound long-short. Compound meters are returned unchanged.
abc::Tune Swung(abc::Tune tune);
inline constexpr const char* kSwingDirective = "%%MIDI ratio 2 1";

// The first part (up to its first closing repeat or double bar, a second
// ending included) or the rest. NotFound when the tune has no second part.
Result<abc::Tune> Part(const abc::Tune& tune, std::string_view part);

// A variation's start: the body of the first `keep_bars` bars (as
// abc::CheckBars counts them), or of the first part, as an ABC fragment for
// ComposeRequest::prime. InvalidArgument when the tune has no more bars
// than that (nothing would be left to compose).
struct Prime {
  std::string fragment;  // body text, L:1/8
  int bars = 0;          // bars kept
  int tune_bars = 0;     // bars of the whole tune
};
Result<Prime> PrimeOfFirstBars(const abc::Tune& tune, int keep_bars);
Result<Prime> PrimeOfFirstPart(const abc::Tune& tune);

// The tune's ABC text as the writer spells it.
std::string WriteAbc(const abc::Tune& tune);

}  // namespace tunesmith::serve
