// libFuzzer target for the studio API's request parsing (scripts/fuzz.sh
// request_fuzz SECONDS). The first byte picks the parser; the rest is a
// request body, or a query string ("a=1&b=2") for the two query parsers.
// Every answer must be a value or an ApiError with a known HTTP status and a
// message; a value's settings must turn into JSON text (no exception for
// bytes that are not UTF-8).
// Build with -DTUNESMITH_FUZZ=ON and CXX=clang++.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "serve/request.h"

namespace {

using namespace tunesmith::serve;

template <typename T>
void CheckAnswer(const Parsed<T>& answer, const char* parser) {
  if (answer.ok()) return;
  const ApiError& e = answer.error();
  const bool known = e.status == 400 || e.status == 404 || e.status == 405 || e.status == 413 || e.status == 415 ||
                     e.status == 422 || e.status == 503;
  if (!known || e.message.empty()) {
    std::cerr << "request_fuzz: " << parser << " answered status " << e.status << " with message '" << e.message << "'\n";
    std::abort();
  }
}

Query ParseQueryString(std::string_view text) {
  Query q;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    const size_t eq = pair.find('=');
    q[std::string(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return q;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t which = data[0];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (which % 8) {
    case 0: {
      auto r = ParseJsonObject(body);
      CheckAnswer(r, "ParseJsonObject");
      if (r.ok() && !(*r).is_object()) std::abort();
      break;
    }
    case 1: {
      auto r = ParseTuneRequest(body);
      CheckAnswer(r, "ParseTuneRequest");
      // The settings go back to the browser as JSON: strict UTF-8 must not throw.
      if (r.ok()) (void)SettingsJson((*r).compose).dump();
      break;
    }
    case 2: CheckAnswer(ParseVaryRequest(body), "ParseVaryRequest"); break;
    case 3: CheckAnswer(ParseStarRequest(body), "ParseStarRequest"); break;
    case 4: CheckAnswer(ParseCheckRequest(body), "ParseCheckRequest"); break;
    case 5: CheckAnswer(ParseListQuery(ParseQueryString(body)), "ParseListQuery"); break;
    case 6: {
      static const char* const kExts[] = {"abc", "mid", "svg", "wav", "json", ""};
      auto r = ParseFileQuery(ParseQueryString(body), kExts[(which / 8) % 6]);
      CheckAnswer(r, "ParseFileQuery");
      if (r.ok()) (void)(*r).Variant();
      break;
    }
    case 7: (void)IsTuneId(body); break;
  }
  return 0;
}
