// Titles for generated tunes, in the manner of the tradition ("The Windy
// Harbour", "Maggie's Fancy", "The Lark on the Hill Jig") from word lists and
// patterns of our own: the same seed gives the same title, and a title that
// happens to equal a training tune's (case and punctuation aside) is drawn again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

namespace tunesmith::generate {

class TitleMaker {
 public:
  // `avoid`: titles not to give (the training tunes'), compared by TitleKey.
  explicit TitleMaker(std::unordered_set<std::string> avoid = {}) : avoid_(std::move(avoid)) {}

  // A title for a tune of `rhythm` ("jig", "reel", "other", ...), from `seed`.
  std::string Make(uint64_t seed, std::string_view rhythm) const;

  // Lower case letters and digits only: "The Lark's Nest" -> "thelarksnest".
  static std::string TitleKey(std::string_view title);

 private:
  std::unordered_set<std::string> avoid_;
};

}  // namespace tunesmith::generate
