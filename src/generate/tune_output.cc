#include "generate/tune_output.h"

#include "abc/tune_check.h"
#include "abc/writer.h"
#include "tokens/tokenizer.h"

namespace tunesmith::generate {

Result<TuneText> WriteGeneratedTune(const std::vector<std::string>& tokens, const TuneTextOptions& options) {
  std::vector<std::string> kept;
  kept.reserve(tokens.size());
  for (const std::string& t : tokens) {
    if (!options.chord_symbols && t.size() >= 2 && t.front() == '"') continue;
    kept.push_back(t);
  }
  tokens::DecodeOptions decode;
  decode.tonic = options.tonic;
  decode.title = options.title;
  decode.x = options.x;
  auto tune = tokens::DecodeTune(kept, tokens::TokenizerKind::kAbcToken, decode);
  if (!tune.ok()) return tune.status();
  if (!options.provenance.empty()) {
    // N: goes before K:, the last header field.
    auto k = tune->header.end();
    for (auto it = tune->header.begin(); it != tune->header.end(); ++it) {
      if (it->key == 'K') k = it;
    }
    tune->header.insert(k, abc::Field{'N', options.provenance, {}});
  }
  TuneText out;
  abc::WriteOptions write;
  write.beam_by_beat = true;  // the tokens have no blanks: beam as musicians do
  out.abc = abc::WriteTune(*tune, write);
  out.tune = std::move(tune.value());
  return out;
}

TuneChecks CheckGeneratedTune(const std::string& abc_text, const std::vector<std::string>& tokens,
                              const Structure& structure) {
  abc::TuneTextCheck read = abc::CheckTuneText(abc_text, "<generated>");
  TuneChecks checks;
  checks.read_ok = read.read_ok;
  checks.read_warnings = read.read_warnings;
  checks.error = read.error;
  checks.bars = read.bars;
  checks.off_meter = read.off_meter;
  if (Status s = CheckStructure(tokens, structure); !s.ok()) checks.structure = s.message();
  return checks;
}

}  // namespace tunesmith::generate
