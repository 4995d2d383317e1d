#include "tokens/vocabulary.h"

#include <algorithm>
#include <array>

namespace tunesmith::tokens {
namespace {

constexpr std::array<const char*, 4> kSpecials = {"<pad>", "<s>", "</s>", "<unk>"};
constexpr std::string_view kKindPrefix = "kind ";

bool IsSpecial(std::string_view t) {
  return std::find(kSpecials.begin(), kSpecials.end(), t) != kSpecials.end();
}

// A character vocabulary holds "\n", " " and "\\": escaped so that every token
// is one visible line and trailing blanks cannot be lost.
std::string Escape(std::string_view t) {
  std::string out;
  for (char c : t) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case ' ': out += "\\s"; break;
      default: out += c;
    }
  }
  return out;
}

Result<std::string> Unescape(std::string_view line, int line_number) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\\') {
      out += line[i];
      continue;
    }
    if (++i == line.size()) {
      return Status::Corruption("vocabulary line " + std::to_string(line_number) + ": lone '\\' at the end");
    }
    switch (line[i]) {
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 's': out += ' '; break;
      default:
        return Status::Corruption("vocabulary line " + std::to_string(line_number) + ": unknown escape '\\" +
                             std::string(1, line[i]) + "'");
    }
  }
  return out;
}

}  // namespace

const char* TokenizerKindName(TokenizerKind k) {
  switch (k) {
    case TokenizerKind::kAbcToken: return "abc-token";
    case TokenizerKind::kChar: return "char";
  }
  return "?";
}

std::optional<TokenizerKind> ParseTokenizerKind(std::string_view name) {
  if (name == "abc-token") return TokenizerKind::kAbcToken;
  if (name == "char") return TokenizerKind::kChar;
  return std::nullopt;
}

Vocabulary::Vocabulary(TokenizerKind kind, std::vector<std::string> tokens) : kind_(kind) {
  std::erase_if(tokens, [](const std::string& t) { return IsSpecial(t); });
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  tokens_.reserve(tokens.size() + kSpecials.size());
  for (const char* s : kSpecials) tokens_.emplace_back(s);
  for (auto& t : tokens) tokens_.push_back(std::move(t));
  for (int32_t i = 0; i < size(); ++i) ids_.emplace(tokens_[i], i);
}

int32_t Vocabulary::Id(std::string_view token) const {
  auto it = ids_.find(std::string(token));
  return it == ids_.end() ? kUnkId : it->second;
}

bool Vocabulary::Contains(std::string_view token) const { return ids_.count(std::string(token)) > 0; }

std::vector<int32_t> Vocabulary::Ids(const std::vector<std::string>& tokens) const {
  std::vector<int32_t> ids;
  ids.reserve(tokens.size());
  for (const auto& t : tokens) ids.push_back(Id(t));
  return ids;
}

std::vector<std::string> Vocabulary::Tokens(const std::vector<int32_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int32_t id : ids) out.push_back(id >= 0 && id < size() ? tokens_[id] : tokens_.at(kUnkId));
  return out;
}

std::string Vocabulary::Serialize() const {
  std::string out = std::string(kKindPrefix) + TokenizerKindName(kind_) + "\n";
  for (const auto& t : tokens_) out += Escape(t) + "\n";
  return out;
}

Result<Vocabulary> Vocabulary::Deserialize(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (lines.empty() || !lines[0].starts_with(kKindPrefix)) {
    return Status::Corruption("vocabulary: the first line must be 'kind abc-token' or 'kind char'");
  }
  auto kind = ParseTokenizerKind(std::string_view(lines[0]).substr(kKindPrefix.size()));
  if (!kind) return Status::Corruption("vocabulary: unknown kind '" + lines[0].substr(kKindPrefix.size()) + "'");
  if (lines.size() < 1 + kSpecials.size()) return Status::Corruption("vocabulary: fewer than the four special tokens");

  std::vector<std::string> tokens;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto token = Unescape(lines[i], static_cast<int>(i + 1));
    if (!token.ok()) return token.status();
    size_t id = i - 1;
    if (id < kSpecials.size()) {
      if (*token != kSpecials[id]) {
        return Status::Corruption("vocabulary: id " + std::to_string(id) + " must be " + kSpecials[id] + ", found '" +
                             *token + "'");
      }
      continue;
    }
    if (!tokens.empty() && !(tokens.back() < *token)) {
      return Status::Corruption("vocabulary line " + std::to_string(i + 1) + ": tokens are not sorted or repeat ('" +
                           *token + "')");
    }
    if (IsSpecial(*token)) return Status::Corruption("vocabulary: special token '" + *token + "' repeated");
    tokens.push_back(std::move(token).value());
  }
  return Vocabulary(*kind, std::move(tokens));
}

}  // namespace tunesmith::tokens
