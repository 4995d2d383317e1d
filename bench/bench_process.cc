#include "bench_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace tunesmith::bench {

Result<ChildRun> RunChild(const std::vector<std::string>& argv) {
  if (argv.empty()) return Status::Error("RunChild: no program");
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Status::Error(std::string("pipe: ") + std::strerror(errno));
  char err_path[] = "/tmp/tunesmith-bench-stderr-XXXXXX";
  const int err_fd = mkstemp(err_path);
  if (err_fd < 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Status::Error(std::string("mkstemp: ") + std::strerror(errno));
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_fd);
  if (rc != 0) {
    close(out_pipe[0]);
    std::remove(err_path);
    return Status::Error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }

  ChildRun run;
  char buffer[4096];
  ssize_t n;
  while ((n = read(out_pipe[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) run.out.append(buffer, static_cast<size_t>(n));
  }
  close(out_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

  std::ifstream err(err_path, std::ios::binary);
  std::stringstream text;
  text << err.rdbuf();
  const std::string all = text.str();
  run.err_tail = all.size() > 2048 ? all.substr(all.size() - 2048) : all;
  std::remove(err_path);
  return run;
}

std::string LastJsonLine(const std::string& out) {
  size_t end = out.size();
  while (end > 0) {
    size_t start = out.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string line = out.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty() && line.front() == '{' && line.back() == '}') return line;
    if (start == 0) break;
    end = start - 1;
  }
  return "";
}

std::string SelfExe() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

}  // namespace tunesmith::bench
