#include "corpus/corpus.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <unordered_map>

#include "abc/reader.h"
#include "tokens/tokenizer.h"

namespace tunesmith::corpus {
namespace {

namespace fs = std::filesystem;

// FNV-1a, 64 bits: stable across machines and builds, unlike std::hash.
uint64_t Fnv1a(std::string_view bytes, uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// SplitMix64's finaliser: spreads the tune hash evenly over [0, 2^64) so the
// split fractions hold whatever the structure of FNV's output.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Split SplitOf(uint64_t hash, const LoadOptions& options) {
  double u = static_cast<double>(Mix(hash) >> 11) * 0x1.0p-53;  // uniform in [0, 1)
  if (u < options.valid_fraction) return Split::kValid;
  if (u < options.valid_fraction + options.test_fraction) return Split::kTest;
  return Split::kTrain;
}

bool IsAbcFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".abc";
}

// The files of `paths`, each folder's files in sorted order, each file once.
Result<std::vector<std::string>> ListFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const auto& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return Status::NotFound("corpus path does not exist: " + path);
    std::vector<std::string> found;
    if (fs::is_directory(st)) {
      fs::recursive_directory_iterator it(path, fs::directory_options::follow_directory_symlink, ec), end;
      for (; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && IsAbcFile(it->path())) found.push_back(it->path().string());
      }
      if (ec) return Status::IOError("cannot list corpus folder " + path + ": " + ec.message());
      std::sort(found.begin(), found.end());
    } else {
      found.push_back(path);
    }
    for (auto& f : found) {
      std::string canonical = fs::weakly_canonical(f, ec).string();
      if (seen.insert(ec ? f : canonical).second) files.push_back(std::move(f));
    }
  }
  return files;
}

// "line 12: a free meter ..." -> "a free meter ...": the reason without where.
std::string ReasonOf(const std::string& message) {
  if (message.starts_with("line ")) {
    size_t colon = message.find(": ");
    if (colon != std::string::npos) return message.substr(colon + 2);
  }
  return message;
}

abc::Diagnostic TuneDiagnostic(const abc::Tune& tune, abc::Severity severity, std::string message) {
  abc::Diagnostic d;
  d.severity = severity;
  d.file = tune.file;
  d.x = tune.x;
  d.title = tune.Title();
  d.line = tune.pos.line;
  d.column = tune.pos.column;
  d.message = std::move(message);
  return d;
}

// The rhythm a file name stands for ("reelsh-l" -> "reel"), "" if none: the
// stem, lower-cased, starts with a rhythm's name or a common short form.
std::string RhythmOfFileName(const std::string& file) {
  std::string stem = fs::path(file).stem().string();
  std::transform(stem.begin(), stem.end(), stem.begin(), [](unsigned char c) { return std::tolower(c); });
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"slipjig", "slip jig"}, {"slip", "slip jig"}, {"jig", "jig"},         {"reel", "reel"},
      {"hornpipe", "hornpipe"}, {"hpp", "hornpipe"}, {"waltz", "waltz"},    {"polka", "polka"},
      {"march", "march"},       {"strathspey", "strathspey"}, {"slide", "slide"}, {"mazurka", "mazurka"},
  };
  for (const auto& [prefix, rhythm] : kPrefixes) {
    if (stem.starts_with(prefix)) return std::string(rhythm);
  }
  return "";
}

// The melody of a tune's token stream: what de-duplication and the split look
// at. Chord symbols and the rhythm token are left out, so two editions of one
// tune that differ only in their accompaniment or R: count as one tune.
uint64_t MelodyHash(const std::vector<std::string>& tokens) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& t : tokens) {
    if (t.starts_with('"') || t.starts_with("R:")) continue;
    h = Fnv1a(t, h);
    h = Fnv1a(" ", h);
  }
  return h;
}

std::string Join(const std::vector<std::string>& tokens, size_t begin, size_t end, const char* sep) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += sep;
    out += tokens[i];
  }
  return out;
}

}  // namespace

const char* SplitName(Split s) {
  switch (s) {
    case Split::kTrain: return "train";
    case Split::kValid: return "valid";
    case Split::kTest: return "test";
  }
  return "?";
}

std::vector<std::string> CorpusTune::Tokens(tokens::TokenizerKind kind) const {
  std::vector<std::string> out;
  out.push_back("<s>");
  if (kind == tokens::TokenizerKind::kChar) {
    out.reserve(char_text.size() + 2);
    for (char c : char_text) out.emplace_back(1, c);
  } else {
    size_t start = 0;
    while (start < abc_tokens.size()) {
      size_t end = abc_tokens.find(' ', start);
      if (end == std::string::npos) end = abc_tokens.size();
      out.emplace_back(abc_tokens, start, end - start);
      start = end + 1;
    }
  }
  out.push_back("</s>");
  return out;
}

std::string Corpus::Fingerprint() const {
  std::vector<std::pair<uint64_t, int>> entries;
  entries.reserve(tunes.size());
  for (const auto& t : tunes) entries.emplace_back(t.hash, static_cast<int>(t.split));
  std::sort(entries.begin(), entries.end());
  uint64_t h = Fnv1a("tunesmith-corpus-v1");
  for (const auto& [hash, split] : entries) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%016llx:%d;", static_cast<unsigned long long>(hash), split);
    h = Fnv1a(buf, h);
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

Result<Corpus> LoadCorpus(const std::vector<std::string>& paths, const LoadOptions& options) {
  auto files = ListFiles(paths);
  if (!files.ok()) return files.status();

  Corpus corpus;
  LoadStats& stats = corpus.stats;
  std::unordered_map<uint64_t, size_t> first_of_hash;
  for (const auto& file : *files) {
    auto read = abc::ReadAbcFile(file);
    if (!read.ok()) return read.status().WithPrefix("cannot read " + file + ": ");
    ++stats.files;
    stats.tunes_seen += read->tunes_seen;
    stats.rejected_by_reader += read->rejected;
    for (auto& d : read->diagnostics) corpus.diagnostics.push_back(std::move(d));

    const std::string file_rhythm = options.rhythm_from_file_name ? RhythmOfFileName(file) : "";
    for (auto& tune : read->tunes) {
      if (!file_rhythm.empty() && tune.FieldValues('R').empty()) {
        // Before K:, so the writer and the tokenizer see it as the tune's own.
        auto k = std::find_if(tune.header.begin(), tune.header.end(), [](const abc::Field& f) { return f.key == 'K'; });
        tune.header.insert(k, abc::Field{'R', file_rhythm, tune.pos});
        ++stats.rhythm_from_file;
      }
      tokens::NormaliseStats chord_stats;
      auto encoded = tokens::EncodeTuneBothKinds(tune, &chord_stats);
      if (!encoded.ok()) {
        ++stats.rejected_by_tokenizer;
        ++stats.rejection_reasons[ReasonOf(encoded.status().message())];
        corpus.diagnostics.push_back(
            TuneDiagnostic(tune, abc::Severity::kError, "not encodable: " + encoded.status().message()));
        continue;
      }
      const auto& toks = encoded->abc_tokens;
      CorpusTune ct;
      ct.abc_tokens = Join(toks, 1, toks.size() - 1, " ");
      ct.hash = MelodyHash(toks);
      auto [it, inserted] = first_of_hash.emplace(ct.hash, corpus.tunes.size());
      if (!inserted) {
        const abc::Tune& kept = corpus.tunes[it->second].tune;
        ++stats.duplicates;
        corpus.diagnostics.push_back(TuneDiagnostic(
            tune, abc::Severity::kWarning,
            "duplicate of " + kept.Describe() + " after normalisation; dropped"));
        continue;
      }
      ct.char_text = std::move(encoded->char_text);
      ct.split = SplitOf(ct.hash, options);
      ct.tune = std::move(tune);
      stats.chord_symbols_kept += chord_stats.chord_symbols_kept;
      stats.chord_symbols_dropped += chord_stats.chord_symbols_dropped;
      switch (ct.split) {
        case Split::kTrain: ++stats.train; break;
        case Split::kValid: ++stats.valid; break;
        case Split::kTest: ++stats.test; break;
      }
      corpus.tunes.push_back(std::move(ct));
    }
  }
  stats.rejected = stats.rejected_by_reader + stats.rejected_by_tokenizer;
  stats.kept = static_cast<int>(corpus.tunes.size());
  return corpus;
}

tokens::Vocabulary BuildVocabulary(const Corpus& corpus, tokens::TokenizerKind kind) {
  std::set<std::string> seen;
  for (const auto& t : corpus.tunes) {
    if (kind == tokens::TokenizerKind::kChar) {
      for (char c : t.char_text) seen.emplace(1, c);
    } else {
      for (auto& tok : t.Tokens(kind)) seen.insert(std::move(tok));
    }
  }
  return tokens::Vocabulary(kind, std::vector<std::string>(seen.begin(), seen.end()));
}

EncodedSplit EncodeSplit(const Corpus& corpus, const tokens::Vocabulary& vocab, Split split) {
  EncodedSplit out;
  for (size_t i = 0; i < corpus.tunes.size(); ++i) {
    const CorpusTune& t = corpus.tunes[i];
    if (t.split != split) continue;
    out.tunes.push_back(vocab.Ids(t.Tokens(vocab.kind())));
    out.corpus_index.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace tunesmith::corpus
