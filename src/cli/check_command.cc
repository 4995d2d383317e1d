// tunesmith check [--json] PATH...: reads every tune, checks every bar against
// the meter, prints diagnostics (stderr) and a summary.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "abc/bar_check.h"
#include "abc/files.h"
#include "abc/reader.h"
#include "base/json_text.h"
#include "base/text.h"
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
  int tunes = 0, read = 0, warnings = 0, rejected = 0, bars = 0, off_meter = 0;
  bool no_tune = false;
  nlohmann::json problems = nlohmann::json::array();
  auto report = [&](const abc::Diagnostic& d, const char* kind) {
    if (options.json) problems.push_back(ProblemJson(d, kind));
    else if (!options.quiet) std::cerr << d.Format() << "\n";
  };
  // Each path and file on its own: one that cannot be read is reported and the others are still checked.
  const bool all_read = abc::ReadAbcFiles(
      options.paths,
      [&](const std::string&, abc::ReadStep& step) {
        const abc::ReadResult& result = step.result;
        tunes += result.tunes_seen;
        read += static_cast<int>(result.tunes.size());
        warnings += result.warnings;
        rejected += result.rejected;
        for (const auto& d : result.diagnostics) report(d, "read");
        abc::SourceLines lines(step.text, step.first_line);
        for (const auto& tune : result.tunes) {
          abc::BarCheck check = abc::CheckBars(tune);
          bars += static_cast<int>(check.bars.size());
          off_meter += check.off_meter;
          if (!options.bars) continue;
          int listed = 0;
          for (auto d : check.diagnostics) {
            if (listed++ == abc::kMaxListedWarnings) {
              abc::Diagnostic more;
              more.file = d.file;
              more.x = d.x;
              more.title = d.title;
              more.line = tune.pos.line;
              more.message = std::to_string(check.diagnostics.size() - abc::kMaxListedWarnings) +
                             " more off-meter bars in this tune not listed";
              report(more, "bar");
              break;
            }
            d.SetSource(lines.Line(d.line));
            report(d, "bar");
          }
        }
      },
      [&](const std::string&, int tunes_seen) { no_tune = no_tune || tunes_seen == 0; },
      [](const std::string& message) { std::cerr << "tunesmith check: " << base::TerminalSafe(message) << "\n"; });
  if (options.json) {
    nlohmann::json summary = {{"tunes", tunes},         {"read", read}, {"warnings", warnings},
                              {"rejected", rejected},   {"bars", bars}, {"bars_off_meter", off_meter},
                              {"problems", problems}};
    std::cout << base::JsonText(summary, 2) << "\n";
  } else {
    std::cout << "tunes " << tunes << ", read " << read << ", warnings " << warnings << ", rejected " << rejected
              << ", bars " << bars << ", bars off-meter " << off_meter << "\n";
  }
  if (!all_read) return kExitUsage;
  return rejected > 0 || no_tune ? kExitRejected : kExitOk;
}

}  // namespace

void AddCheckCommand(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Read ABC tunes and check every bar against the meter");
  cmd->add_option("paths", options->paths, "ABC files, folders (searched for *.abc) or - for stdin")->required();
  cmd->add_flag("--json", options->json, "Print the summary and the problems as one JSON object on stdout");
  cmd->add_flag("-q,--quiet", options->quiet, "Print only the summary");
  cmd->add_flag("!--no-bars", options->bars, "Do not list off-meter bars one by one (they are still counted)");
  cmd->footer("Exit status: 0 every tune read, 1 some tune rejected or a file without any tune, 2 usage or a file "
              "that cannot be read as text (missing, unreadable, binary, UTF-16, over 256 MiB); the other paths are "
              "still checked.");
  cmd->callback([options] { throw ExitCode{RunCheck(*options)}; });
}

}  // namespace tunesmith::cli
