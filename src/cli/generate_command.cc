// tunesmith generate [--model M] [-n N] [--meter 6/8] [--key G] [--mode min]
//   [--rhythm jig] [--bars 8] [--parts AABB] [--prime "ABC"] [--temperature T]
//   [--top-k K] [--top-p P] [--seed S] [--chords|--no-chords] [--out DIR]
//   [--format abc,mid,wav,svg] [--json]
//
// Composes tunes with a trained model through the sampler chain
// (src/generate, docs/generate.md): ABC on stdout (or one JSON object per tune
// with --json), each tune with an N: line that makes it again; progress and
// warnings on stderr; with --out, the chosen formats written to a folder.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_set>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "cli/commands.h"
#include "corpus/corpus.h"
#include "generate/conditioning.h"
#include "generate/generator.h"
#include "generate/grammar_mask.h"
#include "generate/instrument.h"
#include "generate/key_choice.h"
#include "generate/model_path.h"
#include "generate/novelty_guard.h"
#include "generate/title.h"
#include "generate/tune_output.h"
#include "model/load_model.h"
#include "render/render.h"
#include "render/synthesizer.h"
#include "tokens/abc_token.h"

namespace tunesmith::cli {
namespace {

namespace gen = tunesmith::generate;

struct GenerateArgs {
  std::string model;                  // "" = the bundled model
  int count = 1;                      // tunes
  uint64_t seed = 0;
  bool seed_given = false;            // else the seed comes from the clock (printed)
  std::string meter, key, mode, rhythm;
  int bars = 0;
  std::string parts;
  std::string prime;
  float temperature = 0.8f;           // chosen by the figures in docs/eval-default.md
  int top_k = 0;
  float top_p = 1.0f;
  bool chords = true;
  std::string out;
  std::string format = "abc,mid,wav,svg";
  bool json = false;
  std::vector<std::string> corpus;    // to build the novelty index when the model has none
  int threshold = gen::kDefaultNoveltyThreshold;
  bool no_guard = false;
  int min_bars = 8;
  int max_length = 600;
  int batch_size = 64;
  int candidates = 1;                 // drawn per tune; the most likely is kept
  int threads = 0;
  std::string instrument = "fiddle";  // range of the melody, and its MIDI program
  int program = -1;                   // MIDI melody program; -1: the instrument's
  bool quiet = false;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// "%.3g"-style for the N: line.
std::string Num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string Quote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" \t\"'\\|$&;<>()") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The options that decide a tune, as a command line (the N: line and --json's settings).
std::string Settings(const GenerateArgs& a, const std::string& model_shown, uint64_t seed) {
  std::string s = "--model " + Quote(model_shown) + " --seed " + std::to_string(seed);
  s += " --temperature " + Num(a.temperature) + " --top-k " + std::to_string(a.top_k) + " --top-p " + Num(a.top_p);
  if (!a.meter.empty()) s += " --meter " + Quote(a.meter);
  if (!a.mode.empty()) s += " --mode " + Quote(a.mode);
  if (!a.rhythm.empty()) s += " --rhythm " + Quote(a.rhythm);
  if (!a.key.empty()) s += " --key " + Quote(a.key);
  if (a.instrument != "fiddle") s += " --instrument " + Quote(a.instrument);
  if (!a.parts.empty()) s += " --parts " + a.parts;
  if (a.bars > 0) s += " --bars " + std::to_string(a.bars);
  if (!a.prime.empty()) s += " --prime " + Quote(a.prime);
  if (a.candidates != 1) s += " --candidates " + std::to_string(a.candidates);
  if (!a.chords) s += " --no-chords";
  if (a.no_guard) {
    s += " --no-novelty-guard";
  } else if (a.threshold != gen::kDefaultNoveltyThreshold) {
    s += " --novelty-threshold " + std::to_string(a.threshold);
  }
  if (a.min_bars != 8) s += " --min-bars " + std::to_string(a.min_bars);
  if (a.max_length != 600) s += " --max-length " + std::to_string(a.max_length);
  return s;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// "The Lark's Nest" -> "the-larks-nest".
std::string Slug(const std::string& title) {
  std::string out;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c == ' ' && !out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "tune" : out;
}

Status WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
  f.close();
  if (!f) return Status::Error("cannot write " + path.string());
  return Status::Ok();
}

class Failure {
 public:
  explicit Failure(std::string message) : message_(std::move(message)) {}
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

template <typename T>
T Need(Result<T> r, const std::string& what = "") {
  if (!r.ok()) throw Failure(what.empty() ? r.status().message() : what + ": " + r.status().message());
  return std::move(r.value());
}

int RunGenerate(GenerateArgs a) {
  const char* me = "tunesmith generate";
  const auto started = std::chrono::steady_clock::now();
  try {
    if (a.count < 1) throw Failure("-n must be at least 1");
    if (a.candidates < 1 || a.candidates > 64) throw Failure("--candidates must be in 1..64");
    if (a.threshold < 1) throw Failure("--novelty-threshold must be at least 1 bar");
    const std::vector<std::string> formats = SplitList(a.format);
    for (const auto& f : formats) {
      if (f != "abc" && f != "mid" && f != "wav" && f != "svg") {
        throw Failure("--format '" + f + "' is not one of abc, mid, wav, svg");
      }
    }
    at::set_num_threads(a.threads > 0 ? a.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));

    // The model.
    std::string model_path = a.model;
    std::string model_shown = a.model;
    if (model_path.empty()) {
      model_path = Need(gen::FindDefaultModel());
      model_shown = "models/default.ckpt";
    }
    model::LoadedModel loaded = Need(model::LoadModel(model_path));
    const tokens::Vocabulary& vocab = loaded.vocabulary;
    if (!a.quiet) {
      std::cerr << me << ": model " << model_path << " (" << model::ModelTypeName(loaded.model->config().type) << ", "
                << loaded.model->config().layers << "x" << loaded.model->config().hidden << ", " << vocab.size()
                << " tokens)\n";
    }

    // What the tunes must be.
    gen::GrammarOptions grammar;
    grammar.min_bars = a.min_bars;
    grammar.soft_max_tokens = a.max_length;
    // The default form is the commonest of jigs and reels: two repeated
    // 8-bar parts. "--parts free" lets the model decide (bounded by
    // --min-bars and --max-length); --bars alone is one part of that length.
    std::string parts = a.parts;
    if (parts.empty() && a.bars == 0) parts = "AABB";
    if (parts == "free") {
      if (a.bars > 0) throw Failure("--bars does not apply to --parts free (use --min-bars)");
      parts.clear();
    }
    grammar.structure = Need(gen::ParseStructure(parts, a.bars));
    if (!a.meter.empty()) grammar.meter = Need(gen::MeterToken(a.meter, vocab));
    if (!a.mode.empty()) grammar.mode = Need(gen::ModeToken(a.mode, vocab));
    if (!a.rhythm.empty()) grammar.rhythm = Need(gen::RhythmToken(a.rhythm, vocab));
    std::optional<tokens::NoteName> tonic;
    if (!a.key.empty()) {
      gen::KeyRequest key = Need(gen::ParseKey(a.key));
      tonic = key.tonic;
      if (key.mode) {
        const std::string mode_token = tokens::FormatMode(*key.mode);
        if (!grammar.mode.empty() && grammar.mode != mode_token) {
          throw Failure("--key " + a.key + " names the mode " + abc::ModeName(*key.mode) + " but --mode says " +
                        grammar.mode.substr(2));
        }
        grammar.mode = Need(gen::ModeToken(abc::ModeName(*key.mode), vocab));
      }
    }
    const gen::Instrument instrument = Need(gen::FindInstrument(a.instrument));
    const int program = a.program >= 0 ? a.program : instrument.program;
    std::optional<gen::KeyTable> key_table = Need(gen::KeyTableFromExtras(loaded.checkpoint.extras));
    if (!key_table && tonic == std::nullopt && !a.quiet) {
      std::cerr << me << ": the model carries no table of keys: tunes are written in C (give --key)\n";
    }
    std::vector<std::string> prime;
    if (!a.prime.empty()) {
      if (grammar.meter.empty()) {
        grammar.meter = Need(gen::MeterToken("4/4", vocab), "--prime without --meter reads the fragment in 4/4");
        std::cerr << me << ": --prime: reading the fragment in M:4/4 (give --meter to change it)\n";
      }
      if (grammar.mode.empty()) {
        grammar.mode = Need(gen::ModeToken("maj", vocab), "--prime without --mode reads the fragment in major");
        std::cerr << me << ": --prime: reading the fragment in major (give --mode or --key to change it)\n";
      }
      if (!tonic) {
        // A fragment without --key is read in the key that best holds it.
        tonic = gen::KeyOfFragment(gen::FragmentLetters(a.prime),
                                   key_table ? key_table->Tonics(grammar.rhythm.empty() ? "R:other" : grammar.rhythm,
                                                                 grammar.mode)
                                             : std::vector<std::pair<tokens::NoteName, int>>{{tokens::NoteName{}, 1}});
        if (!a.quiet) std::cerr << me << ": --prime: reading the fragment in " << gen::NoteNameString(*tonic) << " (give --key to change it)\n";
      }
      prime = Need(gen::PrimeTokens(a.prime, grammar.meter, grammar.mode, *tonic, vocab));
    }
    auto rules = Need(gen::GrammarRules::Make(vocab, grammar));

    // The novelty index: in the checkpoint, or built from --corpus, or none.
    std::shared_ptr<const corpus::NoveltyIndex> index;
    std::string novelty_source;
    if (auto from_model = Need(gen::NoveltyIndexFromExtras(loaded.checkpoint.extras)); from_model) {
      index = std::make_shared<corpus::NoveltyIndex>(std::move(*from_model));
      novelty_source = "the model's index";
    } else if (!a.corpus.empty()) {
      corpus::Corpus c = Need(corpus::LoadCorpus(a.corpus), "--corpus");
      if (!loaded.checkpoint.corpus_fingerprint.empty() && c.Fingerprint() != loaded.checkpoint.corpus_fingerprint) {
        std::cerr << me << ": warning: --corpus is not the corpus the model was trained on (fingerprint "
                  << c.Fingerprint() << ", model " << loaded.checkpoint.corpus_fingerprint << ")\n";
      }
      index = std::make_shared<corpus::NoveltyIndex>(corpus::BuildNoveltyIndex(c, corpus::Split::kTrain));
      novelty_source = "an index of --corpus's train split";
    } else {
      std::cerr << me << ": warning: the model carries no novelty index and no --corpus was given: "
                   "the novelty guard is off and novelty is reported as unknown\n";
    }
    if (index && !a.quiet) {
      std::cerr << me << ": novelty guard " << (a.no_guard ? "off" : "on") << " (" << novelty_source << ", "
                << index->size() << " training tunes, at most " << a.threshold << " shared bars in a row)\n";
    }
    std::optional<gen::NoveltyGuard> guard;
    if (index && !a.no_guard) guard.emplace(index, a.threshold);

    // Sample.
    const uint64_t seed = a.seed_given ? a.seed : std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
    if (!a.seed_given && !a.quiet) std::cerr << me << ": seed " << seed << "\n";
    gen::GenerateOptions options;
    options.count = a.count;
    options.seed = seed;
    options.sampling = {a.temperature, a.top_k, a.top_p};
    options.prime = prime;
    options.batch_size = a.batch_size;
    options.candidates = a.candidates;
    options.keys.tonic = tonic;
    options.keys.table = key_table ? &*key_table : nullptr;
    options.keys.instrument = instrument;
    gen::Generator generator(loaded.model, rules, guard ? &*guard : nullptr);
    const auto sampling_started = std::chrono::steady_clock::now();
    const bool tty = ::isatty(2) != 0;
    auto progress = [&](int done, int total) {
      if (a.quiet || total < 4 || !tty) return;
      std::cerr << "\r" << me << ": " << done << "/" << total << " tunes" << std::flush;
      if (done == total) std::cerr << "\n";
    };
    std::vector<gen::SampledTune> sampled = Need(generator.Generate(options, progress));
    const double sampling_seconds = Seconds(sampling_started);

    // Write, check and report each tune.
    std::unordered_set<std::string> taken;
    if (index) {
      for (int i = 0; i < index->size(); ++i) taken.insert(gen::TitleMaker::TitleKey(index->tune(i).title));
    }
    gen::TitleMaker titles(std::move(taken));  // never the same title twice in a run
    std::unique_ptr<render::MidiSynthesizer> synth;
    std::filesystem::path out_dir;
    if (!a.out.empty()) {
      out_dir = a.out;
      std::error_code ec;
      std::filesystem::create_directories(out_dir, ec);
      if (ec) throw Failure("--out " + a.out + ": " + ec.message());
    }
    auto wants = [&](const char* f) { return !a.out.empty() && std::find(formats.begin(), formats.end(), f) != formats.end(); };
    int64_t tokens_total = 0, steps_total = 0;
    int failed_checks = 0, midi_warnings = 0, off_meter = 0;
    for (const gen::SampledTune& t : sampled) {
      tokens_total += static_cast<int64_t>(t.tokens.size()) - 1;
      steps_total += t.steps;
      const std::string rhythm = t.tokens.size() > 3 ? t.tokens[3].substr(2) : "other";
      gen::TuneTextOptions text_options;
      text_options.x = t.index + 1;
      text_options.title = titles.Make(t.seed, rhythm, t.tokens.size() > 1 ? t.tokens[1].substr(2) : "");
      text_options.tonic = t.tonic;
      text_options.chord_symbols = a.chords;
      const std::string settings = Settings(a, model_shown, t.seed);
      text_options.provenance = "tunesmith generate " + settings;
      gen::TuneText text = Need(gen::WriteGeneratedTune(t.tokens, text_options), "tune " + std::to_string(t.index + 1));
      const gen::TuneChecks checks = gen::CheckGeneratedTune(text.abc, t.tokens, grammar.structure);
      const gen::NoveltyReport novelty = gen::MeasureNovelty(index.get(), t.tokens, text.tune);
      const bool ok = checks.read_ok && checks.off_meter == 0 && checks.structure.empty();
      failed_checks += !ok;
      off_meter += checks.off_meter;

      nlohmann::json paths = nlohmann::json::object();
      nlohmann::json midi_check = nullptr;
      if (!a.out.empty()) {
        const std::string stem = std::to_string(t.index + 1) + "-" + Slug(text_options.title);
        if (wants("abc")) {
          const auto p = out_dir / (stem + ".abc");
          if (Status s = WriteFile(p, text.abc); !s.ok()) throw Failure(s.message());
          paths["abc"] = p.string();
        }
        if (wants("mid") || wants("wav")) {
          render::MidiOptions midi;
          midi.program = program;
          midi.chords = a.chords;
          auto m = render::AbcToMidi(text.abc, midi, {stem + ".abc", 1});
          if (!m.ok()) {
            std::cerr << me << ": tune " << t.index + 1 << ": " << m.status().message() << "\n";
            midi_check = {{"ok", false}, {"error", m.status().message()}};
            ++failed_checks;
          } else {
            midi_warnings += static_cast<int>(m->messages.size());
            midi_check = {{"ok", true}, {"warnings", m->messages.size()}};
            if (wants("mid")) {
              const auto p = out_dir / (stem + ".mid");
              if (Status s = WriteFile(p, m->bytes); !s.ok()) throw Failure(s.message());
              paths["mid"] = p.string();
            }
            if (wants("wav")) {
              if (!synth) synth = Need(render::MidiSynthesizer::Open(), "--format wav");
              const auto p = out_dir / (stem + ".wav");
              Need(synth->RenderToWav(m->bytes, p), "tune " + std::to_string(t.index + 1) + " WAV");
              paths["wav"] = p.string();
            }
          }
        }
        if (wants("svg")) {
          auto svg = render::AbcToSvg(text.abc);
          if (!svg.ok()) throw Failure("tune " + std::to_string(t.index + 1) + " SVG: " + svg.status().message());
          const auto p = out_dir / (stem + ".svg");
          if (Status s = WriteFile(p, svg->svg); !s.ok()) throw Failure(s.message());
          paths["svg"] = p.string();
        }
      }

      if (a.json) {
        nlohmann::json j;
        j["x"] = t.index + 1;
        j["title"] = text_options.title;
        j["abc"] = text.abc;
        j["seed"] = t.seed;
        j["key"] = gen::NoteNameString(t.tonic) + (text.tune.key.mode == abc::Mode::kMajor ? "" : abc::ModeName(text.tune.key.mode));
        j["settings"] = {{"command", "tunesmith generate " + settings},
                         {"model", model_shown},
                         {"temperature", a.temperature},
                         {"top_k", a.top_k},
                         {"top_p", a.top_p},
                         {"candidates", a.candidates},
                         {"meter", grammar.meter.empty() ? nullptr : nlohmann::json(grammar.meter.substr(2))},
                         {"mode", grammar.mode.empty() ? nullptr : nlohmann::json(grammar.mode.substr(2))},
                         {"rhythm", grammar.rhythm.empty() ? nullptr : nlohmann::json(grammar.rhythm.substr(2))},
                         {"key", a.key.empty() ? nullptr : nlohmann::json(a.key)},
                         {"instrument", instrument.name},
                         {"structure", grammar.structure.ToString()},
                         {"prime", a.prime.empty() ? nullptr : nlohmann::json(a.prime)},
                         {"chords", a.chords}};
        j["checks"] = {{"read", checks.read_ok},
                       {"read_warnings", checks.read_warnings},
                       {"bars", checks.bars},
                       {"off_meter_bars", checks.off_meter},
                       {"structure", checks.structure.empty() ? nlohmann::json(true) : nlohmann::json(checks.structure)},
                       {"abc2midi", midi_check}};
        if (!checks.error.empty()) j["checks"]["error"] = checks.error;
        j["novelty"] = {{"known", novelty.known},
                        {"nearest_training_tune", novelty.known ? nlohmann::json(novelty.nearest_title) : nlohmann::json(nullptr)},
                        {"longest_shared_bars", novelty.known ? nlohmann::json(novelty.longest_bar_run) : nlohmann::json(nullptr)},
                        {"longest_shared_notes",
                         novelty.known && index->has_notes() ? nlohmann::json(novelty.longest_note_run) : nlohmann::json(nullptr)},
                        {"guard", {{"on", guard.has_value()},
                                   {"threshold", a.threshold},
                                   {"bars_drawn_again", t.bar_retries},
                                   {"restarts", t.restarts},
                                   {"gave_up", t.guard_gave_up}}}};
        j["tokens"] = static_cast<int64_t>(t.tokens.size());
        j["bits_per_token"] = t.scored > 0 ? -t.log_prob / t.scored / std::log(2.0) : 0.0;
        j["paths"] = paths;
        std::cout << j.dump() << "\n";
      } else {
        std::cout << text.abc;
        std::cout << "% novelty: " << (novelty.known ? "longest run shared with a training tune " +
                                                            std::to_string(novelty.longest_bar_run) + " bars, " +
                                                            std::to_string(novelty.longest_note_run) + " notes" +
                                                            (novelty.nearest_title.empty() ? std::string()
                                                                                           : " (nearest: " + novelty.nearest_title + ")")
                                                      : std::string("unknown (no index)"))
                  << "\n\n";
      }
      if (!ok) {
        std::cerr << me << ": tune " << t.index + 1 << " failed its checks"
                  << (checks.error.empty() ? "" : ": " + checks.error)
                  << (checks.off_meter ? ": " + std::to_string(checks.off_meter) + " bars off the meter" : "")
                  << (checks.structure.empty() ? "" : ": " + checks.structure) << "\n";
      }
      if (t.guard_gave_up) {
        std::cerr << me << ": tune " << t.index + 1 << ": the novelty guard gave up after " << t.restarts
                  << " restarts; it shares " << novelty.longest_bar_run << " bars in a row with '" << novelty.nearest_title
                  << "'\n";
      }
    }
    std::cout.flush();
    if (!a.quiet) {
      char line[256];
      std::snprintf(line, sizeof line,
                    "%s: %d tune%s in %.2f s (sampling %.2f s, %.1f ms/tune, %.0f tok/s), %d failed checks, %d bars off "
                    "meter%s\n",
                    me, a.count, a.count == 1 ? "" : "s", Seconds(started), sampling_seconds,
                    1000.0 * sampling_seconds / a.count, steps_total / std::max(sampling_seconds, 1e-9), failed_checks,
                    off_meter,
                    wants("mid") || wants("wav") ? (", " + std::to_string(midi_warnings) + " abc2midi warnings").c_str() : "");
      std::cerr << line;
      if (!a.out.empty()) std::cerr << me << ": files in " << std::filesystem::absolute(out_dir).string() << "\n";
    }
    return failed_checks == 0 ? kExitOk : kExitRejected;
  } catch (const Failure& f) {
    std::cerr << me << ": " << f.message() << "\n";
    return kExitUsage;
  } catch (const c10::Error& e) {
    std::cerr << me << ": LibTorch: " << e.what_without_backtrace() << "\n";
    return kExitUsage;
  }
}

}  // namespace

void AddGenerateCommand(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  auto* cmd = app.add_subcommand("generate", "Compose new tunes with a trained model");
  cmd->add_option("--model", args->model,
                  "Model checkpoint (default: the bundled models/default.ckpt, found beside the executable or the "
                  "source tree, or $TUNESMITH_MODEL)");
  cmd->add_option("-n,--count", args->count, "Number of tunes")->capture_default_str();
  auto* seed = cmd->add_option("--seed", args->seed,
                               "Random seed: the same model, settings and seed give the same tunes "
                               "(default: from the clock, printed on stderr)");
  cmd->add_option("--meter", args->meter, "Meter of every tune (6/8, 4/4, C, ...); default: the model chooses");
  cmd->add_option("--key", args->key,
                  "Key to write the tunes in: a tonic (D, Bb, F#), optionally with a mode (Em, Ador); default: drawn, "
                  "for each tune, from the keys of the training tunes of its rhythm and mode");
  cmd->add_option("--instrument", args->instrument,
                  "Instrument the melody keeps to, in the tune's key, and plays on: " + gen::InstrumentsHelp())
      ->capture_default_str();
  cmd->add_option("--mode", args->mode, "Mode (maj, min, dor, mix, ...); default: the model chooses");
  cmd->add_option("--rhythm", args->rhythm, "Rhythm (jig, reel, hornpipe, waltz, ...); default: the model chooses");
  cmd->add_option("--bars", args->bars, "Bars per part (with --parts; alone: the tune's length in bars)");
  cmd->add_option("--parts", args->parts, "Form: a doubled letter is a repeated part (AABB, AB, AABBCC), 8 bars each unless --bars; "
                  "'free' lets the model decide (default: AABB, or one part when only --bars is given)");
  cmd->add_option("--prime", args->prime, "An ABC fragment the tunes start with (read in --meter and --key)");
  cmd->add_option("--temperature", args->temperature, "Softmax temperature; 0 is greedy")->capture_default_str();
  cmd->add_option("--top-k", args->top_k, "Draw from the K most likely tokens only; 0 is off")->capture_default_str();
  cmd->add_option("--top-p", args->top_p, "Draw from the most likely tokens holding this much probability; 1 is off")
      ->capture_default_str();
  cmd->add_flag("--chords,!--no-chords", args->chords,
                "Keep the chord symbols the model writes, played as an accompaniment (default); --no-chords drops them");
  cmd->add_option("--out", args->out, "Folder to write the tunes to, in --format");
  cmd->add_option("--format", args->format, "Formats written to --out: abc, mid, wav, svg (comma-separated)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "One JSON object per tune on stdout (abc, seed, settings, checks, novelty, paths)");
  cmd->add_option("--corpus", args->corpus, "Corpus the model was trained on: builds the novelty index if the model has none");
  cmd->add_option("--novelty-threshold", args->threshold,
                  "Most bars in a row a tune may share with one training tune (docs/novelty.md)")
      ->capture_default_str();
  cmd->add_flag("--no-novelty-guard", args->no_guard, "Do not block copies (novelty is still reported)");
  cmd->add_option("--min-bars", args->min_bars, "--parts free: the fewest bars a tune may have")->capture_default_str();
  cmd->add_option("--max-length", args->max_length, "--parts free: tokens after which the tune is closed at the next bar")
      ->capture_default_str();
  cmd->add_option("--candidates", args->candidates,
                  "Tunes drawn for each one written; the one the model finds most likely (per token) is kept")
      ->capture_default_str();
  cmd->add_option("--batch-size", args->batch_size, "Tunes sampled together (1: one at a time, exactly as -n 1)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "LibTorch threads; 0 is every core")->capture_default_str();
  cmd->add_option("--program", args->program,
                  "General MIDI program of the melody (73 flute, 40 violin, 0 piano); default: the --instrument's");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  cmd->callback([args, seed] {
    args->seed_given = seed->count() > 0;
    const int code = RunGenerate(*args);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
