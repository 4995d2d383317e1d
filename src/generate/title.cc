#include "generate/title.h"

#include <array>
#include <cctype>
#include <random>

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

std::string Draft(std::mt19937_64& rng, std::string_view rhythm) {
  const std::string kind = RhythmWord(rhythm);
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

std::string TitleMaker::Make(uint64_t seed, std::string_view rhythm) const {
  std::mt19937_64 rng(seed ^ 0x7469746c65ull);  // "title": independent of the tune's own draws
  std::string title = Draft(rng, rhythm);
  for (int tries = 0; tries < 50 && avoid_.count(TitleKey(title)); ++tries) title = Draft(rng, rhythm);
  if (avoid_.count(TitleKey(title))) title += " (new)";
  return title;
}

}  // namespace tunesmith::generate
