// tunesmith-serve-bench: `tunesmith serve` alone (the same serve::Run and
// flags, without train, generate and eval linked in), so that the load and
// abuse scripts (bench/serve_load.sh, bench/serve_abuse.py) can run before
// or without the whole tunesmith-nn: TUNESMITH_SERVE=build/bin/tunesmith-serve-bench.
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"tunesmith: the studio server alone (bench)"};
  app.name("tunesmith");
  app.require_subcommand(1);
  tunesmith::cli::AddServeCommand(app);
  return tunesmith::cli::RunApp(app, argc, argv);
}
