#include "base/text.h"

#include <cstdio>

namespace tunesmith::base {
namespace {

// The length of the well-formed UTF-8 character at text[i], 0 when there is none.
size_t Utf8Length(std::string_view text, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

bool IsControl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }

template <typename Replace>
std::string Sanitise(std::string_view text, Replace replace) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = Utf8Length(text, i);
    const bool c1 = n == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
                    static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (n == 0 || c1 || (n == 1 && IsControl(static_cast<unsigned char>(text[i])))) {
      const size_t bad = n == 0 ? 1 : n;
      for (size_t k = 0; k < bad; ++k) replace(static_cast<unsigned char>(text[i + k]), &out);
      i += bad;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = Utf8Length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string TerminalSafe(std::string_view text) {
  return Sanitise(text, [](unsigned char c, std::string* out) {
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02X", c);
    *out += hex;
  });
}

std::string TerminalSafeSameWidth(std::string_view text) {
  return Sanitise(text, [](unsigned char, std::string* out) { *out += '?'; });
}

}  // namespace tunesmith::base
