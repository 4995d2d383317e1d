// Hardening of `tunesmith generate` (issue 13), with a small random model
// written as a real checkpoint: tunes streamed as they are composed and a
// clean stop on Ctrl-C (F07), --out never replacing another run's files
// (F08) nor following planted symlinks (F09), and every bad argument
// answered before any work with the accepted range (F14).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/cli_testing.h"
#include "generate/composer.h"
#include "generate/novelty_guard.h"
#include "generate/test_models.h"
#include "model/checkpoint.h"

extern char** environ;

namespace tunesmith::generate {
namespace {

namespace fs = std::filesystem;

using tunesmith::testing::Outcome;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

class Harden : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = tunesmith::testing::BuiltBinary("tunesmith-nn");
    dir_ = fs::temp_directory_path() / ("ts_generate_harden_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tmp");
    const model::Checkpoint c = testing::WithOneTrainingTune(testing::SmallLstmCheckpoint());
    model_ = (dir_ / "model.ckpt").string();
    ASSERT_TRUE(model::WriteCheckpoint(model_, c).ok());
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void NeedBinary() {
    if (!fs::exists(binary_)) GTEST_SKIP() << "tunesmith-nn is not built";
  }

  Outcome Generate(const std::string& args) {
    const fs::path err = dir_ / "stderr.txt";
    return tunesmith::testing::RunProgram("TMPDIR=" + (dir_ / "tmp").string() + " " + binary_.string(),
                                          "generate --threads 1 " + args, err);
  }

  fs::path binary_, dir_;
  std::string model_;
};

TEST_F(Harden, F07_ComposeEachStreamsTheSameTunesAndStopsWhenAsked) {
  auto composer = Composer::Open(model_);
  ASSERT_TRUE(composer.ok()) << composer.status().message();
  ComposeRequest r;
  r.count = 6;
  r.seed = 11;
  r.batch_size = 2;
  auto all = (*composer)->Compose(r);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->tunes.size(), 6u);

  // Handed over one by one, in order, the same tunes; stopping after three composes no more.
  std::vector<std::string> seen;
  int calls_when_stopped = -1;
  auto some = (*composer)->ComposeEach(r, [&](ComposedTune& t, const Composition& so_far) {
    EXPECT_EQ(t.index, static_cast<int>(seen.size()));
    EXPECT_EQ(so_far.composed, t.index + 1);
    EXPECT_TRUE(so_far.tunes.empty());
    seen.push_back(t.abc);
    if (seen.size() == 3) calls_when_stopped = so_far.composed;
    return seen.size() < 3;
  });
  ASSERT_TRUE(some.ok()) << some.status().message();
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(calls_when_stopped, 3);
  EXPECT_EQ(some->composed, 3);
  EXPECT_TRUE(some->stopped);
  EXPECT_TRUE(some->tunes.empty());
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], all->tunes[i].abc) << "tune " << i;
  // Fewer steps than all six: the last batches were never sampled.
  EXPECT_LT(some->steps, all->steps);
}

// Starts generate with stdout into `out`, returns its pid.
pid_t Spawn(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err, const fs::path& tmp) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    if (std::string(*e).rfind("TMPDIR=", 0) != 0) env_strings.push_back(*e);
  }
  env_strings.push_back("TMPDIR=" + tmp.string());
  std::vector<char*> env;
  for (std::string& s : env_strings) env.push_back(s.data());
  env.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (std::string& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, cargs[0], &actions, nullptr, cargs.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

TEST_F(Harden, F07_GenerateStreamsAndStopsCleanlyOnSigint) {
  NeedBinary();
  const fs::path out = dir_ / "out", stdout_file = dir_ / "stdout.jsonl", stderr_file = dir_ / "stderr.txt";
  // 100,000 tunes asked for: the first must come out long before, and Ctrl-C must end it cleanly.
  const pid_t pid = Spawn({binary_.string(), "generate", "--threads", "1", "--model", model_, "-n", "100000",
                           "--seed", "5", "--batch-size", "2", "--json", "--out", out.string(), "--format",
                           "abc,mid,svg"},
                          stdout_file, stderr_file, dir_ / "tmp");
  ASSERT_GT(pid, 0);
  const auto started = std::chrono::steady_clock::now();
  size_t lines = 0;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(120)) {
    const std::string text = ReadAll(stdout_file);
    lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    if (lines >= 3) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(lines, 3u) << "no tune streamed out: " << ReadAll(stderr_file);
  const double first_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ::kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const std::string err = ReadAll(stderr_file);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << ": " << err;
  EXPECT_EQ(WEXITSTATUS(status), 130) << err;
  EXPECT_NE(err.find("interrupted"), std::string::npos) << err;
  std::cout << "first 3 tunes of -n 100000 after " << first_seconds << " s\n";

  // Every line on stdout is a whole tune, and each has all its files, whole.
  const std::string text = ReadAll(stdout_file);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::vector<nlohmann::json> tunes;
  ASSERT_NO_THROW(tunes = JsonLines(text)) << text.substr(text.size() > 500 ? text.size() - 500 : 0);
  ASSERT_GE(tunes.size(), 3u);
  std::set<std::string> expected;
  for (size_t i = 0; i < tunes.size(); ++i) {
    EXPECT_EQ(tunes[i]["x"], static_cast<int>(i) + 1);
    for (const char* format : {"abc", "mid", "svg"}) {
      ASSERT_TRUE(tunes[i]["paths"].contains(format)) << tunes[i].dump();
      const fs::path p = tunes[i]["paths"][format].get<std::string>();
      expected.insert(p.filename().string());
      if (std::string(format) == "abc") {
        EXPECT_EQ(ReadAll(p), tunes[i]["abc"].get<std::string>());
      } else if (std::string(format) == "mid") {
        EXPECT_EQ(ReadAll(p).substr(0, 4), "MThd");
      } else {
        EXPECT_NE(ReadAll(p).find("</svg>"), std::string::npos);
      }
    }
  }
  // Nothing else in --out: no half-written tune, no temporary file.
  std::set<std::string> present;
  for (const auto& e : fs::directory_iterator(out)) present.insert(e.path().filename().string());
  EXPECT_EQ(present, expected);
  // No scratch folder of abc2midi or abcm2ps left behind.
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(Harden, F08_GenerateOutNeverOverwrites) {
  NeedBinary();
  const std::string out = (dir_ / "out").string();
  // The same seed and index, other settings: the same file names before.
  Outcome first = Generate("--model " + model_ + " -n 2 --seed 7 --json --temperature 0.5 --out " + out +
                           " --format abc,mid");
  ASSERT_EQ(first.code, 0) << first.err;
  Outcome second = Generate("--model " + model_ + " -n 2 --seed 7 --json --temperature 1.5 --out " + out +
                            " --format abc,mid");
  ASSERT_EQ(second.code, 0) << second.err;
  const auto a = JsonLines(first.out), b = JsonLines(second.out);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    const std::string pa = a[i]["paths"]["abc"], pb = b[i]["paths"]["abc"];
    EXPECT_NE(pa, pb);
    // Each run's JSON points at its own tune, and the first run's files are untouched.
    EXPECT_EQ(ReadAll(pa), a[i]["abc"].get<std::string>());
    EXPECT_EQ(ReadAll(pb), b[i]["abc"].get<std::string>());
    const std::string stem_a = fs::path(pa).stem().string();
    EXPECT_EQ(fs::path(pb).stem().string(), stem_a + "-2");
    EXPECT_EQ(fs::path(b[i]["paths"]["mid"].get<std::string>()).stem().string(), stem_a + "-2");
    // Said on stderr, naming both.
    EXPECT_NE(second.err.find(stem_a + ".* is taken"), std::string::npos) << second.err;
    EXPECT_NE(second.err.find("written as " + stem_a + "-2.*"), std::string::npos) << second.err;
  }
}

TEST_F(Harden, F09_GenerateOutNeverFollowsPlantedSymlinks) {
  NeedBinary();
  const fs::path victim = dir_ / "victim";
  std::ofstream(victim) << "precious\n";
  // Learn the names a run writes, then plant links at them in a fresh folder.
  Outcome probe = Generate("--model " + model_ + " -n 1 --seed 3 --json --out " + (dir_ / "probe").string() +
                           " --format abc,mid,svg");
  ASSERT_EQ(probe.code, 0) << probe.err;
  const auto tunes = JsonLines(probe.out);
  ASSERT_EQ(tunes.size(), 1u);
  const fs::path out = dir_ / "out";
  fs::create_directories(out);
  std::vector<std::string> names;
  for (const char* format : {"abc", "mid", "svg"}) {
    const std::string name = fs::path(tunes[0]["paths"][format].get<std::string>()).filename().string();
    names.push_back(name);
    fs::create_symlink(victim, out / name);
    fs::create_symlink(victim, out / (name + ".tmp"));
  }
  Outcome r = Generate("--model " + model_ + " -n 1 --seed 3 --json --out " + out.string() + " --format abc,mid,svg");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadAll(victim), "precious\n");
  for (const std::string& name : names) EXPECT_TRUE(fs::is_symlink(out / name)) << name;
  const auto written = JsonLines(r.out);
  ASSERT_EQ(written.size(), 1u);
  const fs::path abc = written[0]["paths"]["abc"].get<std::string>();
  EXPECT_FALSE(fs::is_symlink(abc));
  EXPECT_EQ(ReadAll(abc), written[0]["abc"].get<std::string>());
}

TEST_F(Harden, F14_GenerateRefusesBadArgumentsBeforeAnyWork) {
  NeedBinary();
  // The model does not exist: an answer about the model would mean work had started.
  const std::string missing = "--model " + (dir_ / "no-such-model.ckpt").string() + " ";
  struct Case {
    const char* args;
    const char* says;
  };
  const Case cases[] = {
      {"--temperature -1", "temperature (--temperature) must be 0 (greedy"},
      {"--temperature nan", "not nan"},
      {"--temperature inf", "not inf"},
      {"--temperature 1e9", "a number from 0.05 to 10, not 1e+09"},
      {"--temperature 0.001", "not 0.001"},
      {"--top-p 0", "top_p (--top-p) must be a number above 0 and at most 1"},
      {"--top-p 2", "not 2"},
      {"--top-p nan", "not nan"},
      {"--top-k -5", "top_k (--top-k) must be an integer from 0 to 100000 (0: off), not -5"},
      {"--bars 0", "--bars: Value 0 not in range 1 to 64"},
      {"--bars -4", "--bars: Value -4 not in range 1 to 64"},
      {"--min-bars 100000", "min_bars (--min-bars) must be an integer from 1 to 256, not 100000"},
      {"--batch-size 0", "batch_size (--batch-size) must be an integer from 1 to 1024, not 0"},
      {"--threads -5", "--threads: Value -5 not in range 0 to 1024"},
      {"--program 999", "--program: Value 999 not in range 0 to 127"},
      {"--key ''", "--key: an empty value is not accepted: give a tonic"},
      {"--format ''", "--format '' names no format: give one or more of abc, mid, wav, svg"},
      {"--format abc,ogg", "--format 'ogg' is not one of abc, mid, wav, svg"},
      {"-n 0", "count (-n) must be an integer from 1 to 1000000, not 0"},
      {"-n -3", "count (-n) must be"},
      {"--candidates 999", "candidates (--candidates) must be an integer from 1 to 64, not 999"},
      {"--novelty-threshold -2", "novelty_threshold (--novelty-threshold) must be"},
      {"--max-length 0", "max_length (--max-length) must be"},
      {"--instrument kazoo", "kazoo"},
      {"--parts ABCA", "--parts 'ABCA'"},
      {"--key H", "H"},
  };
  for (const Case& c : cases) {
    const auto started = std::chrono::steady_clock::now();
    Outcome r = Generate(missing + c.args);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_EQ(r.code, 2) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.args << ": " << r.err;
    EXPECT_EQ(r.err.find("no-such-model"), std::string::npos) << c.args << ": the model was looked for: " << r.err;
    EXPECT_LT(seconds, 10) << c.args;
  }
  // Greedy sampling (temperature 0) stays accepted.
  Outcome greedy = Generate("--model " + model_ + " -n 2 --seed 1 --temperature 0 --json");
  EXPECT_EQ(greedy.code == 0 || greedy.code == 1, true) << greedy.err;
}

TEST_F(Harden, F14_GeneratePrimeSaysWhatToWrite) {
  NeedBinary();
  // A fragment that closes the first part after one bar of eight: the answer
  // names the form and what to write, not only a token position.
  Outcome r = Generate("--model " + model_ + " --seed 1 --prime 'GABc dedB :|'");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--prime 'GABc dedB :|' does not fit the start of the form (AABB, 8 bars per part): write "
                       "the first bars of the tune's first part"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--parts free"), std::string::npos) << r.err;
  // The 'GABc' in the default form is accepted (a first part may open without |:).
  Outcome fixed = Generate("--model " + model_ + " --seed 1 --prime 'GABc' --json");
  EXPECT_TRUE(fixed.code == 0 || fixed.code == 1) << fixed.err;
  EXPECT_EQ(JsonLines(fixed.out).size(), 1u);
}

TEST(HardenRequest, F14_ValidateComposeRequestNamesFieldAndRange) {
  ComposeRequest ok;
  EXPECT_TRUE(ValidateComposeRequest(ok).ok());
  ComposeRequest r;
  r.sampling.temperature = std::nanf("");
  Status s = ValidateComposeRequest(r);
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("temperature (--temperature)"), std::string::npos) << s.message();
  r = ComposeRequest{};
  r.sampling.top_p = 1.5f;
  EXPECT_NE(ValidateComposeRequest(r).message().find("top_p (--top-p)"), std::string::npos);
  r = ComposeRequest{};
  r.bars = 0;  // 0 is the form's default for the library (the server sends it so)
  EXPECT_TRUE(ValidateComposeRequest(r).ok());
  r.bars = 65;
  EXPECT_NE(ValidateComposeRequest(r).message().find("bars (--bars) must be an integer from 0 to 64"),
            std::string::npos);
  r = ComposeRequest{};
  r.parts = "free";
  r.bars = 8;
  EXPECT_FALSE(ValidateComposeRequest(r).ok());
  r = ComposeRequest{};
  r.prime = std::string(5000, 'A');
  EXPECT_NE(ValidateComposeRequest(r).message().find("prime (--prime) must be at most 4096 bytes"), std::string::npos);
}

}  // namespace
}  // namespace tunesmith::generate
