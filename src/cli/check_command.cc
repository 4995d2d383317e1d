// tunesmith check [--json] PATH...: reads every tune, checks every bar against
// the meter, prints diagnostics (stderr) and a summary.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/json_text.h"
#include "abc/bar_check.h"
#include "abc/files.h"
#include "abc/reader.h"
#include "cli/commands.h"

namespace tunesmith::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;  // files, folders (searched for *.abc) or "-" for stdin
  bool json = false;               // one JSON object on stdout instead of the text summary
  bool quiet = false;              // no per-problem lines, only the summary
  bool bars = true;                // report each off-meter bar as a problem
};

nlohmann::json ProblemJson(const abc::Diagnostic& d, const char* kind) {
  return {{"file", d.file},       {"line", d.line},       {"column", d.column},
          {"x", d.x},             {"title", d.title},     {"kind", kind},
          {"severity", d.severity == abc::Severity::kError ? "error" : "warning"},
          {"message", d.message}};
}

int RunCheck(const CheckOptions& options) {
  std::vector<std::string> files;
  Status listed = abc::ListAbcFiles(options.paths, &files);
  if (!listed.ok()) {
    std::cerr << "tunesmith check: " << listed.message() << "\n";
    return kExitUsage;
  }
  int tunes = 0, read = 0, warnings = 0, rejected = 0, bars = 0, off_meter = 0;
  bool io_error = false;
  nlohmann::json problems = nlohmann::json::array();
  for (const std::string& file : files) {
    auto text = abc::ReadTextFile(file);
    if (!text.ok()) {
      std::cerr << "tunesmith check: " << text.status().message() << "\n";
      io_error = true;
      continue;
    }
    abc::ReadResult result = abc::ReadAbc(*text, file);
    tunes += result.tunes_seen;
    read += static_cast<int>(result.tunes.size());
    warnings += result.warnings;
    rejected += result.rejected;
    for (const auto& d : result.diagnostics) {
      if (options.json) problems.push_back(ProblemJson(d, "read"));
      else if (!options.quiet) std::cerr << d.Format() << "\n";
    }
    abc::SourceLines lines(*text);
    for (const auto& tune : result.tunes) {
      abc::BarCheck check = abc::CheckBars(tune);
      bars += static_cast<int>(check.bars.size());
      off_meter += check.off_meter;
      if (!options.bars) continue;
      for (auto d : check.diagnostics) {
        d.source_line = lines.Line(d.line);
        if (options.json) problems.push_back(ProblemJson(d, "bar"));
        else if (!options.quiet) std::cerr << d.Format() << "\n";
      }
    }
  }
  if (options.json) {
    nlohmann::json summary = {{"tunes", tunes},         {"read", read}, {"warnings", warnings},
                              {"rejected", rejected},   {"bars", bars}, {"bars_off_meter", off_meter},
                              {"problems", problems}};
    std::cout << base::JsonText(summary, 2) << "\n";
  } else {
    std::cout << "tunes " << tunes << ", read " << read << ", warnings " << warnings << ", rejected " << rejected
              << ", bars " << bars << ", bars off-meter " << off_meter << "\n";
  }
  if (io_error) return kExitUsage;
  return rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace

void AddCheckCommand(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Read ABC tunes and check every bar against the meter");
  cmd->add_option("paths", options->paths, "ABC files, folders (searched for *.abc) or - for stdin")->required();
  cmd->add_flag("--json", options->json, "Print the summary and the problems as one JSON object on stdout");
  cmd->add_flag("-q,--quiet", options->quiet, "Print only the summary");
  cmd->add_flag("!--no-bars", options->bars, "Do not list off-meter bars one by one (they are still counted)");
  cmd->footer("Exit status: 0 every tune read, 1 some tune rejected, 2 usage or I/O error.");
  cmd->callback([options] { throw ExitCode{RunCheck(*options)}; });
}

}  // namespace tunesmith::cli
