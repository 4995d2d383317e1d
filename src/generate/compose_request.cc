// generate::ValidateComposeRequest (declared in composer.h): every field of a
// request checked against its accepted range before any work, so `generate`,
// `eval` and the server answer a bad value at once and the same way. It
// needs no model (the meter, mode and rhythm names the model knows are
// checked by Compose, which has the vocabulary), so it lives in ts_sampling.
#include <cmath>
#include <sstream>

#include "generate/composer.h"
#include "generate/conditioning.h"
#include "generate/instrument.h"
#include "generate/structure.h"

namespace tunesmith::generate {
namespace {

std::string Shown(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream s;
  s << v;
  return s.str();
}

// "temperature (--temperature) must be ...": the request's field as the
// server's JSON names it, then the flag.
Status OutOfRange(const char* field, const char* flag, const std::string& range, const std::string& given) {
  return Status::InvalidArgument(std::string(field) + " (" + flag + ") must be " + range + ", not " + given);
}

Status IntIn(const char* field, const char* flag, int64_t value, int64_t lo, int64_t hi, const std::string& note = "") {
  if (value >= lo && value <= hi) return Status::Ok();
  return OutOfRange(field, flag, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + note,
                    std::to_string(value));
}

}  // namespace

Status ValidateComposeRequest(const ComposeRequest& r) {
  if (Status s = IntIn("count", "-n", r.count, 1, kMaxComposeCount); !s.ok()) return s;
  const double t = r.sampling.temperature;
  if (!std::isfinite(t) || t < 0 || (t > 0 && t < kMinTemperature) || t > kMaxTemperature) {
    return OutOfRange("temperature", "--temperature",
                      "0 (greedy: always the likeliest token) or a number from " + Shown(kMinTemperature) + " to " +
                          Shown(kMaxTemperature),
                      Shown(t));
  }
  if (Status s = IntIn("top_k", "--top-k", r.sampling.top_k, 0, kMaxTopK, " (0: off)"); !s.ok()) return s;
  const double p = r.sampling.top_p;
  if (!std::isfinite(p) || p <= 0 || p > 1) {
    return OutOfRange("top_p", "--top-p", "a number above 0 and at most 1 (1: off)", Shown(p));
  }
  if (Status s = IntIn("candidates", "--candidates", r.candidates, 1, 64); !s.ok()) return s;
  if (Status s = IntIn("bars", "--bars", r.bars, 0, 64, " (0: the form's default)"); !s.ok()) return s;
  if (Status s = IntIn("novelty_threshold", "--novelty-threshold", r.novelty_threshold, 0, kMaxNoveltyThreshold,
                       " (0: no guard)");
      !s.ok()) {
    return s;
  }
  if (Status s = IntIn("min_bars", "--min-bars", r.min_bars, 1, kMaxMinBars); !s.ok()) return s;
  if (Status s = IntIn("max_length", "--max-length", r.max_length, 1, kMaxMaxLength); !s.ok()) return s;
  if (Status s = IntIn("batch_size", "--batch-size", r.batch_size, 1, kMaxBatchSize); !s.ok()) return s;
  if (r.prime.size() > kMaxPrimeBytes) {
    return OutOfRange("prime", "--prime", "at most " + std::to_string(kMaxPrimeBytes) + " bytes of ABC",
                      std::to_string(r.prime.size()) + " bytes");
  }
  // The form, the key and the instrument need no model: checked here too.
  if (r.parts == "free") {
    if (r.bars > 0) return Status::InvalidArgument("bars (--bars) does not apply to --parts free (use --min-bars)");
  } else if (Status s = ParseStructure(r.parts, r.bars).status(); !s.ok()) {
    return s;
  }
  if (!r.key.empty()) {
    if (Status s = ParseKey(r.key).status(); !s.ok()) return s;
  }
  if (!r.instrument.empty() && r.instrument != "none") {
    if (Status s = FindInstrument(r.instrument).status(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace tunesmith::generate
