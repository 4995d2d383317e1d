// tunesmith tokens FILE...: the token stream of every tune, one tune per line,
// tokens separated by single spaces (stdout); problems go to stderr.
//
//   tunesmith tokens tunes.abc              abc tokens
//   tunesmith tokens --char tunes.abc       characters (blank, newline and
//                                           backslash written \s \n \\)
//   tunesmith tokens --ids tunes.abc        ids, from --vocab FILE or a
//                                           vocabulary of the tunes given
//   tunesmith tokens --decode tokens.txt    token lines back to ABC (--key G)
//   tunesmith tokens --stats FOLDER...      the corpus view: counts, rejects,
//                                           duplicates, splits, vocabularies
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <new>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "abc/files.h"
#include "abc/reader.h"
#include "abc/transpose.h"
#include "base/text.h"
#include "cli/commands.h"
#include "corpus/corpus.h"
#include "tokens/tokenizer.h"
#include "tokens/vocabulary.h"

namespace tunesmith::cli {
namespace {

struct TokensArgs {
  std::vector<std::string> files;
  bool chars = false;
  bool ids = false;
  std::string vocab_file;
  bool decode = false;
  std::string key;
  bool stats = false;
};

tokens::TokenizerKind KindOf(const TokensArgs& args) {
  return args.chars ? tokens::TokenizerKind::kChar : tokens::TokenizerKind::kAbcToken;
}

// A char token on a line of space-separated tokens: the vocabulary's escapes.
std::string Printable(const std::string& token) {
  if (token == " ") return "\\s";
  if (token == "\n") return "\\n";
  if (token == "\t") return "\\t";
  if (token == "\r") return "\\r";
  if (token == "\\") return "\\\\";
  return token;
}

std::string Unprintable(const std::string& token) {
  if (token == "\\s") return " ";
  if (token == "\\n") return "\n";
  if (token == "\\t") return "\t";
  if (token == "\\r") return "\r";
  if (token == "\\\\") return "\\";
  return token;
}

int PrintTokens(const TokensArgs& args) {
  const auto kind = KindOf(args);
  tokens::Vocabulary vocab;
  const bool own_vocab = args.ids && args.vocab_file.empty();  // built from all the tunes: print at the end
  if (args.ids && !own_vocab) {
    auto text = abc::ReadTextFile(args.vocab_file);
    auto v = text.ok() ? tokens::Vocabulary::Deserialize(*text) : Result<tokens::Vocabulary>(text.status());
    if (!v.ok()) {
      std::cerr << "tunesmith tokens: " << args.vocab_file << ": " << base::TerminalSafe(v.status().message()) << "\n";
      return kExitUsage;
    }
    if (v->kind() != kind) {
      std::cerr << "tunesmith tokens: " << args.vocab_file << " is a " << tokens::TokenizerKindName(v->kind())
                << " vocabulary; add or drop --char\n";
      return kExitUsage;
    }
    vocab = std::move(v).value();
  }
  std::string line;
  auto print = [&](const std::vector<std::string>& toks) {
    line.clear();
    for (size_t i = 0; i < toks.size(); ++i) {
      if (i > 0) line += ' ';
      line += args.ids ? std::to_string(vocab.Id(toks[i])) : Printable(toks[i]);
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  };

  std::vector<std::vector<std::string>> encoded;  // only for own_vocab
  int rejected = 0;
  const bool all_read = abc::ReadAbcFiles(
      args.files,
      [&](const std::string&, abc::ReadStep& part) {
        for (const auto& d : part.result.diagnostics) {
          if (d.severity == abc::Severity::kError) std::cerr << d.Format() << "\n";
        }
        rejected += part.result.rejected;
        for (const auto& tune : part.result.tunes) {
          auto toks = tokens::EncodeTune(tune, kind);
          if (!toks.ok()) {
            std::cerr << base::TerminalSafe(tune.Describe()) << ": cannot encode: "
                      << base::TerminalSafe(toks.status().message()) << "\n";
            ++rejected;
            continue;
          }
          if (own_vocab) encoded.push_back(std::move(toks).value());
          else print(*toks);
        }
      },
      [&](const std::string&, int tunes_seen) { rejected += tunes_seen == 0; },
      [](const std::string& message) { std::cerr << "tunesmith tokens: " << base::TerminalSafe(message) << "\n"; });
  if (own_vocab) {
    std::vector<std::string> all;
    for (const auto& e : encoded) all.insert(all.end(), e.begin(), e.end());
    vocab = tokens::Vocabulary(kind, std::move(all));
    for (const auto& e : encoded) print(e);
  }
  if (!all_read) return kExitUsage;
  return rejected > 0 ? kExitRejected : kExitOk;
}

int Decode(const TokensArgs& args) {
  const auto kind = KindOf(args);
  tokens::DecodeOptions options;
  if (!args.key.empty()) {
    tokens::NoteName tonic;
    if (!abc::ParseTonic(args.key, &tonic.step, &tonic.alter)) {
      std::cerr << "tunesmith tokens: --key " << args.key << " is not a key name (G, Bb, F#)\n";
      return kExitUsage;
    }
    options.tonic = tonic;
  }
  int failed = 0;
  for (const auto& file : args.files) {
    auto text = abc::ReadTextFile(file);
    if (!text.ok()) {
      std::cerr << "tunesmith tokens: " << text.status().message() << "\n";
      return kExitUsage;
    }
    std::istringstream lines(*text);
    std::string line;
    int line_number = 0;
    while (std::getline(lines, line)) {
      ++line_number;
      std::istringstream words(line);
      std::vector<std::string> toks;
      for (std::string w; words >> w;) toks.push_back(kind == tokens::TokenizerKind::kChar ? Unprintable(w) : w);
      if (toks.empty()) continue;
      options.x = line_number;
      auto abc_text = tokens::DecodeToAbc(toks, kind, options);
      if (!abc_text.ok()) {
        std::cerr << file << ":" << line_number << ": " << abc_text.status().message() << "\n";
        ++failed;
        continue;
      }
      std::cout << *abc_text << "\n";
    }
  }
  return failed > 0 ? kExitRejected : kExitOk;
}

int Stats(const TokensArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  auto corpus = corpus::LoadCorpus(args.files);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!corpus.ok()) {
    std::cerr << "tunesmith tokens: " << corpus.status().message() << "\n";
    return kExitUsage;
  }
  // The story on stderr: every tune left out, and why.
  for (const auto& d : corpus->diagnostics) {
    if (d.severity == abc::Severity::kError || d.message.find("duplicate of") != std::string::npos) {
      std::cerr << base::TerminalSafe(d.file) << ":" << d.line << ": X:" << d.x << " \"" << base::TerminalSafe(d.title)
                << "\": " << base::TerminalSafe(d.message) << "\n";
    }
  }
  const auto& s = corpus->stats;
  std::printf("files                 %d\n", s.files);
  std::printf("tunes seen (X:)       %d\n", s.tunes_seen);
  std::printf("rejected by reader    %d\n", s.rejected_by_reader);
  std::printf("rejected by tokenizer %d\n", s.rejected_by_tokenizer);
  for (const auto& [reason, n] : s.rejection_reasons) std::printf("  %4d  %s\n", n, reason.c_str());
  std::printf("duplicates dropped    %d  (same melody; chords and R: aside)\n", s.duplicates);
  std::printf("R: from file name    %d\n", s.rhythm_from_file);
  std::printf("kept                  %d  (train %d, valid %d, test %d)\n", s.kept, s.train, s.valid, s.test);
  std::printf("chord symbols         %d kept, %d dropped\n", s.chord_symbols_kept, s.chord_symbols_dropped);
  for (auto kind : {tokens::TokenizerKind::kAbcToken, tokens::TokenizerKind::kChar}) {
    auto vocab = corpus::BuildVocabulary(*corpus, kind);
    size_t total = 0;
    for (const auto& t : corpus->tunes) total += t.Tokens(kind).size();
    std::printf("%-9s vocabulary %4d tokens; %.1f tokens per tune (with <s> </s>)\n", tokens::TokenizerKindName(kind),
                vocab.size(), corpus->tunes.empty() ? 0.0 : static_cast<double>(total) / corpus->tunes.size());
  }
  std::printf("fingerprint           %s\n", corpus->Fingerprint().c_str());
  std::printf("load time             %.3f s\n", seconds);
  return kExitOk;
}

}  // namespace

void AddTokensCommand(CLI::App& app) {
  auto args = std::make_shared<TokensArgs>();
  auto* cmd = app.add_subcommand("tokens", "Print the token stream of every tune (one tune per line)");
  cmd->add_option("FILE", args->files,
                  "ABC files or folders (searched for *.abc; \"-\" is stdin); token files with --decode")
      ->required();
  cmd->add_flag("--char", args->chars, "Character tokens (the seed baseline) instead of abc tokens");
  cmd->add_flag("--ids", args->ids, "Print token ids instead of token strings");
  cmd->add_option("--vocab", args->vocab_file,
                  "Vocabulary file for --ids (as serialised in checkpoints); default: built from the tunes given");
  cmd->add_flag("--decode", args->decode, "Read token lines (as printed) and write the tunes as ABC");
  cmd->add_option("--key", args->key,
                  "With --decode: the key to write the tunes in, mode kept, e.g. G, Bb "
                  "(default: C for abc tokens, each tune's own key with --char)");
  cmd->add_flag("--stats", args->stats,
                "Load FILEs as a corpus and print counts, rejections, duplicates, splits and vocabulary sizes");
  cmd->footer("Exit status: 0 every tune printed, 1 some tune rejected or a file without any tune, 2 usage or a "
              "file that cannot be read as text (missing, binary, UTF-16, over 256 MiB); the other files are still read.");
  cmd->callback([args] {
    if (args->decode && (args->ids || args->stats)) {
      std::cerr << "tunesmith tokens: --decode takes token strings; it cannot be combined with --ids or --stats\n";
      throw ExitCode{kExitUsage};
    }
    int code = args->stats ? Stats(*args) : args->decode ? Decode(*args) : PrintTokens(*args);
    std::fflush(stdout);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
