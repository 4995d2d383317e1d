// A Vocabulary maps token strings to dense ids. It is built from the training
// corpus (sorted, so the same corpus always gives the same ids), saved in every
// checkpoint, and read back from there: a model and its vocabulary never part.
//
// Two kinds exist: kAbcToken (the musical tokens of DESIGN.md: "M:6/8",
// "K:dor", "R:jig", "^F", "c'", "/2", "3", "|:", "\"V7\"", ...) and kChar (the
// seed project's character-level baseline: one token per character of ABC text).
// Ids 0..3 are always <pad>, <s>, </s>, <unk>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace tunesmith::tokens {

enum class TokenizerKind { kAbcToken, kChar };
const char* TokenizerKindName(TokenizerKind k);  // "abc-token", "char"
// The inverse of TokenizerKindName; nullopt for any other name.
std::optional<TokenizerKind> ParseTokenizerKind(std::string_view name);

inline constexpr int32_t kPadId = 0;
inline constexpr int32_t kBosId = 1;
inline constexpr int32_t kEosId = 2;
inline constexpr int32_t kUnkId = 3;

class Vocabulary {
 public:
  Vocabulary() = default;
  // The four specials followed by `tokens` (sorted, duplicates and specials removed).
  Vocabulary(TokenizerKind kind, std::vector<std::string> tokens);

  TokenizerKind kind() const { return kind_; }
  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }
  // kUnkId when the token is not in the vocabulary.
  int32_t Id(std::string_view token) const;
  bool Contains(std::string_view token) const;
  const std::string& Token(int32_t id) const { return tokens_.at(id); }
  const std::vector<std::string>& tokens() const { return tokens_; }
  // Id of each token (<unk> for unknown ones) and back (<unk> for ids out of range).
  std::vector<int32_t> Ids(const std::vector<std::string>& tokens) const;
  std::vector<std::string> Tokens(const std::vector<int32_t>& ids) const;

  // One token per line after a "kind" line; the form stored in checkpoints:
  //   kind abc-token        (or: kind char)
  //   <pad>                 id 0, then <s>, </s>, <unk>, then the sorted tokens
  // Escapes keep every token on one visible line (the char vocabulary holds
  // newline and space): backslash is written \\, newline \n, CR \r, tab \t,
  // space \s. Deserialize checks the specials, the order and the escapes,
  // and fails naming the line at fault.
  std::string Serialize() const;
  static Result<Vocabulary> Deserialize(std::string_view text);

  friend bool operator==(const Vocabulary& a, const Vocabulary& b) {
    return a.kind_ == b.kind_ && a.tokens_ == b.tokens_;
  }

 private:
  TokenizerKind kind_ = TokenizerKind::kAbcToken;
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int32_t> ids_;
};

}  // namespace tunesmith::tokens
