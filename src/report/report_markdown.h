// A Markdown summary of one or more report.json objects, side by side (one
// column per report), for committed pages such as docs/eval-default.md:
// numbers only, every table with its unit. Absent sections and keys print "—".
//
//   auto md = report::WriteReportsMarkdown({{"default", a}, {"seed-baseline", b}});
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace tunesmith::report {

struct NamedReport {
  std::string name;       // the column heading, e.g. "default"
  nlohmann::json report;  // a report.json object
};

// Tables (models, likelihood, validity, feature OA/KL, novelty, training),
// headed by "###" so a page can nest them under its own "##". Fails, naming
// the key and the report, when a report has another format version or a key
// of the wrong type; at least one report is needed.
Result<std::string> WriteReportsMarkdown(const std::vector<NamedReport>& reports);

// One report, its column named after model.path (or "model").
Result<std::string> WriteReportMarkdown(const nlohmann::json& report);

}  // namespace tunesmith::report
