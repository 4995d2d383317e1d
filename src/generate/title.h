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

  // A title for a tune of R:`rhythm` ("jig", "reel", "other", ...) in meter
  // `meter` ("6/8"; "" when unknown), from `seed`. A title that names a
  // dance names the one the tune is (DanceWord). One maker never gives the
  // same title twice (TitleKey): a repeat, like a training tune's title, is
  // drawn again, so a batch's titles depend on the tunes before them; when
  // every draw is taken, " No. 2", " No. 3" ... tells them apart.
  std::string Make(uint64_t seed, std::string_view rhythm, std::string_view meter = "");

  // The dance a title may name for such a tune: "Jig", "Slip Jig", "Reel",
  // "Hornpipe", "Waltz" ...; "" when the rhythm is other or unknown, or when
  // the meter is not one that rhythm has in the corpus (a 6/8 tune is never
  // called a reel; generate::RhythmHasMeter).
  static std::string DanceWord(std::string_view rhythm, std::string_view meter);

  // Lower case letters and digits only: "The Lark's Nest" -> "thelarksnest".
  static std::string TitleKey(std::string_view title);

 private:
  bool Taken(const std::string& title) const;

  std::unordered_set<std::string> avoid_;
  std::unordered_set<std::string> given_;  // keys of the titles this maker gave
};

}  // namespace tunesmith::generate
