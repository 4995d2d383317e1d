#include <iostream>

#include "cli/commands.h"

namespace tunesmith::cli {

std::string ExitCodesHelp() {
  return "Exit codes: 0 done; 1 an input was rejected (a bad tune, a failed check); 2 usage (a bad flag value, a "
         "request that cannot be met); 3 a file was not found; 4 a file is damaged; 5 reading or writing failed.";
}

int RunApp(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const ExitCode& e) {
    return e.code;
  }
  return kExitOk;
}

int Fail(const std::string& command, const Status& status) {
  std::cerr << command << ": " << status.message() << "\n";
  if (status.IsNotFound()) return kExitNotFound;
  if (status.IsCorruption()) return kExitCorrupt;
  if (status.IsIOError()) return kExitIO;
  return kExitUsage;  // invalid argument, not supported
}

}  // namespace tunesmith::cli
