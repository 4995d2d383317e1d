// JSON as text, whatever bytes its strings hold: titles and file names come
// from files in any encoding, and nlohmann::json::dump() throws on bytes that
// are not UTF-8. Every JSON that is printed or written goes through here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tunesmith::base {

// `j.dump(indent)`, with each byte that is not UTF-8 written as U+FFFD. Never throws.
inline std::string JsonText(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tunesmith::base
