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
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace tunesmith::tokens {

enum class TokenizerKind { kAbcToken, kChar };
const char* TokenizerKindName(TokenizerKind k);  // "abc-token", "char"

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

  // One token per line after a "kind" line; the form stored in checkpoints.
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
