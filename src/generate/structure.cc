#include "generate/structure.h"

#include <cctype>
#include <set>

#include "abc/timeline.h"
#include "tokens/tokenizer.h"

namespace tunesmith::generate {

using abc::BarKind;
using abc::Rational;

std::string Structure::ToString() const {
  if (free()) return "free form";
  std::string letters;
  for (const Part& p : parts) letters += p.repeated ? std::string(2, p.letter) : std::string(1, p.letter);
  return letters + ", " + std::to_string(bars_per_part) + " bars per part";
}

Result<Structure> ParseStructure(std::string_view parts, int bars) {
  Structure s;
  if (parts.empty() && bars <= 0) return s;
  if (bars < 0 || bars > 64) return Status::InvalidArgument("--bars must be between 1 and 64, not " + std::to_string(bars));
  s.bars_per_part = bars > 0 ? bars : 8;
  if (parts.empty()) {
    s.parts.push_back({'A', false});
    return s;
  }
  const std::string accepted =
      " (letters A-Z, each once or twice in a row: a doubled letter is a repeated part, e.g. AABB, AB, AABBCC, AAB)";
  std::set<char> used;
  for (size_t i = 0; i < parts.size();) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(parts[i])));
    if (c < 'A' || c > 'Z') return Status::InvalidArgument("--parts '" + std::string(parts) + "': '" + parts[i] + "' is not a part letter" + accepted);
    size_t run = 1;
    while (i + run < parts.size() && std::toupper(static_cast<unsigned char>(parts[i + run])) == c) ++run;
    if (run > 2) return Status::InvalidArgument("--parts '" + std::string(parts) + "': part " + c + " more than twice in a row" + accepted);
    if (!used.insert(c).second) {
      return Status::InvalidArgument("--parts '" + std::string(parts) + "': part " + c +
                           " comes back after another part; only runs are supported" + accepted);
    }
    s.parts.push_back({c, run == 2});
    i += run;
  }
  return s;
}

namespace {

// One stretch between two bar lines of the decoded tune.
struct Segment {
  Rational length;           // sounding, whole notes
  BarKind close = BarKind::kSingle;
  bool closed = false;       // a bar line ends it (not the end of the tune)
  int ending = 0;            // the ending mark that starts it (1, 2), 0 if none
};

bool IsStructural(BarKind k) { return k != BarKind::kSingle; }

}  // namespace

Status CheckStructure(const std::vector<std::string>& tokens, const Structure& structure) {
  if (structure.free()) return Status::Ok();
  auto tune = tokens::DecodeTune(tokens, tokens::TokenizerKind::kAbcToken);
  if (!tune.ok()) return tune.status();
  const auto bar = tune->meter.BarLength();
  if (!bar) return Status::InvalidArgument("free meter");
  const std::vector<Rational> lengths = abc::SoundingLengths(*tune);

  std::vector<Segment> segs;
  Segment cur;
  for (size_t i = 0; i < tune->body.size(); ++i) {
    const abc::Element& e = tune->body[i];
    if (e.kind == abc::ElementKind::kBar) {
      cur.close = e.bar;
      cur.closed = true;
      segs.push_back(cur);
      cur = Segment();
    } else if (e.kind == abc::ElementKind::kEnding) {
      cur.ending = e.text == "1" ? 1 : e.text == "2" ? 2 : 9;
    } else {
      cur.length += lengths[i];
    }
  }
  if (cur.length > Rational(0) || cur.ending) segs.push_back(cur);

  const int n = structure.bars_per_part;
  size_t k = 0;
  auto where = [&](const std::string& what) {
    return Status::InvalidArgument(what + " (at bar line " + std::to_string(k + 1) + " of " + std::to_string(segs.size()) + ")");
  };
  // A leading |: with nothing before it opens the first part.
  bool open_repeat = false;
  if (k < segs.size() && segs[k].length == Rational(0) && segs[k].close == BarKind::kRepeatStart) {
    open_repeat = true;
    ++k;
  }
  Rational pickup(0);
  if (k < segs.size() && segs[k].length > Rational(0) && segs[k].length < *bar) {
    pickup = segs[k].length;
    if (segs[k].close != BarKind::kSingle) return where("the pickup bar is not closed by |");
    ++k;
  }
  auto bar_ok = [&](const Segment& s, bool last_of_region) {
    return s.length == *bar || (last_of_region && pickup > Rational(0) && s.length == *bar - pickup);
  };
  bool ended_short = false;  // the last part ended on the complement of the pickup
  for (size_t p = 0; p < structure.parts.size(); ++p) {
    const Structure::Part& part = structure.parts[p];
    const std::string name = std::string("part ") + part.letter;
    // The first part's repeat may open implicitly at the start of the tune.
    if (part.repeated && !open_repeat && p > 0) return where(name + " is repeated but does not start with |: or ::");
    if (!part.repeated && open_repeat) return where(name + " is played once but starts with a repeat sign");
    // After a part that ended on the complement, the next starts with the pickup again.
    if (ended_short && k < segs.size() && segs[k].length == pickup && segs[k].ending == 0) {
      if (segs[k].close != BarKind::kSingle) return where(name + ": its pickup is not closed by |");
      ++k;
    }
    // Count bars up to the bar line that ends the part (or its first ending).
    int main_bars = 0, e1 = 0, e2 = 0;
    int region = 0;  // 0 main, 1 first ending, 2 second ending
    BarKind closing = BarKind::kSingle;
    for (;;) {
      if (k >= segs.size()) return where(name + " is cut short by the end of the tune");
      const Segment& s = segs[k];
      if (s.ending == 1) {
        if (region != 0 || !part.repeated) return where(name + ": an unexpected first ending");
        region = 1;
      } else if (s.ending == 2) {
        if (region != 1 || closing != BarKind::kRepeatEnd) return where(name + ": a second ending not after :|");
        region = 2;
      } else if (s.ending != 0) {
        return where(name + ": an ending other than [1 and [2");
      }
      if (s.length == Rational(0)) return where(name + ": an empty bar");
      const bool ends_region = !s.closed || IsStructural(s.close);
      if (!bar_ok(s, ends_region)) {
        return where(name + ": a bar of " + (s.length * Rational(8)).ToString() + " eighths where the meter has " +
                     (*bar * Rational(8)).ToString());
      }
      (region == 0 ? main_bars : region == 1 ? e1 : e2)++;
      ++k;
      if (!s.closed) return where(name + ": the tune ends without a bar line");
      closing = s.close;
      ended_short = s.length != *bar;
      if (!IsStructural(s.close)) continue;
      if (region == 1) {
        if (s.close != BarKind::kRepeatEnd) return where(name + ": the first ending does not end with :|");
        continue;  // the second ending follows
      }
      break;
    }
    const bool has_endings = region == 2;
    if (has_endings) {
      if (e1 != e2) return where(name + ": endings of " + std::to_string(e1) + " and " + std::to_string(e2) + " bars");
      if (main_bars + e1 != n) return where(name + " has " + std::to_string(main_bars + e1) + " bars, not " + std::to_string(n));
    } else if (main_bars != n) {
      return where(name + " has " + std::to_string(main_bars) + " bars, not " + std::to_string(n));
    }
    const bool last = p + 1 == structure.parts.size();
    const bool next_repeated = !last && structure.parts[p + 1].repeated;
    if (part.repeated && !has_endings) {
      if (closing != BarKind::kRepeatEnd && closing != BarKind::kRepeatBoth) {
        return where(name + " is repeated but does not end with :| or ::");
      }
    } else if (closing == BarKind::kRepeatEnd || closing == BarKind::kRepeatBoth) {
      return where(name + " ends with a repeat sign although it is played once (or after its second ending)");
    }
    open_repeat = closing == BarKind::kRepeatBoth || closing == BarKind::kRepeatStart;
    // A |: standing alone right after the closing bar line.
    if (!open_repeat && k < segs.size() && segs[k].length == Rational(0) && segs[k].close == BarKind::kRepeatStart) {
      open_repeat = true;
      ++k;
    }
    if (last && open_repeat) return where("the tune ends with an open repeat");
    if (!last && next_repeated != open_repeat) {
      return where(std::string("part ") + structure.parts[p + 1].letter +
                   (next_repeated ? " should open with a repeat sign" : " should not open with a repeat sign"));
    }
  }
  if (k < segs.size()) return where("music after the last part");
  return Status::Ok();
}

}  // namespace tunesmith::generate
