// PLACEHOLDER: replaced by the real command.
#include <iostream>

#include "cli/commands.h"

namespace tunesmith::cli {

void AddBenchCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    std::cerr << "tunesmith bench: not implemented yet\n";
    throw ExitCode{kExitUsage};
  });
}

}  // namespace tunesmith::cli
