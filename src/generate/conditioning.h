// What a user asks of the tunes (--meter, --mode, --rhythm, --key, --prime),
// turned into the model's terms: forced header tokens, the tonic to decode
// into, the primed body tokens. Every failure is a message that lists what
// is accepted (the model's own vocabulary decides what it can condition on).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "tokens/chord_symbol.h"
#include "tokens/vocabulary.h"

namespace tunesmith::generate {

// "6/8", "C" (= 4/4), "C|" (= 2/2) -> "M:6/8". Fails, listing the meters the
// model knows, on a malformed value or one the model never saw.
Result<std::string> MeterToken(std::string_view value, const tokens::Vocabulary& vocab);
// "min", "minor", "m", "dorian", "mix" ... -> "K:min".
Result<std::string> ModeToken(std::string_view value, const tokens::Vocabulary& vocab);
// "jig", "Reel", "slip jig", "hornpipe" ... -> "R:jig".
Result<std::string> RhythmToken(std::string_view value, const tokens::Vocabulary& vocab);

struct KeyRequest {
  tokens::NoteName tonic;
  std::optional<abc::Mode> mode;  // when the value named one ("Em", "Ador")
};
// "D", "Bb", "F#", "Em", "Ador" -> tonic (and mode). Fails with the accepted forms.
Result<KeyRequest> ParseKey(std::string_view value);

// The body tokens of an ABC fragment read as a tune body in `meter` and
// `mode` on `tonic` (transposed to root C like every tune the model saw).
// A fragment the reader rejects, with a bar longer than the meter, or with a
// token the model does not know is an error showing the fragment with a caret
// under the problem. The last bar may be incomplete (the model goes on from it).
Result<std::vector<std::string>> PrimeTokens(std::string_view fragment, const std::string& meter_token,
                                             const std::string& mode_token, tokens::NoteName tonic,
                                             const tokens::Vocabulary& vocab);

// The letters (0 = C .. 6 = B) of the notes of an ABC fragment, the top
// note of a chord; empty when the fragment does not read (PrimeTokens says why).
std::vector<int> FragmentLetters(std::string_view fragment);

}  // namespace tunesmith::generate
