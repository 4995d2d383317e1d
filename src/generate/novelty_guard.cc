#include "generate/novelty_guard.h"

#include "abc/timeline.h"

namespace tunesmith::generate {

std::string NoveltyBlobFor(const corpus::Corpus& corpus) {
  return corpus::BuildNoveltyIndex(corpus, corpus::Split::kTrain).Serialize(/*include_notes=*/true);
}

Result<std::optional<corpus::NoveltyIndex>> NoveltyIndexFromExtras(const std::map<std::string, std::string>& extras) {
  auto found = extras.find(kNoveltyExtraKey);
  if (found == extras.end()) return std::optional<corpus::NoveltyIndex>();
  auto index = corpus::NoveltyIndex::Deserialize(found->second);
  if (!index.ok()) return Status::Corruption("the checkpoint's novelty index is damaged: " + index.status().message());
  return std::optional<corpus::NoveltyIndex>(std::move(index.value()));
}

const corpus::NoveltyIndex& NoveltyGuard::Tracker::Empty() {
  static const corpus::NoveltyIndex empty;
  return empty;
}

void NoveltyGuard::Tracker::Push(const std::string& token) {
  if (auto bar = hasher_.Push(token); bar && has_index_) matcher_.Push(*bar);
}

int NoveltyGuard::Tracker::RunIfClosed() const {
  if (!has_index_) return 0;
  auto pending = hasher_.Pending();
  return pending ? matcher_.Peek(*pending).length : 0;
}

bool NoveltyGuard::Filter(const Tracker& tracker, const GrammarRules& rules, std::vector<uint8_t>* allowed) const {
  if (!index_) return false;
  bool any_bar = false;
  for (int32_t id = 0; id < static_cast<int32_t>(allowed->size()); ++id) {
    if ((*allowed)[id] && rules.info(id).token.cls == tokens::TokenClass::kBar) any_bar = true;
  }
  if (!any_bar || tracker.RunIfClosed() <= threshold_) return false;
  for (int32_t id = 0; id < static_cast<int32_t>(allowed->size()); ++id) {
    if (rules.info(id).token.cls == tokens::TokenClass::kBar) (*allowed)[id] = 0;
  }
  return true;
}

}  // namespace tunesmith::generate
