// The measurements `tunesmith bench` makes (docs/performance.md). The parse
// figures are LibTorch-free (bench_parse.cc); the matrix-multiply peak, the
// training and the sampling figures use LibTorch (bench_children.cc) and the
// last two run in child processes of tunesmith-nn (`bench --child KIND`) so
// that each one's peak RSS is its own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "model/model_config.h"
#include "tokens/vocabulary.h"

namespace tunesmith::cli {

// --- ABC reading against abc2midi (bench_parse.cc) ---

struct ParseFigures {
  int files = 0;
  int64_t bytes = 0;    // of the files, read once into memory
  int64_t tunes = 0;    // tunes read per pass
  int passes = 0;
  double mb_s = 0;      // 1e6 bytes per second of wall clock, parsing only (no I/O)
  double mb_s_cpu = 0;  // ... per second of this process's CPU time
};

// Reads every file once, then parses all of them with abc::ReadAbc, pass
// after pass, until `min_seconds` have passed (at least one pass).
Result<ParseFigures> MeasureParse(const std::vector<std::string>& files, double min_seconds);

struct Abc2midiFigures {
  double seconds = 0;      // wall clock of one abc2midi run per file, in turn
  double cpu_seconds = 0;  // their user + system time
  double mb_s = 0, mb_s_cpu = 0;
  int failed_files = 0;    // runs that exited non-zero (abc2midi still converts the good tunes)
};

// Runs abc2midi on each file in turn, as bench/parse_vs_abc2midi.sh does, on
// copies in a scratch folder (abc2midi writes its MIDI files beside the ABC
// file). Fails when abc2midi is missing.
Result<Abc2midiFigures> MeasureAbc2midi(const std::vector<std::string>& files);

// --- LibTorch (bench_children.cc) ---

struct SgemmFigures {
  int n = 0;            // square size
  double gflop_s = 0;   // median of the timed products
};

// torch::mm of two n x n float matrices with `threads` LibTorch threads,
// 2n^3 FLOPs each; median over `repeats` after one warm-up.
SgemmFigures MeasureSgemm(int n, int repeats, int threads);

// Writes a model file with freshly initialised weights (seeded): what bench
// samples when no trained model is available.
Status WriteRandomModel(const model::ModelConfig& config, const tokens::Vocabulary& vocab, const std::string& path);

// The body of `tunesmith-nn bench --child KIND --spec JSON`: runs one
// measurement and prints one JSON object on stdout. Kinds:
//   idle      loads nothing (the RSS of a process linked to LibTorch)
//   train     {"model": ModelConfig, "T", "B", "warmup", "steps", "impl": "fused"|"nn", "threads"}
//             -> {"tok_s", "gflop_s", "seconds"}
//   generate  {"model": path, "threads", "model_steps_b1", "model_steps_b64", "tunes_b1", "tunes_b64", "seed"}
//             -> {"model_tok_s_b1", "model_tok_s_b64", "tok_s_b1", "tok_s_b64", "ms_per_tune_b1",
//                 "ms_per_tune_b64", "tokens_per_tune", "method"}
// Returns the exit code.
int RunBenchChild(const std::string& kind, const nlohmann::json& spec);

}  // namespace tunesmith::cli
