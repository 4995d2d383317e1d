#include "report/report_structure.h"

#include <algorithm>

#include "report/report_html.h"
#include "report/report_view.h"
#include "report/svg_chart.h"

namespace tunesmith::report {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json TwoSampleToJson(const eval::TwoSampleResult& r) {
  return {{"auc", r.auc}, {"tunes_a", r.a}, {"tunes_b", r.b}, {"folds", r.folds}, {"fold_auc", r.fold_auc}};
}

// The figures array of `report` (may be null), each element checked to be an object.
const json* Figures(const json& report) {
  const json* figures = Array(Object(&report, "structure", ""), "figures", "structure");
  if (!figures) return nullptr;
  for (std::size_t i = 0; i < figures->size(); ++i)
    if (!(*figures)[i].is_object()) throw ReportError(IndexPath("structure.figures", i) + " must be an object");
  return figures;
}

const json* FigureOf(const json& report, const std::string& key) {
  const json* figures = Figures(report);
  if (!figures) return nullptr;
  for (std::size_t i = 0; i < figures->size(); ++i)
    if (Text(&(*figures)[i], "key", IndexPath("structure.figures", i)) == key) return &(*figures)[i];
  return nullptr;
}

struct FigureName {
  std::string key, group, label, unit;
};

// Every figure any report has: the first report's order, then the others' new ones.
std::vector<FigureName> AllFigures(const std::vector<const json*>& reports) {
  std::vector<FigureName> names;
  for (const json* r : reports) {
    const json* figures = Figures(*r);
    if (!figures) continue;
    for (std::size_t i = 0; i < figures->size(); ++i) {
      const std::string at = IndexPath("structure.figures", i);
      const json* f = &(*figures)[i];
      FigureName n{Text(f, "key", at).value_or("?"), Text(f, "group", at).value_or(""),
                   Text(f, "label", at).value_or(""), Text(f, "unit", at).value_or("")};
      if (std::none_of(names.begin(), names.end(), [&](const FigureName& m) { return m.key == n.key; }))
        names.push_back(n);
    }
  }
  return names;
}

std::string AucCell(const json* test, const std::string& at) {
  if (!test) return "—";
  return Cell(Number(test, "auc", at), 3);
}

std::string FoldRange(const json* test, const std::string& at) {
  const json* folds = Array(test, "fold_auc", at);
  if (!folds || folds->empty()) return "—";
  double lo = 1, hi = 0;
  for (std::size_t i = 0; i < folds->size(); ++i) {
    if (!(*folds)[i].is_number()) throw ReportError(IndexPath(at + ".fold_auc", i) + " must be a number");
    lo = std::min(lo, (*folds)[i].get<double>());
    hi = std::max(hi, (*folds)[i].get<double>());
  }
  return FormatNumber(lo, 3) + "–" + FormatNumber(hi, 3);
}

std::string TunesCell(const json* test, const std::string& at) {
  if (!test) return "—";
  return Cell(Number(test, "tunes_a", at), 0) + " / " + Cell(Number(test, "tunes_b", at), 0);
}

constexpr std::pair<const char*, const char*> kTests[] = {
    {"generated_vs_real", "generated vs real"},
    {"generated_vs_real_key_free", "generated vs real, without the key-dependent features"},
    {"real_vs_real", "real vs real (two random halves of the real set)"},
};

// "mean 0.51 over 10 halvings, 0.42–0.61" for real_vs_real, "" otherwise.
std::string Halvings(const json* test, const std::string& at) {
  const json* h = Object(test, "halvings", at);
  if (!h) return "";
  const std::string hat = at + ".halvings";
  return "mean " + Cell(Number(h, "mean", hat), 3) + " over " + Cell(Number(h, "count", hat), 0) + " halvings, " +
         Cell(Number(h, "min", hat), 3) + "–" + Cell(Number(h, "max", hat), 3);
}

std::string Md(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c == '\n' ? ' ' : c);
  return out;
}

}  // namespace

json StructureToJson(const eval::SetJudgement& j) {
  json figures = json::array();
  for (const eval::StructureRow& row : j.structure) {
    figures.push_back({{"key", row.key},
                       {"group", row.group},
                       {"label", row.label},
                       {"unit", row.unit},
                       {"generated", Optional(row.generated)},
                       {"real", Optional(row.real)},
                       {"generated_count", row.generated_count},
                       {"real_count", row.real_count}});
  }
  return {{"real_set", "test"},
          {"real_tunes", j.real_structure.size()},
          {"generated_tunes", j.generated_structure.size()},
          {"similar_bar_threshold", eval::kSimilarBarThreshold},
          {"instrument_range", {{"lowest", eval::kInstrumentLowest}, {"highest", eval::kInstrumentHighest}}},
          {"figures", figures}};
}

json ClassifierToJson(const eval::SetJudgement& j, const eval::JudgeOptions& o) {
  json c = {{"method",
             "L2-regularised logistic regression (Newton) on standardised per-tune features, stratified k-fold "
             "cross-validation, pooled out-of-fold ROC AUC"},
            {"features", eval::ClassifierFeatureNames()},
            {"folds", o.classifier.folds},
            {"l2", o.classifier.logistic.l2},
            {"seed", o.seed}};
  if (j.generated_vs_real) c["generated_vs_real"] = TwoSampleToJson(*j.generated_vs_real);
  else c["generated_vs_real_error"] = j.generated_vs_real_error;
  if (j.generated_vs_real_key_free) c["generated_vs_real_key_free"] = TwoSampleToJson(*j.generated_vs_real_key_free);
  if (j.real_vs_real) {
    c["real_vs_real"] = TwoSampleToJson(*j.real_vs_real);
    const auto [lo, hi] = std::minmax_element(j.real_vs_real_halvings.begin(), j.real_vs_real_halvings.end());
    double mean = 0;
    for (double a : j.real_vs_real_halvings) mean += a;
    mean /= static_cast<double>(j.real_vs_real_halvings.size());
    c["real_vs_real"]["halvings"] = {{"count", j.real_vs_real_halvings.size()}, {"mean", mean}, {"min", *lo}, {"max", *hi},
                                     {"auc", j.real_vs_real_halvings}};
  } else {
    c["real_vs_real_error"] = j.real_vs_real_error;
  }
  return c;
}

std::string FigureCell(const json* value, const std::string& unit, const std::string& at) {
  if (!value || value->is_null()) return "—";
  if (!value->is_number()) throw ReportError(at + " must be a number");
  const double v = value->get<double>();
  if (unit.starts_with("share")) return FormatNumber(100 * v, 100 * v < 1 && v > 0 ? 2 : 1) + "%";
  return FormatNumber(v, 2);
}

std::string StructureSectionsHtml(const json& r) {
  std::string out = "<section id=\"structure\">\n<h2>Musical structure: generated against real tunes</h2>\n";
  const json* s = Object(&r, "structure", "");
  const json* figures = Figures(r);
  if (!figures) {
    out += "<p class=\"missing\">not measured</p>\n";
  } else {
    out += "<p class=\"explain\">Each figure over " + Cell(Number(s, "generated_tunes", "structure"), 0) +
           " generated and " + Cell(Number(s, "real_tunes", "structure"), 0) + " real (" +
           HtmlEscape(Text(s, "real_set", "structure").value_or("test")) +
           " split) tunes, from the tunes as written (repeats not unfolded). Shares pool the counts over the set; "
           "<em>n</em> is what they are shares of. Definitions: docs/eval.md, \"Structure\".</p>\n";
    out += "<table class=\"structure\">\n<tr><th>figure</th><th>generated</th><th>real</th><th>of</th>"
           "<th>n generated</th><th>n real</th></tr>\n";
    std::string group;
    for (const FigureName& f : AllFigures({&r})) {
      if (f.group != group) {
        group = f.group;
        out += "<tr class=\"group\"><th colspan=\"6\">" + HtmlEscape(group) + "</th></tr>\n";
      }
      const json* row = FigureOf(r, f.key);
      const std::string at = "structure.figures." + f.key;
      out += "<tr><td>" + HtmlEscape(f.label) + "</td><td>" + FigureCell(Member(row, "generated"), f.unit, at) +
             "</td><td>" + FigureCell(Member(row, "real"), f.unit, at) + "</td><td>" + HtmlEscape(f.unit) +
             "</td><td>" + Cell(Number(row, "generated_count", at), 0) + "</td><td>" +
             Cell(Number(row, "real_count", at), 0) + "</td></tr>\n";
    }
    out += "</table>\n";
  }
  out += "</section>\n<section id=\"classifier\">\n<h2>Classifier two-sample test</h2>\n";
  const json* c = Object(&r, "classifier", "");
  if (!c) return out + "<p class=\"missing\">not measured</p>\n</section>\n";
  out += "<p class=\"explain\">Can a logistic regression on per-tune features tell the two sets apart? "
         "Cross-validated ROC AUC (" + Cell(Number(c, "folds", "classifier"), 0) +
         " folds): 0.5 means indistinguishable, 1 perfectly separable. Without the key-dependent features "
         "(tunes in D/G/A/E, highest and lowest note) the key a tune is written in cannot give it away. Real "
         "against real, over several random halvings, shows the noise level of the test on sets of this "
         "size.</p>\n";
  out += "<table class=\"classifier\">\n<tr><th>test</th><th>ROC AUC</th><th>tunes (a / b)</th>"
         "<th>fold AUC, min–max</th></tr>\n";
  for (const auto& [key, label] : kTests) {
    const std::string at = std::string("classifier.") + key;
    const json* t = Object(c, key, "classifier");
    if (!t && !Member(c, std::string(key) + "_error")) continue;
    const std::string halvings = Halvings(t, at);
    out += "<tr><td>" + std::string(label) + "</td><td>" + AucCell(t, at) +
           (halvings.empty() ? "" : " (" + halvings + ")") + "</td><td>" + TunesCell(t, at) + "</td><td>" +
           FoldRange(t, at) + "</td></tr>\n";
    if (auto error = Text(c, std::string(key) + "_error", "classifier"))
      out += "<tr><td colspan=\"4\" class=\"missing\">" + HtmlEscape(*error) + "</td></tr>\n";
  }
  out += "</table>\n";
  if (const json* names = Array(c, "features", "classifier")) {
    std::string list;
    for (std::size_t i = 0; i < names->size(); ++i) {
      if (!(*names)[i].is_string()) throw ReportError(IndexPath("classifier.features", i) + " must be a string");
      list += (i ? ", " : "") + ("<code>" + HtmlEscape((*names)[i].get<std::string>()) + "</code>");
    }
    out += "<details><summary>" + std::to_string(names->size()) + " features</summary><p>" + list +
           "</p></details>\n";
  }
  return out + "</section>\n";
}

std::string StructureSectionsMarkdown(const std::vector<NamedReport>& reports) {
  std::vector<const json*> all;
  for (const auto& r : reports) all.push_back(&r.report);
  std::string out = "### Musical structure, generated against real test tunes (definitions in docs/eval.md)\n\n";
  out += "| figure | of |";
  std::string rule = "|---|---|";
  for (const auto& r : reports) {
    out += " " + Md(r.name) + " generated | " + Md(r.name) + " real |";
    rule += "---:|---:|";
  }
  out += "\n" + rule + "\n";
  out += "| tunes | |";
  for (const json* r : all) {
    const json* s = Object(r, "structure", "");
    out += " " + Cell(Number(s, "generated_tunes", "structure"), 0) + " | " +
           Cell(Number(s, "real_tunes", "structure"), 0) + " |";
  }
  out += "\n";
  std::string group;
  for (const FigureName& f : AllFigures(all)) {
    if (f.group != group) {
      group = f.group;
      out += "| **" + Md(group) + "** |";
      for (std::size_t k = 0; k < 1 + 2 * reports.size(); ++k) out += " |";
      out += "\n";
    }
    out += "| " + Md(f.label) + " | " + Md(f.unit) + " |";
    for (const json* r : all) {
      const json* row = FigureOf(*r, f.key);
      const std::string at = "structure.figures." + f.key;
      out += " " + FigureCell(Member(row, "generated"), f.unit, at) + " | " +
             FigureCell(Member(row, "real"), f.unit, at) + " |";
    }
    out += "\n";
  }
  out += "\n### Classifier two-sample test (cross-validated ROC AUC; 0.5: indistinguishable)\n\n| test |";
  rule = "|---|";
  for (const auto& r : reports) {
    out += " " + Md(r.name) + " |";
    rule += "---:|";
  }
  out += "\n" + rule + "\n";
  for (const auto& [key, label] : kTests) {
    if (std::none_of(all.begin(), all.end(), [&](const json* r) { return Member(Object(r, "classifier", ""), key); }))
      continue;
    out += "| " + std::string(label) + " |";
    for (const json* r : all) {
      const std::string at = std::string("classifier.") + key;
      const json* t = Object(Object(r, "classifier", ""), key, "classifier");
      const std::string halvings = Halvings(t, at);
      out += " " + (t ? AucCell(t, at) + " (" + TunesCell(t, at) + " tunes" + (halvings.empty() ? "" : "; " + halvings) + ")"
                      : std::string("—")) + " |";
    }
    out += "\n";
  }
  return out;
}

}  // namespace tunesmith::report
