// A Corpus is the tunes of one or more folders of ABC, read, normalised,
// de-duplicated and split into train/valid/test by a hash of each normalised
// tune: a tune never sits in two splits, and the split does not change when
// files are re-ordered or renamed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "abc/diagnostic.h"
#include "abc/tune.h"
#include "base/status.h"
#include "tokens/vocabulary.h"

namespace tunesmith::corpus {

enum class Split { kTrain, kValid, kTest };
const char* SplitName(Split s);  // "train", "valid", "test"

struct LoadOptions {
  double valid_fraction = 0.05;  // share of tunes in the validation split
  double test_fraction = 0.05;   // share of tunes in the test split
  // A tune without R: takes its rhythm from its file's name when that names
  // one (jigs.abc -> jig, reelsa-c.abc -> reel, hpps.abc -> hornpipe): the NMD
  // gives R: on its hornpipes only and files its tunes by rhythm instead.
  bool rhythm_from_file_name = true;
};

struct CorpusTune {
  abc::Tune tune;     // as read (own key, own L:)
  uint64_t hash = 0;  // of the normalised melody (tokens without chord symbols and R:);
                      // decides the split and finds duplicates
  Split split = Split::kTrain;
  // The tune's tokens, computed once while loading, without <s> and </s>:
  // abc-token tokens joined by single spaces (no token holds a space), and
  // the char tokenizer's text (one token per character).
  std::string abc_tokens;
  std::string char_text;

  // The token strings of `kind`, <s> ... </s> (what tokens::EncodeTune gives).
  std::vector<std::string> Tokens(tokens::TokenizerKind kind) const;
};

struct LoadStats {
  int files = 0;
  int tunes_seen = 0;  // X: lines met
  int rejected = 0;    // tunes the reader (or the tokenizer) could not take
  int rejected_by_reader = 0;
  int rejected_by_tokenizer = 0;
  std::map<std::string, int> rejection_reasons;  // tokenizer reason -> tunes
  int duplicates = 0;  // same melody after normalisation (chords and R: aside), dropped
  int rhythm_from_file = 0;  // tunes whose R: came from the file name
  int kept = 0;        // tunes in the corpus
  int train = 0, valid = 0, test = 0;
  int chord_symbols_kept = 0;     // as roman numerals, in the kept tunes
  int chord_symbols_dropped = 0;  // quoted text that is no chord tunesmith models ("D.C.", "(A7)")
};

struct Corpus {
  std::vector<CorpusTune> tunes;
  LoadStats stats;
  std::vector<abc::Diagnostic> diagnostics;  // what the reader said, per file, and the corpus's own notes

  // Hash of the sorted tune hashes with their splits: two corpora with the same
  // fingerprint hold the same tunes in the same splits. Stored in checkpoints.
  std::string Fingerprint() const;
};

// Reads every .abc file under each path (files or folders, recursively, in
// sorted order; a file named directly is read whatever its extension), drops
// the tunes the reader or the tokenizers reject and exact duplicates after
// normalisation (the first in path order is kept), and splits the rest.
// Diagnostics hold the reader's messages, one error per tune the tokenizer
// rejected and one warning per duplicate. Fails only when a path does not
// exist or cannot be read.
Result<Corpus> LoadCorpus(const std::vector<std::string>& paths, const LoadOptions& options = {});

// Token ids of every tune of one split, each sequence <s> ... </s>, in corpus order.
struct EncodedSplit {
  std::vector<std::vector<int32_t>> tunes;
  std::vector<int> corpus_index;  // tunes[i] is corpus.tunes[corpus_index[i]]
};

// The vocabulary of every tune of the corpus (all splits) for one tokenizer kind.
tokens::Vocabulary BuildVocabulary(const Corpus& corpus, tokens::TokenizerKind kind);

// Encodes every tune of `split` with `vocab` (its kind decides the tokenizer);
// tokens missing from `vocab` become <unk>.
EncodedSplit EncodeSplit(const Corpus& corpus, const tokens::Vocabulary& vocab, Split split);

}  // namespace tunesmith::corpus
