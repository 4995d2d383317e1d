// The metrics log never holds half a line (finding 11 of issue 13).
#include "train/progress.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace tunesmith::train {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class MetricsLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ts_metrics_log_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    path_ = (dir_ / "m.ckpt.metrics.jsonl").string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string path_;
};

TEST_F(MetricsLogTest, WritesLinesAndEmptiesUnlessAppending) {
  {
    MetricsLog log;
    ASSERT_TRUE(log.Open(path_, false).ok());
    ASSERT_TRUE(log.Append(R"({"kind":"start"})").ok());
    ASSERT_TRUE(log.Append(R"({"kind":"train","step":5})").ok());
  }
  EXPECT_EQ(Slurp(path_), "{\"kind\":\"start\"}\n{\"kind\":\"train\",\"step\":5}\n");
  {
    MetricsLog log;
    size_t dropped = 99;
    ASSERT_TRUE(log.Open(path_, true, &dropped).ok());
    EXPECT_EQ(dropped, 0u);
    ASSERT_TRUE(log.Append(R"({"kind":"resume"})").ok());
  }
  EXPECT_EQ(Slurp(path_), "{\"kind\":\"start\"}\n{\"kind\":\"train\",\"step\":5}\n{\"kind\":\"resume\"}\n");
  MetricsLog fresh;
  ASSERT_TRUE(fresh.Open(path_, false).ok());
  EXPECT_EQ(Slurp(path_), "");
}

// Finding 11: a disk that filled up mid-line left half a JSON line, which
// the next resume glued to its first line. Opening to append cuts it off.
TEST(Harden, F11_HalfWrittenMetricsLineIsCutOffOnResume) {
  const fs::path dir = fs::temp_directory_path() / ("ts_f11_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "m.metrics.jsonl").string();
  std::ofstream(path, std::ios::binary) << "{\"kind\":\"start\"}\n{\"kind\":\"train\",\"st";
  MetricsLog log;
  size_t dropped = 0;
  ASSERT_TRUE(log.Open(path, true, &dropped).ok());
  EXPECT_EQ(dropped, std::string("{\"kind\":\"train\",\"st").size());
  ASSERT_TRUE(log.Append(R"({"kind":"resume"})").ok());
  log.Close();
  EXPECT_EQ(Slurp(path), "{\"kind\":\"start\"}\n{\"kind\":\"resume\"}\n");
  // A log that is nothing but half a line (longer than one read buffer) becomes empty.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << std::string(10000, 'x');
  ASSERT_TRUE(log.Open(path, true, &dropped).ok());
  EXPECT_EQ(dropped, 10000u);
  EXPECT_EQ(fs::file_size(path), 0u);
  fs::remove_all(dir);
}

// Finding 11: a full disk (a file-size limit here, as `ulimit -f` sets; the
// tmpfs case is in tests/cli_killed_training_test.cc) makes Append fail with
// the log as it was: no half line, and the message names the file.
TEST(Harden, F11_FullDiskLeavesNoHalfMetricsLine) {
  const fs::path dir = fs::temp_directory_path() / ("ts_f11d_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "m.metrics.jsonl").string();
  const std::string first = R"({"kind":"start","step":0})";
  {
    MetricsLog log;
    ASSERT_TRUE(log.Open(path, false).ok());
    ASSERT_TRUE(log.Append(first).ok());
  }
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlim_t cap = first.size() + 1 + 10;  // room for 10 more bytes only
    struct rlimit limit = {cap, cap};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    MetricsLog log;
    if (!log.Open(path, true).ok()) ::_exit(2);
    Status st = log.Append(std::string(R"({"kind":"train","step":50,"loss":)") + std::string(60, '1') + "}");
    const bool said = !st.ok() && st.IsIOError() && st.message().find(path) != std::string::npos &&
                      st.message().find("the log is whole") != std::string::npos;
    if (!said) std::fprintf(stderr, "status: %s\n", st.ToString().c_str());
    ::_exit(said ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(Slurp(path), first + "\n") << "the half line was cut back off";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tunesmith::train
