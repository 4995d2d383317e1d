#include "serve/request.h"

#include <cmath>
#include <limits>
#include <set>

#include "generate/instrument.h"

namespace tunesmith::serve {
namespace {

using nlohmann::json;

// The deepest nesting of brackets outside strings: checked before parsing so
// that a body of a million '[' costs one pass and nothing more.
int JsonDepth(std::string_view s) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char ch : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '[' || ch == '{') deepest = std::max(deepest, ++depth);
    else if (ch == ']' || ch == '}') --depth;
  }
  return deepest;
}

ApiError UnknownField(const std::string& name, const std::set<std::string>& known) {
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  return BadField(name, "unknown field '" + name + "' (known: " + list + ")");
}

// A field's check: the value, or an error naming the field.
Parsed<int64_t> Integer(const json& v, const std::string& name, int64_t lo, int64_t hi) {
  const std::string range = name + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  if (!v.is_number_integer()) return BadField(name, range);
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return BadField(name, range);
  }
  const int64_t x = v.get<int64_t>();
  if (x < lo || x > hi) return BadField(name, range);
  return x;
}

Parsed<uint64_t> Seed(const json& v) {
  const std::string range = "seed must be an integer in 0.." + std::to_string(kMaxSeed);
  if (!v.is_number_integer()) return BadField("seed", range);
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > kMaxSeed) return BadField("seed", range);
    return v.get<uint64_t>();
  }
  const int64_t x = v.get<int64_t>();
  if (x < 0 || static_cast<uint64_t>(x) > kMaxSeed) return BadField("seed", range);
  return static_cast<uint64_t>(x);
}

// lo < x <= hi (open below) or lo <= x <= hi.
Parsed<double> Number(const json& v, const std::string& name, double lo, double hi, bool open_below) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%s must be a number in %c%g, %g]", name.c_str(), open_below ? '(' : '[', lo, hi);
  if (!v.is_number()) return BadField(name, buf);
  const double x = v.get<double>();
  if (!std::isfinite(x) || x > hi || (open_below ? x <= lo : x < lo)) return BadField(name, buf);
  return x;
}

// A short word of printable ASCII ("6/8", "Ador", "hornpipe"); "" allowed.
Parsed<std::string> Word(const json& v, const std::string& name, size_t max_length, std::string_view allowed_extra) {
  const std::string what = name + " must be a string of at most " + std::to_string(max_length) +
                           " letters, digits or one of '" + std::string(allowed_extra) + "'";
  if (!v.is_string()) return BadField(name, what);
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() > max_length) return BadField(name, what);
  for (unsigned char ch : s) {
    if (!std::isalnum(ch) && allowed_extra.find(static_cast<char>(ch)) == std::string_view::npos) {
      return BadField(name, what);
    }
  }
  return s;
}

Parsed<std::string> Text(const json& v, const std::string& name, size_t max_bytes) {
  if (!v.is_string()) return BadField(name, name + " must be a string");
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    return BadField(name, name + " is " + std::to_string(s.size()) + " bytes; at most " + std::to_string(max_bytes));
  }
  for (unsigned char ch : s) {
    if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') {
      return BadField(name, name + " holds a control character (code " + std::to_string(ch) + ")");
    }
  }
  return s;
}

#define TS_TAKE(var, expr)          \
  auto var##_parsed = (expr);       \
  if (!var##_parsed.ok()) return var##_parsed.error(); \
  auto var = *var##_parsed

}  // namespace

Parsed<json> ParseJsonObject(std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return ApiError{413, "the body is " + std::to_string(body.size()) + " bytes; at most " +
                             std::to_string(kMaxBodyBytes), "", json::object()};
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return ApiError{400, "the body is empty; send a JSON object", "", json::object()};
  }
  if (JsonDepth(body) > kMaxJsonDepth) {
    return ApiError{400, "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels", "",
                    json::object()};
  }
  json j;
  try {
    j = json::parse(body.begin(), body.end());
  } catch (const json::parse_error& e) {
    return ApiError{400, "malformed JSON at byte " + std::to_string(e.byte) + ": " + e.what(), "", json::object()};
  } catch (const json::exception& e) {
    // A number too large for a double, and the like.
    return ApiError{400, std::string("malformed JSON: ") + e.what(), "", json::object()};
  }
  if (!j.is_object()) return ApiError{400, "the body must be a JSON object", "", json::object()};
  return j;
}

Parsed<TuneRequest> ParseTuneRequest(std::string_view body) {
  TS_TAKE(j, ParseJsonObject(body));
  TuneRequest out;
  out.compose.count = 1;
  generate::ComposeRequest& r = out.compose;
  if (j.contains("abc")) {
    static const std::set<std::string> known = {"abc", "parent"};
    for (const auto& [name, value] : j.items()) {
      if (!known.count(name)) return UnknownField(name, known);
    }
    TS_TAKE(abc, Text(j["abc"], "abc", kMaxAbcBytes));
    if (abc.find_first_not_of(" \t\r\n") == std::string::npos) return BadField("abc", "abc is empty");
    out.edited = true;
    out.abc = abc;
    if (j.contains("parent") && !j["parent"].is_null()) {
      if (!j["parent"].is_string() || !IsTuneId(j["parent"].get<std::string>())) {
        return BadField("parent", "parent must be a tune id (6-16 characters a-z, 0-9) or null");
      }
      out.parent = j["parent"].get<std::string>();
    }
    return out;
  }
  static const std::set<std::string> known = {"meter", "key",   "mode",        "rhythm", "bars",  "parts",     "prime",
                                              "temperature", "top_k", "top_p", "seed", "chords", "instrument"};
  for (const auto& [name, value] : j.items()) {
    if (!known.count(name)) return UnknownField(name, known);
    if (value.is_null()) continue;  // null: the default
    if (name == "meter") {
      TS_TAKE(v, Word(value, name, 8, "/|"));
      r.meter = v;
    } else if (name == "key") {
      TS_TAKE(v, Word(value, name, 12, "#"));
      r.key = v;
    } else if (name == "mode") {
      TS_TAKE(v, Word(value, name, 12, ""));
      r.mode = v;
    } else if (name == "rhythm") {
      TS_TAKE(v, Word(value, name, 24, " -"));
      r.rhythm = v;
    } else if (name == "bars") {
      TS_TAKE(v, Integer(value, name, kMinBars, kMaxBars));
      r.bars = static_cast<int>(v);
    } else if (name == "parts") {
      const std::string what = "parts must be 'free' or 1-8 part letters A-F (AABB, AB, AABBCC)";
      if (!value.is_string()) return BadField(name, what);
      const std::string s = value.get<std::string>();
      if (s != "free" && !s.empty()) {
        if (s.size() > 8) return BadField(name, what);
        for (char ch : s) {
          if (ch < 'A' || ch > 'F') return BadField(name, what);
        }
      }
      r.parts = s;
    } else if (name == "prime") {
      TS_TAKE(v, Text(value, name, kMaxPrimeBytes));
      r.prime = v;
    } else if (name == "temperature") {
      TS_TAKE(v, Number(value, name, 0.0, kMaxTemperature, true));
      r.sampling.temperature = static_cast<float>(v);
    } else if (name == "top_k") {
      TS_TAKE(v, Integer(value, name, 0, kMaxTopK));
      r.sampling.top_k = static_cast<int>(v);
    } else if (name == "top_p") {
      TS_TAKE(v, Number(value, name, 0.0, 1.0, true));
      r.sampling.top_p = static_cast<float>(v);
    } else if (name == "seed") {
      TS_TAKE(v, Seed(value));
      r.seed = v;
      out.seed_given = true;
    } else if (name == "chords") {
      if (!value.is_boolean()) return BadField(name, "chords must be true or false");
      r.chords = value.get<bool>();
    } else if (name == "instrument") {
      TS_TAKE(v, Word(value, name, 24, "-_"));
      if (v != "none" && !generate::FindInstrument(v).ok()) {
        return BadField(name, "instrument must be one of " + generate::InstrumentsHelp() + " or 'none'");
      }
      r.instrument = v;
    }
  }
  if (r.parts == "free" && r.bars > 0) {
    return BadField("bars", "bars does not apply to parts 'free' (leave it out)");
  }
  return out;
}

json SettingsJson(const generate::ComposeRequest& r) {
  const auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"meter", or_null(r.meter)},
          {"key", or_null(r.key)},
          {"mode", or_null(r.mode)},
          {"rhythm", or_null(r.rhythm)},
          {"bars", r.bars > 0 ? json(r.bars) : json(nullptr)},
          {"parts", or_null(r.parts)},
          {"prime", or_null(r.prime)},
          {"temperature", r.sampling.temperature},
          {"top_k", r.sampling.top_k},
          {"top_p", r.sampling.top_p},
          {"seed", r.seed ? json(*r.seed) : json(nullptr)},
          {"chords", r.chords},
          {"instrument", r.instrument}};
}

Parsed<VaryRequest> ParseVaryRequest(std::string_view body) {
  TS_TAKE(j, ParseJsonObject(body));
  static const std::set<std::string> known = {"keep_bars", "keep", "seed", "temperature"};
  VaryRequest out;
  for (const auto& [name, value] : j.items()) {
    if (!known.count(name)) return UnknownField(name, known);
    if (value.is_null()) continue;
    if (name == "keep_bars") {
      TS_TAKE(v, Integer(value, name, 1, 4 * kMaxBars));
      out.keep_bars = static_cast<int>(v);
    } else if (name == "keep") {
      if (!value.is_string() || value.get<std::string>() != "A") return BadField(name, "keep must be \"A\"");
      out.keep_a = true;
    } else if (name == "seed") {
      TS_TAKE(v, Seed(value));
      out.seed = v;
    } else if (name == "temperature") {
      TS_TAKE(v, Number(value, name, 0.0, kMaxTemperature, true));
      out.temperature = static_cast<float>(v);
    }
  }
  if (out.keep_a == (out.keep_bars > 0)) {
    return BadField(out.keep_a ? "keep_bars" : "keep_bars", "give one of keep_bars (a number of bars) or keep: \"A\"");
  }
  return out;
}

Parsed<bool> ParseStarRequest(std::string_view body) {
  TS_TAKE(j, ParseJsonObject(body));
  static const std::set<std::string> known = {"starred"};
  for (const auto& [name, value] : j.items()) {
    if (!known.count(name)) return UnknownField(name, known);
  }
  if (!j.contains("starred") || !j["starred"].is_boolean()) return BadField("starred", "starred must be true or false");
  return j["starred"].get<bool>();
}

Parsed<std::string> ParseCheckRequest(std::string_view body) {
  TS_TAKE(j, ParseJsonObject(body));
  static const std::set<std::string> known = {"abc"};
  for (const auto& [name, value] : j.items()) {
    if (!known.count(name)) return UnknownField(name, known);
  }
  if (!j.contains("abc")) return BadField("abc", "abc is missing");
  return Text(j["abc"], "abc", kMaxAbcBytes);
}

namespace {

// A query value as an integer in lo..hi.
Parsed<int> QueryInt(const Query& q, const std::string& name, int lo, int hi, int fallback) {
  auto it = q.find(name);
  if (it == q.end()) return fallback;
  const std::string what = name + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
  const std::string& s = it->second;
  if (s.empty() || s.size() > 9) return BadField(name, what);
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return BadField(name, what);
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9') return BadField(name, what);
  }
  const long v = std::stol(s);
  if (v < lo || v > hi) return BadField(name, what);
  return static_cast<int>(v);
}

ApiError UnknownParameter(const std::string& name, const std::string& known) {
  return BadField(name, "unknown parameter '" + name + "' (known: " + known + ")");
}

}  // namespace

Parsed<ListQuery> ParseListQuery(const Query& query) {
  for (const auto& [name, value] : query) {
    if (name != "page" && name != "per_page" && name != "starred") return UnknownParameter(name, "page, per_page, starred");
  }
  ListQuery out;
  TS_TAKE(page, QueryInt(query, "page", 1, kMaxPage, 1));
  TS_TAKE(per_page, QueryInt(query, "per_page", 1, kMaxPerPage, 20));
  out.page = page;
  out.per_page = per_page;
  if (auto it = query.find("starred"); it != query.end()) {
    const std::string& s = it->second;
    if (s == "1" || s == "true") out.starred_only = true;
    else if (s == "0" || s == "false") out.starred_only = false;
    else return BadField("starred", "starred must be 1, 0, true or false");
  }
  return out;
}

Parsed<FileQuery> ParseFileQuery(const Query& query, std::string_view ext) {
  const bool audio = ext == "mid" || ext == "wav";
  for (const auto& [name, value] : query) {
    if (name == "transpose") continue;
    if (name == "tempo" || name == "lilt" || name == "part") {
      if (!audio) return BadField(name, name + " applies to .mid and .wav only");
      continue;
    }
    return UnknownParameter(name, audio ? "transpose, tempo, lilt, part" : "transpose");
  }
  FileQuery out;
  TS_TAKE(transpose, QueryInt(query, "transpose", -12, 12, 0));
  TS_TAKE(tempo, QueryInt(query, "tempo", 40, 240, 0));
  out.transpose = transpose;
  out.tempo = tempo;
  if (auto it = query.find("lilt"); it != query.end()) {
    if (it->second == "swing") out.swing = true;
    else if (it->second != "straight") return BadField("lilt", "lilt must be straight or swing");
  }
  if (auto it = query.find("part"); it != query.end()) {
    if (it->second != "A" && it->second != "B") return BadField("part", "part must be A or B");
    out.part = it->second;
  }
  return out;
}

std::string FileQuery::Variant() const {
  std::string v;
  if (transpose != 0) v += "-t" + std::to_string(transpose);
  if (tempo != 0) v += "-q" + std::to_string(tempo);
  if (swing) v += "-s";
  if (!part.empty()) v += "-p" + part;
  return v;
}

bool IsTuneId(std::string_view id) {
  if (id.size() < 6 || id.size() > 16) return false;
  for (char ch : id) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) return false;
  }
  return true;
}

}  // namespace tunesmith::serve
