// The tunes `tunesmith eval` judges and the checks each goes through.
// Tunes come either from sampling a model (eval_sampling.h) or, with
// --tunes, from ABC files someone already wrote (another generator's
// samples, `tunesmith generate -n 300` output, a human collection); either
// way each is an EvalSample holding its ABC text, and CheckSample reads it
// with the tunesmith reader, checks its bar lengths and converts it with
// abc2midi, so that both paths are judged by the same code.
#pragma once

#include <string>
#include <vector>

#include "abc/tune.h"
#include "base/status.h"
#include "cli/eval_sampling.h"
#include "render/render.h"

namespace tunesmith::cli {

// One tune after the checks.
struct CheckedSample {
  bool read = false;
  abc::Tune tune;          // when read
  int bars = 0, bars_off_meter = 0;
  bool abc2midi_ok = false;
  int abc2midi_warnings = 0;
  std::vector<std::string> warning_kinds;  // abc2midi's warnings with digits as '#', one per kind
  std::string midi;        // bytes, when abc2midi wrote a file
  std::string first_error; // the reader's or abc2midi's first complaint
};

// Reads s.abc (one tune) and converts it with abc2midi. A tune the reader
// rejects, or a text holding more than one tune, is not read; abc2midi's
// errors and warnings are counted, never fatal.
CheckedSample CheckSample(const EvalSample& s, const render::MidiOptions& midi_options);

// Every tune of the ABC files under `paths` (files, or folders searched for
// *.abc), in order, as EvalSamples: index 0.., the tune's text from its X:
// line to the blank line that ends it (after the file's header lines, if
// any), its T: as title, seed 0. Fails when a path does not exist or cannot
// be read, or when the files hold no tune at all.
Result<std::vector<EvalSample>> ReadTunesForEval(const std::vector<std::string>& paths);

}  // namespace tunesmith::cli
