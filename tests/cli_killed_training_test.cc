// Killed training (issue 13, Harden; label slow). `tunesmith train` is
// SIGKILLed at ten random moments and resumed each time; meanwhile every
// checkpoint on disk is read back continuously and must always load; in the
// end no temporary file is left and both model files are byte-identical to
// those of an uninterrupted run with the same seed. Then a full disk (a
// small tmpfs when this runs as root, else a file-size limit) while a
// checkpoint is written: the previous checkpoint stays intact and the
// command says so.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/cli_testing.h"
#include "model/checkpoint.h"
#include "model/load_model.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> TemporaryFiles(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(e.path().filename().string());
  }
  return found;
}

// Every line of the metrics log is one whole JSON object.
void ExpectWholeLines(const fs::path& log) {
  std::ifstream in(log);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    EXPECT_TRUE(nlohmann::json::accept(line)) << log << " line " << n << ": " << line;
  }
  const std::string all = Slurp(log);
  EXPECT_TRUE(all.empty() || all.back() == '\n') << log << " ends inside a line";
}

// When two checkpoint files differ: which of their parts do (the test's
// message then says where to look).
std::string WhereTheyDiffer(const fs::path& a, const fs::path& b) {
  auto x = tunesmith::model::ReadCheckpoint(a.string());
  auto y = tunesmith::model::ReadCheckpoint(b.string());
  if (!x.ok() || !y.ok()) return "unreadable: " + x.status().message() + " / " + y.status().message();
  std::string d;
  if (x->weights != y->weights) d += " weights;";
  if (x->optimizer != y->optimizer) d += " optimizer;";
  if (x->rng != y->rng) d += " rng;";
  if (x->train_config != y->train_config) d += " train_config " + x->train_config.dump() + " vs " + y->train_config.dump() + ";";
  if (x->train_state != y->train_state) d += " train_state " + x->train_state.dump() + " vs " + y->train_state.dump() + ";";
  for (const auto& [k, v] : x->extras) {
    if (!y->extras.count(k)) d += " extra " + k + " only in the first;";
    else if (y->extras.at(k) != v) d += " extra " + k + ";";
  }
  for (const auto& [k, v] : y->extras) {
    if (!x->extras.count(k)) d += " extra " + k + " only in the second;";
  }
  return d.empty() ? " (the decoded parts are equal: the encoding differs)" : d;
}

class KilledTrainingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tunesmith-killed-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "corpus");
    tunesmith::testing::WriteHandMadeCorpus(dir_ / "corpus" / "tunes.abc", 120, 3);
    // Stream batching with dropout (the RNG and the carried LSTM state must
    // resume exactly) and MODEL.last every ~0.2 s, so that kills land in writes.
    std::ofstream(dir_ / "cfg.json") << R"({"tokenizer": "abc-token",
 "model": {"type": "lstm", "embedding": 24, "hidden": 48, "layers": 2, "dropout": 0.2},
 "train": {"batching": "stream", "seq_len": 32, "batch_size": 8, "lr": 0.005, "warmup_steps": 10,
           "epochs": 6, "patience": 0, "log_every": 5, "checkpoint_minutes": 0.003}})";
  }
  void TearDown() override {
    ::umount2((dir_ / "disk").c_str(), MNT_DETACH);  // the tmpfs, if a failed check left it mounted
    fs::remove_all(dir_);
  }

  std::vector<std::string> TrainArgs(const fs::path& out, bool resume) const {
    std::vector<std::string> args = {"train", "--config", (dir_ / "cfg.json").string(), "--corpus",
                                     (dir_ / "corpus").string(), "--out", out.string(), "--threads", "1",
                                     "--seed", "5"};
    if (resume) args.push_back("--resume");
    return args;
  }

  // Starts tunesmith with `args`, stderr appended to `err`; returns its pid.
  static pid_t Start(const std::vector<std::string>& args, const fs::path& err, const std::string& shell_prefix = "") {
    const std::string bin = tunesmith::testing::BuiltBinary().string();
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    std::freopen(err.c_str(), "a", stderr);
    std::freopen("/dev/null", "w", stdout);
    if (!shell_prefix.empty()) {
      std::string command = shell_prefix + " exec " + bin;
      for (const auto& a : args) command += " '" + a + "'";
      ::execl("/bin/bash", "bash", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(bin.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }

  static int Wait(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

  fs::path dir_;
};

// MODEL.last's optimiser section is written parameter by parameter
// (trainer.cc SaveAdamW): LibTorch's own save keyed it by memory addresses,
// and the resumed run's file differed from the uninterrupted one's in that
// section alone.
TEST_F(KilledTrainingTest, TenKillsAndResumesEndLikeAnUninterruptedRun) {
  // The uninterrupted run.
  fs::create_directories(dir_ / "whole");
  const fs::path whole = dir_ / "whole" / "m.ckpt";
  const auto t0 = Clock::now();
  ASSERT_EQ(Wait(Start(TrainArgs(whole, false), dir_ / "whole.err")), 0) << Slurp(dir_ / "whole.err");
  const double whole_seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  // The broken run: ten SIGKILLs at random moments, a resume after each.
  fs::create_directories(dir_ / "broken");
  const fs::path broken = dir_ / "broken" / "m.ckpt";
  const fs::path last = broken.string() + ".last";
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, failures{0};
  std::string first_failure;
  // Every checkpoint on disk is loadable at every moment.
  std::thread checker([&] {
    while (!stop.load()) {
      for (const fs::path& p : {broken, last}) {
        if (!fs::exists(p)) continue;
        auto c = tunesmith::model::ReadCheckpoint(p.string());
        ++reads;
        if (!c.ok() && failures++ == 0) first_failure = c.status().message();
      }
      if (fs::exists(broken)) {
        auto m = tunesmith::model::LoadModel(broken.string());
        ++reads;
        if (!m.ok() && failures++ == 0) first_failure = m.status().message();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  std::mt19937 rng(2026);
  std::uniform_real_distribution<double> moment(0.05, std::max(1.0, whole_seconds / 4));
  int kills = 0, finished_early = 0, leftovers_seen = 0;
  std::vector<double> moments;
  while (kills < 10) {
    const pid_t pid = Start(TrainArgs(broken, fs::exists(last)), dir_ / "broken.err");
    const double at = moment(rng);
    const auto until = Clock::now() + std::chrono::duration<double>(at);
    int status = 0;
    bool ended = false;
    while (Clock::now() < until) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        ended = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (ended) {  // finished before its moment: start again from scratch
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Slurp(dir_ / "broken.err");
      ++finished_early;
      fs::remove_all(dir_ / "broken");
      fs::create_directories(dir_ / "broken");
      continue;
    }
    ::kill(pid, SIGKILL);
    const int code = Wait(pid);
    if (code == 0) {  // it ended in the instant before the kill
      ++finished_early;
      fs::remove_all(dir_ / "broken");
      fs::create_directories(dir_ / "broken");
      continue;
    }
    ASSERT_EQ(code, -SIGKILL) << Slurp(dir_ / "broken.err");
    ++kills;
    moments.push_back(at);
    leftovers_seen += static_cast<int>(TemporaryFiles(dir_ / "broken").size());
  }
  ASSERT_EQ(Wait(Start(TrainArgs(broken, fs::exists(last)), dir_ / "broken.err")), 0) << Slurp(dir_ / "broken.err");
  stop.store(true);
  checker.join();

  EXPECT_EQ(failures.load(), 0) << "a checkpoint on disk did not load: " << first_failure;
  EXPECT_GT(reads.load(), 50);
  EXPECT_EQ(TemporaryFiles(dir_ / "broken"), std::vector<std::string>{});
  EXPECT_TRUE(Slurp(broken) == Slurp(whole)) << "the best model differs from the uninterrupted run's:"
                                              << WhereTheyDiffer(broken, whole);
  EXPECT_TRUE(Slurp(last) == Slurp(whole.string() + ".last"))
      << "the resume file differs from the uninterrupted run's:" << WhereTheyDiffer(last, whole.string() + ".last");
  ExpectWholeLines(broken.string() + ".metrics.jsonl");
  std::string when;
  for (double m : moments) when += " " + std::to_string(m).substr(0, 4);
  std::cout << "uninterrupted run " << whole_seconds << " s; 10 SIGKILLs at" << when << " s after each start ("
            << finished_early << " runs ended before their moment); " << reads.load()
            << " reads of the files on disk, all whole; " << leftovers_seen
            << " temporary files seen after kills, none at the end; final files byte-identical\n";
}

// A full disk while MODEL.last is written: the previous checkpoint stays
// byte for byte, no temporary file is left, the log holds whole lines, and
// the command says so (exit 5).
TEST_F(KilledTrainingTest, FullDiskKeepsThePreviousCheckpointAndSaysSo) {
  fs::create_directories(dir_ / "done");
  const fs::path done = dir_ / "done" / "m.ckpt";
  std::vector<std::string> args = TrainArgs(done, false);
  args.insert(args.end(), {"--epochs", "2"});
  ASSERT_EQ(Wait(Start(args, dir_ / "done.err")), 0) << Slurp(dir_ / "done.err");

  const fs::path disk = dir_ / "disk";
  fs::create_directories(disk);
  uintmax_t total = 0;
  for (const char* suffix : {"", ".last", ".metrics.jsonl"}) total += fs::file_size(done.string() + suffix);
  const bool tmpfs = ::geteuid() == 0 &&
                     ::mount("tmpfs", disk.c_str(), "tmpfs", 0, ("size=" + std::to_string(total + (256 << 10))).c_str()) == 0;
  std::string limit;
  const fs::path out = disk / "m.ckpt";
  for (const char* suffix : {"", ".last", ".metrics.jsonl"}) fs::copy_file(done.string() + suffix, out.string() + suffix);
  if (tmpfs) {
    // Fill what is left of the tmpfs.
    std::ofstream filler(disk / "filler", std::ios::binary);
    const std::string block(4096, 'f');
    while (filler.write(block.data(), block.size())) {
    }
  } else {
    // No tmpfs: a file-size limit (bash's ulimit -f counts KiB) below MODEL.last's size.
    limit = "trap '' XFSZ; ulimit -f " + std::to_string(fs::file_size(out.string() + ".last") / 1024 / 2) + ";";
  }
  const std::string before = Slurp(out.string() + ".last"), best_before = Slurp(out);
  std::vector<std::string> more = TrainArgs(out, true);
  more.insert(more.end(), {"--epochs", "4"});
  const int code = Wait(Start(more, dir_ / "full.err", limit));
  const std::string said = Slurp(dir_ / "full.err");
  EXPECT_EQ(code, 5) << said;
  EXPECT_NE(said.find("still holds the previous checkpoint, intact"), std::string::npos) << said;
  EXPECT_NE(said.find(tmpfs ? "No space left on device" : "File too large"), std::string::npos) << said;
  EXPECT_TRUE(Slurp(out.string() + ".last") == before) << "MODEL.last changed";
  EXPECT_TRUE(Slurp(out) == best_before) << "MODEL changed";
  EXPECT_EQ(TemporaryFiles(disk), std::vector<std::string>{});
  EXPECT_TRUE(tunesmith::model::ReadCheckpoint(out.string() + ".last").ok());
  ExpectWholeLines(out.string() + ".metrics.jsonl");
  std::cout << (tmpfs ? "tmpfs of " + std::to_string((total >> 10) + 256) + " KiB, filled"
                      : "file-size limit (" + limit + ")")
            << ": exit " << code << ", previous checkpoint intact\n";
}

}  // namespace
