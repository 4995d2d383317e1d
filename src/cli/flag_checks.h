// Range checks for number flags, run by CLI11 while it parses the command
// line, so that a bad value is answered before any work starts (no corpus
// read, no model loaded) with the accepted range in the message:
//   cmd->add_option("--epochs", n)->check(InRange(0, 100000));
//   --epochs: -3 is outside the accepted range 0 to 100000
// NaN, infinities and values too large for the flag's type are refused too.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

namespace tunesmith::cli {

template <typename T>
CLI::Validator InRange(T lo, T hi) {
  std::ostringstream range;
  range << lo << " to " << hi;
  const std::string text = range.str();
  return CLI::Validator(
      [lo, hi, text](std::string& value) -> std::string {
        errno = 0;
        char* end = nullptr;
        const long double v = std::strtold(value.c_str(), &end);
        if (value.empty() || end == value.c_str() || *end != '\0') return "'" + value + "' is not a number (accepted: " + text + ")";
        if (!std::isfinite(v) || errno == ERANGE || v < static_cast<long double>(lo) || v > static_cast<long double>(hi)) {
          return value + " is outside the accepted range " + text;
        }
        return std::string();
      },
      "in " + text, "RANGE");
}

}  // namespace tunesmith::cli
