// tunesmith eval --model M --corpus PATH... [--samples N] [--seed S] [--report DIR] [--json]:
// judges a model with numbers (docs/eval.md defines the metrics, docs/report.md
// the report.json keys): held-out likelihood on the corpus's test split, the
// validity of N sampled tunes, their musical statistics against the real test
// tunes (MGEval OA/KL), novelty against the training split for both sets side
// by side, the training curves, and five example tunes with audio.
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

#include "abc/bar_check.h"
#include "abc/reader.h"
#include "cli/commands.h"
#include "cli/eval_sampling.h"
#include "cli/version.h"
#include "corpus/corpus.h"
#include "corpus/novelty_index.h"
#include "eval/features.h"
#include "eval/novelty.h"
#include "eval/set_comparison.h"
#include "generate/novelty_guard.h"
#include "model/load_model.h"
#include "render/external_tool.h"
#include "render/render.h"
#include "render/synthesizer.h"
#include "tokens/position.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "train/evaluate.h"
#include "train/trainer.h"

namespace tunesmith::cli {
namespace {

namespace fs = std::filesystem;

struct EvalCommandOptions {
  std::string model;                // checkpoint
  std::vector<std::string> corpus;  // ABC files or folders: its test split is scored, its train split indexed
  int samples = 100;                // tunes to sample
  uint64_t seed = 1;                // tune i draws from seed + i
  std::string report_dir;           // writes report.json, report.html, audio/ and midi/ here
  bool json = false;                // report.json on stdout
  float temperature = 1.0f;
  int top_k = 0;
  float top_p = 1.0f;
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
  s << "tunesmith eval --model " << o.model << " --corpus";
  for (const auto& c : o.corpus) s << " " << c;
  s << " --samples " << o.samples << " --seed " << o.seed;
  if (o.temperature != 1.0f) s << " --temperature " << o.temperature;
  if (o.top_k != 0) s << " --top-k " << o.top_k;
  if (o.top_p != 1.0f) s << " --top-p " << o.top_p;
  if (o.novelty_guard != generate::kDefaultNoveltyThreshold) s << " --novelty-guard " << o.novelty_guard;
  if (o.no_mask) s << " --no-mask";
  if (o.parts != "AABB") s << " --parts " << o.parts;
  if (!o.report_dir.empty()) s << " --report " << o.report_dir;
  if (o.json) s << " --json";
  return s.str();
}

// One sampled tune after the checks.
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

render::MidiOptions ExampleMidiOptions(const EvalCommandOptions& o) {
  render::MidiOptions m;
  m.program = o.program;
  m.chords = true;     // the chord symbols the model wrote are part of the tune
  m.strict = false;    // keep the messages of a failed tune to count them
  return m;
}

CheckedSample CheckSample(const EvalSample& s, const render::MidiOptions& midi_options) {
  CheckedSample c;
  if (s.abc.empty()) {
    c.first_error = s.write_error;
    return c;
  }
  abc::ReadResult read = abc::ReadAbc(s.abc, "<sample " + std::to_string(s.index + 1) + ">");
  for (const auto& d : read.diagnostics) {
    if (d.severity == abc::Severity::kError) {
      if (c.first_error.empty()) c.first_error = d.Format();
    }
  }
  c.read = read.tunes.size() == 1 && read.rejected == 0 && c.first_error.empty();
  if (c.read) {
    c.tune = std::move(read.tunes[0]);
    const abc::BarCheck bars = abc::CheckBars(c.tune);
    c.bars = static_cast<int>(bars.bars.size());
    c.bars_off_meter = bars.off_meter;
  }
  auto midi = render::AbcToMidi(s.abc, midi_options);
  if (midi.ok()) {
    bool errors = false;
    for (const auto& m : midi->messages) {
      if (m.severity == render::ToolMessage::Severity::kError) {
        errors = true;
        if (c.first_error.empty()) c.first_error = "abc2midi: " + m.text;
      } else {
        ++c.abc2midi_warnings;
        std::string kind = m.text;
        for (char& ch : kind) {
          if (ch >= '0' && ch <= '9') ch = '#';
        }
        if (std::find(c.warning_kinds.begin(), c.warning_kinds.end(), kind) == c.warning_kinds.end()) {
          c.warning_kinds.push_back(kind);
        }
      }
    }
    c.abc2midi_ok = !errors;
    if (c.abc2midi_ok) c.midi = std::move(midi->bytes);
  } else if (c.first_error.empty()) {
    c.first_error = midi.status().message();
  }
  return c;
}

int64_t CountParameters(model::LanguageModel& m) {
  int64_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

std::string Fixed(double v, int decimals) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(decimals);
  s << v;
  return s.str();
}

// The readable summary printed on stdout without --json.
void PrintSummary(const nlohmann::json& r, std::ostream& out) {
  const auto num = [&](const nlohmann::json& obj, const char* key, int decimals) {
    return obj.contains(key) && obj[key].is_number() ? Fixed(obj[key].get<double>(), decimals) : std::string("—");
  };
  out << "model       " << r["model"]["path"].get<std::string>() << " (" << r["model"]["architecture"].get<std::string>()
      << ", " << r["model"]["tokenizer"].get<std::string>() << ", " << r["model"]["parameters"].get<int64_t>()
      << " parameters)\n";
  if (r.contains("likelihood")) {
    const auto& l = r["likelihood"];
    out << "likelihood  test split, " << l["tunes"].get<int64_t>() << " tunes: " << num(l, "bits_per_token", 4)
        << " bits/token, " << num(l, "bits_per_tune", 1) << " bits/tune\n";
  }
  const auto& v = r["validity"];
  out << "validity    " << v["samples"].get<int>() << " sampled (" << r["settings"]["sampling"].get<std::string>()
      << "): " << v["read"].get<int>() << " read, " << v["tunes_off_meter"].get<int>() << " tunes off-meter ("
      << v["bars_off_meter"].get<int>() << "/" << v["bars"].get<int>() << " bars), " << v["abc2midi_ok"].get<int>()
      << " converted by abc2midi, " << v["abc2midi_warnings"].get<int>() << " abc2midi warnings in "
      << v["tunes_with_warnings"].get<int>() << " tunes\n";
  if (r.contains("features") && r["features"].contains("comparison")) {
    out << "features    OA / KL (generated vs " << r["features"]["real_tunes"].get<int>() << " real test tunes):\n";
    for (const auto& c : r["features"]["comparison"]) {
      out << "              " << c["name"].get<std::string>() << std::string(24 - c["name"].get<std::string>().size(), ' ')
          << num(c, "overlap_area", 3) << "  " << num(c, "kl_divergence", 3) << "\n";
    }
  }
  if (r.contains("novelty")) {
    for (const char* set : {"generated", "real"}) {
      if (!r["novelty"].contains(set)) continue;
      const auto& n = r["novelty"][set];
      out << "novelty     " << set << (std::string(set) == "real" ? " (test)" : "") << ": longest bar run median "
          << num(n["longest_bar_run"], "median", 1) << ", max " << num(n["longest_bar_run"], "max", 0)
          << "; longest note run median " << num(n["longest_note_run"], "median", 1) << "; 8-note windows found "
          << num(n["window8_share"], "mean", 3) << ", 16-note " << num(n["window16_share"], "mean", 3) << "\n";
    }
  }
  for (const auto& note : r.value("notes", nlohmann::json::array())) out << "note        " << note.get<std::string>() << "\n";
}

int RunEval(const EvalCommandOptions& o) {
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(threads);
  if (o.samples < 1 || o.batch_size < 1 || o.examples < 0) {
    std::cerr << kMe << ": --samples and --batch-size must be at least 1\n";
    return kExitUsage;
  }
  nlohmann::json notes = nlohmann::json::array();
  auto note = [&](const std::string& text) {
    std::cerr << kMe << ": " << text << "\n";
    notes.push_back(text);
  };

  // The model and the corpus.
  auto loaded = model::LoadModel(o.model, torch::kCPU);
  if (!loaded.ok()) {
    std::cerr << kMe << ": " << loaded.status().message() << "\n";
    return kExitUsage;
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
  const model::ModelConfig& config = loaded->model->config();
  const tokens::TokenizerKind kind = loaded->vocabulary.kind();
  if (!loaded->checkpoint.corpus_fingerprint.empty() && loaded->checkpoint.corpus_fingerprint != fingerprint) {
    note("the corpus fingerprint " + fingerprint + " differs from the model's training corpus (" +
         loaded->checkpoint.corpus_fingerprint +
         "): the test split may hold tunes the model was trained on, and the novelty index is not the model's "
         "training set (HINT: pass the --corpus the model was trained with)");
  }

  nlohmann::json r = report::NewReport();
  r["tunesmith_version"] = kVersion;
  r["created"] = NowIso8601();
  r["command"] = CommandLine(o);
  r["model"] = {{"path", o.model},
                {"architecture", model::ModelTypeName(config.type)},
                {"tokenizer", tokens::TokenizerKindName(kind)},
                {"parameters", CountParameters(*loaded->model)},
                {"config", model::ModelConfigToJson(config)}};
  r["corpus"] = {{"paths", o.corpus},
                 {"fingerprint", fingerprint},
                 {"tunes", {{"train", stats.train}, {"valid", stats.valid}, {"test", stats.test}}}};

  // Held-out likelihood on the test split, with the model's own vocabulary.
  const auto test = corpus::EncodeSplit(*corpus, loaded->vocabulary, corpus::Split::kTest);
  if (test.tunes.empty()) {
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
  if (auto stored = generate::NoveltyIndexFromExtras(loaded->checkpoint.extras); !stored.ok()) {
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
  const std::shared_ptr<const corpus::NoveltyIndex>& guard_index = index;

  // Sampling.
  EvalSamplingOptions so;
  so.count = o.samples;
  so.seed = o.seed;
  so.sampling = {o.temperature, o.top_k, o.top_p};
  so.batch_size = o.batch_size;
  so.grammar_mask = !o.no_mask;
  so.novelty_threshold = o.novelty_guard;
  {
    auto structure = generate::ParseStructure(o.parts == "free" ? "" : o.parts, 0);
    if (!structure.ok()) {
      std::cerr << kMe << ": --parts: " << structure.status().message() << "\n";
      return kExitUsage;
    }
    so.structure = *structure;
  }
  std::vector<std::string> train_titles;
  for (const auto& t : corpus->tunes) {
    if (t.split == corpus::Split::kTrain) train_titles.push_back(t.tune.Title());
  }
  std::cerr << kMe << ": sampling " << o.samples << " tunes\n";
  auto sampled = SampleForEval(*loaded, guard_index, train_titles, so);
  if (!sampled.ok()) {
    std::cerr << kMe << ": " << sampled.status().message() << "\n";
    return kExitUsage;
  }
  std::cerr << kMe << ": sampled " << sampled->tokens << " tokens in " << Fixed(sampled->seconds, 1) << " s ("
            << sampled->method << ")\n";
  r["settings"] = {{"samples", o.samples},         {"seed", o.seed},
                   {"temperature", o.temperature}, {"top_k", o.top_k},
                   {"top_p", o.top_p},             {"sampling", sampled->method},
                   {"novelty_guard", kind == tokens::TokenizerKind::kAbcToken && !o.no_mask ? o.novelty_guard : 0},
                   {"form", kind == tokens::TokenizerKind::kAbcToken && !o.no_mask ? so.structure.ToString() : "free form"},
                   {"batch_size", o.batch_size},   {"threads", threads}};

  // Validity.
  const render::MidiOptions midi_options = ExampleMidiOptions(o);
  std::vector<CheckedSample> checked;
  checked.reserve(sampled->tunes.size());
  int read = 0, off_tunes = 0, bars = 0, off_bars = 0, midi_ok = 0, warnings = 0, warned = 0, unfinished = 0;
  int gave_up = 0, retries = 0;
  std::string first_problem;
  for (const EvalSample& s : sampled->tunes) {
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
  r["validity"] = {{"samples", o.samples},       {"read", read},           {"tunes_off_meter", off_tunes},
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
  if (!first_problem.empty() && read < o.samples) note("first rejected sample: " + first_problem);
  const double tok_s = sampled->seconds > 0 ? sampled->tokens / sampled->seconds : 0;
  r["generation"] = {{"method", sampled->method},
                     {"seconds", sampled->seconds},
                     {"tokens", sampled->tokens},
                     {"tokens_per_second", tok_s},
                     {"ms_per_tune", 1e3 * sampled->seconds / o.samples},
                     {"unfinished", unfinished},
                     {"guard_bar_retries", retries},
                     {"guard_gave_up", gave_up}};

  // Musical statistics: generated tunes against the real test tunes.
  std::vector<eval::TuneFeatures> gen_features, real_features;
  std::vector<const abc::Tune*> real_tunes;
  for (const auto& t : corpus->tunes) {
    if (t.split == corpus::Split::kTest) real_tunes.push_back(&t.tune);
  }
  int gen_empty = 0, real_empty = 0;
  for (const CheckedSample& c : checked) {
    if (!c.read) continue;
    eval::TuneFeatures f = eval::ComputeFeatures(c.tune);
    if (f.notes == 0) ++gen_empty;
    else gen_features.push_back(f);
  }
  for (const abc::Tune* t : real_tunes) {
    eval::TuneFeatures f = eval::ComputeFeatures(*t);
    if (f.notes == 0) ++real_empty;
    else real_features.push_back(f);
  }
  if (gen_empty > 0) note(std::to_string(gen_empty) + " generated tunes had no notes and were left out of the statistics");
  if (real_empty > 0) note(std::to_string(real_empty) + " real test tunes had no notes and were left out");
  nlohmann::json features = {{"real_set", "test"},
                             {"real_tunes", real_features.size()},
                             {"generated_tunes", gen_features.size()},
                             {"real_mean", report::FeatureMeansToJson(real_features)},
                             {"generated_mean", report::FeatureMeansToJson(gen_features)}};
  auto table = eval::CompareFeatureSets(real_features, gen_features);
  if (table.ok()) {
    features["comparison"] = report::FeatureComparisonsToJson(*table);
  } else {
    note("feature comparison not measured: " + table.status().message());
  }
  r["features"] = features;
  r["histograms"] = report::FeatureHistogramsToJson(real_features, gen_features);

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
  if (auto curves = report::ReadTrainingCurves(train::MetricsPath(o.model)); curves.ok()) {
    r["training"] = *curves;
  } else {
    note("no training curves: " + curves.status().message());
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
    const EvalSample& s = sampled->tunes[i];
    nlohmann::json ex = {{"title", s.title}, {"abc", s.abc}, {"seed", s.seed}};
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
  auto* cmd = app.add_subcommand("eval", "Evaluate a model: likelihood, validity, musical statistics, novelty");
  cmd->add_option("--model", o->model, "Model file (a checkpoint written by tunesmith train)")->required();
  cmd->add_option("--corpus", o->corpus,
                  "ABC files or folders: the test split is scored and compared, the train split indexed for novelty "
                  "(pass the corpus the model was trained on)")
      ->required();
  cmd->add_option("--samples", o->samples, "Tunes to sample")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Tune i is sampled with seed + i")->capture_default_str();
  cmd->add_option("--report", o->report_dir, "Write report.json, report.html, audio/ and midi/ into this folder");
  cmd->add_flag("--json", o->json, "Print report.json on stdout (docs/report.md)");
  cmd->add_option("--temperature", o->temperature, "Softmax temperature")->capture_default_str();
  cmd->add_option("--top-k", o->top_k, "Keep the k most likely tokens (0: off)")->capture_default_str();
  cmd->add_option("--top-p", o->top_p, "Nucleus sampling (1: off)")->capture_default_str();
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
