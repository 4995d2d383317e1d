// The normaliser: what both tokenizers keep of a tune. It removes what is
// notation rather than music (decorations, grace notes, slurs, annotations,
// beaming, line breaks, part labels, titles and other header fields), spells
// chord symbols the way abc2midi reads them (dropping those that are not
// chords), and takes a meter or key given at the very start of the body as the
// tune's own (the NMD writes M:4/4 in the header and M:6/8 just after K:).
// docs/tokens.md lists everything dropped.
#pragma once

#include "abc/tune.h"
#include "base/status.h"

namespace tunesmith::tokens {

struct NormaliseStats {
  int chord_symbols_kept = 0;
  int chord_symbols_dropped = 0;  // not chords ("D.C.", "f#", "(A7)") or qualities we do not model
};

// Returns the normalised tune, still in its own key and with its own L:.
// Fails (with the reason) for tunes neither tokenizer can take: K:none, K:HP,
// keys with explicit accidentals (K:D exp ^f, K:Ador ^g), a free meter, an
// ending that is not numbered ([1, [2, [1,3, [1-2), a note of no length, a
// tune without notes.
Result<abc::Tune> Normalise(const abc::Tune& tune, NormaliseStats* stats = nullptr);

}  // namespace tunesmith::tokens
