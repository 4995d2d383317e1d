// The measurements tunesmith-bench runs in child processes of itself
// (`tunesmith-bench --child KIND --spec JSON`), so that each one's peak RSS
// is its own (docs/performance.md). The timed loops live in the stage
// libraries (abc/read_speed.h, render/abc2midi_speed.h, model/blas.h,
// train/throughput.h, generate/throughput.h); this file runs them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "model/model_config.h"
#include "tokens/vocabulary.h"

namespace tunesmith::bench {

// Writes a model file with freshly initialised weights (seeded): what bench
// samples when no trained model is available.
Status WriteRandomModel(const model::ModelConfig& config, const tokens::Vocabulary& vocab, const std::string& path);

// The body of `tunesmith-bench --child KIND --spec JSON`: runs one
// measurement and prints one JSON object on stdout. Kinds:
//   idle      loads nothing (the RSS of a process linked to LibTorch)
//   train     {"model": ModelConfig, "T", "B", "warmup", "steps", "impl": "fused"|"nn", "threads"}
//             -> {"tok_s", "gflop_s", "seconds"}
//   generate  {"model": path, "threads", "model_steps_b1", "model_steps_b64", "tunes_b1", "tunes_b64", "seed"}
//             -> {"model_tok_s_b1", "model_tok_s_b64", "tok_s_b1", "tok_s_b64", "ms_per_tune_b1",
//                 "ms_per_tune_b64", "tokens_per_tune", "method"}
// Every result carries "vm_hwm_mb" (the child's own peak RSS). Returns the exit code.
int RunBenchChild(const std::string& kind, const nlohmann::json& spec);

}  // namespace tunesmith::bench
