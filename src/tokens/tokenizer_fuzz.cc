// libFuzzer target for the tokenizer (scripts/fuzz.sh tokenizer_fuzz SECONDS).
// The first byte of the input chooses what the rest is:
//   0  ABC text: every tune read is encoded with both tokenizers; whatever
//      the encoder writes must be tokens of the grammar and decode again.
//   1  abc-token ids (two bytes each, modulo the size of a vocabulary that
//      holds every token class, a few non-tokens and the specials): decoded
//      into a tune; a decoded tune must be ABC the reader reads back as one
//      tune, and is encoded again.
//   2  char-tokenizer text, one token per byte: decoded, and re-read when it
//      decodes.
// Build with -DTUNESMITH_FUZZ=ON and CXX=clang++.
//
// Seeds: with TUNESMITH_FUZZ_SEEDS_FROM=DIR (ABC files) and
// TUNESMITH_FUZZ_SEEDS_TO=DIR set, the binary writes one input of each mode
// per file and tune there and exits (scripts/fuzz.sh does this).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "abc/reader.h"
#include "abc/writer.h"
#include "tokens/abc_token.h"
#include "tokens/fuzz_seed_tunes.h"
#include "tokens/tokenizer.h"
#include "tokens/vocabulary.h"

namespace {

using namespace tunesmith;
using tokens::TokenizerKind;

[[noreturn]] void Fail(const std::string& what, const std::vector<std::string>& toks) {
  std::cerr << "tokenizer_fuzz: " << what << "\ntokens:";
  for (const auto& t : toks) std::cerr << ' ' << t;
  std::cerr << "\n";
  std::abort();
}

// Every class of token the grammar has, with values beyond what the corpus
// uses, and a few strings that are not tokens (the decoder must reject them).
tokens::Vocabulary MakeVocabulary() {
  std::vector<std::string> t;
  for (int den : {1, 2, 4, 8, 16, 3}) {
    for (int num = 0; num <= 13; ++num) {
      abc::Meter m;
      m.num = num;
      m.den = den;
      t.push_back(tokens::FormatMeter(m));
      t.push_back(tokens::FormatInlineMeter(m));
    }
  }
  const abc::Mode modes[] = {abc::Mode::kMajor,      abc::Mode::kMinor,  abc::Mode::kDorian, abc::Mode::kMixolydian,
                             abc::Mode::kLydian,     abc::Mode::kPhrygian, abc::Mode::kLocrian};
  for (abc::Mode mode : modes) {
    t.push_back(tokens::FormatMode(mode));
    for (int step = 0; step < 7; ++step) {
      for (int alter = -2; alter <= 2; ++alter) t.push_back(tokens::FormatInlineKey({step, alter}, mode));
    }
  }
  for (const char* r : {"jig", "reel", "hornpipe", "waltz", "slip-jig", "polka", "slide", "march", "strathspey",
                        "set-dance", "air", "mazurka", "barndance", "schottische", "polska", "other"}) {
    t.push_back(tokens::FormatRhythm(r));
  }
  const abc::Accidental accidentals[] = {abc::Accidental::kNone,  abc::Accidental::kNatural,
                                         abc::Accidental::kSharp, abc::Accidental::kFlat,
                                         abc::Accidental::kDoubleSharp, abc::Accidental::kDoubleFlat};
  for (abc::Accidental a : accidentals) {
    for (int octave = -3; octave <= 4; ++octave) {
      for (int step = 0; step < 7; ++step) t.push_back(tokens::FormatPitch({step, octave, a}));
    }
  }
  t.push_back("z");
  t.push_back("[");
  t.push_back("]");
  t.push_back("-");
  for (int den : {1, 2, 3, 4, 8, 16, 32}) {
    for (int num = 1; num <= 33; ++num) {
      auto d = tokens::FormatDuration(abc::Rational(num, den));
      if (d && !d->empty()) t.push_back(*d);
    }
  }
  const abc::BarKind bars[] = {abc::BarKind::kSingle,      abc::BarKind::kDouble,    abc::BarKind::kFinal,
                               abc::BarKind::kRepeatStart, abc::BarKind::kRepeatEnd, abc::BarKind::kRepeatBoth};
  for (abc::BarKind b : bars) t.push_back(tokens::FormatBar(b));
  for (const char* e : {"1", "2", "3", "4", "1,3", "1-2", "2,4", "1-3"}) t.push_back(tokens::FormatEnding(e));
  for (int p = 2; p <= 9; ++p) {
    t.push_back(tokens::FormatTuplet({p, tokens::MeterFreeTupletQ(p) ? tokens::MeterFreeTupletQ(p) : 2, p}));
    t.push_back(tokens::FormatTuplet({p, 2, p - 1}));
    t.push_back(tokens::FormatTuplet({p, 3, p + 1}));
  }
  for (int b : {-3, -2, -1, 1, 2, 3}) t.push_back(tokens::FormatBroken(b));
  const tokens::ChordQuality qualities[] = {
      tokens::ChordQuality::kMajor,      tokens::ChordQuality::kMinor,       tokens::ChordQuality::kDominant7,
      tokens::ChordQuality::kMinor7,     tokens::ChordQuality::kMajor7,      tokens::ChordQuality::kMajor6,
      tokens::ChordQuality::kMinor6,     tokens::ChordQuality::kDiminished,  tokens::ChordQuality::kDiminished7,
      tokens::ChordQuality::kAugmented,  tokens::ChordQuality::kAugmented7,  tokens::ChordQuality::kHalfDiminished};
  for (tokens::ChordQuality q : qualities) {
    for (int degree = 0; degree < 7; ++degree) {
      for (int alter = -1; alter <= 1; ++alter) {
        tokens::ChordDegree c{{degree, alter}, q, std::nullopt};
        if (auto s = tokens::FormatChordSymbol(c)) t.push_back(*s);
        c.bass = tokens::Degree{(degree + 2) % 7, 0};
        if (auto s = tokens::FormatChordSymbol(c)) t.push_back(*s);
      }
    }
  }
  // Not tokens of the grammar: the decoder must say so, not crash.
  for (const char* bad : {"K:Dmaj", "2/1", "/4/2", "[K:]", "M:", "\"\"", "(", "(0", "[0", "^", "x", ""}) t.push_back(bad);
  return tokens::Vocabulary(TokenizerKind::kAbcToken, std::move(t));
}

const tokens::Vocabulary& AbcVocabulary() {
  static const tokens::Vocabulary v = MakeVocabulary();
  return v;
}

// A decoded tune is ABC text that reads back as exactly one tune.
void CheckReadsBack(const std::string& abc_text, const std::vector<std::string>& toks) {
  abc::ReadResult again = abc::ReadAbc(abc_text, "decoded.abc");
  if (again.tunes.size() != 1) {
    std::cerr << "--- decoded ABC:\n" << abc_text << "\n";
    for (const auto& d : again.diagnostics) std::cerr << d.Format() << "\n";
    Fail("a decoded tune does not read back as one tune", toks);
  }
  (void)tokens::EncodeTune(again.tunes[0], TokenizerKind::kAbcToken);
}

void EncodeText(std::string_view text) {
  abc::ReadResult result = abc::ReadAbc(text, "fuzz.abc");
  for (const abc::Tune& tune : result.tunes) {
    auto both = tokens::EncodeTuneBothKinds(tune);
    auto abc_only = tokens::EncodeTune(tune, TokenizerKind::kAbcToken);
    if (both.ok() != abc_only.ok()) Fail("EncodeTune and EncodeTuneBothKinds disagree on success", {});
    if (!both.ok()) continue;
    if (both->abc_tokens != *abc_only) Fail("EncodeTune and EncodeTuneBothKinds disagree on the tokens", both->abc_tokens);
    const auto& toks = both->abc_tokens;
    for (size_t i = 0; i < toks.size(); ++i) {
      if (!tokens::ParseToken(toks[i])) Fail("the encoder wrote a token outside the grammar: '" + toks[i] + "'", toks);
    }
    auto decoded = tokens::DecodeToAbc(toks, TokenizerKind::kAbcToken);
    if (!decoded.ok()) Fail("the encoder's tokens do not decode: " + decoded.status().ToString(), toks);
    CheckReadsBack(*decoded, toks);
    std::vector<std::string> chars;
    for (char ch : both->char_text) chars.emplace_back(1, ch);
    auto char_decoded = tokens::DecodeTune(chars, TokenizerKind::kChar);
    if (!char_decoded.ok()) Fail("the char encoder's text does not decode: " + char_decoded.status().ToString(), chars);
  }
}

void DecodeIds(const uint8_t* data, size_t size) {
  const tokens::Vocabulary& vocab = AbcVocabulary();
  if (size < 1) return;
  tokens::DecodeOptions options;
  // The key to decode into: C, or a tonic step and alteration from the first byte.
  if (data[0] & 0x80) options.tonic = tokens::NoteName{(data[0] & 0x7) % 7, ((data[0] >> 3) & 0x3) - 1};
  ++data;
  --size;
  std::vector<int32_t> ids;
  for (size_t i = 0; i + 1 < size; i += 2) ids.push_back(static_cast<int32_t>((data[i] | (data[i + 1] << 8)) % vocab.size()));
  std::vector<std::string> toks = vocab.Tokens(ids);
  auto decoded = tokens::DecodeToAbc(toks, TokenizerKind::kAbcToken, options);
  if (decoded.ok()) CheckReadsBack(*decoded, toks);
}

void DecodeChars(std::string_view text) {
  std::vector<std::string> toks;
  toks.reserve(text.size());
  for (char ch : text) toks.emplace_back(1, ch);
  auto decoded = tokens::DecodeToAbc(toks, TokenizerKind::kChar);
  if (decoded.ok()) CheckReadsBack(*decoded, toks);
}

void WriteSeed(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) {
    std::cerr << "tokenizer_fuzz: cannot write " << path << "\n";
    std::exit(1);
  }
}

// The seed-writing mode (see the top of the file).
void WriteSeeds(const char* from, const char* to) {
  namespace fs = std::filesystem;
  int written = 0;
  tokens::fuzz::ForEachSeedTune(
      from,
      [&](const std::string& stem, const std::string& text) {
        WriteSeed(fs::path(to) / (stem + ".encode"), std::string(1, '\0') + text);
        ++written;
      },
      [&](const std::string& stem, int i, const tokens::TuneEncodings& both) {
        std::string ids(1, '\1');
        ids.push_back('\0');  // decode in C
        for (int32_t id : AbcVocabulary().Ids(both.abc_tokens)) {
          ids.push_back(static_cast<char>(id & 0xff));
          ids.push_back(static_cast<char>(id >> 8));
        }
        WriteSeed(fs::path(to) / (stem + "-" + std::to_string(i) + ".ids"), ids);
        WriteSeed(fs::path(to) / (stem + "-" + std::to_string(i) + ".chars"), std::string(1, '\2') + both.char_text);
        written += 2;
      });
  std::cerr << "tokenizer_fuzz: wrote " << written << " seeds to " << to << "\n";
  std::exit(0);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* from = std::getenv("TUNESMITH_FUZZ_SEEDS_FROM");
  const char* to = std::getenv("TUNESMITH_FUZZ_SEEDS_TO");
  if (from && to) WriteSeeds(from, to);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0] % 3;
  ++data;
  --size;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  if (mode == 0) EncodeText(rest);
  if (mode == 1) DecodeIds(data, size);
  if (mode == 2) DecodeChars(rest);
  return 0;
}
