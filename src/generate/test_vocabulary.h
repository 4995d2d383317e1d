// For tests: a vocabulary like the one the corpus gives (meters, modes,
// rhythms, pitches over two and a half octaves with accidentals, durations,
// every bar kind, endings, tuplets, broken rhythm, chords, chord symbols).
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "tokens/vocabulary.h"

namespace tunesmith::generate::testing {

inline tokens::Vocabulary TestVocabulary() {
  std::vector<std::string> t = {
      "M:4/4", "M:6/8", "M:3/4", "M:2/4", "M:9/8", "M:2/2", "M:12/8", "M:3/8",
      "K:maj", "K:min", "K:dor", "K:mix",
      "R:jig", "R:reel", "R:hornpipe", "R:waltz", "R:slip-jig", "R:other",
      "[M:2/4]", "[K:Gmaj]",
      "G,", "A,", "B,", "C", "D", "E", "F", "G", "A", "B", "c", "d", "e", "f", "g", "a", "b", "c'", "d'", "e'",
      "^F", "^f", "^c", "^G", "_B", "_b", "_e", "=B", "=f", "=c",
      "2", "3", "4", "6", "8", "/2", "3/2", "/4", "3/4", "7/2", "12",
      "|", "||", "|]", "|:", ":|", "::", "[1", "[2", "[3",
      "(3", "(2", "(4", "(5:2:5", ">", "<", ">>", "<<",
      "[", "]", "-", "z",
      "\"I\"", "\"IV\"", "\"V7\"", "\"ii\"", "\"vi\"", "\"i\"", "\"bVII\"", "\"I7\"", "\"i7\"", "\"io\"",
      "\"I/3\"",
  };
  return tokens::Vocabulary(tokens::TokenizerKind::kAbcToken, t);
}

// "M:6/8 K:maj R:jig A 2" -> its tokens.
inline std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

}  // namespace tunesmith::generate::testing
