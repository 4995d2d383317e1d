// An answer the API gives instead of what was asked: an HTTP status, a
// message a person can act on and the request field it is about. Every error
// the server sends is one of these, as {"error": message, "field": field}.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace tunesmith::serve {

struct ApiError {
  int status = 400;     // 400 bad value, 404, 405, 413, 415, 422, 503
  std::string message;  // "temperature must be a number in (0, 5]"
  std::string field;    // "temperature"; "" when no one field is at fault
  nlohmann::json extra = nlohmann::json::object();  // more members of the body (422's "problems")

  nlohmann::json Body() const {
    nlohmann::json j = extra;
    j["error"] = message;
    j["field"] = field.empty() ? nlohmann::json(nullptr) : nlohmann::json(field);
    return j;
  }
};

// A parsed value or the ApiError that says why there is none.
template <typename T>
class Parsed {
 public:
  Parsed(T value) : value_(std::move(value)) {}     // NOLINT: implicit on purpose
  Parsed(ApiError error) : error_(std::move(error)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const ApiError& error() const { return error_; }
  const T& operator*() const { return *value_; }
  T& operator*() { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  std::optional<T> value_;
  ApiError error_;
};

inline ApiError BadField(const std::string& field, const std::string& message) {
  return ApiError{400, message, field, nlohmann::json::object()};
}

}  // namespace tunesmith::serve
