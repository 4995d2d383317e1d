// tunesmith generate: binds the flags to a generate::ComposeRequest, composes
// through generate::Composer (docs/generate.md), prints ABC on stdout (or one
// JSON object per tune with --json) and, with --out, writes the chosen
// formats through render::WriteTuneFiles.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "base/json_text.h"
#include "cli/commands.h"
#include "cli/compose_flags.h"
#include "corpus/corpus.h"
#include "generate/composer.h"
#include "generate/instrument.h"
#include "model/threads.h"
#include "render/tune_files.h"

namespace tunesmith::cli {
namespace {

namespace gen = tunesmith::generate;

// The exit code of a run Ctrl-C (or SIGTERM) ended: 128 + SIGINT, as a shell
// reports a program the signal ended.
constexpr int kExitInterrupted = 130;

struct GenerateArgs {
  std::string model;                // "" = the bundled model
  gen::ComposeRequest request;
  uint64_t seed = 0;
  std::string out;
  std::string format = "abc,mid,wav,svg";
  bool json = false;
  std::vector<std::string> corpus;  // to build the novelty index when the model has none
  int threads = 0;
  int program = -1;                 // MIDI melody program; -1: the instrument's
  bool quiet = false;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string NoveltyLine(const gen::ComposedTune& t) {
  if (!t.novelty) return "% novelty: unknown (no index)";
  const corpus::TuneNovelty& n = *t.novelty;
  return "% novelty: longest run shared with a training tune " + std::to_string(n.longest_bar_run) + " bars, " +
         std::to_string(n.longest_note_run) + " notes" +
         (n.nearest_title.empty() ? std::string() : " (nearest: " + n.nearest_title + ")");
}

// Ctrl-C (SIGINT) and SIGTERM: the first one lets the tune being written
// finish, whole, and ends the run there; the handler then steps aside, so a
// second one ends the program at once.
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void OnInterrupt(int signal_number) {
  g_interrupted = signal_number;
  static const char kMessage[] =
      "\ntunesmith generate: interrupted: finishing the tune being written, then stopping (again to quit at once)\n";
  const ssize_t ignored = ::write(2, kMessage, sizeof kMessage - 1);
  (void)ignored;
}

class InterruptHandler {
 public:
  InterruptHandler() {
    g_interrupted = 0;
    struct sigaction action {};
    action.sa_handler = OnInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_RESTART;
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptHandler() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

int RunGenerate(GenerateArgs a) {
  const std::string me = "tunesmith generate";
  const auto started = std::chrono::steady_clock::now();
  // Every value is checked before anything is loaded.
  if (Status s = gen::ValidateComposeRequest(a.request); !s.ok()) return Fail(me, s);
  auto formats = render::ParseTuneFormats(a.format);
  if (!formats.ok()) return Fail(me, formats.status());
  if (!a.out.empty()) {
    std::error_code ec;
    if (std::filesystem::exists(a.out, ec) && !std::filesystem::is_directory(a.out, ec)) {
      return Fail(me, Status::InvalidArgument("--out " + a.out + " is not a folder"));
    }
  }
  model::UseThreads(a.threads);

  // The model, and the corpus when it is needed for the novelty index.
  std::optional<corpus::Corpus> index_corpus;
  if (!a.corpus.empty()) {
    auto c = corpus::LoadCorpus(a.corpus);
    if (!c.ok()) return Fail(me, c.status().WithPrefix("--corpus: "));
    index_corpus = std::move(*c);
  }
  auto composer = gen::Composer::Open(a.model, index_corpus ? &*index_corpus : nullptr);
  if (!composer.ok()) return Fail(me, composer.status());
  const gen::Composer& c = **composer;
  const gen::ModelSummary& m = c.model();
  if (!a.quiet) {
    std::cerr << me << ": model " << m.path << " (" << m.architecture << ", " << m.layers << "x" << m.hidden << ", "
              << m.vocab_size << " tokens)\n";
  }
  if (index_corpus && !m.corpus_fingerprint.empty() && index_corpus->Fingerprint() != m.corpus_fingerprint) {
    std::cerr << me << ": warning: --corpus is not the corpus the model was trained on (fingerprint "
              << index_corpus->Fingerprint() << ", model " << m.corpus_fingerprint << ")\n";
  }
  for (const std::string& n : c.notes()) std::cerr << me << ": warning: " << n << "\n";
  if (const auto index = c.novelty_index(); index && !a.quiet) {
    std::cerr << me << ": novelty guard " << (a.request.novelty_threshold == 0 ? "off" : "on") << " ("
              << (c.novelty_source() == gen::NoveltySource::kCheckpoint ? "the model's index"
                                                                         : "an index of --corpus's train split")
              << ", " << index->size() << " training tunes, at most "
              << (a.request.novelty_threshold == 0 ? gen::kDefaultNoveltyThreshold : a.request.novelty_threshold)
              << " shared bars in a row)\n";
  }

  // Compose, and write, print and report each tune as soon as its batch is done.
  const bool tty = ::isatty(2) != 0;
  bool progress_shown = false;
  auto progress = [&](int done, int total) {
    if (a.quiet || total < 4 || !tty) return;
    std::cerr << "\r" << me << ": " << done << "/" << total << " tunes" << std::flush;
    progress_shown = done < total;
    if (done == total) std::cerr << "\n";
  };
  auto end_progress_line = [&] {
    if (progress_shown) std::cerr << "\n";
    progress_shown = false;
  };
  render::TuneFileOptions files;
  files.dir = a.out;
  files.formats = *formats;
  files.midi.chords = a.request.chords;
  std::optional<render::TuneFileWriter> writer;
  int failed_checks = 0, midi_warnings = 0, off_meter = 0, printed = 0, renamed = 0;
  Status write_error;
  bool told = false;  // the seed and the notes, said once before the first tune
  auto tell = [&](const gen::Composition& so_far) {
    if (told) return;
    told = true;
    if (so_far.seed_drawn && !a.quiet) std::cerr << me << ": seed " << so_far.seed << "\n";
    for (const std::string& n : so_far.notes) {
      if (!a.quiet || n.rfind("--prime", 0) == 0) std::cerr << me << ": " << n << "\n";
    }
  };
  InterruptHandler interrupts;
  auto sink = [&](gen::ComposedTune& t, const gen::Composition& so_far) -> bool {
    if (g_interrupted) return false;  // sampled after Ctrl-C: not written
    tell(so_far);
    nlohmann::json paths = nlohmann::json::object();
    nlohmann::json midi_check = nullptr;
    bool midi_failed = false;
    if (!a.out.empty()) {
      if (!writer) {
        auto instrument = gen::FindInstrument(so_far.instrument);
        files.midi.program = a.program >= 0 ? a.program : instrument.ok() ? instrument->program : 73;
        writer.emplace(files);
      }
      const std::string stem = std::to_string(t.index + 1) + "-" + render::Slug(t.title);
      auto written = writer->Write(t.abc, stem);
      if (!written.ok()) {
        // After Ctrl-C a tool may have been stopped by it too: the tune is dropped, not reported.
        if (!g_interrupted) write_error = written.status().WithPrefix("tune " + std::to_string(t.index + 1) + ": ");
        return false;
      }
      if (g_interrupted && !written->midi_error.empty()) {
        for (const auto& [format, path] : written->paths) ::unlink(path.c_str());
        return false;
      }
      if (written->stem != stem && !written->paths.empty()) {
        ++renamed;
        end_progress_line();
        std::cerr << me << ": tune " << t.index + 1 << ": " << stem << ".* is taken in " << a.out
                  << " (another run's files are never replaced): written as " << written->stem << ".*\n";
      }
      for (const auto& [format, path] : written->paths) paths[format] = path;
      if (written->midi_converted) {
        if (written->midi_error.empty()) {
          midi_warnings += written->midi_warnings;
          midi_check = {{"ok", true}, {"warnings", written->midi_warnings}};
        } else {
          end_progress_line();
          std::cerr << me << ": tune " << t.index + 1 << ": " << written->midi_error << "\n";
          midi_check = {{"ok", false}, {"error", written->midi_error}};
          midi_failed = true;
        }
      }
    }
    failed_checks += !t.ok + midi_failed;
    off_meter += t.checks.off_meter;
    if (a.json) {
      nlohmann::json j = gen::ComposedTuneToJson(t, so_far, a.request, c);
      j["checks"]["abc2midi"] = midi_check;
      j["paths"] = paths;
      std::cout << base::JsonText(j) << "\n";
    } else {
      std::cout << t.abc << NoveltyLine(t) << "\n\n";
    }
    std::cout.flush();
    ++printed;
    if (!t.ok) {
      end_progress_line();
      std::cerr << me << ": tune " << t.index + 1 << " failed its checks"
                << (t.checks.error.empty() ? "" : ": " + t.checks.error)
                << (t.checks.off_meter ? ": " + std::to_string(t.checks.off_meter) + " bars off the meter" : "")
                << (t.checks.structure.empty() ? "" : ": " + t.checks.structure) << "\n";
    }
    if (t.guard_gave_up) {
      end_progress_line();
      std::cerr << me << ": tune " << t.index + 1 << ": the novelty guard gave up after " << t.restarts
                << " restarts; it shares " << (t.novelty ? t.novelty->longest_bar_run : 0) << " bars in a row with '"
                << (t.novelty ? t.novelty->nearest_title : "") << "'\n";
    }
    return g_interrupted == 0;
  };
  auto composed = c.ComposeEach(a.request, sink, progress);
  end_progress_line();
  if (!composed.ok()) return Fail(me, composed.status());
  tell(*composed);
  if (!write_error.ok()) return Fail(me, write_error);
  std::cout.flush();
  const bool interrupted = g_interrupted != 0;
  if (!a.quiet) {
    const int count = std::max(printed, 1);
    const bool midi = files.Wants("mid") || files.Wants("wav");
    char line[320];
    std::snprintf(line, sizeof line,
                  "%s: %d tune%s in %.2f s (sampling %.2f s, %.1f ms/tune, %.0f tok/s), %d failed checks, %d bars off "
                  "meter%s\n",
                  me.c_str(), printed, printed == 1 ? "" : "s", Seconds(started), composed->seconds,
                  1000.0 * composed->seconds / count, composed->steps / std::max(composed->seconds, 1e-9),
                  failed_checks, off_meter,
                  midi ? (", " + std::to_string(midi_warnings) + " abc2midi warnings").c_str() : "");
    std::cerr << line;
    if (!a.out.empty()) {
      std::cerr << me << ": files in " << std::filesystem::absolute(a.out).string();
      if (renamed > 0) std::cerr << " (" << renamed << " under a new name: their names were taken)";
      std::cerr << "\n";
    }
  }
  if (interrupted) {
    std::cerr << me << ": interrupted: " << printed << " of " << a.request.count
              << " tunes written, each whole; the rest were not composed\n";
    return kExitInterrupted;
  }
  return failed_checks == 0 ? kExitOk : kExitRejected;
}

}  // namespace

void AddGenerateCommand(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  gen::ComposeRequest& r = args->request;
  auto* cmd = app.add_subcommand("generate", "Compose new tunes with a trained model");
  cmd->add_option("--model", args->model,
                  "Model checkpoint (default: the bundled models/default.ckpt, found beside the executable or the "
                  "source tree, or $TUNESMITH_MODEL)");
  cmd->add_option("-n,--count", r.count, "Number of tunes")->capture_default_str();
  auto* seed = cmd->add_option("--seed", args->seed,
                               "Random seed: the same model, settings and seed give the same tunes "
                               "(default: from the clock, printed on stderr)");
  cmd->add_option("--meter", r.meter, "Meter of every tune (6/8, 4/4, C, ...); default: the model chooses")
      ->check(NotEmpty("a meter (6/8, 4/4, C, ...); leave --meter out to let the model choose"));
  cmd->add_option("--key", r.key,
                  "Key to write the tunes in: a tonic (D, Bb, F#), optionally with a mode (Em, Ador); default: drawn, "
                  "for each tune, from the keys of the training tunes of its rhythm and mode")
      ->check(NotEmpty("a tonic (D, Bb, F#), optionally with a mode (Em, Ador); leave --key out to let the model "
                       "choose"));
  cmd->add_option("--mode", r.mode, "Mode (maj, min, dor, mix, ...); default: the model chooses")
      ->check(NotEmpty("a mode (maj, min, dor, mix, ...); leave --mode out to let the model choose"));
  cmd->add_option("--rhythm", r.rhythm, "Rhythm (jig, reel, hornpipe, waltz, ...); default: the model chooses")
      ->check(NotEmpty("a rhythm (jig, reel, hornpipe, ...); leave --rhythm out to let the model choose"));
  cmd->add_option("--prime", r.prime,
                  "An ABC fragment the tunes start with (read in --meter and --key); with a form of repeated parts "
                  "(the default AABB) it starts with the repeat sign: --prime '|:GABc'")
      ->check(NotEmpty("an ABC fragment, e.g. '|:GABc'"));
  AddComposeFlags(cmd, &r);
  cmd->add_flag("--chords,!--no-chords", r.chords,
                "Keep the chord symbols the model writes, played as an accompaniment (default); --no-chords drops them");
  cmd->add_option("--out", args->out,
                  "Folder to write the tunes to, in --format, as N-TITLE.FORMAT; a name already taken (another "
                  "run's tune) is never replaced: the tune gets the next free one, said on stderr")
      ->check(NotEmpty("a folder"));
  cmd->add_option("--format", args->format, "Formats written to --out: one or more of abc, mid, wav, svg (comma-separated)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "One JSON object per tune on stdout (abc, seed, settings, checks, novelty, paths)");
  cmd->add_option("--corpus", args->corpus, "Corpus the model was trained on: builds the novelty index if the model has none");
  AddThreadsFlag(cmd, &args->threads);
  cmd->add_option("--program", args->program,
                  "General MIDI program of the melody, 0-127 (73 flute, 40 violin, 0 piano); default: the "
                  "--instrument's")
      ->check(CLI::Range(0, 127));
  cmd->add_flag("-q,--quiet", args->quiet, "No progress or summary on stderr");
  cmd->footer(ExitCodesHelp());
  cmd->callback([args, seed] {
    if (seed->count() > 0) args->request.seed = args->seed;
    const int code = RunGenerate(*args);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
