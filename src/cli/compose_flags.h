// The flags `generate` and `eval` share, defined once and bound to
// generate::ComposeRequest: how tunes are sampled (temperature, top-k, top-p,
// candidates), the form and range they keep to, and the novelty guard.
// Also the one --threads flag every heavy command has.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "base/status.h"
#include "generate/composer.h"

namespace tunesmith::cli {

// Registers the sampling, form and guard flags on `cmd`, bound to `request`
// (whose current values are the defaults shown in --help).
void AddComposeFlags(CLI::App* cmd, generate::ComposeRequest* request);

// The most --threads accepts.
inline constexpr int kMaxThreads = 1024;

// Registers --threads (0: every core, at most kMaxThreads) bound to `threads`.
void AddThreadsFlag(CLI::App* cmd, int* threads);

// A CLI11 check that refuses an empty value ("--key ''"), saying what to give.
CLI::Validator NotEmpty(const std::string& what);

}  // namespace tunesmith::cli
