#include "abc/chord_symbol.h"

#include <cctype>

#include "abc/tune.h"

namespace tunesmith::abc {
namespace {

constexpr int kNaturalPc[7] = {0, 2, 4, 5, 7, 9, 11};

struct QualitySpelling {
  std::string_view written;
  std::string_view canonical;
};

// Every suffix met in the corpora or common practice -> abc2midi's spelling.
// abc2midi has no 7b9 and no 13: those fall back to the plain seventh.
constexpr QualitySpelling kQualities[] = {
    {"", ""},          {"maj", ""},        {"M", ""},           {"m", "m"},         {"min", "m"},
    {"mi", "m"},       {"-", "m"},         {"7", "7"},          {"7b9", "7"},       {"13", "7"},
    {"9", "9"},        {"11", "11"},       {"m7", "m7"},        {"min7", "m7"},     {"-7", "m7"},
    {"maj7", "maj7"},  {"M7", "maj7"},     {"ma7", "maj7"},     {"6", "6"},         {"m6", "m6"},
    {"min6", "m6"},    {"m9", "m9"},       {"maj9", "maj9"},    {"dim", "dim"},     {"d", "dim"},
    {"o", "dim"},      {"dim7", "dim7"},   {"d7", "dim7"},      {"o7", "dim7"},     {"aug", "aug"},
    {"a", "aug"},      {"+", "aug"},       {"aug7", "aug7"},    {"a7", "aug7"},     {"+7", "aug7"},
    {"7+", "aug7"},    {"m7b5", "m7b5"},   {"sus", "sus4"},     {"sus4", "sus4"},   {"sus2", "sus2"},
    {"7sus4", "7sus4"}, {"5", "5"},
};

std::optional<std::string_view> CanonicalQuality(std::string_view q) {
  for (const auto& s : kQualities) {
    if (s.written == q) return s.canonical;
  }
  return std::nullopt;
}

std::string NoteText(int step, int alter) {
  std::string s(1, "CDEFGAB"[step]);
  if (alter > 0) s.append(alter, '#');
  if (alter < 0) s.append(-alter, 'b');
  return s;
}

}  // namespace

std::string ChordSymbol::ToString() const {
  std::string s = optional ? "(" : "";
  s += NoteText(root_step, root_alter);
  s += quality;
  if (has_bass) s += "/" + NoteText(bass_step, bass_alter);
  if (optional) s += ")";
  return s;
}

std::optional<ChordSymbol> ParseChordSymbol(std::string_view text) {
  ChordSymbol chord;
  std::string t;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) t += c;
  }
  if (t.empty()) return std::nullopt;
  if (t.front() == '(') chord.optional = true;
  std::erase_if(t, [](char c) { return c == '(' || c == ')'; });
  if (t.empty() || !std::isupper(static_cast<unsigned char>(t[0])) || StepOfLetter(t[0]) < 0) return std::nullopt;
  chord.root_step = StepOfLetter(t[0]);
  size_t i = 1;
  if (i < t.size() && (t[i] == '#' || t[i] == 'b')) {
    chord.root_alter = t[i] == '#' ? 1 : -1;
    ++i;
  }
  size_t slash = t.find('/', i);
  std::string_view quality = std::string_view(t).substr(i, slash == std::string::npos ? std::string::npos : slash - i);
  std::string_view after = slash == std::string::npos ? std::string_view() : std::string_view(t).substr(slash + 1);
  // The NMD's "G/dim" is G diminished; "E7/b9" is E7 with a flat ninth.
  if (slash != std::string::npos && quality.empty() && after == "dim") {
    quality = "dim";
    slash = std::string::npos;
  } else if (slash != std::string::npos && (after == "b9" || after == "9")) {
    quality = quality.empty() ? std::string_view("7") : quality;
    slash = std::string::npos;
  }
  auto canonical = CanonicalQuality(quality);
  if (!canonical) return std::nullopt;
  chord.quality = std::string(*canonical);
  if (slash != std::string::npos) {
    if (after.empty() || StepOfLetter(after[0]) < 0) return std::nullopt;
    chord.has_bass = true;
    chord.bass_step = StepOfLetter(after[0]);
    size_t j = 1;
    if (j < after.size()) {
      // '+' is the NMD's sharp ("D/f+"); '=' a natural.
      if (after[j] == '#' || after[j] == '+') chord.bass_alter = 1;
      else if (after[j] == 'b') chord.bass_alter = -1;
      else if (after[j] != '=') return std::nullopt;
      ++j;
    }
    if (j != after.size()) return std::nullopt;
    if (chord.bass_step == chord.root_step && chord.bass_alter == chord.root_alter) chord.has_bass = false;
  }
  return chord;
}

void MoveNoteName(int letters, int semitones, int* step, int* alter) {
  int from_pc = kNaturalPc[*step] + *alter;
  int new_step = ((*step + letters) % 7 + 7) % 7;
  int target = from_pc + semitones;
  int diff = ((target - kNaturalPc[new_step]) % 12 + 12) % 12;
  if (diff > 6) diff -= 12;
  *step = new_step;
  *alter = diff;
}

}  // namespace tunesmith::abc
