// The abc-token grammar: every token string of the abc-token stream, how it is
// written and how it is read back into meaning. The encoder writes tokens
// with the Format* functions and the decoder (and the grammar mask) reads
// them with ParseToken; docs/tokens.md documents the same grammar for people.
//
//   <s> M:6/8 K:dor R:jig "i" D 2 E F 2 G | ... |] </s>
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "abc/rational.h"
#include "abc/tune.h"
#include "tokens/chord_symbol.h"

namespace tunesmith::tokens {

enum class TokenClass {
  kSpecial,      // <pad> <s> </s> <unk>
  kMeter,        // M:6/8          header: the meter (C and C| are written 4/4 and 2/2)
  kMode,         // K:dor          header: the mode; the tonic is always C
  kRhythm,       // R:jig          header: the rhythm, R:other when absent or unknown
  kInlineMeter,  // [M:2/4]        a meter change in the body
  kInlineKey,    // [K:Fmaj]       a key change in the body (tonic spelled in the C-rooted tune)
  kPitch,        // ^F =B, c' __e  a note: accidental as written, letter, octave marks
  kRest,         // z
  kChordStart,   // [              a chord of notes: [ pitch... ] then its duration
  kChordEnd,     // ]
  kDuration,     // 2 3 /2 3/2     the length of the note, rest or chord before it, in L:1/8 units
  kTie,          // -              tie from the note or chord before it to the next one
  kBar,          // | || |] |: :| ::
  kEnding,       // [1 [2 [1,3     a numbered ending starts (after a bar token)
  kTuplet,       // (3 (2 (5:4:5   the next notes are a tuplet
  kBroken,       // > >> >>> < << <<<  broken rhythm between the notes on either side
  kChordSymbol,  // "V7" "ii" "bVII" "I/3"   a chord symbol on the next note or rest
};

const char* TokenClassName(TokenClass c);

// A token with its meaning; only the fields of its class are set.
struct Token {
  TokenClass cls = TokenClass::kSpecial;
  std::string text;                  // the token string itself
  abc::Meter meter;                  // kMeter, kInlineMeter
  abc::Mode mode = abc::Mode::kMajor;  // kMode, kInlineKey
  NoteName key_tonic;                // kInlineKey
  std::string rhythm;                // kRhythm: "jig", "slip-jig", "other"
  abc::Pitch pitch;                  // kPitch
  abc::Rational duration{1};         // kDuration: multiple of an eighth note (3/2 for "3/2")
  abc::BarKind bar = abc::BarKind::kSingle;  // kBar
  std::string ending;                // kEnding: "1", "2", "1,3", "1-2"
  abc::Tuplet tuplet;                // kTuplet, with q and r resolved
  int broken = 0;                    // kBroken: +1 >, +2 >>, +3 >>>, -1 <, -2 <<, -3 <<<
  ChordDegree chord;                 // kChordSymbol
};

// Reads one token; nullopt when `text` is not a token of the grammar (exactly
// as Format* would write it: "2/1", "/4/2" or "K:Dmaj" are not tokens).
std::optional<Token> ParseToken(std::string_view text);

// Format* write the token of each class; they are the only writers of tokens.
// FormatDuration returns "" for the unit (an eighth), which has no token;
// nullopt where there is no token for the value (a length <= 0).
std::string FormatMeter(const abc::Meter& meter);        // "M:6/8"
std::string FormatInlineMeter(const abc::Meter& meter);  // "[M:2/4]"
std::string FormatMode(abc::Mode mode);                  // "K:dor"
std::string FormatInlineKey(NoteName tonic, abc::Mode mode);  // "[K:Fmaj]", "[K:Bbmin]", "[K:F#dor]"
std::string FormatRhythm(std::string_view rhythm);       // "R:jig"
std::string FormatPitch(const abc::Pitch& pitch);        // "^F", "=B,", "c'"
std::optional<std::string> FormatDuration(abc::Rational eighths);  // "2", "/2", "3/2", ""
std::string FormatBar(abc::BarKind bar);                 // "|", "||", ... ("[|" is written "||")
std::string FormatEnding(std::string_view text);         // "[1", "[1,3"
std::string FormatTuplet(const abc::Tuplet& tuplet);     // "(3", "(5:4:5"
std::string FormatBroken(int broken);                    // ">", "<<"
std::optional<std::string> FormatChordSymbol(const ChordDegree& chord);  // "\"V7\""

// The rhythms the R: token knows, with the R: values that map to each
// ("double jig" -> jig, "slipjig" -> slip-jig). Returns "other" for anything
// else, including an empty value.
std::string NormaliseRhythm(std::string_view r_value);
// The R: value a decoded tune gets: "slip-jig" -> "slip jig"; "" for "other".
std::string RhythmFieldValue(std::string_view rhythm);

// Whether a rhythm ("jig", "reel", ...) is written in meter num/den, as the
// corpus writes it (abc_token.cc has the table and where it comes from); a
// rhythm without a row (RhythmJudged false: "other", "air") fits any meter.
// The grammar mask, the titles and eval's R:/M: figure all ask this.
bool RhythmHasMeter(std::string_view rhythm, int num, int den);
bool RhythmJudged(std::string_view rhythm);
// The meters of a judged rhythm, space-separated ("4/4 2/2 2/4"); "" otherwise.
std::string MetersOfRhythm(std::string_view rhythm);

// An ending text the grammar can hold: digits, ',' and '-' ("1", "1,3", "1-2").
bool IsNumericEnding(std::string_view text);

// The default q of a tuplet (p:q:r) written "(p" in ABC, for the p where it
// does not depend on the meter (2, 3, 4, 6, 8); 0 for the others.
int MeterFreeTupletQ(int p);

}  // namespace tunesmith::tokens
