// An eval::Evaluation as report.json (docs/report.md), and the report folder:
// report.json, report.html, and the examples' MIDI and audio.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "eval/evaluate.h"

namespace tunesmith::report {

// report.json of `ev`. `command` is the command line that made it; the
// training curves are read from the model's metrics log (a note says so when
// there are none).
nlohmann::json EvaluationToJson(const eval::Evaluation& ev, const std::string& command, const std::string& version);

// Writes the examples' MIDI (midi/tuneN.mid) and audio (audio/tuneN.wav,
// when FluidSynth and a SoundFont are found; a note in `report` otherwise)
// into `dir`, links them from report["examples"], then writes report.json
// and report.html.
Status WriteEvaluation(const eval::Evaluation& ev, nlohmann::json& report, const std::string& dir);

}  // namespace tunesmith::report
