#include "generate/conditioning.h"

#include <algorithm>
#include <cctype>

#include "abc/bar_check.h"
#include "base/caret.h"
#include "abc/reader.h"
#include "tokens/abc_token.h"
#include "tokens/tokenizer.h"

namespace tunesmith::generate {
namespace {

// The values of the vocabulary's tokens starting with `prefix`, e.g. "6/8, 4/4".
std::string Known(const tokens::Vocabulary& vocab, std::string_view prefix) {
  std::vector<std::string> values;
  for (const std::string& t : vocab.tokens()) {
    if (t.starts_with(prefix)) values.push_back(t.substr(prefix.size()));
  }
  std::sort(values.begin(), values.end());
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out.empty() ? "none" : out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

Result<std::string> MeterToken(std::string_view value, const tokens::Vocabulary& vocab) {
  std::string v = Trim(value);
  if (v == "C") v = "4/4";
  if (v == "C|") v = "2/2";
  const std::string token = "M:" + v;
  auto parsed = tokens::ParseToken(token);
  if (!parsed || parsed->cls != tokens::TokenClass::kMeter) {
    return Status::InvalidArgument("--meter '" + std::string(value) + "' is not a meter (write it like 6/8, 4/4, C or C|); the model knows " +
                         Known(vocab, "M:"));
  }
  if (!vocab.Contains(token)) {
    return Status::InvalidArgument("--meter " + v + ": the model never saw this meter; it knows " + Known(vocab, "M:"));
  }
  return token;
}

Result<std::string> ModeToken(std::string_view value, const tokens::Vocabulary& vocab) {
  const std::string v = Trim(value);
  auto mode = v.empty() ? std::nullopt : abc::ParseMode(v);
  if (!mode) {
    return Status::InvalidArgument("--mode '" + v + "' is not a mode (maj, min, dor, mix, lyd, phr, loc, or their full names); the model knows " +
                         Known(vocab, "K:"));
  }
  const std::string token = tokens::FormatMode(*mode);
  if (!vocab.Contains(token)) {
    return Status::InvalidArgument("--mode " + v + ": the model never saw this mode; it knows " + Known(vocab, "K:"));
  }
  return token;
}

Result<std::string> RhythmToken(std::string_view value, const tokens::Vocabulary& vocab) {
  const std::string v = Trim(value);
  std::string rhythm = tokens::NormaliseRhythm(v);
  if (rhythm == "other" && v != "other") {
    return Status::InvalidArgument("--rhythm '" + v + "' is not a rhythm tunesmith knows; the model knows " + Known(vocab, "R:"));
  }
  const std::string token = tokens::FormatRhythm(rhythm);
  if (!vocab.Contains(token)) {
    return Status::InvalidArgument("--rhythm " + v + ": the model never saw this rhythm; it knows " + Known(vocab, "R:"));
  }
  return token;
}

Result<KeyRequest> ParseKey(std::string_view value) {
  const std::string v = Trim(value);
  const std::string accepted = " (a tonic A-G with an optional # or b, and optionally a mode: D, Bb, F#, Em, Ador)";
  if (v.empty()) return Status::InvalidArgument("--key is empty" + accepted);
  static constexpr std::string_view kLetters = "CDEFGAB";
  const size_t step = kLetters.find(static_cast<char>(std::toupper(static_cast<unsigned char>(v[0]))));
  if (step == std::string_view::npos) return Status::InvalidArgument("--key '" + v + "' does not start with a note letter" + accepted);
  KeyRequest key;
  key.tonic.step = static_cast<int>(step);
  size_t i = 1;
  if (i < v.size() && (v[i] == '#' || v[i] == 'b')) {
    key.tonic.alter = v[i] == '#' ? 1 : -1;
    ++i;
  }
  const std::string rest = Trim(std::string_view(v).substr(i));
  if (!rest.empty()) {
    auto mode = abc::ParseMode(rest);
    if (!mode) return Status::InvalidArgument("--key '" + v + "': '" + rest + "' is not a mode" + accepted);
    key.mode = *mode;
  }
  return key;
}

Result<std::vector<std::string>> PrimeTokens(std::string_view fragment, const std::string& meter_token,
                                             const std::string& mode_token, tokens::NoteName tonic,
                                             const tokens::Vocabulary& vocab) {
  const auto meter = tokens::ParseToken(meter_token);
  const auto mode = tokens::ParseToken(mode_token);
  if (!meter || !mode) return Status::InvalidArgument("--prime needs a meter and a mode");
  abc::Key key;
  key.tonic_step = tonic.step;
  key.tonic_alter = tonic.alter;
  key.mode = mode->mode;
  const std::string header = "X:1\nT:prime\nM:" + meter->meter.ToString() + "\nL:1/8\nK:" + key.ToString() + "\n";
  const int header_lines = 5;
  std::string body(fragment);
  const std::string text = header + body + "\n";
  std::vector<std::string> lines;
  for (size_t start = 0;;) {
    size_t end = body.find('\n', start);
    lines.push_back(body.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  auto point = [&](int line, int column, const std::string& message) {
    const int l = line - header_lines;
    std::string out = "--prime: " + message;
    if (l >= 1 && l <= static_cast<int>(lines.size())) {
      out += " (line " + std::to_string(l) + ", column " + std::to_string(column) + ")\n" + base::QuoteLineWithCaret(lines[l - 1], column);
    }
    return Status::InvalidArgument(out);
  };

  abc::ReadResult read = abc::ReadAbc(text, "--prime");
  for (const auto& d : read.diagnostics) {
    if (d.severity == abc::Severity::kError) return point(d.line, d.column, d.message);
  }
  if (read.tunes.size() != 1) return Status::InvalidArgument("--prime: the fragment does not read as music");
  const abc::Tune& tune = read.tunes[0];

  // Every bar but the last must be complete (a pickup aside): the model goes on from the last.
  const abc::BarCheck bars = abc::CheckBars(tune);
  for (size_t b = 0; b + 1 < bars.bars.size(); ++b) {
    const abc::BarInfo& info = bars.bars[b];
    if (info.length > info.expected) {
      return point(info.pos.line, info.pos.column,
                   "this bar lasts " + info.length.ToString() + " of a whole note but M:" + meter->meter.ToString() +
                       " wants " + info.expected.ToString());
    }
  }
  if (!bars.bars.empty() && bars.bars.back().length > bars.bars.back().expected) {
    const abc::BarInfo& info = bars.bars.back();
    return point(info.pos.line, info.pos.column,
                 "this bar lasts " + info.length.ToString() + " of a whole note but M:" + meter->meter.ToString() +
                     " wants " + info.expected.ToString());
  }

  auto encoded = tokens::EncodeTune(tune, tokens::TokenizerKind::kAbcToken);
  if (!encoded.ok()) return encoded.status().WithPrefix("--prime: ");
  // <s> M: K: R: body... </s>
  std::vector<std::string> out;
  for (size_t i = 4; i + 1 < encoded->size(); ++i) {
    const std::string& t = (*encoded)[i];
    if (!vocab.Contains(t)) {
      return Status::InvalidArgument("--prime: the fragment uses '" + t + "' (in root C), which the model never saw");
    }
    out.push_back(t);
  }
  if (out.empty()) return Status::InvalidArgument("--prime: the fragment holds no music");
  return out;
}

std::vector<int> FragmentLetters(std::string_view fragment) {
  const std::string text = "X:1\nT:prime\nL:1/8\nK:C\n" + std::string(fragment) + "\n";
  abc::ReadResult read = abc::ReadAbc(text, "--prime");
  std::vector<int> letters;
  if (read.tunes.size() != 1) return letters;
  for (const abc::Element& e : read.tunes[0].body) {
    if (e.kind == abc::ElementKind::kNote && !e.pitches.empty()) letters.push_back(e.pitches.back().step);
  }
  return letters;
}

}  // namespace tunesmith::generate
