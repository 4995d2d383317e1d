// Tune <-> token strings, for both tokenizer kinds.
//
// kAbcToken (docs/tokens.md): the normalised tune transposed to root C,
// lengths in L:1/8 units, one token per musical symbol:
//   <s> M:6/8 K:dor R:jig "i" D 2 E F 2 G | ... |] </s>
// kChar (the seed project's baseline): the same normalised tune in its own
// key, written by abc::WriteTune with only M:, L:, R:, K: in the header, one
// token per character:
//   <s> M : 6 / 8 \n L : 1 / 8 \n ... </s>
// Both start with <s> and end with </s>.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "tokens/chord_symbol.h"
#include "tokens/normalise.h"
#include "tokens/vocabulary.h"

namespace tunesmith::tokens {

// The tokens of `tune`, <s> ... </s>. Fails, with the reason, for a tune that
// cannot be encoded (see Normalise: K:none, a free meter, ...; or a pitch the
// transposition cannot spell). `stats`, if given, is added to.
Result<std::vector<std::string>> EncodeTune(const abc::Tune& tune, TokenizerKind kind,
                                            NormaliseStats* stats = nullptr);

// Both kinds at once, normalising the tune once (what LoadCorpus keeps):
// the abc tokens <s> ... </s>, and the char tokenizer's text, one token per
// character, without <s> and </s>. Fails as EncodeTune does.
struct TuneEncodings {
  std::vector<std::string> abc_tokens;
  std::string char_text;
};
Result<TuneEncodings> EncodeTuneBothKinds(const abc::Tune& tune, NormaliseStats* stats = nullptr);

struct DecodeOptions {
  // The key to write the tune in (its mode is kept): abc-token tunes are
  // decoded in C and char tunes in their own key when unset.
  std::optional<NoteName> tonic;
  std::string title = "Untitled";  // T: of the decoded tune
  int x = 1;                       // X: of the decoded tune
};

// The tune the tokens describe. A leading <s> and everything from </s> on are
// ignored, as is <pad>; <unk> and tokens out of the grammar are errors naming
// the token and its index. For kAbcToken the tune is in C (or options.tonic),
// with L:1/8; for kChar, the characters are read by abc::ReadAbc.
Result<abc::Tune> DecodeTune(const std::vector<std::string>& tokens, TokenizerKind kind,
                             const DecodeOptions& options = {});

// DecodeTune, then abc::WriteTune: ABC text the reader accepts.
Result<std::string> DecodeToAbc(const std::vector<std::string>& tokens, TokenizerKind kind,
                                const DecodeOptions& options = {});

}  // namespace tunesmith::tokens
