// Every tunesmith command registers itself on the CLI11 app with one of these.
// Light commands live in the `tunesmith` binary (no LibTorch); heavy ones in
// `tunesmith-nn`, which the front runs for them (see main.cc).
#pragma once

#include <CLI/CLI.hpp>

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

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;  // some input was rejected (bad tune, failed check)
inline constexpr int kExitUsage = 2;     // usage or I/O error

// Thrown by a command's callback to end the program with an exit code after
// it has printed its own message (CLI11 turns it into the return value).
struct ExitCode {
  int code;
};

}  // namespace tunesmith::cli
