#include "base/process.h"

#include <gtest/gtest.h>

#include <chrono>

namespace tunesmith::base {
namespace {

TEST(RunProcess, CapturesOutputAndExitCode) {
  Result<ProcessRun> run = RunProcess({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->out, "out\n");
  EXPECT_EQ(run->err, "err\n");
  EXPECT_EQ(run->exit_code, 3);
  EXPECT_GE(run->seconds, 0.0);
}

TEST(RunProcess, ReportsTheSignalThatKilledTheChild) {
  Result<ProcessRun> run = RunProcess({"/bin/sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->exit_code, 128 + 9);
}

TEST(RunProcess, RunsInTheGivenFolderWithStdinEmpty) {
  Result<ProcessRun> run = RunProcess({"/bin/sh", "-c", "pwd; cat"}, {.cwd = "/"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->out, "/\n");
  EXPECT_EQ(run->exit_code, 0);
}

TEST(RunProcess, ReadsBothStreamsWithoutDeadlock) {
  // More than a pipe holds on each stream at once.
  Result<ProcessRun> run =
      RunProcess({"/bin/sh", "-c", "head -c 200000 /dev/zero; head -c 200000 /dev/zero >&2"}, {.cwd = {}, .timeout_seconds = 30});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->out.size(), 200000u);
  EXPECT_EQ(run->err.size(), 200000u);
}

TEST(RunProcess, MissingProgramIsNotFound) {
  Result<ProcessRun> run = RunProcess({"/no/such/program", "--help"});
  ASSERT_FALSE(run.ok());
  EXPECT_TRUE(run.status().IsNotFound()) << run.status().ToString();
  EXPECT_NE(run.status().message().find("/no/such/program"), std::string::npos);
  EXPECT_TRUE(RunProcess({}).status().IsInvalidArgument());
}

TEST(RunProcess, StopsARunawayChild) {
  const auto start = std::chrono::steady_clock::now();
  Result<ProcessRun> slow = RunProcess({"/bin/sh", "-c", "sleep 5"}, {.cwd = {}, .timeout_seconds = 0.2});
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(slow.ok());
  EXPECT_TRUE(slow.status().IsIOError());
  EXPECT_NE(slow.status().message().find("did not finish"), std::string::npos);
  EXPECT_LT(elapsed, 2.0);
}

TEST(ThisExecutable, IsThisTestBinary) {
  Result<std::filesystem::path> self = ThisExecutable();
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  EXPECT_EQ(self->filename(), "base_test");
  EXPECT_TRUE(std::filesystem::is_regular_file(*self));
}

}  // namespace
}  // namespace tunesmith::base
