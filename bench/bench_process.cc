#include "bench_process.h"

#include "base/process.h"

namespace tunesmith::bench {

Result<ChildRun> RunChild(const std::vector<std::string>& argv) {
  auto run = base::RunProcess(argv);
  if (!run.ok()) return run.status();
  ChildRun child;
  child.exit_code = run->exit_code;
  child.out = std::move(run->out);
  child.err_tail = run->err.size() > 2048 ? run->err.substr(run->err.size() - 2048) : run->err;
  child.seconds = run->seconds;
  return child;
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
  auto exe = base::ThisExecutable();
  return exe.ok() ? exe->string() : std::string();
}

}  // namespace tunesmith::bench
