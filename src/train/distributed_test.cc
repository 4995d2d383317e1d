// Data-parallel training (train/distributed.h) with real processes on
// loopback: the test binary starts copies of itself as the ranks (the test
// DistributedChild.Rank, which does nothing unless a parent started it).
#include "train/distributed.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "base/cli_testing.h"
#include "base/files.h"
#include "model/checkpoint.h"
#include "train/train_corpus.h"
#include "train/toy_data.h"
#include "train/trainer.h"

namespace tunesmith::train {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// 45 toy tunes: 6 batches of 8 per epoch, the last one of 5 (uneven shards are covered).
TrainData ToyData() { return testing::ToyData(45); }

// The tiny preset (configs/tiny.json) with room for `steps` steps.
TrainConfig Tiny() {
  auto c = LoadTrainConfig("tiny", PresetDirs());
  EXPECT_TRUE(c.ok()) << c.status().message();
  TrainConfig config = c.ok() ? *c : TrainConfig();
  config.train.epochs = 1000;
  config.train.checkpoint_minutes = 1000;
  return config;
}

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// A TCP port nobody listens on now.
int FreePort() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

// One rank: this test binary again, running DistributedChild.Rank with the
// group's variables; its output goes to `err`. (Everything the child needs is
// made before fork: between fork and exec it only calls dup2 and execve.)
pid_t StartRank(int rank, int world, int port, std::map<std::string, std::string> vars, const fs::path& err) {
  vars["RANK"] = std::to_string(rank);
  vars["WORLD_SIZE"] = std::to_string(world);
  vars["LOCAL_RANK"] = std::to_string(rank);
  vars["MASTER_ADDR"] = "127.0.0.1";
  vars["MASTER_PORT"] = std::to_string(port);
  std::vector<std::string> entries;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (!vars.count(name) && name != "TORCHELASTIC_USE_AGENT_STORE") entries.push_back(entry);
  }
  for (const auto& [k, v] : vars) entries.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : entries) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe", filter = "--gtest_filter=DistributedChild.Rank";
  char* argv[] = {self.data(), filter.data(), nullptr};
  const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

// Waits for `pid` at most `seconds`; its exit code (128 + signal), or -1 when it is still running.
int WaitFor(pid_t pid, double seconds) {
  const auto start = Clock::now();
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (std::chrono::duration<double>(Clock::now() - start).count() > seconds) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

std::string Slurp(const fs::path& p) {
  auto text = base::ReadFile(p);
  return text.ok() ? *text : "";
}

class DistributedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    at::set_num_threads(1);
    dir_ = fs::temp_directory_path() / ("ts_distributed_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// A rank started by the tests below: trains the tiny preset on the toy tunes
// for TS_STEPS steps as one rank of the group in the environment, then (rank
// 0) saves its weights to TS_OUT.weights.
TEST(DistributedChild, Rank) {
  if (std::string(Env("TS_DISTRIBUTED_CHILD")).empty()) {
    GTEST_SKIP() << "runs only as a rank started by the other tests of this binary";
  }
  at::set_num_threads(1);
  auto env = DistributedEnvFromVariables();
  ASSERT_TRUE(env.ok()) << env.status().message();
  GroupOptions go;
  go.timeout_seconds = std::atof(Env("TS_TIMEOUT"));
  auto group = Group::Join(*env, go);
  ASSERT_TRUE(group.ok()) << group.status().message();
  RunOptions run;
  run.out = Env("TS_OUT");
  run.seed = 5;
  run.progress = false;
  run.max_steps = std::atoi(Env("TS_STEPS"));
  run.resume = !std::string(Env("TS_RESUME")).empty();
  run.group = std::move(*group);
  Trainer trainer(Tiny(), ToyData(), run);
  auto s = trainer.Run();
  ASSERT_TRUE(s.ok()) << s.status().message();
  if (env->rank == 0) torch::save(trainer.model().parameters(), run.out + ".weights");
}

// Two ranks, each with half of every batch of 8, end with the weights of one
// process that trains on the whole batches: the same global batch.
TEST_F(DistributedTest, TwoRanksReachTheWeightsOfOneProcess) {
  constexpr int kSteps = 20;
  const std::string out = (dir_ / "two").string();
  const int port = FreePort();
  std::map<std::string, std::string> vars = {{"TS_DISTRIBUTED_CHILD", "1"}, {"TS_OUT", out},
                                             {"TS_STEPS", std::to_string(kSteps)}, {"TS_TIMEOUT", "30"}};
  const pid_t r0 = StartRank(0, 2, port, vars, dir_ / "rank0.txt");
  const pid_t r1 = StartRank(1, 2, port, vars, dir_ / "rank1.txt");

  RunOptions run;
  run.out = (dir_ / "one").string();
  run.seed = 5;
  run.progress = false;
  run.max_steps = kSteps;
  Trainer one(Tiny(), ToyData(), run);
  auto s = one.Run();
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->steps, kSteps);

  const int code0 = WaitFor(r0, 120), code1 = WaitFor(r1, 10);
  if (code0 < 0) Reap(r0);
  if (code1 < 0) Reap(r1);
  ASSERT_EQ(code0, 0) << Slurp(dir_ / "rank0.txt");
  ASSERT_EQ(code1, 0) << Slurp(dir_ / "rank1.txt");
  std::vector<torch::Tensor> two;
  torch::load(two, out + ".weights");
  const auto params = one.model().parameters();
  ASSERT_EQ(two.size(), params.size());
  double worst = 0;
  for (size_t i = 0; i < params.size(); ++i) {
    worst = std::max(worst, (two[i] - params[i].detach()).abs().max().item<double>());
  }
  EXPECT_LT(worst, 1e-5) << "largest difference of a weight after " << kSteps << " steps";
  // The weights moved: the comparison is not of two untrained models.
  RunOptions fresh = run;
  fresh.out = (dir_ / "fresh").string();
  fresh.max_steps = 1;
  Trainer untrained(Tiny(), ToyData(), fresh);
  ASSERT_TRUE(untrained.Run().ok());
  EXPECT_GT((two[0] - untrained.model().parameters()[0].detach()).abs().max().item<double>(), 1e-3);
  // Rank 0 alone validated and wrote the files of a run (two epochs ended within 20 steps).
  EXPECT_TRUE(fs::exists(LastPath(out)));
  EXPECT_NE(Slurp(MetricsPath(out)).find("\"world_size\":2"), std::string::npos);
}

// --resume for the whole group: two ranks stop after 10 steps as if killed,
// both resume from MODEL.last (rank 0 reads it and sends it; every rank's
// generator and stream state come back) and go on to step 20; their weights
// equal those of two ranks that ran the 20 steps without a stop.
TEST_F(DistributedTest, TheGroupResumesWhereItStopped) {
  auto group_run = [&](const std::string& out, int steps, bool resume, const std::string& tag) {
    std::map<std::string, std::string> vars = {{"TS_DISTRIBUTED_CHILD", "1"}, {"TS_OUT", out},
                                               {"TS_STEPS", std::to_string(steps)}, {"TS_TIMEOUT", "30"}};
    if (resume) vars["TS_RESUME"] = "1";
    const int port = FreePort();
    const pid_t r0 = StartRank(0, 2, port, vars, dir_ / (tag + ".rank0.txt"));
    const pid_t r1 = StartRank(1, 2, port, vars, dir_ / (tag + ".rank1.txt"));
    const int code0 = WaitFor(r0, 120), code1 = WaitFor(r1, 10);
    if (code0 < 0) Reap(r0);
    if (code1 < 0) Reap(r1);
    EXPECT_EQ(code0, 0) << tag << ": " << Slurp(dir_ / (tag + ".rank0.txt"));
    EXPECT_EQ(code1, 0) << tag << ": " << Slurp(dir_ / (tag + ".rank1.txt"));
    std::vector<torch::Tensor> w;
    if (fs::exists(out + ".weights")) torch::load(w, out + ".weights");
    return w;
  };
  const std::string stopped = (dir_ / "stopped").string(), straight = (dir_ / "straight").string();
  const auto first = group_run(stopped, 10, false, "first-half");
  ASSERT_FALSE(first.empty());
  // TS_STEPS stops a process as a crash would, without writing: MODEL.last
  // holds the last checkpoint before step 10 (an epoch's end).
  auto last = model::ReadCheckpoint(LastPath(stopped));
  ASSERT_TRUE(last.ok()) << last.status().message();
  const int64_t saved_at = last->train_state.at("step").get<int64_t>();
  ASSERT_GT(saved_at, 0);
  ASSERT_LT(saved_at, 20);
  const auto resumed = group_run(stopped, static_cast<int>(20 - saved_at), true, "resumed");
  const auto whole = group_run(straight, 20, false, "straight");
  ASSERT_EQ(resumed.size(), whole.size());
  ASSERT_FALSE(whole.empty());
  double worst = 0, moved = 0;
  for (size_t i = 0; i < whole.size(); ++i) {
    worst = std::max(worst, (resumed[i] - whole[i]).abs().max().item<double>());
    moved = std::max(moved, (resumed[i] - first[i]).abs().max().item<double>());
  }
  EXPECT_EQ(worst, 0.0) << "largest difference between the resumed and the uninterrupted group";
  EXPECT_GT(moved, 1e-4) << "the resumed group did not train past step 10";
  EXPECT_NE(Slurp(MetricsPath(stopped)).find("\"world_size\":2"), std::string::npos);
}

// A rank that is killed (or frozen) is named by the other, which exits with
// the error within the timeout instead of waiting for ever.
TEST_F(DistributedTest, TheSurvivorNamesAStoppedRankWithinTheTimeout) {
  struct Case {
    int victim;
    int signal;
    const char* expect;  // in the survivor's error
  };
  constexpr double kTimeout = 10;
  for (const Case& c : {Case{1, SIGKILL, "rank 1 stopped"}, Case{1, SIGSTOP, "rank 1 stopped"},
                        Case{0, SIGKILL, "rank 0 (it holds the store"}}) {
    SCOPED_TRACE("victim rank " + std::to_string(c.victim) + ", signal " + std::to_string(c.signal));
    const std::string out = (dir_ / ("kill" + std::to_string(c.victim) + "_" + std::to_string(c.signal))).string();
    const int port = FreePort();
    std::map<std::string, std::string> vars = {{"TS_DISTRIBUTED_CHILD", "1"}, {"TS_OUT", out},
                                               {"TS_STEPS", "1000000"},
                                               {"TS_TIMEOUT", std::to_string(static_cast<int>(kTimeout))}};
    const pid_t ranks[2] = {StartRank(0, 2, port, vars, fs::path(out + ".rank0.txt")),
                            StartRank(1, 2, port, vars, fs::path(out + ".rank1.txt"))};
    // Wait until training is under way (rank 0 has logged steps).
    const auto start = Clock::now();
    while (Slurp(MetricsPath(out)).find("\"kind\":\"train\"") == std::string::npos &&
           std::chrono::duration<double>(Clock::now() - start).count() < 60) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_NE(Slurp(MetricsPath(out)).find("\"kind\":\"train\""), std::string::npos) << Slurp(out + ".rank0.txt");
    ::kill(ranks[c.victim], c.signal);
    const auto killed = Clock::now();
    const int survivor = 1 - c.victim;
    const int code = WaitFor(ranks[survivor], kTimeout + 10);
    const double took = std::chrono::duration<double>(Clock::now() - killed).count();
    Reap(ranks[c.victim]);
    if (code < 0) Reap(ranks[survivor]);
    const std::string err = Slurp(out + ".rank" + std::to_string(survivor) + ".txt");
    ASSERT_GE(code, 0) << "rank " << survivor << " still runs " << took << " s after the other stopped";
    EXPECT_NE(code, 0) << err;
    EXPECT_NE(err.find(c.expect), std::string::npos) << err;
    // The stated bound: the Gloo timeout, plus the heartbeat look (1.5 s) and start-up slack.
    EXPECT_LT(took, kTimeout + 5) << err;
    const size_t at = err.find("--distributed:");
    std::printf("victim rank %d (signal %d): rank %d exited after %.1f s with: %s\n", c.victim, c.signal, survivor,
                took, at == std::string::npos ? "(no message)" : err.substr(at, 300).c_str());
  }
}

TEST(DistributedEnv, NamesAMissingOrBadVariable) {
  struct Case {
    std::map<std::string, std::string> vars;
    const char* expect;
  };
  const std::map<std::string, std::string> good = {
      {"RANK", "1"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "10.0.0.1"}, {"MASTER_PORT", "29511"}};
  auto with = [&](const std::string& k, const std::string& v) {
    auto m = good;
    if (v.empty()) {
      m.erase(k);
    } else {
      m[k] = v;
    }
    return m;
  };
  const std::vector<Case> cases = {{with("RANK", ""), "RANK is not set"},
                                   {with("WORLD_SIZE", ""), "WORLD_SIZE is not set"},
                                   {with("MASTER_ADDR", ""), "MASTER_ADDR is not set"},
                                   {with("MASTER_PORT", "http"), "MASTER_PORT='http'"},
                                   {with("RANK", "2"), "RANK=2 is not below WORLD_SIZE=2"},
                                   {with("MASTER_PORT", "70000"), "not a TCP port"}};
  for (const auto& c : cases) {
    for (const char* k : {"RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "LOCAL_RANK", "LOCAL_WORLD_SIZE"}) {
      ::unsetenv(k);
    }
    for (const auto& [k, v] : c.vars) ::setenv(k.c_str(), v.c_str(), 1);
    auto env = DistributedEnvFromVariables();
    ASSERT_FALSE(env.ok()) << c.expect;
    EXPECT_NE(env.status().message().find(c.expect), std::string::npos) << env.status().message();
  }
  for (const auto& [k, v] : good) ::setenv(k.c_str(), v.c_str(), 1);
  auto env = DistributedEnvFromVariables();
  ASSERT_TRUE(env.ok()) << env.status().message();
  EXPECT_EQ(env->rank, 1);
  EXPECT_EQ(env->world_size, 2);
  EXPECT_EQ(env->master_addr, "10.0.0.1");
  EXPECT_EQ(env->master_port, 29511);
  EXPECT_EQ(env->local_world_size, 1);
}

// The launch the issue names: scripts/train-distributed.sh starts two ranks
// of the built `tunesmith train --distributed` through PyTorch's own
// launcher (Debian's python3-torch), which trains and writes the model.
TEST(TorchRun, TheScriptLaunchesTwoRanksThroughTorchDistributedRun) {
  if (std::system("/usr/bin/python3 -c 'import torch.distributed.run' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 has no torch.distributed.run (apt-get install python3-torch): the torchrun "
                    "launch did NOT run";
  }
  const char* source = std::getenv("TUNESMITH_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "TUNESMITH_SOURCE_DIR is set by CTest";
  const fs::path dir = fs::temp_directory_path() / ("ts_torchrun_test_" + std::to_string(::getpid()));
  fs::create_directories(dir / "corpus");
  tunesmith::testing::WriteHandMadeCorpus(dir / "corpus" / "tunes.abc", 60, 4);
  const std::string args = "2 --config tiny --corpus " + (dir / "corpus").string() + " --out " +
                           (dir / "m.ckpt").string() + " --epochs 1 --json";
  const std::string env = "TUNESMITH_BIN=" + tunesmith::testing::BuiltBinary().string() +
                          " MASTER_PORT=" + std::to_string(FreePort()) + " ";
  const auto run = tunesmith::testing::RunProgram(env + (fs::path(source) / "scripts" / "train-distributed.sh").string(),
                                                  args, dir / "err.txt");
  EXPECT_EQ(run.code, 0) << run.err.substr(run.err.size() > 4000 ? run.err.size() - 4000 : 0);
  EXPECT_NE(run.out.find("\"world_size\": 2"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("2 ranks, gradient all-reduce"), std::string::npos) << run.err;
  EXPECT_TRUE(fs::exists(dir / "m.ckpt"));
  fs::remove_all(dir);
}

// Only where CUDA is: the tiny preset trains on the GPU (weights, optimiser
// state and batches there) and its loss falls.
TEST(Device, TrainsOnCudaWhenPresent) {
  if (!torch::cuda::is_available()) {
    GTEST_SKIP() << "no CUDA device (Debian's LibTorch is a CPU build): this CUDA test did NOT run";
  }
  const fs::path dir = fs::temp_directory_path() / ("ts_cuda_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  RunOptions run;
  run.out = (dir / "m").string();
  run.device = torch::Device(torch::kCUDA, 0);
  run.progress = false;
  TrainConfig config = Tiny();
  config.train.epochs = 3;
  Trainer trainer(config, ToyData(), run);
  auto s = trainer.Run();
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(trainer.model().parameters()[0].is_cuda());
  EXPECT_LT(s->best_valid.bits_per_token, 3.0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tunesmith::train
