// Every tunesmith command registers itself on the CLI11 app with one of these.
// Light commands live in the `tunesmith` binary (no LibTorch); heavy ones in
// `tunesmith-nn`, which the front runs for them (see main.cc).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "base/status.h"

namespace tunesmith::cli {

// Light: the tunesmith binary.
void AddCheckCommand(CLI::App& app);
void AddFmtCommand(CLI::App& app);
void AddRenderCommand(CLI::App& app);
void AddTokensCommand(CLI::App& app);

// Heavy: the tunesmith-nn binary.
void AddTrainCommand(CLI::App& app);
void AddGenerateCommand(CLI::App& app);
void AddEvalCommand(CLI::App& app);
void AddServeCommand(CLI::App& app);

// Exit codes shared by every command (ExitCodesHelp lists them in --help).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;  // some input was rejected (a bad tune, a failed check)
inline constexpr int kExitUsage = 2;     // a usage error: a bad flag value, a request that cannot be met
inline constexpr int kExitNotFound = 3;  // a file named on the command line does not exist
inline constexpr int kExitCorrupt = 4;   // a file is damaged (a checkpoint, a corpus that cannot be read)
inline constexpr int kExitIO = 5;        // reading or writing failed (disk full, permissions), or LibTorch failed

// The --help footer that lists the exit codes.
std::string ExitCodesHelp();

// Parses and runs `app`: a command's exit code (ExitCode), 0, or kExitUsage
// for a command line CLI11 rejects (after printing its message).
int RunApp(CLI::App& app, int argc, char** argv);

// The one way a command reports a failure: prints "COMMAND: message" on
// stderr and returns the exit code `status` maps to.
int Fail(const std::string& command, const Status& status);

// Thrown by a command's callback to end the program with an exit code after
// it has printed its own message (CLI11 turns it into the return value).
struct ExitCode {
  int code;
};

}  // namespace tunesmith::cli
