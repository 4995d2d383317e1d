// Typed reads from a report.json object for the writers (HTML, Markdown).
// Every section and key is optional: a missing or null one reads as
// nullopt/nullptr and prints as "not measured". A key of the wrong type
// throws ReportError naming its path ("likelihood.bits_per_token must be a
// number, found string"); the writers turn it into a Status at their edge.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tunesmith::report {

class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `at` is the path of `obj` in the report ("" for the top), for messages.
// A null `obj` reads as empty.
const nlohmann::json* Member(const nlohmann::json* obj, std::string_view key);
std::optional<double> Number(const nlohmann::json* obj, std::string_view key, std::string_view at);
std::optional<std::string> Text(const nlohmann::json* obj, std::string_view key, std::string_view at);
std::optional<bool> Flag(const nlohmann::json* obj, std::string_view key, std::string_view at);
const nlohmann::json* Object(const nlohmann::json* obj, std::string_view key, std::string_view at);
const nlohmann::json* Array(const nlohmann::json* obj, std::string_view key, std::string_view at);

// "at.key", or "key" at the top.
std::string KeyPath(std::string_view at, std::string_view key);
// "at[i]".
std::string IndexPath(std::string_view at, std::size_t i);

// A number for a table: FormatNumber with `decimals`, or "—" when absent.
std::string Cell(std::optional<double> value, int decimals);
// "n/d (p%)" with one decimal of percent (two below 1%), "n/d" when d is 0, "—" when either is absent.
std::string CountOf(std::optional<double> n, std::optional<double> d);

}  // namespace tunesmith::report
