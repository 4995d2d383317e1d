// tunesmith eval --model M --corpus PATH... [--samples N] [--seed S] [--report DIR] [--json]:
// judges a model with numbers (docs/eval.md defines the metrics, docs/report.md
// the report.json keys): held-out likelihood on the corpus's test split, the
// validity of N sampled tunes, their musical statistics and structure against
// the real test tunes (MGEval OA/KL, structure figures, a classifier
// two-sample test), novelty against the training split for both sets side by
// side, the training curves, and five example tunes with audio.
// tunesmith eval --tunes FILE.abc... --corpus PATH... judges tunes already
// written instead of sampling them (no model needed: likelihood is skipped).
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "cli/commands.h"
#include "cli/eval_sampling.h"
#include "cli/eval_summary.h"
#include "cli/eval_tunes.h"
#include "cli/version.h"
#include "corpus/corpus.h"
#include "corpus/novelty_index.h"
#include "eval/features.h"
#include "eval/novelty.h"
#include "eval/set_judgement.h"
#include "generate/novelty_guard.h"
#include "model/load_model.h"
#include "render/external_tool.h"
#include "render/render.h"
#include "render/synthesizer.h"
#include "tokens/position.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_structure.h"
#include "train/evaluate.h"
#include "train/trainer.h"

namespace tunesmith::cli {
namespace {

namespace fs = std::filesystem;

struct EvalCommandOptions {
  std::string model;                // checkpoint (optional with --tunes)
  std::vector<std::string> tunes;   // ABC files (or folders) of tunes to judge instead of sampling
  std::vector<std::string> corpus;  // ABC files or folders: its test split is scored, its train split indexed
  int samples = 100;                // tunes to sample
  uint64_t seed = 1;                // tune i draws from seed + i
  std::string report_dir;           // writes report.json, report.html, audio/ and midi/ here
  bool json = false;                // report.json on stdout
  float temperature = 0.8f;         // as generate's default
  int top_k = 0;
  float top_p = 1.0f;
  int candidates = 1;               // drawn per tune, the most likely kept (as generate --candidates)
  std::string instrument = "fiddle";  // the range sampled tunes keep to, as generate's default ("none": no range)
  int novelty_guard = generate::kDefaultNoveltyThreshold;  // as `generate` samples; 0: off
  bool no_mask = false;             // abc-token models sampled without the grammar mask
  std::string parts = "AABB";       // the form sampled tunes take, as generate's default ("free": the model decides)
  int batch_size = 64;              // tunes sampled together
  int examples = 5;                 // example tunes in the report
  int program = 73;                 // General MIDI program of the examples' melody (73: flute, as generate)
  int threads = 0;                  // 0: every core
};

constexpr const char* kMe = "tunesmith eval";

std::string NowIso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string CommandLine(const EvalCommandOptions& o) {
  std::ostringstream s;
  s << "tunesmith eval";
  if (!o.model.empty()) s << " --model " << o.model;
  if (!o.tunes.empty()) {
    s << " --tunes";
    for (const auto& t : o.tunes) s << " " << t;
  }
  s << " --corpus";
  for (const auto& c : o.corpus) s << " " << c;
  if (o.tunes.empty()) s << " --samples " << o.samples;
  s << " --seed " << o.seed;
  if (o.temperature != 0.8f) s << " --temperature " << o.temperature;
  if (o.top_k != 0) s << " --top-k " << o.top_k;
  if (o.top_p != 1.0f) s << " --top-p " << o.top_p;
  if (o.candidates != 1) s << " --candidates " << o.candidates;
  if (o.instrument != "fiddle") s << " --instrument " << o.instrument;
  if (o.novelty_guard != generate::kDefaultNoveltyThreshold) s << " --novelty-guard " << o.novelty_guard;
  if (o.no_mask) s << " --no-mask";
  if (o.parts != "AABB") s << " --parts " << o.parts;
  if (!o.report_dir.empty()) s << " --report " << o.report_dir;
  if (o.json) s << " --json";
  return s.str();
}

render::MidiOptions ExampleMidiOptions(const EvalCommandOptions& o) {
  render::MidiOptions m;
  m.program = o.program;
  m.chords = true;     // the chord symbols the model wrote are part of the tune
  m.strict = false;    // keep the messages of a failed tune to count them
  return m;
}

int64_t CountParameters(model::LanguageModel& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

// Samples o.samples tunes from `loaded` as generate does, and fills the
// report's settings; nullopt (after saying why) on a usage or model error.
std::optional<EvalSampling> SampleTunes(const EvalCommandOptions& o, const model::LoadedModel& loaded,
                                        const std::shared_ptr<const corpus::NoveltyIndex>& guard_index,
                                        const corpus::Corpus& corpus, int threads, nlohmann::json& r) {
  const tokens::TokenizerKind kind = loaded.vocabulary.kind();
  EvalSamplingOptions so;
  so.count = o.samples;
  so.seed = o.seed;
  so.sampling = {o.temperature, o.top_k, o.top_p};
  so.candidates = o.candidates;
  so.instrument = o.instrument == "none" ? "" : o.instrument;
  so.batch_size = o.batch_size;
  so.grammar_mask = !o.no_mask;
  so.novelty_threshold = o.novelty_guard;
  {
    auto structure = generate::ParseStructure(o.parts == "free" ? "" : o.parts, 0);
    if (!structure.ok()) {
      std::cerr << kMe << ": --parts: " << structure.status().message() << "\n";
      return std::nullopt;
    }
    so.structure = *structure;
  }
  std::vector<std::string> train_titles;
  for (const auto& t : corpus.tunes) {
    if (t.split == corpus::Split::kTrain) train_titles.push_back(t.tune.Title());
  }
  std::cerr << kMe << ": sampling " << o.samples << " tunes\n";
  auto sampled = SampleForEval(loaded, guard_index, train_titles, so);
  if (!sampled.ok()) {
    std::cerr << kMe << ": " << sampled.status().message() << "\n";
    return std::nullopt;
  }
  std::cerr << kMe << ": sampled " << sampled->tokens << " tokens in " << Fixed(sampled->seconds, 1) << " s ("
            << sampled->method << ")\n";
  r["settings"] = {{"samples", o.samples},         {"seed", o.seed},
                   {"temperature", o.temperature}, {"top_k", o.top_k},
                   {"top_p", o.top_p},             {"candidates", o.candidates},
                   {"sampling", sampled->method},
                   {"novelty_guard", kind == tokens::TokenizerKind::kAbcToken && !o.no_mask ? o.novelty_guard : 0},
                   {"form", kind == tokens::TokenizerKind::kAbcToken && !o.no_mask ? so.structure.ToString() : "free form"},
                   {"batch_size", o.batch_size},   {"threads", threads}};
  return std::move(*sampled);
}

int RunEval(const EvalCommandOptions& o) {
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  if (o.model.empty() && o.tunes.empty()) {
    std::cerr << kMe << ": give --model (to sample tunes from it) or --tunes FILE.abc (tunes already written)\n";
    return kExitUsage;
  }
  if (o.samples < 1 || o.batch_size < 1 || o.examples < 0) {
    std::cerr << kMe << ": --samples and --batch-size must be at least 1\n";
    return kExitUsage;
  }
  nlohmann::json notes = nlohmann::json::array();
  auto note = [&](const std::string& text) {
    std::cerr << kMe << ": " << text << "\n";
    notes.push_back(text);
  };

  // The model (unless the tunes come from files alone) and the corpus.
  std::optional<model::LoadedModel> loaded;
  if (!o.model.empty()) {
    auto l = model::LoadModel(o.model, torch::kCPU);
    if (!l.ok()) {
      std::cerr << kMe << ": " << l.status().message() << "\n";
      return kExitUsage;
    }
    loaded.emplace(std::move(*l));
  }
  auto corpus = corpus::LoadCorpus(o.corpus);
  if (!corpus.ok()) {
    std::cerr << kMe << ": " << corpus.status().message() << "\n";
    return kExitUsage;
  }
  const auto& stats = corpus->stats;
  const std::string fingerprint = corpus->Fingerprint();
  std::cerr << kMe << ": corpus: " << stats.kept << " tunes (" << stats.train << " train, " << stats.valid
            << " valid, " << stats.test << " test); fingerprint " << fingerprint << "\n";
  if (loaded && !loaded->checkpoint.corpus_fingerprint.empty() && loaded->checkpoint.corpus_fingerprint != fingerprint) {
    note("the corpus fingerprint " + fingerprint + " differs from the model's training corpus (" +
         loaded->checkpoint.corpus_fingerprint +
         "): the test split may hold tunes the model was trained on, and the novelty index is not the model's "
         "training set (HINT: pass the --corpus the model was trained with)");
  }

  nlohmann::json r = report::NewReport();
  r["tunesmith_version"] = kVersion;
  r["created"] = NowIso8601();
  r["command"] = CommandLine(o);
  if (loaded) {
    const model::ModelConfig& config = loaded->model->config();
    r["model"] = {{"path", o.model},
                  {"architecture", model::ModelTypeName(config.type)},
                  {"tokenizer", tokens::TokenizerKindName(loaded->vocabulary.kind())},
                  {"parameters", CountParameters(*loaded->model)},
                  {"config", model::ModelConfigToJson(config)}};
  }
  r["corpus"] = {{"paths", o.corpus},
                 {"fingerprint", fingerprint},
                 {"tunes", {{"train", stats.train}, {"valid", stats.valid}, {"test", stats.test}}}};

  // Held-out likelihood on the test split, with the model's own vocabulary.
  if (!loaded) {
    note("likelihood not measured: no --model (the tunes judged were read from --tunes files)");
  } else if (const auto test = corpus::EncodeSplit(*corpus, loaded->vocabulary, corpus::Split::kTest);
             test.tunes.empty()) {
    note("the corpus has no test split: likelihood not measured");
  } else {
    int64_t unknown = 0;
    for (const auto& t : test.tunes) unknown += std::count(t.begin(), t.end(), tokens::kUnkId);
    if (unknown > 0) {
      note(std::to_string(unknown) + " test tokens are not in the model's vocabulary and were scored as <unk>");
    }
    try {
      const bool positions = loaded->model->config().has_positions();
      const auto features = positions ? tokens::TuneContexts(loaded->vocabulary, test.tunes,
                                                             static_cast<int>(loaded->model->config().positions.size()))
                                      : std::vector<std::vector<int32_t>>();
      const train::EvalResult e = train::Evaluate(*loaded->model, test.tunes, 32, positions ? &features : nullptr);
      r["likelihood"] = {{"split", "test"},          {"tunes", e.tunes},
                         {"tokens", e.tokens},       {"loss", e.loss},
                         {"bits_per_token", e.bits_per_token}, {"bits_per_tune", e.bits_per_tune}};
      std::cerr << kMe << ": test split: " << e.bits_per_token << " bits/token, " << e.bits_per_tune
                << " bits/tune\n";
      if (loaded->vocabulary.kind() == tokens::TokenizerKind::kAbcToken) {
        const train::RepeatProbe p =
            train::ProbeRepeats(*loaded->model, loaded->vocabulary, test.tunes, 32, positions ? &features : nullptr);
        r["likelihood"]["repeats"] = {{"repeat_bars", p.repeat_bars},
                                      {"new_bars", p.new_bars},
                                      {"repeat_bits_per_token", p.repeat_bits_per_token},
                                      {"new_bits_per_token", p.new_bits_per_token},
                                      {"repeat_bits_per_bar", p.repeat_bits_per_bar},
                                      {"new_bits_per_bar", p.new_bits_per_bar},
                                      {"repeat_bar_likely", p.repeat_bar_likely}};
        std::cerr << kMe << ": test split, bars that repeat an earlier bar (" << p.repeat_bars << "): "
                  << p.repeat_bits_per_bar << " bits/bar, " << p.repeat_bits_per_token << " bits/token, "
                  << 100 * p.repeat_bar_likely << "% given more than 1/2; new bars (" << p.new_bars
                  << "): " << p.new_bits_per_bar << " bits/bar, " << p.new_bits_per_token << " bits/token\n";
      }
    } catch (const c10::Error& e) {
      std::cerr << kMe << ": scoring the test split failed in LibTorch: " << e.what_without_backtrace() << "\n";
      return kExitUsage;
    }
  }

  // The training split's novelty index, for the guard and the figures: the
  // one the checkpoint carries (the model's own training split), else the
  // corpus's train split.
  int unindexed = 0;
  std::shared_ptr<const corpus::NoveltyIndex> index;
  if (!loaded) {
    // No checkpoint: the corpus's train split below.
  } else if (auto stored = generate::NoveltyIndexFromExtras(loaded->checkpoint.extras); !stored.ok()) {
    note("the checkpoint's novelty index is damaged (" + stored.status().message() + "); using the corpus's train split");
  } else if (stored->has_value() && (*stored)->has_notes()) {
    index = std::make_shared<const corpus::NoveltyIndex>(std::move(**stored));
    std::cerr << kMe << ": novelty index: the checkpoint's (" << index->size() << " training tunes)\n";
    r["novelty_index"] = {{"source", "checkpoint"}, {"tunes", index->size()}};
  }
  if (!index) {
    index = std::make_shared<const corpus::NoveltyIndex>(corpus::BuildNoveltyIndex(*corpus, corpus::Split::kTrain, &unindexed));
    std::cerr << kMe << ": novelty index: the corpus's train split (" << index->size() << " tunes)\n";
    r["novelty_index"] = {{"source", "corpus train split"}, {"tunes", index->size()}};
  }

  // The tunes judged: read from --tunes files, or sampled from the model.
  std::vector<EvalSample> tunes;
  std::optional<EvalSampling> sampled;
  if (!o.tunes.empty()) {
    auto read_tunes = ReadTunesForEval(o.tunes);
    if (!read_tunes.ok()) {
      std::cerr << kMe << ": --tunes: " << read_tunes.status().message() << "\n";
      return kExitUsage;
    }
    tunes = std::move(*read_tunes);
    std::cerr << kMe << ": " << tunes.size() << " tunes read from --tunes\n";
    r["settings"] = {{"samples", tunes.size()}, {"seed", o.seed}, {"sampling", "read from files"},
                     {"tunes", o.tunes},        {"threads", threads}};
  } else {
    auto s = SampleTunes(o, *loaded, index, *corpus, threads, r);
    if (!s) return kExitUsage;
    sampled = std::move(*s);
    tunes = sampled->tunes;
  }
  const int judged = static_cast<int>(tunes.size());

  // Validity.
  const render::MidiOptions midi_options = ExampleMidiOptions(o);
  std::vector<CheckedSample> checked;
  checked.reserve(tunes.size());
  int read = 0, off_tunes = 0, bars = 0, off_bars = 0, midi_ok = 0, warnings = 0, warned = 0, unfinished = 0;
  int gave_up = 0, retries = 0;
  std::string first_problem;
  for (const EvalSample& s : tunes) {
    checked.push_back(CheckSample(s, midi_options));
    const CheckedSample& c = checked.back();
    read += c.read;
    off_tunes += c.read && c.bars_off_meter > 0;
    bars += c.bars;
    off_bars += c.bars_off_meter;
    midi_ok += c.abc2midi_ok;
    warnings += c.abc2midi_warnings;
    warned += c.abc2midi_warnings > 0;
    unfinished += !s.finished;
    gave_up += s.guard_gave_up;
    retries += s.bar_retries;
    if (first_problem.empty() && !c.first_error.empty()) {
      first_problem = "tune " + std::to_string(s.index + 1) + ": " + c.first_error;
    }
  }
  r["validity"] = {{"samples", judged},       {"read", read},           {"tunes_off_meter", off_tunes},
                   {"bars", bars},               {"bars_off_meter", off_bars}, {"abc2midi_ok", midi_ok},
                   {"abc2midi_warnings", warnings}, {"tunes_with_warnings", warned}};
  std::map<std::string, int> warning_tunes;
  for (const CheckedSample& c : checked) {
    for (const std::string& k : c.warning_kinds) ++warning_tunes[k];
  }
  if (!warning_tunes.empty()) {
    const auto top = std::max_element(warning_tunes.begin(), warning_tunes.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    note("the most frequent abc2midi warning (" + std::to_string(top->second) + " tunes): " + top->first);
  }
  if (unfinished > 0) note(std::to_string(unfinished) + " sampled tunes reached the length cap before </s>");
  if (gave_up > 0) note("the novelty guard gave up on " + std::to_string(gave_up) + " tunes (kept as sampled)");
  if (!first_problem.empty() && read < judged) note("first rejected tune: " + first_problem);
  if (sampled) {
    const double tok_s = sampled->seconds > 0 ? sampled->tokens / sampled->seconds : 0;
    r["generation"] = {{"method", sampled->method},
                       {"seconds", sampled->seconds},
                       {"tokens", sampled->tokens},
                       {"tokens_per_second", tok_s},
                       {"ms_per_tune", 1e3 * sampled->seconds / judged},
                       {"unfinished", unfinished},
                       {"guard_bar_retries", retries},
                       {"guard_gave_up", gave_up}};
  }

  // Musical statistics and structure: the judged tunes against the real test tunes.
  std::vector<const abc::Tune*> real_tunes, judged_tunes;
  for (const auto& t : corpus->tunes) {
    if (t.split == corpus::Split::kTest) real_tunes.push_back(&t.tune);
  }
  for (const CheckedSample& c : checked) {
    if (c.read) judged_tunes.push_back(&c.tune);
  }
  eval::JudgeOptions judge_options;
  judge_options.seed = o.seed;
  const eval::SetJudgement j = eval::JudgeSets(judged_tunes, real_tunes, judge_options);
  if (j.generated_empty > 0)
    note(std::to_string(j.generated_empty) + " judged tunes had no notes and were left out of the statistics");
  if (j.real_empty > 0) note(std::to_string(j.real_empty) + " real test tunes had no notes and were left out");
  nlohmann::json features = {{"real_set", "test"},
                             {"real_tunes", j.real_features.size()},
                             {"generated_tunes", j.generated_features.size()},
                             {"real_mean", report::FeatureMeansToJson(j.real_features)},
                             {"generated_mean", report::FeatureMeansToJson(j.generated_features)}};
  if (j.comparison) features["comparison"] = report::FeatureComparisonsToJson(*j.comparison);
  else note("feature comparison not measured: " + j.comparison_error);
  r["features"] = features;
  r["histograms"] = report::FeatureHistogramsToJson(j.real_features, j.generated_features);
  r["structure"] = report::StructureToJson(j);
  r["classifier"] = report::ClassifierToJson(j, judge_options);
  if (!j.generated_vs_real) note("classifier test not run: " + j.generated_vs_real_error);
  if (j.generated_vs_real && j.real_vs_real) {
    std::cerr << kMe << ": classifier ROC AUC " << Fixed(j.generated_vs_real->auc, 3) << " (real vs real "
              << Fixed(j.real_vs_real->auc, 3) << ")\n";
  }

  // Novelty, generated and real test tunes side by side, against the train split.
  if (unindexed > 0) note(std::to_string(unindexed) + " training tunes could not be indexed for novelty");
  std::vector<eval::TuneNovelty> gen_novelty, real_novelty;
  std::vector<std::optional<eval::TuneNovelty>> sample_novelty(checked.size());
  int gen_unmeasured = 0, real_unmeasured = 0;
  for (size_t i = 0; i < checked.size(); ++i) {
    if (!checked[i].read) continue;
    auto n = eval::MeasureNovelty(*index, checked[i].tune);
    if (!n.ok()) {
      ++gen_unmeasured;
      continue;
    }
    sample_novelty[i] = *n;
    gen_novelty.push_back(*n);
  }
  for (const abc::Tune* t : real_tunes) {
    auto n = eval::MeasureNovelty(*index, *t);
    if (n.ok()) real_novelty.push_back(*n);
    else ++real_unmeasured;
  }
  if (gen_unmeasured + real_unmeasured > 0) {
    note("novelty not measured for " + std::to_string(gen_unmeasured) + " generated and " +
         std::to_string(real_unmeasured) + " real tunes that cannot be tokenised");
  }
  r["novelty"] = {{"generated", report::NoveltySummaryToJson(eval::SummariseNovelty(gen_novelty))},
                  {"real", report::NoveltySummaryToJson(eval::SummariseNovelty(real_novelty))}};

  // Training curves from the model's metrics log.
  if (loaded) {
    if (auto curves = report::ReadTrainingCurves(train::MetricsPath(o.model)); curves.ok()) {
      r["training"] = *curves;
    } else {
      note("no training curves: " + curves.status().message());
    }
  }

  // Examples: the first tunes (by index) the reader accepted, not a choice
  // of the best; with --report, their MIDI and WAV go into the folder.
  std::unique_ptr<render::MidiSynthesizer> synth;
  if (!o.report_dir.empty()) {
    std::error_code ec;
    fs::create_directories(fs::path(o.report_dir) / "audio", ec);
    fs::create_directories(fs::path(o.report_dir) / "midi", ec);
    if (ec) {
      std::cerr << kMe << ": cannot create " << o.report_dir << ": " << ec.message() << "\n";
      return kExitUsage;
    }
    auto opened = render::MidiSynthesizer::Open();
    if (opened.ok()) synth = std::move(*opened);
    else note("no audio for the examples: " + opened.status().message());
  }
  nlohmann::json examples = nlohmann::json::array();
  for (size_t i = 0; i < checked.size() && static_cast<int>(examples.size()) < o.examples; ++i) {
    if (!checked[i].read) continue;
    const EvalSample& s = tunes[i];
    nlohmann::json ex = {{"title", s.title}, {"abc", s.abc}};
    if (sampled) ex["seed"] = s.seed;
    if (sample_novelty[i]) ex["novelty"] = report::TuneNoveltyToJson(*sample_novelty[i]);
    const std::string stem = "tune" + std::to_string(examples.size() + 1);
    if (!o.report_dir.empty() && !checked[i].midi.empty()) {
      const std::string midi_rel = "midi/" + stem + ".mid";
      if (render::WriteFileAtomically(fs::path(o.report_dir) / midi_rel, checked[i].midi).ok()) ex["midi"] = midi_rel;
      if (synth) {
        const std::string wav_rel = "audio/" + stem + ".wav";
        auto wav = synth->RenderToWav(checked[i].midi, fs::path(o.report_dir) / wav_rel);
        if (wav.ok()) ex["audio"] = wav_rel;
        else note("no audio for example " + std::to_string(examples.size() + 1) + ": " + wav.status().message());
      }
    }
    examples.push_back(ex);
  }
  r["examples"] = examples;
  r["notes"] = notes;

  if (!o.report_dir.empty()) {
    Status st = report::WriteReportFiles(r, o.report_dir);
    if (!st.ok()) {
      std::cerr << kMe << ": " << st.message() << "\n";
      return kExitUsage;
    }
    std::cerr << kMe << ": wrote " << (fs::path(o.report_dir) / "report.html").string() << " and report.json\n";
  }
  if (o.json) {
    std::cout << r.dump(2) << "\n";
  } else {
    PrintSummary(r, std::cout);
    if (!o.report_dir.empty()) std::cout << "report      " << (fs::path(o.report_dir) / "report.html").string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& app) {
  auto o = std::make_shared<EvalCommandOptions>();
  auto* cmd = app.add_subcommand("eval", "Evaluate a model or a set of tunes: likelihood, validity, musical statistics and structure, novelty");
  cmd->add_option("--model", o->model,
                  "Model file (a checkpoint written by tunesmith train); optional with --tunes (no likelihood then)");
  cmd->add_option("--tunes", o->tunes,
                  "ABC files or folders of tunes already written (e.g. tunesmith generate -n 300 output): judge "
                  "these instead of sampling");
  cmd->add_option("--corpus", o->corpus,
                  "ABC files or folders: the test split is scored and compared, the train split indexed for novelty "
                  "(pass the corpus the model was trained on)")
      ->required();
  cmd->add_option("--samples", o->samples, "Tunes to sample")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Tune i is sampled with seed + i; also seeds the classifier test's folds")
      ->capture_default_str();
  cmd->add_option("--report", o->report_dir, "Write report.json, report.html, audio/ and midi/ into this folder");
  cmd->add_flag("--json", o->json, "Print report.json on stdout (docs/report.md)");
  cmd->add_option("--temperature", o->temperature, "Softmax temperature")->capture_default_str();
  cmd->add_option("--top-k", o->top_k, "Keep the k most likely tokens (0: off)")->capture_default_str();
  cmd->add_option("--top-p", o->top_p, "Nucleus sampling (1: off)")->capture_default_str();
  cmd->add_option("--instrument", o->instrument,
                  "Range the sampled tunes keep to, as generate --instrument; 'none' for no range")
      ->capture_default_str();
  cmd->add_option("--candidates", o->candidates, "Tunes drawn for each one judged; the most likely (per token) is kept")
      ->capture_default_str();
  cmd->add_option("--novelty-guard", o->novelty_guard,
                  "Longest run of training bars a sampled tune may share, as generate enforces (0: no guard)")
      ->capture_default_str();
  cmd->add_option("--parts", o->parts,
                  "Form of the sampled tunes, as generate's --parts (8 bars per part); 'free' lets the model decide")
      ->capture_default_str();
  cmd->add_flag("--no-mask", o->no_mask, "Sample an abc-token model without the grammar mask (char models never have one)");
  cmd->add_option("--batch-size", o->batch_size, "Tunes sampled together")->capture_default_str();
  cmd->add_option("--examples", o->examples, "Example tunes in the report")->capture_default_str();
  cmd->add_option("--program", o->program, "General MIDI program of the examples' melody (73: flute, as generate)")
      ->capture_default_str();
  cmd->add_option("--threads", o->threads, "CPU threads (0: every core)")->capture_default_str();
  cmd->callback([o] {
    const int code = RunEval(*o);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
