// tunesmith-nn: the commands that need LibTorch. Users run it through the
// `tunesmith` front (tunesmith train ...), which passes its arguments on.
#include <iostream>

#include "cli/commands.h"
#include "cli/version.h"

int main(int argc, char** argv) {
  CLI::App app{"tunesmith: learns folk music from ABC tunes and composes new ones"};
  app.name("tunesmith");
  app.set_version_flag("--version", std::string(tunesmith::kVersion));
  app.require_subcommand(1);
  tunesmith::cli::AddTrainCommand(app);
  tunesmith::cli::AddGenerateCommand(app);
  tunesmith::cli::AddEvalCommand(app);
  tunesmith::cli::AddServeCommand(app);
  return tunesmith::cli::RunApp(app, argc, argv);
}
