// report.html: one self-contained page from a report.json object
// (docs/report.md): inline CSS, the tables, SVG plots written by
// svg_chart.h, and the example tunes engraved in the page by abcjs, whose
// browser bundle is inlined, so the page needs no network. Audio players are
// <audio> elements pointing at WAV files the eval command rendered into the
// report folder (relative paths): the folder, not the page alone, is the report.
//
//   Status st = report::WriteReportFiles(report, "out/eval");  // report.json + report.html
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace tunesmith::report {

struct HtmlOptions {
  // abcjs's browser bundle (abcjs-basic-min.js); empty: FindAbcjs() looks for it.
  std::string abcjs_path;
  // The page's <title> and heading.
  std::string title = "tunesmith evaluation report";
};

// The path of abcjs-basic-min.js: `explicit_path` when given (it must
// exist), else the first that exists of $TUNESMITH_ABCJS,
// <source tree>/node_modules/abcjs/dist/abcjs-basic-min.js and
// ./node_modules/abcjs/dist/abcjs-basic-min.js. Fails with a message naming
// the places looked at and the fix (`npm ci` at the repository root).
Result<std::string> FindAbcjs(const std::string& explicit_path = "");

// The first of `candidates` that is a file, or FindAbcjs's "npm ci" message
// listing them all. FindAbcjs's search, exposed for tests.
Result<std::string> PickAbcjs(const std::vector<std::string>& candidates);

// The page for `report` with `abcjs_source` (the bundle's text) inlined
// (options.abcjs_path is not used here).
// `dir` is the folder the page will live in: an example's audio file that
// is not there gets a "missing" note instead of a player ("" skips the
// check). Absent sections print as "not measured"; a key of the wrong type,
// an audio path that is absolute or leaves the folder, or another format
// version fails with a message naming the key; so does a bundle holding
// "<!--", which cannot sit inside a <script> element safely.
Result<std::string> RenderReportHtml(const nlohmann::json& report, const std::string& abcjs_source,
                                     const std::string& dir, const HtmlOptions& options = {});

// Writes DIR/report.html (through a temporary file and a rename, so a failure
// leaves any previous page in place), creating DIR if needed.
Status WriteReportHtml(const nlohmann::json& report, const std::string& dir, const HtmlOptions& options = {});

// Writes DIR/report.json (indented) and DIR/report.html. Both are rendered
// before either is written: a report that cannot be drawn writes nothing.
Status WriteReportFiles(const nlohmann::json& report, const std::string& dir, const HtmlOptions& options = {});

// Text escaped for HTML (the same as XmlEscape).
std::string HtmlEscape(std::string_view text);

}  // namespace tunesmith::report
