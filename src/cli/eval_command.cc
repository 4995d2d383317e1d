// tunesmith eval: binds the flags to eval::EvaluateOptions, runs
// eval::Evaluate (docs/eval.md defines the figures), turns the result into
// report.json (report::EvaluationToJson, docs/report.md) and prints it
// (--json) or a summary; --report writes the folder.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "base/json_text.h"
#include "cli/commands.h"
#include "cli/compose_flags.h"
#include "cli/eval_summary.h"
#include "cli/flag_checks.h"
#include "cli/version.h"
#include "eval/evaluate.h"
#include "model/threads.h"
#include "report/evaluation_report.h"

namespace tunesmith::cli {
namespace {

namespace fs = std::filesystem;

struct EvalArgs {
  eval::EvaluateOptions options;
  std::string report_dir;  // writes report.json, report.html, audio/ and midi/ here
  bool json = false;       // report.json on stdout
  bool no_mask = false;    // abc-token models sampled without the grammar mask
  int threads = 0;
};

std::string CommandLine(const EvalArgs& a) {
  const eval::EvaluateOptions& o = a.options;
  const generate::ComposeRequest& r = o.request;
  const generate::ComposeRequest defaults;
  std::ostringstream s;
  s << "tunesmith eval";
  if (!o.model.empty()) s << " --model " << o.model;
  if (!o.tunes.empty()) {
    s << " --tunes";
    for (const auto& t : o.tunes) s << " " << t;
  }
  s << " --corpus";
  for (const auto& c : o.corpus) s << " " << c;
  if (o.tunes.empty()) s << " --samples " << o.samples;
  s << " --seed " << o.seed;
  if (r.sampling.temperature != defaults.sampling.temperature) s << " --temperature " << r.sampling.temperature;
  if (r.sampling.top_k != 0) s << " --top-k " << r.sampling.top_k;
  if (r.sampling.top_p != 1.0f) s << " --top-p " << r.sampling.top_p;
  if (r.candidates != 1) s << " --candidates " << r.candidates;
  if (r.instrument != defaults.instrument) s << " --instrument " << r.instrument;
  if (r.novelty_threshold != defaults.novelty_threshold) s << " --novelty-threshold " << r.novelty_threshold;
  if (a.no_mask) s << " --no-mask";
  if (!r.parts.empty()) s << " --parts " << r.parts;
  if (r.bars > 0) s << " --bars " << r.bars;
  if (!a.report_dir.empty()) s << " --report " << a.report_dir;
  if (a.json) s << " --json";
  return s.str();
}

// Paths named on the command line, checked before the corpus is read or a model loaded.
Status CheckBeforeWork(const EvalArgs& a) {
  std::error_code ec;
  auto exists = [&](const std::string& flag, const std::string& path) -> Status {
    if (!fs::exists(path, ec)) return Status::NotFound(flag + " " + path + ": no such file or folder");
    return Status::Ok();
  };
  for (const auto& p : a.options.corpus) {
    if (Status st = exists("--corpus", p); !st.ok()) return st;
  }
  for (const auto& p : a.options.tunes) {
    if (Status st = exists("--tunes", p); !st.ok()) return st;
  }
  if (!a.options.model.empty()) {
    if (Status st = exists("--model", a.options.model); !st.ok()) return st;
    if (fs::is_directory(a.options.model, ec)) {
      return Status::InvalidArgument("--model " + a.options.model + " is a folder; give a model file (written by tunesmith train)");
    }
  }
  if (!a.report_dir.empty() && fs::exists(a.report_dir, ec) && !fs::is_directory(a.report_dir, ec)) {
    return Status::InvalidArgument("--report " + a.report_dir + " is a file; give a folder to write the report into");
  }
  return Status::Ok();
}

int RunEval(EvalArgs a) {
  const std::string me = "tunesmith eval";
  if (Status st = CheckBeforeWork(a); !st.ok()) return Fail(me, st);
  a.options.threads = model::UseThreads(a.threads);
  a.options.request.grammar_mask = !a.no_mask;
  auto ev = eval::Evaluate(a.options, [&](const std::string& line) { std::cerr << me << ": " << line << "\n"; });
  if (!ev.ok()) return Fail(me, ev.status());
  const eval::SetJudgement& j = ev->judgement;
  if (j.generated_vs_real && j.real_vs_real) {
    std::cerr << me << ": classifier ROC AUC " << Fixed(j.generated_vs_real->auc, 3) << " (real vs real "
              << Fixed(j.real_vs_real->auc, 3) << ")\n";
  }
  nlohmann::json r = report::EvaluationToJson(*ev, CommandLine(a), kVersion);
  if (!a.report_dir.empty()) {
    if (Status st = report::WriteEvaluation(*ev, r, a.report_dir); !st.ok()) return Fail(me, st);
    std::cerr << me << ": wrote " << (fs::path(a.report_dir) / "report.html").string() << " and report.json\n";
  }
  if (a.json) {
    std::cout << base::JsonText(r, 2) << "\n";
  } else {
    PrintSummary(r, std::cout);
    if (!a.report_dir.empty()) std::cout << "report      " << (fs::path(a.report_dir) / "report.html").string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  eval::EvaluateOptions& o = a->options;
  auto* cmd = app.add_subcommand(
      "eval", "Evaluate a model or a set of tunes: likelihood, validity, musical statistics and structure, novelty");
  cmd->add_option("--model", o.model,
                  "Model file (a checkpoint written by tunesmith train); default: the bundled model, or none with "
                  "--tunes (no likelihood then)");
  cmd->add_option("--tunes", o.tunes,
                  "ABC files or folders of tunes already written (e.g. tunesmith generate -n 300 output): judge "
                  "these instead of sampling");
  cmd->add_option("--corpus", o.corpus,
                  "ABC files or folders: the test split is scored and compared, the train split indexed for novelty "
                  "(pass the corpus the model was trained on)")
      ->required();
  cmd->add_option("--samples", o.samples, "Tunes to sample")->capture_default_str()->check(InRange(1, 100000));
  cmd->add_option("--seed", o.seed, "Tune i is sampled with seed + i; also seeds the classifier test's folds")
      ->capture_default_str();
  cmd->add_option("--report", a->report_dir, "Write report.json, report.html, audio/ and midi/ into this folder");
  cmd->add_flag("--json", a->json, "Print report.json on stdout (docs/report.md)");
  AddComposeFlags(cmd, &o.request);
  cmd->add_flag("--no-mask", a->no_mask,
                "Sample an abc-token model without the grammar mask (char models never have one)");
  cmd->add_option("--examples", o.examples, "Example tunes in the report")->capture_default_str()->check(InRange(0, 1000));
  cmd->add_option("--program", o.program, "General MIDI program of the examples' melody (73: flute, as generate)")
      ->capture_default_str()
      ->check(InRange(0, 127));
  AddThreadsFlag(cmd, &a->threads);
  cmd->get_option("--threads")->check(InRange(0, 1024));
  cmd->footer(ExitCodesHelp());
  cmd->callback([a] {
    const int code = RunEval(*a);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
