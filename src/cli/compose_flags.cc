#include "cli/compose_flags.h"

#include <sstream>
#include <string>

#include "generate/instrument.h"

namespace tunesmith::cli {

CLI::Validator NotEmpty(const std::string& what) {
  return CLI::Validator(
      [what](std::string& value) -> std::string {
        return value.empty() ? "an empty value is not accepted: give " + what : std::string();
      },
      "");
}

void AddComposeFlags(CLI::App* cmd, generate::ComposeRequest* r) {
  // The ranges are checked by generate::ValidateComposeRequest before any
  // work (it refuses NaN and infinities, which CLI::Range lets through), so
  // the server's requests get the same answer; --help states them.
  auto num = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  cmd->add_option("--temperature", r->sampling.temperature,
                  "Softmax temperature: 0 is greedy, else " + num(generate::kMinTemperature) + " to " +
                      num(generate::kMaxTemperature))
      ->capture_default_str();
  cmd->add_option("--top-k", r->sampling.top_k,
                  "Draw from the K most likely tokens only, 0 to " + std::to_string(generate::kMaxTopK) + "; 0 is off")
      ->capture_default_str();
  cmd->add_option("--top-p", r->sampling.top_p,
                  "Draw from the most likely tokens holding this much probability, above 0 and at most 1; 1 is off")
      ->capture_default_str();
  cmd->add_option("--candidates", r->candidates,
                  "Tunes drawn for each one kept (1-64); the one the model finds most likely (per token) is kept")
      ->capture_default_str();
  cmd->add_option("--instrument", r->instrument,
                  "Instrument the melody keeps to, in the tune's key, and plays on: " + generate::InstrumentsHelp() +
                      "; 'none': no range")
      ->capture_default_str();
  cmd->add_option("--bars", r->bars, "Bars per part, 1-64 (with --parts; alone: the tune's length in bars)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--parts", r->parts,
                  "Form: a doubled letter is a repeated part (AABB, AB, AABBCC), 8 bars each unless --bars; "
                  "'free' lets the model decide (default: AABB, or one part when only --bars is given)");
  cmd->add_option("--novelty-threshold", r->novelty_threshold,
                  "Most bars in a row a tune may share with one training tune, 0-" +
                      std::to_string(generate::kMaxNoveltyThreshold) + "; 0: no guard (docs/novelty.md)")
      ->capture_default_str();
  cmd->add_flag_callback(
      "--no-novelty-guard", [r] { r->novelty_threshold = 0; },
      "Do not block copies (the same as --novelty-threshold 0; novelty is still reported)");
  cmd->add_option("--min-bars", r->min_bars,
                  "--parts free: the fewest bars a tune may have, 1-" + std::to_string(generate::kMaxMinBars))
      ->capture_default_str();
  cmd->add_option("--max-length", r->max_length,
                  "--parts free: tokens after which the tune is closed at the next bar, 1-" +
                      std::to_string(generate::kMaxMaxLength))
      ->capture_default_str();
  cmd->add_option("--batch-size", r->batch_size,
                  "Tunes sampled together, 1-" + std::to_string(generate::kMaxBatchSize) +
                      " (1: one at a time, exactly as -n 1)")
      ->capture_default_str();
}

void AddThreadsFlag(CLI::App* cmd, int* threads) {
  cmd->add_option("--threads", *threads, "CPU threads LibTorch uses, 0-" + std::to_string(kMaxThreads) + "; 0 is every core")
      ->check(CLI::Range(0, kMaxThreads))
      ->capture_default_str();
}

}  // namespace tunesmith::cli
