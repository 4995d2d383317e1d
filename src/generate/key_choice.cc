#include "generate/key_choice.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "abc/tune.h"

namespace tunesmith::generate {
namespace {

constexpr int kStepPitchClass[7] = {0, 2, 4, 5, 7, 9, 11};

std::string Group(const std::string& rhythm, const std::string& mode) { return rhythm + " " + mode; }

// The header tokens of a tune's abc tokens ("M:6/8 K:maj R:jig ...").
void HeaderOf(const std::string& abc_tokens, std::string* mode, std::string* rhythm) {
  std::istringstream in(abc_tokens);
  for (std::string t; in >> t;) {
    if (t.rfind("K:", 0) == 0 && mode->empty()) *mode = t;
    if (t.rfind("R:", 0) == 0 && rhythm->empty()) *rhythm = t;
    if (!mode->empty() && !rhythm->empty()) return;
  }
}

}  // namespace

std::string NoteNameString(tokens::NoteName n) {
  std::string s(1, "CDEFGAB"[((n.step % 7) + 7) % 7]);
  if (n.alter > 0) s += std::string(n.alter, '#');
  if (n.alter < 0) s += std::string(-n.alter, 'b');
  return s;
}

std::optional<tokens::NoteName> ParseNoteName(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const std::string letters = "CDEFGAB";
  const size_t step = letters.find(static_cast<char>(std::toupper(static_cast<unsigned char>(s[0]))));
  if (step == std::string::npos) return std::nullopt;
  tokens::NoteName n{static_cast<int>(step), 0};
  for (char c : s.substr(1)) {
    if (c == '#' && n.alter >= 0 && n.alter < 2) {
      ++n.alter;
    } else if (c == 'b' && n.alter <= 0 && n.alter > -2) {
      --n.alter;
    } else {
      return std::nullopt;
    }
  }
  return n;
}

int ShiftFromC(tokens::NoteName tonic) {
  int pc = (kStepPitchClass[((tonic.step % 7) + 7) % 7] + tonic.alter + 12) % 12;
  // abc::TransposeTo moves by the smallest interval, and a tritone up.
  if (pc > 6) pc -= 12;
  return pc;
}

void KeyTable::Add(const std::string& rhythm, const std::string& mode, tokens::NoteName tonic, int count) {
  counts_[Group(rhythm, mode)][NoteNameString(tonic)] += count;
}

KeyTable KeyTable::FromCorpus(const corpus::Corpus& corpus, corpus::Split split) {
  KeyTable table;
  for (const corpus::CorpusTune& t : corpus.tunes) {
    if (t.split != split) continue;
    std::string mode, rhythm;
    HeaderOf(t.abc_tokens, &mode, &rhythm);
    if (mode.empty() || rhythm.empty()) continue;
    table.Add(rhythm, mode, {t.tune.key.tonic_step, t.tune.key.tonic_alter});
  }
  return table;
}

std::string KeyTable::Serialize() const { return base::JsonText(nlohmann::json(counts_)); }

Result<KeyTable> KeyTable::Deserialize(std::string_view text) {
  KeyTable table;
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (!j.is_object()) return Status::Corruption("key table: expected a JSON object");
    for (const auto& [group, tonics] : j.items()) {
      const size_t space = group.find(' ');
      if (space == std::string::npos || group.rfind("R:", 0) != 0 || group.compare(space + 1, 2, "K:") != 0) {
        return Status::Corruption("key table: '" + group + "' is not 'R:<rhythm> K:<mode>'");
      }
      if (!tonics.is_object()) return Status::Corruption("key table: '" + group + "' is not an object");
      for (const auto& [name, count] : tonics.items()) {
        const auto tonic = ParseNoteName(name);
        if (!tonic || !count.is_number_integer() || count.get<int>() <= 0) {
          return Status::Corruption("key table: '" + group + "': bad entry '" + name + "'");
        }
        table.counts_[group][name] = count.get<int>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("key table: ") + e.what());
  }
  return table;
}

std::vector<std::pair<tokens::NoteName, int>> KeyTable::Tonics(const std::string& rhythm,
                                                               const std::string& mode) const {
  std::map<std::string, int> merged;
  auto gather = [&](auto&& keep) {
    merged.clear();
    int total = 0;
    for (const auto& [group, tonics] : counts_) {
      if (!keep(group)) continue;
      for (const auto& [name, n] : tonics) {
        merged[name] += n;
        total += n;
      }
    }
    return total;
  };
  const std::string exact = Group(rhythm, mode);
  if (gather([&](const std::string& g) { return g == exact; }) < kMinTunes &&
      gather([&](const std::string& g) { return g.size() > mode.size() && g.ends_with(" " + mode); }) < kMinTunes) {
    gather([](const std::string&) { return true; });
  }
  std::vector<std::pair<tokens::NoteName, int>> out;
  for (const auto& [name, n] : merged) out.emplace_back(*ParseNoteName(name), n);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

tokens::NoteName KeyTable::Draw(const std::string& rhythm, const std::string& mode, Rng& rng) const {
  const auto tonics = Tonics(rhythm, mode);
  int64_t total = 0;
  for (const auto& [n, count] : tonics) total += count;
  if (total == 0) return tokens::NoteName{};
  int64_t pick = static_cast<int64_t>(rng.Uniform() * static_cast<double>(total));
  for (const auto& [n, count] : tonics) {
    if (pick < count) return n;
    pick -= count;
  }
  return tonics.back().first;
}

Result<std::optional<KeyTable>> KeyTableFromExtras(const std::map<std::string, std::string>& extras) {
  const auto it = extras.find(kKeyTableExtraKey);
  if (it == extras.end()) return std::optional<KeyTable>();
  auto table = KeyTable::Deserialize(it->second);
  if (!table.ok()) return table.status();
  return std::optional<KeyTable>(std::move(table.value()));
}

tokens::NoteName KeyOfFragment(const std::vector<int>& letters,
                               const std::vector<std::pair<tokens::NoteName, int>>& candidates) {
  if (candidates.empty()) return tokens::NoteName{};
  tokens::NoteName best = candidates.front().first;
  int best_score = -1;
  for (const auto& [tonic, count] : candidates) {
    int score = 0;
    for (int letter : letters) {
      const int degree = ((letter - tonic.step) % 7 + 7) % 7;
      score += degree == 0 || degree == 2 || degree == 4;
    }
    if (score > best_score) {  // candidates come most frequent first: ties keep the earlier
      best_score = score;
      best = tonic;
    }
  }
  return best;
}

}  // namespace tunesmith::generate
