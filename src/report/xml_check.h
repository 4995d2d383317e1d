// For the tests: a strict little XML well-formedness check (one root element,
// tags balanced, attributes quoted and unique, no raw '<' in text or values,
// '&' only in entities). Enough for the SVG the charts write; no DTDs.
#pragma once

#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tunesmith::report::xml_check {

// "" when `xml` is well-formed, else what is wrong and where (byte offset).
inline std::string XmlWellFormedError(std::string_view xml) {
  std::size_t i = 0;
  std::vector<std::string> open;
  int roots = 0;
  auto at = [&](const std::string& what) { return what + " at byte " + std::to_string(i); };
  auto is_name_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; };
  auto is_name = [&](char c) {
    return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  };
  // An entity at xml[i] == '&': advances past it, or returns false.
  auto entity = [&]() {
    const std::size_t end = xml.find(';', i);
    if (end == std::string_view::npos || end - i > 10) return false;
    const std::string_view name = xml.substr(i + 1, end - i - 1);
    bool ok = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
    if (!ok && name.size() > 1 && name[0] == '#') {
      ok = true;
      const bool hex = name[1] == 'x';
      for (std::size_t k = hex ? 2 : 1; k < name.size(); ++k)
        ok = ok && (hex ? std::isxdigit(static_cast<unsigned char>(name[k])) : std::isdigit(static_cast<unsigned char>(name[k])));
      ok = ok && name.size() > (hex ? 2u : 1u);
    }
    if (ok) i = end + 1;
    return ok;
  };
  auto skip_space = [&]() {
    while (i < xml.size() && std::isspace(static_cast<unsigned char>(xml[i]))) ++i;
  };
  while (i < xml.size()) {
    if (xml[i] == '&') {
      if (!entity()) return at("bad entity");
      continue;
    }
    if (xml[i] != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(xml[i]))) return at("text outside the root element");
      ++i;
      continue;
    }
    if (xml.substr(i, 4) == "<!--") {
      const std::size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return at("unclosed comment");
      i = end + 3;
      continue;
    }
    if (xml.substr(i, 2) == "<?") {
      const std::size_t end = xml.find("?>", i + 2);
      if (end == std::string_view::npos) return at("unclosed processing instruction");
      i = end + 2;
      continue;
    }
    const bool closing = xml.substr(i, 2) == "</";
    i += closing ? 2 : 1;
    if (i >= xml.size() || !is_name_start(xml[i])) return at("bad tag name");
    const std::size_t name_start = i;
    while (i < xml.size() && is_name(xml[i])) ++i;
    const std::string name(xml.substr(name_start, i - name_start));
    if (closing) {
      skip_space();
      if (i >= xml.size() || xml[i] != '>') return at("bad closing tag");
      ++i;
      if (open.empty() || open.back() != name) return at("</" + name + "> does not close the open element");
      open.pop_back();
      continue;
    }
    std::set<std::string> attributes;
    while (true) {
      const bool had_space = i < xml.size() && std::isspace(static_cast<unsigned char>(xml[i]));
      skip_space();
      if (i >= xml.size()) return at("unclosed tag <" + name);
      if (xml[i] == '>' || xml.substr(i, 2) == "/>") break;
      if (!had_space || !is_name_start(xml[i])) return at("bad attribute in <" + name);
      const std::size_t a = i;
      while (i < xml.size() && is_name(xml[i])) ++i;
      const std::string attribute(xml.substr(a, i - a));
      if (!attributes.insert(attribute).second) return at("duplicate attribute " + attribute);
      if (i >= xml.size() || xml[i] != '=') return at("attribute " + attribute + " without a value");
      ++i;
      if (i >= xml.size() || (xml[i] != '"' && xml[i] != '\'')) return at("unquoted attribute " + attribute);
      const char quote = xml[i++];
      while (i < xml.size() && xml[i] != quote) {
        if (xml[i] == '<') return at("'<' in attribute " + attribute);
        if (xml[i] == '&') {
          if (!entity()) return at("bad entity in attribute " + attribute);
        } else {
          ++i;
        }
      }
      if (i >= xml.size()) return at("unclosed attribute " + attribute);
      ++i;
    }
    if (open.empty() && ++roots > 1) return at("a second root element <" + name + ">");
    if (xml[i] == '/') {
      i += 2;
    } else {
      ++i;
      open.push_back(name);
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (roots == 0) return "no root element";
  return "";
}

}  // namespace tunesmith::report::xml_check
