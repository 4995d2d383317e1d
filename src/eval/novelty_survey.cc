// tunesmith-novelty-survey: how close real unseen tunes come to the training
// set. Loads a corpus, builds the novelty index of its train split and
// measures every tune of the test (or valid) split against it: the figures
// that choose the novelty guard's default threshold (docs/novelty.md).
//
//   tunesmith-novelty-survey [--split test|valid] [--folds K] [--dedup-melody] [--top N] [--json] PATH...
//
// With --folds K it ignores the corpus split and measures every tune against
// an index of the others: the tunes are dealt into K folds by their corpus
// hash, and each fold is measured against the other K - 1 (more tunes, so
// steadier percentiles, with a training set of the same kind).
//
// With --dedup-melody a tune whose bar sequence equals an earlier tune's (the
// same melody written with other chords, R: or transcriber, which the
// corpus's own de-duplication keeps) is left out of both sides.
//
// The table goes to stdout; progress to stderr.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "corpus/corpus.h"
#include "corpus/novelty_index.h"
#include "eval/novelty.h"

namespace {

using tunesmith::eval::Summary;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

nlohmann::json ToJson(const Summary& s) {
  return {{"count", s.count}, {"mean", s.mean}, {"min", s.min},  {"median", s.median},
          {"p90", s.p90},     {"p95", s.p95},   {"max", s.max}};
}

void PrintRow(const char* name, const Summary& s) {
  std::printf("| %-26s | %5zu | %6.2f | %5.2f | %6.2f | %6.2f | %6.2f | %6.2f |\n", name, s.count, s.mean, s.min,
              s.median, s.p90, s.p95, s.max);
}

int Usage() {
  std::cerr << "usage: tunesmith-novelty-survey [--split test|valid] [--folds K] [--dedup-melody] [--top N] [--json] PATH...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace corpus = tunesmith::corpus;
  namespace eval = tunesmith::eval;
  std::vector<std::string> paths;
  corpus::Split split = corpus::Split::kTest;
  int top = 10;
  int folds = 0;
  bool json = false;
  bool dedup_melody = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--split" && i + 1 < argc) {
      const std::string v = argv[++i];
      if (v == "test") split = corpus::Split::kTest;
      else if (v == "valid") split = corpus::Split::kValid;
      else return Usage();
    } else if (arg == "--folds" && i + 1 < argc) {
      folds = std::atoi(argv[++i]);
      if (folds < 2) return Usage();
    } else if (arg == "--top" && i + 1 < argc) {
      top = std::atoi(argv[++i]);
    } else if (arg == "--dedup-melody") {
      dedup_melody = true;
    } else if (arg == "--json") {
      json = true;
    } else if (arg.starts_with("--")) {
      return Usage();
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) return Usage();

  auto start = std::chrono::steady_clock::now();
  auto loaded = corpus::LoadCorpus(paths);
  if (!loaded.ok()) {
    std::cerr << "tunesmith-novelty-survey: " << loaded.status().message() << "\n";
    return 1;
  }
  const corpus::Corpus& c = *loaded;
  std::cerr << "loaded " << c.stats.kept << " tunes (train " << c.stats.train << ", valid " << c.stats.valid
            << ", test " << c.stats.test << ") in " << Seconds(start) << " s\n";

  std::vector<corpus::IndexedTune> indexed;
  for (const corpus::CorpusTune& t : c.tunes) indexed.push_back(corpus::IndexTune(t));
  std::vector<bool> keep(c.tunes.size(), true);
  int melody_duplicates = 0;
  if (dedup_melody) {
    std::set<std::vector<corpus::BarHash>> seen;
    for (std::size_t i = 0; i < c.tunes.size(); ++i) {
      if (!seen.insert(indexed[i].bars).second) {
        keep[i] = false;
        ++melody_duplicates;
      }
    }
  }

  start = std::chrono::steady_clock::now();
  std::vector<corpus::IndexedTune> train;
  for (std::size_t i = 0; i < c.tunes.size(); ++i) {
    if (keep[i] && c.tunes[i].split == corpus::Split::kTrain) train.push_back(indexed[i]);
  }
  const corpus::NoveltyIndex index(std::move(train), c.Fingerprint() + "/train");
  const double build_s = Seconds(start);
  const std::string bytes = index.Serialize(true), bars_only = index.Serialize(false);
  start = std::chrono::steady_clock::now();
  auto reloaded = corpus::NoveltyIndex::Deserialize(bytes);
  const double load_s = Seconds(start);
  if (!reloaded.ok()) {
    std::cerr << "tunesmith-novelty-survey: " << reloaded.status().message() << "\n";
    return 1;
  }

  start = std::chrono::steady_clock::now();
  std::vector<eval::TuneNovelty> results;
  std::vector<const corpus::CorpusTune*> measured;
  auto measure = [&](const corpus::NoveltyIndex& against, const corpus::CorpusTune& t) {
    auto n = eval::MeasureNovelty(against, t.tune);
    if (!n.ok()) {
      std::cerr << "skipped: " << n.status().message() << "\n";
      return;
    }
    results.push_back(*n);
    measured.push_back(&t);
  };
  if (folds == 0) {
    for (std::size_t i = 0; i < c.tunes.size(); ++i) {
      if (keep[i] && c.tunes[i].split == split) measure(*reloaded, c.tunes[i]);
    }
  } else {
    for (int f = 0; f < folds; ++f) {
      std::vector<corpus::IndexedTune> others;
      for (std::size_t i = 0; i < c.tunes.size(); ++i) {
        if (keep[i] && static_cast<int>(c.tunes[i].hash % folds) != f) others.push_back(indexed[i]);
      }
      const corpus::NoveltyIndex fold_index(std::move(others), "fold");
      for (std::size_t i = 0; i < c.tunes.size(); ++i) {
        if (keep[i] && static_cast<int>(c.tunes[i].hash % folds) == f) measure(fold_index, c.tunes[i]);
      }
    }
  }
  const double measure_s = Seconds(start);
  const eval::NoveltySummary s = eval::SummariseNovelty(results);
  std::vector<double> bars, bar_share;
  for (const auto& r : results) {
    bars.push_back(r.bars);
    if (r.bars > 0) bar_share.push_back(static_cast<double>(r.longest_bar_run) / r.bars);
  }
  const Summary tune_bars = eval::Summarise(bars), run_share = eval::Summarise(bar_share);
  // How many tunes a guard of threshold T (block a run longer than T) would have blocked.
  std::vector<std::pair<int, int>> blocked;
  for (int threshold = 1; threshold <= 16; ++threshold) {
    int n = 0;
    for (const auto& r : results) n += r.longest_bar_run > threshold ? 1 : 0;
    blocked.push_back({threshold, n});
  }
  // The closest real tunes, with the training tune they are close to.
  std::vector<std::size_t> order(results.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return results[a].longest_bar_run > results[b].longest_bar_run;
  });
  order.resize(std::min<std::size_t>(order.size(), std::max(0, top)));

  if (json) {
    nlohmann::json out = {
        {"paths", paths},
        {"split", folds ? "all (" + std::to_string(folds) + " folds)" : corpus::SplitName(split)},
        {"train_tunes", index.size()},
        {"melody_duplicates_dropped", melody_duplicates},
        {"measured_tunes", results.size()},
        {"index_bytes", bytes.size()},
        {"index_bytes_bars_only", bars_only.size()},
        {"build_seconds", build_s},
        {"load_seconds", load_s},
        {"measure_seconds", measure_s},
        {"tune_bars", ToJson(tune_bars)},
        {"longest_bar_run", ToJson(s.longest_bar_run)},
        {"longest_bar_run_share_of_tune", ToJson(run_share)},
        {"longest_note_run", ToJson(s.longest_note_run)},
        {"window8_share", ToJson(s.window8_share)},
        {"window16_share", ToJson(s.window16_share)},
    };
    for (auto [t, n] : blocked) out["blocked_at_threshold"][std::to_string(t)] = n;
    for (std::size_t i : order) {
      out["closest"].push_back({{"title", measured[i]->tune.Title()},
                                {"bars", results[i].bars},
                                {"longest_bar_run", results[i].longest_bar_run},
                                {"longest_note_run", results[i].longest_note_run},
                                {"nearest", results[i].nearest_title}});
    }
    std::cout << tunesmith::base::JsonText(out, 2) << "\n";
    return 0;
  }

  std::printf("corpus: ");
  for (const auto& p : paths) std::printf("%s ", p.c_str());
  std::printf("\ntrain tunes indexed: %d; %s tunes measured: %zu", index.size(),
              folds ? "all" : corpus::SplitName(split), results.size());
  if (dedup_melody) std::printf("; melodic duplicates left out: %d", melody_duplicates);
  std::printf("\n");
  if (folds) std::printf("(measured: every tune against the other %d of %d folds)\n", folds - 1, folds);
  std::printf("index: %zu bytes (%zu without note windows); built in %.2f s, loaded in %.3f s; measured in %.2f s\n\n",
              bytes.size(), bars_only.size(), build_s, load_s, measure_s);
  std::printf("| %-26s | %5s | %6s | %5s | %6s | %6s | %6s | %6s |\n", "figure", "n", "mean", "min", "median", "p90",
              "p95", "max");
  std::printf("|%s|-------|--------|-------|--------|--------|--------|--------|\n", std::string(28, '-').c_str());
  PrintRow("bars per tune", tune_bars);
  PrintRow("longest shared bar run", s.longest_bar_run);
  PrintRow("  as a share of the tune", run_share);
  PrintRow("longest shared note run", s.longest_note_run);
  PrintRow("8-note windows found", s.window8_share);
  PrintRow("16-note windows found", s.window16_share);
  std::printf("\nlongest shared bar run, tunes per length:");
  {
    std::vector<int> hist;
    for (const auto& r : results) {
      if (r.longest_bar_run >= static_cast<int>(hist.size())) hist.resize(r.longest_bar_run + 1);
      ++hist[r.longest_bar_run];
    }
    for (std::size_t len = 0; len < hist.size(); ++len) {
      if (hist[len]) std::printf(" %zu:%d", len, hist[len]);
    }
  }
  std::printf("\nreal tunes a guard would block (longest bar run > T):");
  for (auto [t, n] : blocked) std::printf(" T=%d:%d", t, n);
  std::printf("\n\nclosest %s tunes:\n", corpus::SplitName(split));
  for (std::size_t i : order) {
    std::printf("  %2d of %2d bars, %3d notes: \"%s\" ~ \"%s\"\n", results[i].longest_bar_run, results[i].bars,
                results[i].longest_note_run, measured[i]->tune.Title().c_str(), results[i].nearest_title.c_str());
  }
  return 0;
}
