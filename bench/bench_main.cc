// tunesmith-bench [--threads N] [--json]: speed and memory on this machine,
// next to peers, in one run (docs/performance.md). A developer's tool built
// from bench/ (it runs the Python peers beside it), not a tunesmith command:
//   - the ABC reader (MB/s) against abc2midi on the same files;
//   - the fp32 matrix-multiply peak through LibTorch (torch::mm 1024^3, 2048^3);
//   - training tokens/s and GFLOP/s for the default preset, against the same
//     model in Python (bench/train_peer.py) on the same batches;
//   - sampling tokens/s at batch 1 and 64 and ms per tune, against the Python
//     peer (bench/sample_peer.py);
//   - peak RSS of training and of generation, each in its own child process.
// Every figure uses --threads LibTorch threads. Ratios are tunesmith / peer.
// The timed loops are the stage libraries' (abc/read_speed.h,
// render/abc2midi_speed.h, model/blas.h, train/throughput.h,
// generate/throughput.h); this file runs them and prints the figures.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "abc/files.h"
#include "abc/read_speed.h"
#include "bench_children.h"
#include "bench_process.h"
#include "corpus/corpus.h"
#include "generate/model_path.h"
#include "model/blas.h"
#include "model/checkpoint.h"
#include "render/abc2midi_speed.h"
#include "train/throughput.h"
#include "train/train_config.h"

namespace tunesmith::bench {
namespace {

namespace fs = std::filesystem;
constexpr const char* kMe = "tunesmith-bench";
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // a figure tunesmith should have taken could not be
constexpr int kExitUsage = 2;   // usage or I/O error
constexpr const char* kPython = "/usr/bin/python3";  // Debian's python3-torch is importable by this one only

struct BenchOptions {
  int threads = 0;                  // LibTorch threads for every figure (0: every core)
  bool json = false;                // one JSON object on stdout
  bool quick = false;               // tiny sizes (tests): the keys, not meaningful figures
  int repeats = 3;                  // runs of each timed measurement (tunesmith and peer alternating); the median is kept
  std::vector<std::string> corpus;  // ABC files or folders to parse (default: data/corpus of the source tree)
  std::string model;                // model to sample (default: the bundled one, else random weights)
  std::string child;                // internal: run one measurement as a child process
  std::string spec;                 // internal: its JSON
};

// The source tree this tool was built from (bench/CMakeLists.txt compiles it
// in: the tool runs bench/*.py and reads configs/ and data/corpus there).
fs::path SourceDir() {
  if (const char* env = std::getenv("TUNESMITH_SOURCE_DIR")) return env;
  return TUNESMITH_BENCH_SOURCE_DIR;
}

std::vector<std::string> ConfigDirs() {
  std::vector<std::string> dirs = {(SourceDir() / "configs").string()};
  if (const char* env = std::getenv("TUNESMITH_CONFIGS")) dirs.push_back(env);
  return dirs;
}

fs::path BenchDir() {
  if (const char* env = std::getenv("TUNESMITH_BENCH_DIR")) return env;
  return SourceDir() / "bench";
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(colon + 1);
        name.erase(0, name.find_first_not_of(" \t"));
        return name;
      }
    }
  }
  return "unknown";
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// A ratio, or null when either side was not measured.
nlohmann::json Ratio(const nlohmann::json& a, const nlohmann::json& b) {
  if (!a.is_number() || !b.is_number() || b.get<double>() <= 0) return nullptr;
  return a.get<double>() / b.get<double>();
}

// Runs a Python peer script so that it reports its own peak RSS: the script's
// last JSON line on stdout, with "vm_hwm_mb" (VmHWM) added.
constexpr const char* kPeakRssWrapper = R"PY(
import contextlib, io, json, runpy, sys
script = sys.argv[1]
sys.argv = sys.argv[1:]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    runpy.run_path(script, run_name="__main__")
result = json.loads([l for l in out.getvalue().splitlines() if l.startswith("{")][-1])
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("VmHWM:"):
            result["vm_hwm_mb"] = int(line.split()[1]) / 1024.0
print(json.dumps(result))
)PY";

// Runs a child (tunesmith-bench --child KIND, or a Python peer) and
// returns its JSON result with "_rss_mb" (its own peak RSS, which it
// reports; null if it does not) and "_seconds" added; an error names the
// command and shows the end of its stderr.
Result<nlohmann::json> RunMeasured(const std::vector<std::string>& argv) {
  auto run = RunChild(argv);
  if (!run.ok()) return run.status();
  const std::string line = LastJsonLine(run->out);
  if (run->exit_code != 0 || line.empty()) {
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + a;
    return Status::Error(cmd + " failed (exit " + std::to_string(run->exit_code) + "):\n" + run->err_tail);
  }
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) return Status::Error("unreadable result from " + argv[0] + ": " + line);
  // Not run->max_rss_mb: after posix_spawn the kernel starts a child's
  // ru_maxrss from the parent's own high-water mark.
  j["_rss_mb"] = j.contains("vm_hwm_mb") ? j["vm_hwm_mb"] : nlohmann::json(nullptr);
  j["_seconds"] = run->seconds;
  return j;
}

Result<nlohmann::json> RunPeer(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kPython, "-c", kPeakRssWrapper, script};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunMeasured(argv);
}

Result<nlohmann::json> RunSelfChild(const std::string& kind, const nlohmann::json& spec) {
  return RunMeasured({SelfExe(), "--child", kind, "--spec", spec.dump()});
}

struct SampleModel {
  std::string path;
  std::string origin;  // "given", "bundled", "random weights"
  model::ModelConfig config;
  int64_t vocab_size = 0;
};

// The model bench samples: --model, else the bundled one, else the preset's
// network with random weights over the corpus's abc-token vocabulary.
Result<SampleModel> ResolveSampleModel(const BenchOptions& o, const train::TrainConfig& preset,
                                       const std::vector<std::string>& corpus, const std::string& scratch) {
  SampleModel m;
  if (!o.model.empty()) {
    m.path = o.model;
    m.origin = "given";
  } else if (auto found = generate::FindDefaultModel(); found.ok() && !o.quick) {
    m.path = *found;
    m.origin = "bundled";
  } else {
    auto loaded = corpus::LoadCorpus(corpus);
    if (!loaded.ok()) return loaded.status();
    const tokens::Vocabulary vocab = corpus::BuildVocabulary(*loaded, tokens::TokenizerKind::kAbcToken);
    m.path = scratch + "/random.ckpt";
    m.origin = "random weights";
    if (Status st = WriteRandomModel(preset.model, vocab, m.path); !st.ok()) return st;
  }
  auto ckpt = model::ReadCheckpoint(m.path);
  if (!ckpt.ok()) return ckpt.status();
  m.config = ckpt->model;
  m.vocab_size = ckpt->model.vocab_size;
  return m;
}

void PrintTable(const nlohmann::json& r, std::ostream& out) {
  auto f = [&](const char* key, int decimals) {
    if (!r.contains(key) || !r[key].is_number()) return std::string("—");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, r[key].get<double>());
    return std::string(buf);
  };
  out << "tunesmith-bench: " << r["cpu"].get<std::string>() << ", " << r["cores"].get<int>() << " cores, "
      << r["threads"].get<int>() << " threads" << (r["quick"].get<bool>() ? " (quick: tiny sizes)" : "") << "\n";
  out << "  parse            " << f("parse_mb_s", 1) << " MB/s   abc2midi " << f("abc2midi_mb_s", 2)
      << " MB/s   ratio " << f("parse_vs_abc2midi", 1) << "\n";
  out << "  sgemm peak       " << f("sgemm_gflop_s", 1) << " GFLOP/s (torch::mm 1024^3 " << f("sgemm_1024_gflop_s", 1)
      << ", 2048^3 " << f("sgemm_2048_gflop_s", 1) << "), BLAS " << r["blas"]["kind"].get<std::string>() << "\n";
  out << "  train            " << f("train_tok_s", 0) << " tok/s, " << f("train_gflop_s", 1) << " GFLOP/s ("
      << f("train_vs_peak", 2) << " of the peak)   python " << f("train_python_tok_s", 0) << " tok/s   ratio "
      << f("train_vs_python", 2) << "   torch::nn::LSTM " << f("train_nn_lstm_tok_s", 0) << " tok/s\n";
  out << "  sample, model    b1 " << f("sample_model_tok_s_b1", 0) << " tok/s, b64 " << f("sample_model_tok_s_b64", 0)
      << " tok/s   python b1 " << f("sample_python_tok_s_b1", 0) << ", b64 " << f("sample_python_tok_s_b64", 0)
      << "   ratio b1 " << f("sample_vs_python", 2) << ", b64 " << f("sample_vs_python_b64", 2) << "\n";
  out << "  generate         b1 " << f("sample_tok_s_b1", 0) << " tok/s, b64 " << f("sample_tok_s_b64", 0)
      << " tok/s   " << f("ms_per_tune", 1) << " ms per tune (b1), " << f("ms_per_tune_b64", 1) << " (b64)\n";
  out << "  peak RSS         train " << f("rss_train_mb", 0) << " MB (python " << f("rss_train_python_mb", 0)
      << "), generate " << f("rss_generate_mb", 0) << " MB, idle process " << f("rss_idle_mb", 0) << " MB\n";
  for (const auto& n : r["notes"]) out << "  note: " << n.get<std::string>() << "\n";
}

int RunBench(const BenchOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int threads = o.threads > 0 ? o.threads : cores;
  const int repeats = std::max(1, o.repeats);
  nlohmann::json r;
  nlohmann::json notes = nlohmann::json::array();
  auto note = [&](const std::string& text) {
    std::cerr << kMe << ": " << text << "\n";
    notes.push_back(text);
  };
  bool failed = false;  // a figure tunesmith should have taken could not be
  r["threads"] = threads;
  r["cpu"] = CpuModel();
  r["cores"] = cores;
  r["quick"] = o.quick;
  r["repeats"] = repeats;

  char scratch_template[] = "/tmp/tunesmith-bench-XXXXXX";
  if (!mkdtemp(scratch_template)) {
    std::cerr << kMe << ": cannot create a scratch folder in /tmp\n";
    return kExitUsage;
  }
  const std::string scratch = scratch_template;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{scratch};

  // 1. The reader against abc2midi, on the same files (before any LibTorch
  // work, so that no OpenMP thread spins during the CPU-time figure).
  std::vector<std::string> corpus = o.corpus;
  if (corpus.empty()) corpus.push_back((SourceDir() / "data" / "corpus").string());
  std::vector<std::string> files;
  if (Status st = abc::ListAbcFiles(corpus, &files); !st.ok()) {
    std::cerr << kMe << ": " << st.message() << " (HINT: scripts/fetch-corpus.sh, or --corpus PATH)\n";
    return kExitUsage;
  }
  if (o.quick && files.size() > 1) files.resize(1);
  std::cerr << kMe << ": parsing " << files.size() << " files\n";
  auto parse = abc::MeasureReadSpeed(files, o.quick ? 0.0 : 3.0);
  if (!parse.ok()) {
    std::cerr << kMe << ": " << parse.status().message() << "\n";
    return kExitUsage;
  }
  r["parse_files"] = parse->files;
  r["parse_bytes"] = parse->bytes;
  r["parse_tunes"] = parse->tunes;
  r["parse_mb_s"] = parse->mb_s;
  r["parse_mb_s_cpu"] = parse->mb_s_cpu;
  std::cerr << kMe << ": abc2midi on the same files\n";
  if (auto midi = render::MeasureAbc2midiSpeed(files); midi.ok()) {
    r["abc2midi_mb_s"] = midi->mb_s;
    r["abc2midi_mb_s_cpu"] = midi->mb_s_cpu;
    r["parse_vs_abc2midi"] = Ratio(r["parse_mb_s"], r["abc2midi_mb_s"]);
    r["parse_vs_abc2midi_cpu"] = Ratio(r["parse_mb_s_cpu"], r["abc2midi_mb_s_cpu"]);
    if (midi->failed_files > 0) note("abc2midi exited with an error on " + std::to_string(midi->failed_files) + " files");
  } else {
    r["parse_vs_abc2midi"] = nullptr;
    note("abc2midi not measured: " + midi.status().message());
  }

  // 2. The machine's fp32 matrix-multiply peak through LibTorch, and the
  // BLAS it runs on (the reference BLAS is 15-30x slower: PERFORMANCE-NOTES).
  const model::BlasInfo blas = model::DetectBlas();
  r["blas"] = {{"kind", std::string(model::BlasKindName(blas.kind))}, {"library", blas.library}, {"config", blas.config}};
  if (blas.kind == model::BlasKind::kReference) {
    note("LibTorch runs on the reference BLAS (" + blas.library + "): install libopenblas0-openmp");
  }
  std::cerr << kMe << ": torch::mm peak with " << threads << " threads\n";
  double peak = 0;
  for (int n : o.quick ? std::vector<int>{128} : std::vector<int>{1024, 2048}) {
    const model::SgemmSpeed s = model::MeasureSgemm(n, o.quick ? 2 : 7, threads);
    r["sgemm_" + std::to_string(n) + "_gflop_s"] = s.gflop_s;
    peak = std::max(peak, s.gflop_s);
  }
  r["sgemm_gflop_s"] = peak;

  // 3. Training: the default preset's network on synthetic batches of its
  // shape, tunesmith (child) and the Python peer alternating.
  auto preset = train::LoadTrainConfig(o.quick ? "tiny" : "default", ConfigDirs());
  if (!preset.ok()) {
    std::cerr << kMe << ": " << preset.status().message() << "\n";
    return kExitUsage;
  }
  // The Python peer is the same network without the context columns; their
  // cost (a few embedding lookups per token) is left out of both sides.
  preset->model.positions.clear();
  // (quick: the vocabulary of the one file parsed, not of the whole corpus)
  auto sample_model = ResolveSampleModel(o, *preset, o.quick ? files : corpus, scratch);
  if (!sample_model.ok()) {
    std::cerr << kMe << ": " << sample_model.status().message() << "\n";
    return kExitUsage;
  }
  model::ModelConfig train_model = preset->model;
  train_model.vocab_size = sample_model->vocab_size;
  const bool stream = preset->train.batching == corpus::BatchMode::kStream;
  const int T = o.quick ? 16 : stream ? preset->train.seq_len : 160;
  const int B = o.quick ? 4 : preset->train.batch_size;
  const int warmup = o.quick ? 1 : 3, steps = o.quick ? 2 : 20;
  if (!stream && !o.quick) note("the preset trains on whole tunes: timed at T = 160 (a typical tune)");
  r["train_config"] = o.quick ? "tiny" : "default";
  r["train_shape"] = {{"embedding", train_model.embedding}, {"hidden", train_model.hidden},
                      {"layers", train_model.layers},       {"vocab", train_model.vocab_size},
                      {"dropout", train_model.dropout},     {"T", T},
                      {"B", B},                             {"steps", steps}};
  r["train_flops_per_token"] = train_model.TrainFlopsPerToken();
  const std::string batches_path = scratch + "/batches.bin";
  {
    const auto batches = train::MakeBenchBatches(train_model.vocab_size, T, B, warmup + steps, 7);
    std::ofstream out(batches_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(batches.data()), static_cast<std::streamsize>(batches.size() * sizeof(int64_t)));
  }
  const nlohmann::json train_spec = {{"model", model::ModelConfigToJson(train_model)},
                                     {"T", T}, {"B", B}, {"warmup", warmup}, {"steps", steps},
                                     {"impl", "fused"}, {"threads", threads}};
  const std::string train_peer = (BenchDir() / "train_peer.py").string();
  const bool have_train_peer = fs::exists(train_peer) && fs::exists(kPython);
  if (!have_train_peer) note("training peer not run: " + train_peer + " or " + kPython + " is missing");
  std::vector<double> ts_tok, py_tok, ts_rss, py_rss;
  const double gflop_per_tok = train_model.TrainFlopsPerToken() / 1e9;
  for (int i = 0; i < repeats; ++i) {
    std::cerr << kMe << ": training, run " << i + 1 << "/" << repeats << "\n";
    auto ts = RunSelfChild("train", train_spec);
    if (!ts.ok()) {
      note("training not measured: " + ts.status().message());
      failed = true;
      break;
    }
    ts_tok.push_back((*ts)["tok_s"].get<double>());
    if ((*ts)["_rss_mb"].is_number()) ts_rss.push_back((*ts)["_rss_mb"].get<double>());
    if (!have_train_peer) continue;
    auto py = RunPeer(train_peer, {"--batches", batches_path, "--vocab", std::to_string(train_model.vocab_size),
                           "--embedding", std::to_string(train_model.embedding), "--hidden", std::to_string(train_model.hidden),
                           "--layers", std::to_string(train_model.layers), "--dropout", std::to_string(train_model.dropout),
                           "--T", std::to_string(T), "--B", std::to_string(B), "--warmup", std::to_string(warmup),
                           "--steps", std::to_string(steps), "--threads", std::to_string(threads)});
    if (!py.ok()) {
      note("training peer failed: " + py.status().message());
      break;
    }
    py_tok.push_back((*py)["tok_s"].get<double>());
    if ((*py)["_rss_mb"].is_number()) py_rss.push_back((*py)["_rss_mb"].get<double>());
  }
  r["train_tok_s"] = ts_tok.empty() ? nlohmann::json(nullptr) : nlohmann::json(Median(ts_tok));
  r["train_gflop_s"] = ts_tok.empty() ? nlohmann::json(nullptr) : nlohmann::json(Median(ts_tok) * gflop_per_tok);
  r["train_vs_peak"] = Ratio(r["train_gflop_s"], r["sgemm_gflop_s"]);
  r["train_python_tok_s"] = py_tok.empty() ? nlohmann::json(nullptr) : nlohmann::json(Median(py_tok));
  r["train_vs_python"] = Ratio(r["train_tok_s"], r["train_python_tok_s"]);
  r["rss_train_mb"] = ts_rss.empty() ? nlohmann::json(nullptr) : nlohmann::json(*std::max_element(ts_rss.begin(), ts_rss.end()));
  r["rss_train_python_mb"] = py_rss.empty() ? nlohmann::json(nullptr) : nlohmann::json(*std::max_element(py_rss.begin(), py_rss.end()));
  if (!o.quick) {
    nlohmann::json nn_spec = train_spec;
    nn_spec["impl"] = "nn";
    if (auto nn = RunSelfChild("train", nn_spec); nn.ok()) {
      r["train_nn_lstm_tok_s"] = (*nn)["tok_s"];
      r["train_vs_nn_lstm"] = Ratio(r["train_tok_s"], r["train_nn_lstm_tok_s"]);
    } else {
      note("torch::nn::LSTM reference not measured: " + nn.status().message());
    }
  }

  // 4. Sampling: the network alone (what the Python peer does) at batch 1
  // and 64, and the generator with its grammar mask and novelty guard.
  r["sample_model"] = {{"path", sample_model->path}, {"origin", sample_model->origin},
                       {"config", model::ModelConfigToJson(sample_model->config)}};
  if (sample_model->origin == "random weights") {
    note(std::string("no trained model (models/default.ckpt): sampling figures use the ") + (o.quick ? "tiny" : "default") +
         " preset's network with random weights; its tunes run to the length cap, so ms_per_tune is that of long tunes");
  }
  const nlohmann::json gen_spec = {{"model", sample_model->path},
                                   {"threads", threads},
                                   {"model_steps_b1", o.quick ? 20 : 2000},
                                   {"model_steps_b64", o.quick ? 5 : 200},
                                   {"tunes_b1", o.quick ? 1 : 5},
                                   {"tunes_b64", o.quick ? 2 : 64},
                                   {"seed", 1}};
  // The peer samples the same network: its weights are exported by
  // bench/sample_bench.cc's tunesmith-sample-bench, built beside this tool.
  const std::string sample_peer = (BenchDir() / "sample_peer.py").string();
  const std::string exporter = (fs::path(SelfExe()).parent_path() / "tunesmith-sample-bench").string();
  const std::string weights = scratch + "/peer-weights";
  bool have_sample_peer = false;
  if (!fs::exists(sample_peer) || !fs::exists(kPython)) {
    note("sampling peer not run: " + sample_peer + " or " + kPython + " is missing");
  } else if (!fs::exists(exporter)) {
    note("sampling peer not run: " + exporter + " (bench/sample_bench.cc) is not built; it exports the weights");
  } else if (auto exported = RunChild({exporter, "--model", sample_model->path, "--export", weights});
             !exported.ok() || exported->exit_code != 0) {
    note("sampling peer not run: exporting the weights failed: " +
         (exported.ok() ? exported->err_tail : exported.status().message()));
  } else {
    have_sample_peer = true;
  }
  std::map<std::string, std::vector<double>> gen;
  std::vector<double> gen_rss, py1, py64;
  std::string method;
  for (int i = 0; i < repeats; ++i) {
    std::cerr << kMe << ": sampling, run " << i + 1 << "/" << repeats << "\n";
    auto g = RunSelfChild("generate", gen_spec);
    if (!g.ok()) {  // the other figures still stand: print them, exit 1
      note("sampling not measured: " + g.status().message());
      failed = true;
      break;
    }
    for (const auto& [k, v] : g->items()) {
      if (v.is_number() && k[0] != '_') gen[k].push_back(v.get<double>());
    }
    method = g->value("method", "");
    if ((*g)["_rss_mb"].is_number()) gen_rss.push_back((*g)["_rss_mb"].get<double>());
    if (!have_sample_peer) continue;
    for (int b : {1, 64}) {
      const int steps_b = gen_spec[b == 1 ? "model_steps_b1" : "model_steps_b64"].get<int>();
      auto py = RunPeer(sample_peer, {"--weights", weights, "--tunes", std::to_string(b), "--steps",
                                      std::to_string(steps_b), "--threads", std::to_string(threads)});
      if (!py.ok()) {
        note("sampling peer failed: " + py.status().message());
        break;
      }
      (b == 1 ? py1 : py64).push_back((*py)["tok_s"].get<double>());
    }
  }
  auto med = [&](const std::string& k) { return gen.count(k) ? nlohmann::json(Median(gen[k])) : nlohmann::json(nullptr); };
  r["sample_method"] = method;
  r["sample_tok_s_b1"] = med("tok_s_b1");
  r["sample_tok_s_b64"] = med("tok_s_b64");
  r["ms_per_tune"] = med("ms_per_tune_b1");
  r["ms_per_tune_b64"] = med("ms_per_tune_b64");
  r["tokens_per_tune"] = med("tokens_per_tune");
  r["sample_model_tok_s_b1"] = med("model_tok_s_b1");
  r["sample_model_tok_s_b64"] = med("model_tok_s_b64");
  r["sample_python_tok_s_b1"] = py1.empty() ? nlohmann::json(nullptr) : nlohmann::json(Median(py1));
  r["sample_python_tok_s_b64"] = py64.empty() ? nlohmann::json(nullptr) : nlohmann::json(Median(py64));
  r["sample_vs_python"] = Ratio(r["sample_model_tok_s_b1"], r["sample_python_tok_s_b1"]);
  r["sample_vs_python_b64"] = Ratio(r["sample_model_tok_s_b64"], r["sample_python_tok_s_b64"]);
  r["rss_generate_mb"] = gen_rss.empty() ? nlohmann::json(nullptr) : nlohmann::json(*std::max_element(gen_rss.begin(), gen_rss.end()));

  // 5. What a process linked to LibTorch costs before it does anything.
  if (auto idle = RunSelfChild("idle", nlohmann::json::object()); idle.ok()) r["rss_idle_mb"] = (*idle)["_rss_mb"];

  r["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r["notes"] = notes;
  if (o.json) {
    std::cout << r.dump(2) << "\n";
  } else {
    PrintTable(r, std::cout);
  }
  return failed ? kExitFailed : kExitOk;
}

}  // namespace

}  // namespace tunesmith::bench

int main(int argc, char** argv) {
  using namespace tunesmith::bench;
  BenchOptions o;
  CLI::App app{"tunesmith-bench: speed and memory of tunesmith on this machine, against peers (docs/performance.md)"};
  app.add_option("--threads", o.threads, "LibTorch threads for every figure (0: every core)")->capture_default_str();
  app.add_flag("--json", o.json, "Print one JSON object on stdout (keys: docs/performance.md)");
  app.add_flag("--quick", o.quick, "Tiny sizes, one file: checks that every figure can be taken (tests)");
  app.add_option("--repeats", o.repeats, "Runs of each timed measurement; the median is kept")->capture_default_str();
  app.add_option("--corpus", o.corpus, "ABC files or folders to parse (default: data/corpus of the source tree)");
  app.add_option("--model", o.model, "Model to sample (default: the bundled model, else random weights)");
  app.add_option("--child", o.child)->group("");  // internal: one measurement in a child process
  app.add_option("--spec", o.spec)->group("");
  CLI11_PARSE(app, argc, argv);
  if (!o.child.empty()) {
    nlohmann::json spec = o.spec.empty() ? nlohmann::json::object() : nlohmann::json::parse(o.spec, nullptr, false);
    return spec.is_object() ? RunBenchChild(o.child, spec) : kExitUsage;
  }
  return RunBench(o);
}
