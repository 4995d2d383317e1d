// Judging a model, or a set of tunes, in one call: what `tunesmith eval`
// reports (docs/eval.md defines the figures). The held-out likelihood on the
// corpus's test split, the validity of the judged tunes (sampled through
// generate::Composer as a user gets them, or read from files), their musical
// statistics and structure against the real test tunes, the classifier
// two-sample test, novelty against the training split for both sets side by
// side, and example tunes. report::EvaluationToJson turns the result into
// report.json (docs/report.md); report::WriteEvaluation writes the folder.
//
// This header does not include LibTorch; the library behind it (ts_evaluate)
// links the model through generate and train.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "corpus/novelty.h"
#include "eval/novelty.h"
#include "eval/set_judgement.h"
#include "generate/composer.h"
#include "render/render.h"
#include "train/score.h"

namespace tunesmith::eval {

struct EvaluateOptions {
  std::string model;                // checkpoint; "" with tunes empty: the bundled model
  std::vector<std::string> tunes;   // ABC files or folders judged instead of sampling (no model needed)
  std::vector<std::string> corpus;  // its test split is scored and compared, its train split indexed
  int samples = 100;                // tunes sampled
  uint64_t seed = 1;                // tune i draws from seed + i; the classifier's folds
  generate::ComposeRequest request; // how tunes are sampled (count and seed are set from the two above)
  int examples = 5;                 // example tunes kept (with their MIDI)
  int program = 73;                 // General MIDI program of the examples' melody
  int threads = 1;                  // reported in settings (the caller sets LibTorch's threads)
};

// A tune judged: read back, its bars against the meter, converted by abc2midi.
struct JudgedTune {
  int index = 0;
  uint64_t seed = 0;          // sampled tunes
  std::string title;
  std::string abc;            // "" when it could not be written
  bool finished = true;       // reached </s> (sampled)
  bool read = false;
  abc::Tune tune;             // when read
  int bars = 0, bars_off_meter = 0;
  bool abc2midi_ok = false;
  int abc2midi_warnings = 0;
  std::vector<std::string> warning_kinds;  // abc2midi's warnings with digits as '#', one per kind
  std::string midi;           // bytes, when abc2midi wrote a file
  std::string first_error;    // the writer's, reader's or abc2midi's first complaint
  int bar_retries = 0, restarts = 0;
  bool guard_gave_up = false;
  std::optional<corpus::TuneNovelty> novelty;
};

// Reads `abc` (one tune) and converts it with abc2midi: the one check both
// sampled tunes and tunes read from files go through.
void CheckJudgedTune(JudgedTune& tune, const render::MidiOptions& midi_options);

// Every tune of the ABC files under `paths` (files, or folders searched for
// *.abc), in order, with its text from X: to the blank line that ends it
// (after the file's header lines, if any) and its T: as title. Fails when a
// path does not exist or cannot be read, or when the files hold no tune.
Result<std::vector<JudgedTune>> ReadTunesToJudge(const std::vector<std::string>& paths);

struct Validity {
  int samples = 0, read = 0, tunes_off_meter = 0, bars = 0, bars_off_meter = 0;
  int abc2midi_ok = 0, abc2midi_warnings = 0, tunes_with_warnings = 0;
};

struct Generation {
  std::string method;
  double seconds = 0;
  int64_t tokens = 0;
  int unfinished = 0, guard_bar_retries = 0, guard_gave_up = 0;
};

struct Evaluation {
  EvaluateOptions options;   // as run (request.count and seed filled in)
  std::optional<generate::ModelSummary> model;
  std::string model_path;  // as given (or the bundled one's)
  std::vector<std::string> corpus_paths;
  std::string fingerprint;
  int train_tunes = 0, valid_tunes = 0, test_tunes = 0;
  std::optional<train::SplitScore> likelihood;  // test split
  std::string novelty_index_source;  // "checkpoint", "corpus train split"
  int novelty_index_tunes = 0;
  bool sampled = false;              // else read from files
  std::string form;                  // the form sampled tunes took
  int novelty_guard = 0;             // the guard's threshold (0: off)
  std::vector<JudgedTune> tunes;
  Validity validity;
  std::optional<Generation> generation;
  SetJudgement judgement;
  JudgeOptions judge_options;
  NoveltySummary generated_novelty, real_novelty;
  std::string metrics_path;          // the model's training log ("" without a model)
  std::vector<int> examples;         // indices into tunes
  std::vector<std::string> notes;    // what the reader of the report should know
};

// Runs the evaluation. `say` gets progress lines (stderr). Fails on a usage
// error (no model, an unreadable corpus or model) with a message naming it.
Result<Evaluation> Evaluate(const EvaluateOptions& options, const std::function<void(const std::string&)>& say);

}  // namespace tunesmith::eval
