// Hardening of `tunesmith render` (issue 13), as a careless or hostile user
// meets it: tool message floods bounded (F02), planted symlinks never
// followed (F09), directives that read files or embed markup not passed to
// abc2midi and abcm2ps (F12), and the exit codes of an empty file and an
// output folder that cannot be written (F16). Needs abc2midi and abcm2ps
// (skipped without them).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "base/cli_testing.h"

namespace {

namespace fs = std::filesystem;

using tunesmith::testing::Outcome;

bool OnPath(const char* program) {
  return std::system((std::string("command -v ") + program + " >/dev/null 2>&1").c_str()) == 0;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class Harden : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!OnPath("abc2midi") || !OnPath("abcm2ps")) GTEST_SKIP() << "abc2midi or abcm2ps is not installed";
    dir_ = fs::temp_directory_path() / ("tunesmith-render-harden-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // Scratch folders go here, so a test can see that none is left behind.
    fs::create_directories(dir_ / "tmp");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  fs::path Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  Outcome Render(const std::string& args) {
    const fs::path err = dir_ / "stderr.txt";
    return tunesmith::testing::RunProgram("TMPDIR=" + (dir_ / "tmp").string() + " " +
                                              tunesmith::testing::BuiltBinary().string(),
                                          "render " + args, err);
  }

  fs::path dir_;
};

const char* kGood = "X:1\nT:Good\nM:4/4\nL:1/8\nK:G\nGABc dedB|AGFA G4|]\n";

TEST_F(Harden, F02_RenderBoundsToolMessageFloods) {
  // 100,000 unknown decorations before one note: abcm2ps and abc2midi
  // complain about each. What is relayed stays small.
  std::string flood = "X:1\nT:Flood\nM:4/4\nL:1/8\nK:C\n";
  for (int i = 0; i < 100000; ++i) flood += "!trill!";
  flood += "C8|]\n";
  const fs::path file = Write("flood.abc", flood);
  const auto started = std::chrono::steady_clock::now();
  Outcome r = Render(file.string() + " --midi --svg --lenient --out " + (dir_ / "out").string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(r.err.size(), 64u * 1024) << r.err.substr(0, 2000);
  EXPECT_LT(seconds, 60);
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err.substr(0, 2000);
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));

  // One very long line of complaints: the line is quoted around the column, not whole.
  std::string wide = "X:1\nT:Wide\nM:4/4\nL:1/8\nK:C\n";
  for (int i = 0; i < 64000; ++i) wide += 'k';
  wide += "\n";
  Outcome w = Render(Write("wide.abc", wide).string() + " --svg --out " + (dir_ / "out").string());
  EXPECT_LT(w.err.size(), 64u * 1024) << w.err.substr(0, 2000);
}

TEST_F(Harden, F09_RenderNeverFollowsPlantedSymlinks) {
  const fs::path victim = Write("victim", "precious\n");
  const fs::path out = dir_ / "o";
  fs::create_directories(out);
  const fs::path good = Write("good.abc", kGood);
  // The final names and every temporary name a writer used to take.
  for (const char* ext : {".mid", ".svg"}) {
    fs::create_symlink(victim, out / (std::string("good-1") + ext));
    fs::create_symlink(victim, out / (std::string("good-1") + ext + ".tmp"));
    for (int n = 0; n < 4; ++n) {
      fs::create_symlink(victim, out / ("." + std::string("good-1") + ext + ".tmp." + std::to_string(getpid() + 1) +
                                        "." + std::to_string(n)));
    }
  }
  Outcome r = Render(good.string() + " --midi --svg --out " + out.string());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadAll(victim), "precious\n");
  // The outputs are regular files of their own now, not links.
  EXPECT_FALSE(fs::is_symlink(out / "good-1.mid"));
  EXPECT_FALSE(fs::is_symlink(out / "good-1.svg"));
  EXPECT_EQ(ReadAll(out / "good-1.mid").substr(0, 4), "MThd");
}

TEST_F(Harden, F12_RenderDoesNotPassFileAndMarkupDirectives) {
  const std::string tune =
      "X:1\nT:Directives\nM:4/4\nL:1/8\nK:G\n"
      "%%beginsvg\n<script>alert('pwned')</script>\n%%endsvg\n"
      "%%abc-include /etc/passwd\n"
      "I:abc-include /etc/hostname\n"
      "%%beginps\n/pwn { } def\n%%endps\n"
      "GABc dedB|[I:abc-include /etc/passwd]AGFA G4|]\n";
  const fs::path file = Write("directives.abc", tune);
  Outcome r = Render(file.string() + " --midi --svg --out " + (dir_ / "out").string());
  EXPECT_EQ(r.code, 0) << r.err;
  const std::string svg = ReadAll(dir_ / "out" / "directives-1.svg");
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_EQ(svg.find("pwned"), std::string::npos);
  EXPECT_EQ(r.err.find("root:"), std::string::npos) << r.err;  // /etc/passwd was not read and echoed
  // Each one is said, with its line.
  EXPECT_NE(r.err.find("directives.abc:6:1: render warning: %%beginsvg (a block of 3 lines) was not passed"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("directives.abc:9:1: render warning: %%abc-include was not passed"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("I:abc-include was not passed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[I:abc-include] was not passed"), std::string::npos) << r.err;
  // Said once, though both tools were spared it.
  const size_t first = r.err.find("%%abc-include was not passed");
  EXPECT_EQ(r.err.find("%%abc-include was not passed", first + 1), std::string::npos) << r.err;
  // The tune itself is still rendered in full.
  EXPECT_EQ(ReadAll(dir_ / "out" / "directives-1.mid").substr(0, 4), "MThd");
}

TEST_F(Harden, F16_RenderExitCodes) {
  const fs::path out = dir_ / "out";
  // An empty file: nothing to render, a usage error (2), said once.
  Outcome empty = Render(Write("empty.abc", "").string() + " --midi --out " + out.string());
  EXPECT_EQ(empty.code, 2) << empty.err;
  EXPECT_NE(empty.err.find("empty.abc is empty: nothing to render"), std::string::npos) << empty.err;
  Outcome blank = Render(Write("blank.abc", "\n \n").string() + " --midi --out " + out.string());
  EXPECT_EQ(blank.code, 2) << blank.err;
  Outcome no_tunes = Render(Write("prose.abc", "just words\n").string() + " --midi --out " + out.string());
  EXPECT_EQ(no_tunes.code, 2) << no_tunes.err;
  // A missing file: 3.
  EXPECT_EQ(Render((dir_ / "missing.abc").string() + " --midi").code, 3);
  // An output folder that cannot be written: 5, before any tune is rendered.
  const fs::path good = Write("good.abc", kGood);
  fs::path readonly = dir_ / "readonly";
  fs::create_directories(readonly);
  fs::permissions(readonly, fs::perms::owner_read | fs::perms::owner_exec);
  if (::geteuid() == 0) readonly = "/proc/self";  // root writes anywhere; /proc takes no new files
  Outcome ro = Render(good.string() + " --midi --svg --out " + readonly.string());
  EXPECT_EQ(ro.code, 5) << ro.err;
  EXPECT_NE(ro.err.find("cannot write into the folder " + readonly.string()), std::string::npos) << ro.err;
  EXPECT_EQ(ro.err.find("render: " + good.string()), std::string::npos) << "a tune was tried: " << ro.err;
  EXPECT_TRUE(ro.out.empty()) << ro.out;
  fs::permissions(dir_ / "readonly", fs::perms::owner_all);
}

}  // namespace
