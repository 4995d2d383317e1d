#include "generate/permission_links.h"

#include <algorithm>

#include "tokens/vocabulary.h"

namespace tunesmith::generate {
namespace {

bool Any(const std::vector<uint8_t>& allowed) { return std::find(allowed.begin(), allowed.end(), 1) != allowed.end(); }

}  // namespace

LinkVerdict SpecialsLink::Apply(Candidates& c, Rng&) const {
  for (int32_t id : {tokens::kPadId, tokens::kBosId, tokens::kUnkId}) {
    if (id < static_cast<int32_t>(c.allowed.size())) c.allowed[id] = 0;
  }
  return Any(c.allowed) ? LinkVerdict::kGo : LinkVerdict::kNothingAllowed;
}

LinkVerdict GrammarMaskLink::Apply(Candidates& c, Rng&) const {
  std::vector<uint8_t> mask;
  state_.Allowed(&mask);
  for (size_t i = 0; i < c.allowed.size(); ++i) c.allowed[i] = c.allowed[i] && i < mask.size() && mask[i];
  return Any(c.allowed) ? LinkVerdict::kGo : LinkVerdict::kNothingAllowed;
}

NoveltyGuardLink::NoveltyGuardLink(const NoveltyGuard* guard, const GrammarRules* rules)
    : guard_(guard), rules_(rules), tracker_(guard->Start()) {
  tracker_.Push("<s>");
}

LinkVerdict NoveltyGuardLink::Apply(Candidates& c, Rng&) const {
  if (blocking_ && guard_->Filter(tracker_, *rules_, &c.allowed) && !Any(c.allowed)) return LinkVerdict::kBlocked;
  return LinkVerdict::kGo;
}

Status NoveltyGuardLink::Accept(int32_t id) {
  tracker_.Push(rules_->vocabulary().Token(id));
  return Status::Ok();
}

}  // namespace tunesmith::generate
