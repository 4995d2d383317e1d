// Helpers for end-to-end tests that run the built binaries as a user does:
// where they are, how to run one and capture what it prints, and a corpus of
// hand-made tunes to train and judge on. Header-only; tests only.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

namespace tunesmith::testing {

// What a command did: its exit code (-1 when it did not exit normally), what
// it wrote on stdout and on stderr.
struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

// bin/NAME in the build tree ($TUNESMITH_BINARY_DIR, set by CTest).
inline std::filesystem::path BuiltBinary(const std::string& name = "tunesmith") {
  const char* dir = std::getenv("TUNESMITH_BINARY_DIR");
  return std::filesystem::path(dir ? dir : ".") / "bin" / name;
}

// Runs `program args` through the shell with stdin from `in` and stderr into
// `err_file` (read back into Outcome::err); stdout is captured.
inline Outcome RunProgram(const std::filesystem::path& program, const std::string& args,
                          const std::filesystem::path& err_file,
                          const std::filesystem::path& in = "/dev/null") {
  const std::string command = program.string() + " " + args + " < " + in.string() + " 2> " + err_file.string();
  Outcome run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_file);
  run.err.assign(std::istreambuf_iterator<char>(e), {});
  return run;
}

// A tune of two 4-bar parts, notes drawn from the scale with `rng`: every
// bar is exactly the meter's length. Even x are jigs in 6/8, odd x reels in
// 4/4; the parts are written three ways (|: :| twice; | ... || ... |];
// |: :| then ... |]) so that a vocabulary learnt from them holds the bar
// lines real tunes have. std::mt19937 is the same everywhere, so the tunes
// are too.
inline std::string HandMadeTune(int x, std::mt19937& rng) {
  const bool jig = x % 2 == 0;
  const char* keys[] = {"D", "G", "Ador", "Em", "A"};
  const std::string notes = "DEFGABcdef";
  std::string abc = "X:" + std::to_string(x) + "\nT:Hand Made " + std::to_string(x) + "\nR:" +
                    (jig ? "jig" : "reel") + "\nM:" + (jig ? "6/8" : "4/4") + "\nL:1/8\nK:" + keys[x % 5] + "\n";
  const int per_bar = jig ? 6 : 8;
  const int form = x % 3;
  for (int part = 0; part < 2; ++part) {
    const bool repeated = form == 0 || (form == 2 && part == 0);
    if (repeated) abc += "|:";
    for (int bar = 0; bar < 4; ++bar) {
      int left = per_bar;
      while (left > 0) {
        const int len = (left >= 2 && rng() % 3 == 0) ? 2 : 1;
        abc += notes[rng() % notes.size()];
        if (len == 2) abc += "2";
        left -= len;
      }
      if (bar < 3) abc += "|";
      else abc += repeated ? ":|" : part == 0 ? "||" : "|]";
    }
    abc += "\n";
  }
  return abc;
}

// Writes `count` hand-made tunes (rng seeded with `seed`) into `file`.
inline void WriteHandMadeCorpus(const std::filesystem::path& file, int count, unsigned seed) {
  std::mt19937 rng(seed);
  std::ofstream out(file);
  for (int x = 1; x <= count; ++x) out << HandMadeTune(x, rng) << "\n";
}

}  // namespace tunesmith::testing
