// The last step of the pipeline as one call: a request in (what a person
// asks for: count, seed, meter, key, form, temperature, ...), composed tunes
// out, each with its ABC text, its checks, its novelty against the training
// set and the command that makes it again. `tunesmith generate`, `tunesmith
// eval` and the server all compose through it.
//
//   auto composer = Composer::Open("");               // the bundled model
//   ComposeRequest request;
//   request.count = 4;
//   request.seed = 7;
//   Result<Composition> c = (*composer)->Compose(request);
//
// This header does not include LibTorch: callers outside src/model, src/train
// and src/generate use it (the model itself is behind model::LoadedModel,
// declared but not defined here).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "abc/tune.h"
#include "base/status.h"
#include "corpus/corpus.h"
#include "corpus/novelty.h"
#include "corpus/novelty_index.h"
#include "generate/grammar_mask.h"
#include "generate/novelty_guard.h"
#include "generate/sampler.h"
#include "generate/tune_output.h"
#include "tokens/vocabulary.h"

namespace tunesmith::model {
struct LoadedModel;
}

namespace tunesmith::generate {

// What a person asks for. Empty strings and zeros leave the choice to the
// model (or to the default named beside each field).
struct ComposeRequest {
  int count = 1;
  std::optional<uint64_t> seed;         // none: from the clock (Composition::seed says which)
  std::string meter, key, mode, rhythm;  // "6/8", "Ador" or "D", "min", "jig"
  int bars = 0;                          // bars per part (with parts; alone: one part of this length)
  std::string parts;                     // "AABB" (default unless only bars), "AB", "free": the model decides
  std::string prime;                     // an ABC fragment the tunes start with
  SamplingOptions sampling{0.8f, 0, 1.0f};  // 0.8: chosen by the figures in docs/eval-default.md
  int candidates = 1;                    // drawn per tune; the most likely (per token) is kept; 1..64
  bool chords = true;                    // keep the chord symbols the model writes
  std::string instrument = "fiddle";     // the range the melody keeps to; "none": no range
  int novelty_threshold = kDefaultNoveltyThreshold;  // longest run of training bars a tune may share; 0: no guard
  int min_bars = kDefaultMinBars;        // free form: the fewest bars
  int max_length = kDefaultMaxLength;    // free form: tokens after which the tune closes at the next bar
  int batch_size = 64;                   // tunes stepped together (1: one at a time)
  // false: the network alone (temperature, top-k, top-p, draw; no grammar
  // mask, guard, form, key or range), for eval's figures of what it writes
  // unaided. A character-level model is always sampled so.
  bool grammar_mask = true;
  // The tunes' N: line: "" gives the `tunesmith generate` command that makes
  // the tune again; other text is written as it is, followed by ", seed N".
  std::string provenance;
};

// The accepted ranges of a request (ValidateComposeRequest).
inline constexpr int kMaxComposeCount = 1000000;   // tunes in one request
inline constexpr double kMinTemperature = 0.05;    // positive temperatures: below this the logits overflow
inline constexpr double kMaxTemperature = 10;      // above this every token is about equally likely
inline constexpr int kMaxTopK = 100000;
inline constexpr int kMaxNoveltyThreshold = 64;    // bars
inline constexpr int kMaxMinBars = 256;            // free form: at ~20 tokens a bar, seconds per tune
inline constexpr int kMaxMaxLength = 10000;        // free form: tokens
inline constexpr int kMaxBatchSize = 1024;
inline constexpr size_t kMaxPrimeBytes = 4096;

// Checks every field of `request` against its accepted range (the limits
// above, the form, the key and the instrument), before any work: an
// InvalidArgument naming the field (as the server's JSON and the flag name
// it) and the accepted range, e.g. "top_p (--top-p) must be a number above 0
// and at most 1 (1: off), not 2". NaN and infinities are refused. The meter,
// mode and rhythm names depend on the model's vocabulary and are checked by
// Compose. Compose and ComposeEach call it first; callers that do work
// before composing (loading a corpus, a model) call it before that.
Status ValidateComposeRequest(const ComposeRequest& request);

// What was composed for one tune.
struct ComposedTune {
  int index = 0;                    // 0-based; its X: is index + 1
  uint64_t seed = 0;                // its own seed: the request with this seed and count 1 makes it again
  std::string title;
  std::string abc;                  // the tune as ABC; "" when the tokens could not be written (write_error)
  std::string write_error;
  std::vector<std::string> tokens;  // <s> ... (</s> when it ended), as sampled (root C)
  std::string key;                  // "G", "Ador" (abc-token models)
  bool finished = false;            // reached </s> (plain sampling may stop at the length cap)
  bool checked = false;             // checks were run (abc-token models)
  TuneChecks checks;                // read back, bars against the meter, the form
  bool ok = true;                   // checked and every check passed (or not checked)
  std::optional<corpus::TuneNovelty> novelty;  // none without a novelty index
  int bar_retries = 0;              // novelty guard: bars drawn again
  int restarts = 0;                 // ... tunes started again
  bool guard_gave_up = false;       // kept a longer shared run than allowed
  double bits_per_token = 0;        // the model's surprise at the drawn tokens (temperature 1, before the mask)
  int64_t steps = 0;                // model steps spent on it
  std::string command;              // generate's flags that make it again ("--model M --seed S ...")
};

struct Composition {
  std::vector<ComposedTune> tunes;
  uint64_t seed = 0;                // the first tune's seed (tune i: seed + i)
  bool seed_drawn = false;          // the seed came from the clock
  std::string method;               // "grammar mask + novelty guard (3 bars)", "grammar mask", "plain (no grammar mask)"
  double seconds = 0;               // wall clock of sampling
  double write_seconds = 0;         // ... of writing, checking and measuring the tunes
  int64_t tokens = 0;               // tokens kept in the tunes (<s> excluded)
  int64_t steps = 0;                // model steps, retries included
  // The request as it was resolved: header values without their prefix ("" none).
  std::string meter, mode, rhythm, structure, instrument;
  bool guard_on = false;
  // Things the person should know (a fragment read in 4/4, no key table, ...).
  std::vector<std::string> notes;
  int composed = 0;                 // tunes composed (and, for ComposeEach, handed over)
  bool stopped = false;             // ComposeEach: the sink asked to stop before request.count
};

// The model a Composer holds, as reports show it.
struct ModelSummary {
  std::string path;        // the file read
  std::string shown;       // as the N: line names it ("models/default.ckpt" for the bundled one)
  std::string architecture;  // "lstm", "transformer"
  std::string tokenizer;     // "abc-token", "char"
  int64_t parameters = 0;
  int layers = 0, hidden = 0, vocab_size = 0;
  nlohmann::json config;     // model::ModelConfigToJson
  std::string corpus_fingerprint;  // of the corpus it was trained on ("" unknown)
};

enum class NoveltySource { kNone, kCheckpoint, kCorpus };

class Composer {
 public:
  // Loads the model at `model_path` ("": the bundled one, generate::FindDefaultModel).
  // The novelty index is the checkpoint's; when it has none (or one without
  // melodies, or a damaged one) and `corpus` is given, one of corpus's train
  // split; else there is none (no guard, novelty unknown), said in notes().
  static Result<std::unique_ptr<Composer>> Open(const std::string& model_path, const corpus::Corpus* corpus = nullptr);
  ~Composer();
  Composer(const Composer&) = delete;
  Composer& operator=(const Composer&) = delete;

  const ModelSummary& model() const;
  const tokens::Vocabulary& vocabulary() const;
  const model::LoadedModel& loaded() const;  // for train::ScoreTunes and the model's own tests

  std::shared_ptr<const corpus::NoveltyIndex> novelty_index() const;
  NoveltySource novelty_source() const;
  int unindexed() const;  // training tunes the corpus index could not hold
  const std::vector<std::string>& notes() const;  // what Open found worth saying

  // Composes request.count tunes. `progress` (may be empty) is called with
  // (finished, total) as tunes finish. Fails on a request that cannot be met
  // (an unknown meter, a key that contradicts the mode, a prime that does not
  // fit), naming the field.
  Result<Composition> Compose(const ComposeRequest& request,
                              const std::function<void(int, int)>& progress = {}) const;

  // Receives each tune as soon as it is written and checked, in index order,
  // with the composition so far (its settings filled in). Returns false to
  // stop: no further tune is handed over or composed.
  using TuneSink = std::function<bool(ComposedTune& tune, const Composition& so_far)>;

  // Compose, streamed: tunes are composed in groups of about
  // request.batch_size (exactly the batches Compose steps, so the tunes are
  // the same for the same seed) and each group is handed to `sink` as it
  // finishes, so the first tune comes after one batch, not after them all,
  // and memory does not grow with request.count: the returned
  // Composition's `tunes` stays empty (`composed` counts them, `stopped` says
  // the sink ended it early). The sink may move from the tune.
  Result<Composition> ComposeEach(const ComposeRequest& request, const TuneSink& sink,
                                  const std::function<void(int, int)>& progress = {}) const;

 private:
  struct Impl;
  explicit Composer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What generation needs that the model carries from its training corpus,
// stored in the checkpoint's extras by `train`: the novelty index of the
// train split (the guard works without the corpus) and the table of keys
// by rhythm and mode.
std::map<std::string, std::string> ModelExtras(const corpus::Corpus& corpus);

// One composed tune as `generate --json` prints it and the server sends it
// (docs/generate.md): x, title, abc, seed, key, settings, checks, novelty,
// tokens, bits_per_token. `paths` and checks.abc2midi are the caller's.
nlohmann::json ComposedTuneToJson(const ComposedTune& tune, const Composition& composition,
                                  const ComposeRequest& request, const Composer& composer);

}  // namespace tunesmith::generate
