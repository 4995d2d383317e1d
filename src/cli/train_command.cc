// tunesmith train: binds the flags to train::TrainCorpusOptions, loads the
// corpus and trains on it (train::TrainOnCorpus: the preset, the vocabulary,
// the training loop, the best model scored on the test split). The model
// carries what generation needs (generate::ModelExtras).
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/compose_flags.h"
#include "cli/flag_checks.h"
#include "corpus/corpus.h"
#include "generate/composer.h"
#include "model/threads.h"
#include "train/train_corpus.h"

namespace tunesmith::cli {
namespace {

struct TrainArgs {
  train::TrainCorpusOptions options;
  std::vector<std::string> corpus;  // ABC files or folders
  int threads = 0;                  // 0: every core
  bool json = false;
};

// Ctrl-C: training stopped after writing MODEL.last (128 + SIGINT, as a shell reports it).
constexpr int kExitInterrupted = 130;

int RunTrain(TrainArgs a) {
  const std::string me = "tunesmith train";
  if (Status st = train::CheckTrainOptions(a.options); !st.ok()) return Fail(me, st);
  // Distributed: ranks on one machine share its cores (LOCAL_WORLD_SIZE, set
  // by torchrun), and only rank 0 prints.
  bool quiet = false;
  if (a.options.distributed) {
    const char* local = std::getenv("LOCAL_WORLD_SIZE");
    const int ranks_here = local ? std::max(1, std::atoi(local)) : 1;
    if (a.threads == 0) a.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / ranks_here);
    const char* rank = std::getenv("RANK");
    quiet = rank && std::atoi(rank) != 0;
  }
  model::UseThreads(a.threads);
  auto corpus = corpus::LoadCorpus(a.corpus);
  if (!corpus.ok()) return Fail(me, corpus.status());
  const auto& stats = corpus->stats;
  if (!quiet) std::cerr << me << ": corpus: " << stats.kept << " tunes (" << stats.train << " train, " << stats.valid
            << " valid, " << stats.test << " test), " << stats.rejected << " rejected, " << stats.duplicates
            << " duplicates dropped; fingerprint " << corpus->Fingerprint() << "\n";
  a.options.extras = generate::ModelExtras(*corpus);
  auto result = train::TrainOnCorpus(a.options, *corpus, [&](const std::string& line) { std::cerr << me << ": " << line << "\n"; });
  if (!result.ok()) return Fail(me, result.status());
  if (a.json && !quiet) std::cout << result->dump(2) << "\n";
  if (result->value("stop_reason", "") == "interrupted") {
    std::cerr << me << ": interrupted after step " << result->value("steps", 0) << "; " << a.options.out
              << ".last holds it: continue with the same command and --resume\n";
    return kExitInterrupted;
  }
  return kExitOk;
}

}  // namespace

void AddTrainCommand(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  train::TrainCorpusOptions* o = &a->options;
  auto* cmd = app.add_subcommand("train", "Train a model on a corpus of ABC tunes");
  cmd->add_option("--config", o->config, "Preset name (configs/NAME.json) or JSON file")->capture_default_str();
  cmd->add_option("--corpus", a->corpus, "ABC files or folders (searched recursively)")->required();
  cmd->add_option("--out", o->out, "Model file to write (MODEL.last and MODEL.metrics.jsonl go beside it)")
      ->required();
  cmd->add_option("--epochs", o->epochs, "Passes over the training split (0: the preset's)")
      ->capture_default_str()
      ->check(InRange(0, 100000));
  AddThreadsFlag(cmd, &a->threads);
  cmd->get_option("--threads")->check(InRange(0, 1024));
  cmd->add_flag("--resume", o->resume, "Continue exactly where MODEL.last stopped (same data order and RNG)");
  cmd->add_option("--seed", o->seed, "Seed of the initial weights, dropout and data order")->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--device", o->device, "auto (cuda when available), cpu, cuda or cuda:N")->capture_default_str();
  cmd->add_flag("--distributed", o->distributed,
                "Train as one rank of a data-parallel group: RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT from the "
                "environment (python3 -m torch.distributed.run sets them; docs/distributed.md)");
  cmd->add_option("--distributed-timeout", o->distributed_timeout,
                  "Seconds a rank waits for the others before failing with the rank that stopped")
      ->capture_default_str();
  cmd->add_option("--max-minutes", o->max_minutes, "Wall-clock budget; then MODEL.last is written (0: none)")
      ->capture_default_str()
      ->check(InRange(0.0, 1e6));
  cmd->add_flag("--json", a->json, "Print a JSON summary (valid and test figures, tok/s) on stdout");
  cmd->footer(ExitCodesHelp() + " 130 interrupted (Ctrl-C): MODEL.last was written; add --resume to continue.");
  cmd->callback([a] {
    const int code = RunTrain(*a);
    if (code != kExitOk) throw ExitCode{code};
  });
}

}  // namespace tunesmith::cli
