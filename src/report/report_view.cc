#include "report/report_view.h"

#include "report/svg_chart.h"

namespace tunesmith::report {
namespace {

using nlohmann::json;

[[noreturn]] void WrongType(std::string_view at, std::string_view key, const char* expected, const json& found) {
  throw ReportError(KeyPath(at, key) + " must be " + expected + ", found " + found.type_name());
}

}  // namespace

std::string KeyPath(std::string_view at, std::string_view key) {
  return at.empty() ? std::string(key) : std::string(at) + "." + std::string(key);
}

std::string IndexPath(std::string_view at, std::size_t i) { return std::string(at) + "[" + std::to_string(i) + "]"; }

const json* Member(const json* obj, std::string_view key) {
  if (!obj || !obj->is_object()) return nullptr;
  const auto it = obj->find(key);
  if (it == obj->end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<double> Number(const json* obj, std::string_view key, std::string_view at) {
  const json* v = Member(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_number()) WrongType(at, key, "a number", *v);
  return v->get<double>();
}

std::optional<std::string> Text(const json* obj, std::string_view key, std::string_view at) {
  const json* v = Member(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_string()) WrongType(at, key, "a string", *v);
  return v->get<std::string>();
}

std::optional<bool> Flag(const json* obj, std::string_view key, std::string_view at) {
  const json* v = Member(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) WrongType(at, key, "true or false", *v);
  return v->get<bool>();
}

const json* Object(const json* obj, std::string_view key, std::string_view at) {
  const json* v = Member(obj, key);
  if (v && !v->is_object()) WrongType(at, key, "an object", *v);
  return v;
}

const json* Array(const json* obj, std::string_view key, std::string_view at) {
  const json* v = Member(obj, key);
  if (v && !v->is_array()) WrongType(at, key, "an array", *v);
  return v;
}

std::string Cell(std::optional<double> value, int decimals) {
  return value ? FormatNumber(*value, decimals) : "—";
}

std::string CountOf(std::optional<double> n, std::optional<double> d) {
  if (!n || !d) return "—";
  std::string s = FormatNumber(*n, 0) + "/" + FormatNumber(*d, 0);
  if (*d > 0) {
    const double percent = 100.0 * *n / *d;
    s += " (" + FormatNumber(percent, percent < 1 ? 2 : 1) + "%)";
  }
  return s;
}

}  // namespace tunesmith::report
