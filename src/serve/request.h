// Request parsing for the studio's JSON API: a body or a query string in,
// a checked request (or an ApiError naming the field) out. No LibTorch and
// no HTTP library here, so that a fuzz target and the unit tests link it
// alone (ts_serve_request).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/composer.h"
#include "serve/api_error.h"

namespace tunesmith::serve {

// Limits every request is held to (docs/api.md lists them).
inline constexpr size_t kMaxBodyBytes = 256 * 1024;   // a larger body is 413
inline constexpr size_t kMaxHeaders = 100;            // more header fields is 431
inline constexpr size_t kMaxAbcBytes = 64 * 1024;     // "abc" of an edited tune
inline constexpr size_t kMaxPrimeBytes = 2000;        // "prime"
inline constexpr int kMaxJsonDepth = 8;               // nesting of a body
inline constexpr double kMaxTemperature = 5.0;
inline constexpr int kMaxTopK = 1000;
inline constexpr int kMinBars = 1, kMaxBars = 32;     // bars per part
inline constexpr uint64_t kMaxSeed = (uint64_t{1} << 53) - 1;  // exact in JavaScript
inline constexpr int kMaxPerPage = 100;
inline constexpr int kMaxPage = 1000000;

// The body as a JSON object: 413 past kMaxBodyBytes, 400 for malformed JSON
// (with the byte where it went wrong), too deep a nesting, or not an object.
Parsed<nlohmann::json> ParseJsonObject(std::string_view body);

// POST /api/tunes: either settings to compose with, or an edited tune's ABC.
struct TuneRequest {
  bool edited = false;                // the body held "abc"
  generate::ComposeRequest compose;   // count 1; the checked settings
  bool seed_given = false;            // compose.seed came from the body
  std::string abc;                    // edited: the text
  std::string parent;                 // edited: the tune it came from ("" none)
};

// Every field range-checked; an unknown field is an error too (a typo
// should not be silently ignored).
Parsed<TuneRequest> ParseTuneRequest(std::string_view body);

// The settings fields of `r` as the tune object shows them.
nlohmann::json SettingsJson(const generate::ComposeRequest& r);

// POST /api/tunes/{id}/vary: {"keep_bars": N} or {"keep": "A"}, plus seed
// and temperature.
struct VaryRequest {
  int keep_bars = 0;   // 0 with keep_a
  bool keep_a = false;
  std::optional<uint64_t> seed;
  std::optional<float> temperature;
};
Parsed<VaryRequest> ParseVaryRequest(std::string_view body);

// POST /api/tunes/{id}/star: {"starred": bool}.
Parsed<bool> ParseStarRequest(std::string_view body);

// POST /api/check: {"abc": "..."} -> the text.
Parsed<std::string> ParseCheckRequest(std::string_view body);

// A query string, one value per name (the caller rejects repeated names).
using Query = std::map<std::string, std::string>;

// GET /api/tunes?page=&per_page=&starred=
struct ListQuery {
  int page = 1;
  int per_page = 20;
  bool starred_only = false;
};
Parsed<ListQuery> ParseListQuery(const Query& query);

// GET /api/tunes/{id}.{ext}?transpose=&tempo=&lilt=&part=
struct FileQuery {
  int transpose = 0;   // semitones, -12..12
  int tempo = 0;       // quarter notes per minute 40..240; 0: the tune's own
  bool swing = false;  // lilt=swing
  std::string part;    // "", "A" or "B"
  // "" for the plain file, else a suffix naming the variant ("-t3-q120-s-pA").
  std::string Variant() const;
};
Parsed<FileQuery> ParseFileQuery(const Query& query, std::string_view ext);

// A tune id: 6-16 characters of [a-z0-9].
bool IsTuneId(std::string_view id);

}  // namespace tunesmith::serve
