#include "report/evaluation_report.h"

#include <ctime>
#include <filesystem>
#include <memory>

#include "base/files.h"
#include "render/synthesizer.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_structure.h"

namespace tunesmith::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string NowIso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

json EvaluationToJson(const eval::Evaluation& ev, const std::string& command, const std::string& version) {
  const eval::EvaluateOptions& o = ev.options;
  json notes = ev.notes;
  json r = NewReport();
  r["tunesmith_version"] = version;
  r["created"] = NowIso8601();
  r["command"] = command;
  if (ev.model) {
    r["model"] = {{"path", ev.model_path},
                  {"architecture", ev.model->architecture},
                  {"tokenizer", ev.model->tokenizer},
                  {"parameters", ev.model->parameters},
                  {"config", ev.model->config}};
  }
  r["corpus"] = {{"paths", ev.corpus_paths},
                 {"fingerprint", ev.fingerprint},
                 {"tunes", {{"train", ev.train_tunes}, {"valid", ev.valid_tunes}, {"test", ev.test_tunes}}}};
  if (ev.likelihood) {
    r["likelihood"] = train::EvalResultToJson(ev.likelihood->likelihood);
    r["likelihood"]["split"] = "test";
    if (const auto& p = ev.likelihood->repeats) {
      r["likelihood"]["repeats"] = {{"repeat_bars", p->repeat_bars},
                                    {"new_bars", p->new_bars},
                                    {"repeat_bits_per_token", p->repeat_bits_per_token},
                                    {"new_bits_per_token", p->new_bits_per_token},
                                    {"repeat_bits_per_bar", p->repeat_bits_per_bar},
                                    {"new_bits_per_bar", p->new_bits_per_bar},
                                    {"repeat_bar_likely", p->repeat_bar_likely}};
    }
  }
  r["novelty_index"] = {{"source", ev.novelty_index_source}, {"tunes", ev.novelty_index_tunes}};
  if (ev.sampled) {
    const generate::ComposeRequest& q = o.request;
    r["settings"] = {{"samples", o.samples},
                     {"seed", o.seed},
                     {"temperature", q.sampling.temperature},
                     {"top_k", q.sampling.top_k},
                     {"top_p", q.sampling.top_p},
                     {"candidates", q.candidates},
                     {"sampling", ev.generation ? ev.generation->method : ""},
                     {"novelty_guard", ev.novelty_guard},
                     {"form", ev.form},
                     {"batch_size", q.batch_size},
                     {"threads", o.threads}};
  } else {
    r["settings"] = {{"samples", ev.tunes.size()}, {"seed", o.seed}, {"sampling", "read from files"},
                     {"tunes", o.tunes},           {"threads", o.threads}};
  }
  const eval::Validity& v = ev.validity;
  r["validity"] = {{"samples", v.samples},
                   {"read", v.read},
                   {"tunes_off_meter", v.tunes_off_meter},
                   {"bars", v.bars},
                   {"bars_off_meter", v.bars_off_meter},
                   {"abc2midi_ok", v.abc2midi_ok},
                   {"abc2midi_warnings", v.abc2midi_warnings},
                   {"tunes_with_warnings", v.tunes_with_warnings}};
  if (const auto& g = ev.generation) {
    const int judged = static_cast<int>(ev.tunes.size());
    r["generation"] = {{"method", g->method},
                       {"seconds", g->seconds},
                       {"tokens", g->tokens},
                       {"tokens_per_second", g->seconds > 0 ? g->tokens / g->seconds : 0},
                       {"ms_per_tune", judged > 0 ? 1e3 * g->seconds / judged : 0},
                       {"unfinished", g->unfinished},
                       {"guard_bar_retries", g->guard_bar_retries},
                       {"guard_gave_up", g->guard_gave_up}};
  }
  const eval::SetJudgement& j = ev.judgement;
  json features = {{"real_set", "test"},
                   {"real_tunes", j.real_features.size()},
                   {"generated_tunes", j.generated_features.size()},
                   {"real_mean", FeatureMeansToJson(j.real_features)},
                   {"generated_mean", FeatureMeansToJson(j.generated_features)}};
  if (j.comparison) features["comparison"] = FeatureComparisonsToJson(*j.comparison);
  r["features"] = features;
  r["histograms"] = FeatureHistogramsToJson(j.real_features, j.generated_features);
  r["structure"] = StructureToJson(j);
  r["classifier"] = ClassifierToJson(j, ev.judge_options);
  r["novelty"] = {{"generated", NoveltySummaryToJson(ev.generated_novelty)},
                  {"real", NoveltySummaryToJson(ev.real_novelty)}};
  if (!ev.metrics_path.empty()) {
    if (auto curves = ReadTrainingCurves(ev.metrics_path); curves.ok()) {
      r["training"] = *curves;
    } else {
      notes.push_back("no training curves: " + curves.status().message());
    }
  }
  json examples = json::array();
  for (int i : ev.examples) {
    const eval::JudgedTune& s = ev.tunes[i];
    json ex = {{"title", s.title}, {"abc", s.abc}};
    if (ev.sampled) ex["seed"] = s.seed;
    if (s.novelty) ex["novelty"] = TuneNoveltyToJson(*s.novelty);
    examples.push_back(ex);
  }
  r["examples"] = examples;
  r["notes"] = notes;
  return r;
}

Status WriteEvaluation(const eval::Evaluation& ev, json& r, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "audio", ec);
  fs::create_directories(fs::path(dir) / "midi", ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  std::unique_ptr<render::MidiSynthesizer> synth;
  auto opened = render::MidiSynthesizer::Open();
  if (opened.ok()) synth = std::move(*opened);
  else if (!ev.examples.empty()) r["notes"].push_back("no audio for the examples: " + opened.status().message());
  for (size_t k = 0; k < ev.examples.size(); ++k) {
    const eval::JudgedTune& s = ev.tunes[ev.examples[k]];
    if (s.midi.empty()) continue;
    json& ex = r["examples"][k];
    const std::string stem = "tune" + std::to_string(k + 1);
    const std::string midi_rel = "midi/" + stem + ".mid";
    if (base::WriteFileAtomically(fs::path(dir) / midi_rel, s.midi).ok()) ex["midi"] = midi_rel;
    if (synth) {
      const std::string wav_rel = "audio/" + stem + ".wav";
      auto wav = synth->RenderToWav(s.midi, fs::path(dir) / wav_rel);
      if (wav.ok()) ex["audio"] = wav_rel;
      else r["notes"].push_back("no audio for example " + std::to_string(k + 1) + ": " + wav.status().message());
    }
  }
  return WriteReportFiles(r, dir);
}

}  // namespace tunesmith::report
