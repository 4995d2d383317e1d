#include "generate/title.h"

#include <array>
#include <cctype>
#include <random>

#include "generate/grammar_mask.h"

namespace tunesmith::generate {
namespace {

constexpr std::array kAdjectives = {
    "Windy", "Green", "Silver", "Crooked", "Merry", "Lonesome", "Golden", "Rocky", "Morning", "Hidden",
    "Wandering", "Quiet", "Stony", "Bonny", "Old", "Frosty", "Rambling", "Lively", "Misty", "Briar",
    "Humble", "Tipsy", "Copper", "Dusty", "Long", "Sunny", "Heather", "Salty", "Restless", "Gentle"};
constexpr std::array kNouns = {
    "Harbour", "Meadow", "Lark", "Ferry", "Mill", "Kettle", "Lantern", "Hollow", "Causeway", "Orchard",
    "Fiddler", "Piper", "Drover", "Weaver", "Tinker", "Heron", "Thistle", "Bridge", "Chimney", "Lighthouse",
    "Haystack", "Curlew", "Spinning Wheel", "Boatman", "Crossroads", "Turf Fire", "Blackbird", "Cobbler",
    "Market", "Hedgerow"};
constexpr std::array kPlaces = {
    "the Hill", "the Glen", "the Shore", "the Moor", "the Green", "the Strand", "the Valley", "the Fair",
    "the Harvest", "the Kitchen", "the Island", "the Bog", "the Lough", "the River", "the Station",
    "Ballyfinn", "Kilcarra", "Dunmorrow", "Carrigeen", "Ashgrove", "Larkhill", "Tullavee", "Westerby"};
constexpr std::array kPeople = {
    "Maggie", "Johnny", "Nora", "Paddy", "Biddy", "Jamie", "Kitty", "Tom", "Molly", "Sean",
    "Peggy", "Willie", "Annie", "Dermot", "Rosie", "Ned", "Bridget", "Davy", "Sally", "Martin"};
constexpr std::array kKeepsakes = {
    "Fancy", "Delight", "Favourite", "Farewell", "Return", "Welcome", "Lament", "Wedding",
    "Frolic", "Rambles", "Fiddle", "Boots", "Cap", "Whistle", "Dream"};

template <typename Array>
std::string Pick(const Array& words, std::mt19937_64& rng) {
  return words[rng() % words.size()];
}

std::string RhythmWord(std::string_view rhythm) {
  if (rhythm == "jig") return "Jig";
  if (rhythm == "slip-jig") return "Slip Jig";
  if (rhythm == "reel") return "Reel";
  if (rhythm == "hornpipe") return "Hornpipe";
  if (rhythm == "waltz") return "Waltz";
  if (rhythm == "polka") return "Polka";
  if (rhythm == "slide") return "Slide";
  if (rhythm == "march") return "March";
  if (rhythm == "strathspey") return "Strathspey";
  if (rhythm == "air") return "Air";
  if (rhythm == "mazurka") return "Mazurka";
  if (rhythm == "schottische") return "Schottische";
  return "";
}

std::string Draft(std::mt19937_64& rng, const std::string& kind) {
  switch (rng() % 7) {
    case 0: return "The " + Pick(kAdjectives, rng) + " " + Pick(kNouns, rng);
    case 1: return Pick(kPeople, rng) + "'s " + Pick(kKeepsakes, rng);
    case 2: return "The " + Pick(kNouns, rng) + " of " + Pick(kPlaces, rng);
    case 3: return "The " + Pick(kNouns, rng) + " on " + Pick(kPlaces, rng);
    case 4: return kind.empty() ? "The " + Pick(kAdjectives, rng) + " " + Pick(kNouns, rng)
                                : "The " + Pick(kNouns, rng) + " " + kind;
    case 5: return "Down by " + Pick(kPlaces, rng);
    default: return "The " + Pick(kAdjectives, rng) + " " + Pick(kNouns, rng) + (kind.empty() ? "" : " " + kind);
  }
}

}  // namespace

std::string TitleMaker::TitleKey(std::string_view title) {
  std::string key;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

std::string TitleMaker::DanceWord(std::string_view rhythm, std::string_view meter) {
  const size_t slash = meter.find('/');
  if (slash != std::string_view::npos) {
    int num = 0, den = 0;
    for (char c : meter.substr(0, slash)) num = std::isdigit(static_cast<unsigned char>(c)) ? num * 10 + (c - '0') : -1;
    for (char c : meter.substr(slash + 1)) den = std::isdigit(static_cast<unsigned char>(c)) ? den * 10 + (c - '0') : -1;
    if (num <= 0 || den <= 0 || !RhythmHasMeter(rhythm, num, den)) return "";
  }
  return RhythmWord(rhythm);
}

bool TitleMaker::Taken(const std::string& title) const {
  const std::string key = TitleKey(title);
  return avoid_.count(key) > 0 || given_.count(key) > 0;
}

std::string TitleMaker::Make(uint64_t seed, std::string_view rhythm, std::string_view meter) {
  std::mt19937_64 rng(seed ^ 0x7469746c65ull);  // "title": independent of the tune's own draws
  const std::string kind = DanceWord(rhythm, meter);
  std::string title = Draft(rng, kind);
  for (int tries = 0; tries < 50 && Taken(title); ++tries) title = Draft(rng, kind);
  if (Taken(title)) {
    const std::string base = title;
    for (int n = 2; Taken(title); ++n) title = base + " No. " + std::to_string(n);
  }
  given_.insert(TitleKey(title));
  return title;
}

}  // namespace tunesmith::generate
