// tunesmith: the front binary. It runs the light commands itself and hands
// the heavy ones (those that need LibTorch) to its sibling tunesmith-nn, so
// that `check`, `fmt`, `render` and `--help` never pay LibTorch's ~0.45 s
// and ~164 MB start-up (git runs its sub-commands the same way).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include "base/process.h"
#include "cli/commands.h"
#include "cli/version.h"

namespace {

struct HeavyCommand {
  const char* name;
  const char* description;
};

constexpr HeavyCommand kHeavyCommands[] = {
    {"train", "Train a model on a corpus of ABC tunes"},
    {"generate", "Compose new tunes with a trained model"},
    {"eval", "Evaluate a model or a set of tunes: likelihood, validity, musical statistics and structure, novelty"},
    {"serve", "Serve the studio: a web page and a JSON API to compose, hear, vary and keep tunes"},
};

// Replaces this process with tunesmith-nn from the same folder; returns only on failure.
int RunHeavy(int argc, char** argv) {
  tunesmith::Result<std::filesystem::path> self = tunesmith::base::ThisExecutable();
  std::filesystem::path nn = (self.ok() ? *self : std::filesystem::path(argv[0])).parent_path() / "tunesmith-nn";
  std::string nn_path = nn.string();
  argv[0] = nn_path.data();
  execv(nn_path.c_str(), argv);
  std::cerr << "tunesmith: cannot run " << nn_path << " for '" << argv[1] << "': " << std::strerror(errno)
            << "\n  (it is built with LibTorch: configure with -DTUNESMITH_WITH_TORCH=ON and build target tunesmith-nn)\n";
  return tunesmith::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    for (const auto& heavy : kHeavyCommands) {
      if (std::string_view(argv[1]) == heavy.name) return RunHeavy(argc, argv);
    }
  }

  CLI::App app{"tunesmith: learns folk music from ABC tunes and composes new ones"};
  app.set_version_flag("--version", std::string(tunesmith::kVersion));
  app.require_subcommand(1);
  app.footer("Run 'tunesmith COMMAND --help' for the options of one command.\n" + tunesmith::cli::ExitCodesHelp() + "\n");
  tunesmith::cli::AddCheckCommand(app);
  tunesmith::cli::AddFmtCommand(app);
  tunesmith::cli::AddRenderCommand(app);
  tunesmith::cli::AddTokensCommand(app);
  // Listed so that --help shows them; main() hands them to tunesmith-nn before parsing.
  for (const auto& heavy : kHeavyCommands) app.add_subcommand(heavy.name, heavy.description);

  return tunesmith::cli::RunApp(app, argc, argv);
}
