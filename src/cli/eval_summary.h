// The readable summary `tunesmith eval` prints on stdout without --json:
// a few lines per section of report.json (docs/report.md).
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace tunesmith::cli {

// `v` with exactly `decimals` decimals ("0.125", "3.0").
std::string Fixed(double v, int decimals);

// The summary of report `r` (its model, likelihood, validity, features,
// structure, classifier and novelty sections; absent ones are skipped).
void PrintSummary(const nlohmann::json& r, std::ostream& out);

}  // namespace tunesmith::cli
