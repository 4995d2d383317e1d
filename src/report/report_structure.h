// The "structure" and "classifier" sections of report.json (docs/report.md):
// built from eval::SetJudgement, and drawn as tables in report.html and in
// the Markdown summary. The other sections live in report_json.h.
//
//   r["structure"] = report::StructureToJson(judgement);
//   r["classifier"] = report::ClassifierToJson(judgement, options);
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/set_judgement.h"
#include "report/report_markdown.h"

namespace tunesmith::report {

// {"real_set": "test", "real_tunes", "generated_tunes", "similar_bar_threshold",
//  "instrument_range": {"lowest", "highest"}, "figures": [{"key", "group",
//  "label", "unit", "generated", "real", "generated_count", "real_count"}]};
// a figure's value is null when nothing in that set qualifies.
nlohmann::json StructureToJson(const eval::SetJudgement& j);

// {"method", "features": [names], "folds", "l2", "seed",
//  "generated_vs_real": {"auc", "tunes_a", "tunes_b", "folds", "fold_auc"},
//  "real_vs_real": {...}}; a test that could not be run is absent and its
// reason is in "<test>_error".
nlohmann::json ClassifierToJson(const eval::SetJudgement& j, const eval::JudgeOptions& options);

// The HTML sections <section id="structure"> and <section id="classifier">
// of `report`; "not measured" when absent. Throws ReportError (report_view.h)
// naming the key of a value of the wrong type.
std::string StructureSectionsHtml(const nlohmann::json& report);

// The Markdown tables of both sections, one column pair per report
// (generated, real); "—" where a report lacks a figure. Throws ReportError
// as above.
std::string StructureSectionsMarkdown(const std::vector<NamedReport>& reports);

// A figure's value as a table cell: a share as a percentage ("19.5%"),
// anything else with two decimals; "—" when absent.
std::string FigureCell(const nlohmann::json* value, const std::string& unit, const std::string& at);

}  // namespace tunesmith::report
