#include "abc/tune_equality.h"

#include <algorithm>
#include <sstream>

namespace tunesmith::abc {
namespace {

// Header fields other than the ones the Tune holds parsed (X, M, L, K), in a
// stable order by letter: the writer groups them by letter.
std::vector<std::pair<char, std::string>> OtherFields(const Tune& t) {
  std::vector<std::pair<char, std::string>> fields;
  for (const Field& f : t.header) {
    if (f.key == 'X' || f.key == 'M' || f.key == 'L' || f.key == 'K') continue;
    fields.emplace_back(f.key, f.value);
  }
  std::stable_sort(fields.begin(), fields.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return fields;
}

std::vector<const Element*> Music(const Tune& t) {
  std::vector<const Element*> out;
  for (const Element& e : t.body) {
    if (e.kind != ElementKind::kLineBreak) out.push_back(&e);
  }
  return out;
}

std::string Where(const Element& e) {
  return "element at " + std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column);
}

// First difference between two elements, "" if none.
std::string Compare(const Element& a, const Element& b, bool compare_blanks) {
  if (a.kind != b.kind) return "kind differs";
  switch (a.kind) {
    case ElementKind::kNote:
    case ElementKind::kRest:
      if (a.pitches != b.pitches) return "pitches differ";
      if (a.length != b.length) return "length " + a.length.ToString() + " vs " + b.length.ToString();
      if (a.tie != b.tie) return "tie differs";
      if (a.invisible != b.invisible) return "invisible differs";
      if (compare_blanks && a.space_before != b.space_before) return "space before differs";
      if (a.chord_symbol != b.chord_symbol) return "chord symbol '" + a.chord_symbol + "' vs '" + b.chord_symbol + "'";
      if (a.annotations != b.annotations) return "annotations differ";
      if (a.decorations != b.decorations) return "decorations differ";
      if (a.grace_notes != b.grace_notes || a.grace_lengths != b.grace_lengths) return "grace notes differ";
      return "";
    case ElementKind::kBar:
      return a.bar == b.bar ? "" : "bar kind differs";
    case ElementKind::kEnding:
    case ElementKind::kPart:
      return a.text == b.text ? "" : "text '" + a.text + "' vs '" + b.text + "'";
    case ElementKind::kTuplet:
      return a.tuplet == b.tuplet ? "" : "tuplet differs";
    case ElementKind::kBrokenRhythm:
      return a.broken == b.broken ? "" : "broken rhythm differs";
    case ElementKind::kField:
      if (a.field_key != b.field_key) return "field letter differs";
      if (a.key != b.key) return "key differs";
      if (a.meter != b.meter) return "meter differs";
      if (!a.key && !a.meter && a.text != b.text) return "field text '" + a.text + "' vs '" + b.text + "'";
      return "";
    case ElementKind::kSlurStart:
    case ElementKind::kSlurEnd:
    case ElementKind::kLineBreak:
      return "";
  }
  return "";
}

}  // namespace

bool SameTune(const Tune& a, const Tune& b, std::string* why, bool compare_blanks) {
  auto fail = [&](const std::string& message) {
    if (why) *why = message;
    return false;
  };
  if (a.x != b.x) return fail("X: " + std::to_string(a.x) + " vs " + std::to_string(b.x));
  if (!(a.meter == b.meter)) return fail("meter " + a.meter.ToString() + " vs " + b.meter.ToString());
  if (!(a.key == b.key)) return fail("key " + a.key.ToString() + " vs " + b.key.ToString());
  auto fa = OtherFields(a), fb = OtherFields(b);
  if (fa != fb) {
    for (size_t i = 0; i < std::min(fa.size(), fb.size()); ++i) {
      if (fa[i] != fb[i])
        return fail(std::string("header field ") + fa[i].first + ":" + fa[i].second + " vs " + fb[i].first + ":" + fb[i].second);
    }
    return fail("header fields: " + std::to_string(fa.size()) + " vs " + std::to_string(fb.size()));
  }
  auto ma = Music(a), mb = Music(b);
  for (size_t i = 0; i < std::min(ma.size(), mb.size()); ++i) {
    std::string d = Compare(*ma[i], *mb[i], compare_blanks);
    if (!d.empty()) return fail(Where(*ma[i]) + " (element " + std::to_string(i) + "): " + d);
  }
  if (ma.size() != mb.size())
    return fail("body has " + std::to_string(ma.size()) + " vs " + std::to_string(mb.size()) + " elements");
  return true;
}

}  // namespace tunesmith::abc
