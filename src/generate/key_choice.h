// The key a generated tune is written in. The model writes every tune in
// root C (docs/tokens.md); the tune is then moved to a key. Without --key,
// the key is drawn from what the training tunes of the same rhythm and mode
// were written in (most jigs and reels in D, G, A or E minor...), a table
// `train` stores in the checkpoint (extras kKeyTableExtraKey) so that the
// choice needs no corpus.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "corpus/corpus.h"
#include "generate/sampler.h"
#include "tokens/chord_symbol.h"

namespace tunesmith::generate {

// The checkpoint extras key under which the key table is stored.
inline constexpr char kKeyTableExtraKey[] = "key-table";

class KeyTable {
 public:
  // Counts the tonic of every tune of `split`, by its rhythm and mode tokens.
  static KeyTable FromCorpus(const corpus::Corpus& corpus, corpus::Split split);
  // One JSON object: {"R:jig K:maj": {"D": 120, "G": 88, ...}, ...}.
  std::string Serialize() const;
  // Fails, saying why, on anything Serialize would not write.
  static Result<KeyTable> Deserialize(std::string_view text);

  bool empty() const { return counts_.empty(); }
  // The tonics of tunes with this rhythm and mode token ("R:jig", "K:min"),
  // most frequent first; when fewer than kMinTunes have both, the tunes of
  // the mode whatever the rhythm; then every tune.
  std::vector<std::pair<tokens::NoteName, int>> Tonics(const std::string& rhythm, const std::string& mode) const;
  // A tonic drawn in proportion to Tonics(rhythm, mode); C when the table is empty.
  tokens::NoteName Draw(const std::string& rhythm, const std::string& mode, Rng& rng) const;

  static constexpr int kMinTunes = 20;

  void Add(const std::string& rhythm, const std::string& mode, tokens::NoteName tonic, int count = 1);

 private:
  std::map<std::string, std::map<std::string, int>> counts_;  // "R:jig K:maj" -> "D" -> tunes
};

// The table stored in a checkpoint's extras: nullopt when there is none (a
// model trained before tables existed), an error when it is damaged.
Result<std::optional<KeyTable>> KeyTableFromExtras(const std::map<std::string, std::string>& extras);

// "D", "Bb", "F#" and back (ParseNoteName: nullopt for anything else).
std::string NoteNameString(tokens::NoteName n);
std::optional<tokens::NoteName> ParseNoteName(std::string_view s);

// The semitones the tokens' root-C tune moves by when it is written on
// `tonic` (the smallest interval, as abc::TransposeTo moves it): D +2, G -5.
int ShiftFromC(tokens::NoteName tonic);

// The key of an ABC fragment given without --key (a --prime): the candidate
// tonic (from `candidates`, most frequent first) whose tonic triad holds the
// most of the fragment's notes, counted by letter (`letters`: 0 = C .. 6 = B,
// one per note), ties to the more frequent. "G2B d2B c2A" is in G.
tokens::NoteName KeyOfFragment(const std::vector<int>& letters,
                               const std::vector<std::pair<tokens::NoteName, int>>& candidates);

}  // namespace tunesmith::generate
