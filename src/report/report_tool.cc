// tunesmith-report: a developer's tool over report.json files, without a model.
//   tunesmith-report html REPORT.json [--out DIR] [--abcjs PATH]   redraws report.html
//   tunesmith-report markdown [NAME=]REPORT.json...                side-by-side Markdown on stdout
//   tunesmith-report curves MODEL.metrics.jsonl                     the "training" section as JSON
// The browser test draws its page with it; docs/eval-default.md is written with it.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/status.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_markdown.h"

namespace {

using tunesmith::Result;
using tunesmith::Status;

Result<nlohmann::json> ReadJson(const std::string& path) {
  Result<std::string> text = tunesmith::base::ReadFile(path);
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Corruption(path + ": not valid JSON");
  return j;
}

int Fail(const std::string& message) {
  std::cerr << "tunesmith-report: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Redraw report.html or summarise report.json files (docs/report.md)"};
  app.require_subcommand(1);

  std::string html_in, html_out, abcjs;
  auto* html = app.add_subcommand("html", "Write report.html from a report.json");
  html->add_option("report", html_in, "report.json to draw")->required();
  html->add_option("--out", html_out, "Folder for report.html (default: the folder of report.json)");
  html->add_option("--abcjs", abcjs, "abcjs-basic-min.js (default: node_modules of the source tree)");

  std::vector<std::string> md_in;
  auto* md = app.add_subcommand("markdown", "Print a Markdown summary of one or more reports, side by side");
  md->add_option("reports", md_in, "[NAME=]report.json, one column each (NAME defaults to the model path)")
      ->required();

  std::string log_in;
  auto* curves = app.add_subcommand("curves", "Print the training curves read from a metrics log as JSON");
  curves->add_option("log", log_in, "MODEL.metrics.jsonl")->required();

  CLI11_PARSE(app, argc, argv);

  if (html->parsed()) {
    auto report = ReadJson(html_in);
    if (!report.ok()) return Fail(report.status().message());
    const std::string dir =
        html_out.empty() ? std::filesystem::path(html_in).parent_path().string() : html_out;
    tunesmith::report::HtmlOptions options;
    options.abcjs_path = abcjs;
    Status st = tunesmith::report::WriteReportHtml(*report, dir.empty() ? "." : dir, options);
    if (!st.ok()) return Fail(st.message());
    std::cout << (std::filesystem::path(dir.empty() ? "." : dir) / "report.html").string() << "\n";
    return 0;
  }
  if (md->parsed()) {
    std::vector<tunesmith::report::NamedReport> reports;
    for (const auto& arg : md_in) {
      const auto eq = arg.find('=');
      const std::string path = eq == std::string::npos ? arg : arg.substr(eq + 1);
      auto report = ReadJson(path);
      if (!report.ok()) return Fail(report.status().message());
      std::string name = eq == std::string::npos ? "" : arg.substr(0, eq);
      if (name.empty()) name = report->value("/model/path"_json_pointer, path);
      reports.push_back({name, std::move(*report)});
    }
    auto text = tunesmith::report::WriteReportsMarkdown(reports);
    if (!text.ok()) return Fail(text.status().message());
    std::cout << *text;
    return 0;
  }
  auto training = tunesmith::report::ReadTrainingCurves(log_in);
  if (!training.ok()) return Fail(training.status().message());
  std::cout << training->dump(2) << "\n";
  return 0;
}
