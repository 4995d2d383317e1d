// End-to-end: the light commands (check, fmt, tokens) on hostile input, as a
// careless or hostile user gives it (issue 13). Every bad file gets one
// message naming it (with line:column where there is one) and exit 1 or 2,
// in seconds.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "base/cli_testing.h"

namespace {

namespace fs = std::filesystem;

using tunesmith::testing::Outcome;

class CliHardenInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tunesmith-harden-input-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

  Outcome Tunesmith(const std::string& args, double* seconds = nullptr) {
    const auto start = std::chrono::steady_clock::now();
    Outcome o = tunesmith::testing::RunProgram(tunesmith::testing::BuiltBinary(), args, dir_ / "stderr.txt");
    if (seconds) *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return o;
  }

  fs::path dir_;
};

int LinesWith(const std::string& text, const std::string& word) {
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(word) != std::string::npos;
  return n;
}

std::string ManyTunes(int n) {
  std::string text;
  for (int x = 1; x <= n; ++x) {
    text += "X:" + std::to_string(x) + "\nT:Tune " + std::to_string(x) + "\nM:4/4\nL:1/8\nK:G\n" +
            (x % 2 ? "GABc dedB|dedB dedB|\n" : "GABc d/0|\n") + "\n";
  }
  return text;
}

TEST_F(CliHardenInputTest, F16_EveryBadFileGetsOneMessageAndExitOneOrTwo) {
  std::string huge_tune = "X:1\nT:Long\nM:4/4\nL:1/8\nK:G\n";
  for (int bar = 0; bar < 100000; ++bar) huge_tune += bar % 8 == 7 ? "GABc dedB|\n" : "GABc dedB|";
  std::string unreadable;
  if (::geteuid() == 0) {
    unreadable = "/proc/self/mem";  // root reads any file; this one fails with EIO at offset 0
  } else {
    unreadable = Write("unreadable.abc", "X:1\nK:C\nC|\n");
    fs::permissions(unreadable, fs::perms::none);
  }
  struct Case {
    std::string name;      // the file's name in dir_ (or a path)
    std::string bytes;     // its content, written unless `path` is set
    std::string path;      // a path used as it is
    int code;              // check's exit code
    std::string message;   // in the one stderr line naming the file
  };
  const Case cases[] = {
      {"empty.abc", "", "", 1, "empty.abc: error: no tune: the file is empty"},
      {"binary.abc", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "", 2, "binary.abc:3:1: binary data (a NUL byte)"},
      {"nul.abc", std::string("X:1\nT:a\0b\nK:C\nC|\n", 16), "", 2, "nul.abc:2:4: binary data (a NUL byte)"},
      {"utf16.abc", std::string("\xFF\xFEX\0:\0001\0\n\0", 10), "", 2, "utf16.abc: UTF-16 text (byte-order mark FF FE)"},
      {"utf16-nobom.abc", std::string("X\0:\0001\0\n\0K\0:\0C\0\n\0", 16), "", 2, "looks like UTF-16"},
      {"huge-line.abc", "X:1\nT:Line\nK:C\n" + std::string(20 << 20, 'C') + "\n", "", 1,
       "huge-line.abc:4:262133: error: X:1 \"Line\": the tune is longer than 256 KiB"},
      {"huge-tune.abc", huge_tune, "", 1, "huge-tune.abc:3282:43: error: X:1 \"Long\": the tune is longer than 256 KiB"},
      {"nested.abc", "X:1\nK:C\n" + std::string(100000, '[') + "C" + std::string(100000, ']') + "\n", "", 1,
       "nested.abc:3:2: error: X:1: '[' inside a chord: chords do not nest"},
      {"nested-grace.abc", "X:1\nK:C\n" + std::string(100000, '{') + "C" + std::string(100000, '}') + "D\n", "", 1,
       "nested-grace.abc:3:2: error: X:1: '{' inside grace notes"},
      {"unreadable", "", unreadable, 2, "cannot "},
      {"missing.abc", "", (dir_ / "missing.abc").string(), 2, "no such file or folder: "},
      {"empty-folder", "", (dir_ / "empty-folder").string(), 2, "no *.abc file in the folder"},
      {"zero", "", "/dev/zero", 2, "/dev/zero:1:1: binary data"},
  };
  fs::create_directories(dir_ / "empty-folder");
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = c.path.empty() ? Write(c.name, c.bytes) : c.path;
    double seconds = 0;
    Outcome o = Tunesmith("check " + path, &seconds);
    EXPECT_EQ(o.code, c.code) << o.err.substr(0, 2000);
    EXPECT_LT(seconds, 20.0);
    const std::string named = c.path.empty() ? c.name : c.path;
    EXPECT_EQ(LinesWith(o.err, named), 1) << o.err.substr(0, 2000);
    EXPECT_NE(o.err.find(c.message), std::string::npos) << o.err.substr(0, 2000);
    // fmt and tokens read files the same way and agree on the exit code.
    EXPECT_EQ(Tunesmith("fmt " + path).code, c.code);
    EXPECT_EQ(Tunesmith("tokens " + path).code, c.code);
  }
}

TEST_F(CliHardenInputTest, F05_ByteOrderMarkAndLineEndsAreRead) {
  const std::string tune = "X:1\nT:b\nM:4/4\nL:1/8\nK:C\nCDEF GABc|\n";
  std::string crlf, cr;
  for (char ch : tune) {
    crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    cr += ch == '\n' ? '\r' : ch;
  }
  for (const std::string& text : {"\xEF\xBB\xBF" + tune, crlf, cr, "\xEF\xBB\xBF" + crlf}) {
    Outcome o = Tunesmith("check " + Write("t.abc", text));
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "tunes 1, read 1, warnings 0, rejected 0, bars 1, bars off-meter 0\n") << o.err;
  }
}

TEST_F(CliHardenInputTest, F03_TenThousandTunesEveryOtherBrokenStillCount) {
  const std::string path = Write("many.abc", ManyTunes(10000));
  double seconds = 0;
  Outcome o = Tunesmith("check -q " + path, &seconds);
  EXPECT_EQ(o.code, 1);
  EXPECT_EQ(o.out, "tunes 10000, read 5000, warnings 0, rejected 5000, bars 10000, bars off-meter 0\n");
  EXPECT_LT(seconds, 20.0);
  Outcome tokens = Tunesmith("tokens " + path);
  EXPECT_EQ(tokens.code, 1);
  EXPECT_EQ(LinesWith(tokens.out, "<s>"), 5000);
}

TEST_F(CliHardenInputTest, F02_HugeLineOfWarningsIsAFewLinesOfOutput) {
  const std::string path = Write("k.abc", "X:1\nK:C\nC" + std::string(64000, 'k') + "\n");
  double seconds = 0;
  Outcome o = Tunesmith("check " + path, &seconds);
  EXPECT_EQ(o.code, 0);
  EXPECT_LT(seconds, 10.0);
  EXPECT_LT(o.err.size(), 40000u);
  EXPECT_NE(o.err.find("63950 more warnings in this tune not listed"), std::string::npos);
  EXPECT_EQ(o.out, "tunes 1, read 1, warnings 64000, rejected 0, bars 1, bars off-meter 0\n");
}

TEST_F(CliHardenInputTest, F01_NonUtf8TitleInJsonOutput) {
  Outcome o = Tunesmith("check --json " + Write("l1.abc", "X:1\nT:caf\xe9\nK:C\nCDEF|\n"));
  EXPECT_EQ(o.code, 0) << o.err;
  auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["read"], 1);
  EXPECT_EQ(j["problems"][0]["line"], 2);
  // Bytes that are not UTF-8 in a message (an unexpected character) and in the file name.
  Outcome bad = Tunesmith("check --json " + Write("l2-\xe9.abc", "X:1\nT:ok\nK:C\nC\xe9 |\n"));
  nlohmann::json parsed;
  EXPECT_NO_THROW(parsed = nlohmann::json::parse(bad.out)) << bad.out;
  EXPECT_EQ(bad.code, 0) << bad.err;
}

TEST_F(CliHardenInputTest, F06_InlineVoiceSwitchKeepsTheMelody) {
  Outcome o = Tunesmith("fmt " + Write("v.abc", "X:1\nT:V\nM:4/4\nL:1/8\nK:G\nV:1\nV:2\n[V:1] GABc defg|\n[V:2] G,8|\n"));
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("GABc defg|"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("G,8"), std::string::npos) << o.out;
}

TEST_F(CliHardenInputTest, F13_ControlCharactersDoNotReachTheTerminal) {
  Outcome o = Tunesmith("check " + Write("esc.abc", "X:1\nT:\033]0;pwned\007\nK:C\nC\033D|\n"));
  EXPECT_EQ(o.err.find('\033'), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find('\007'), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("\\x1B]0;pwned\\x07"), std::string::npos) << o.err;
}

TEST_F(CliHardenInputTest, F15_FmtUnitLengthOutOfRangeIsRefused) {
  const std::string path = Write("u.abc", "X:1\nL:1/4\nK:C\nCDEF|C/2D/4E/8F/16 G3/2 A7|\n");
  Outcome refused = Tunesmith("fmt --unit-length 1/512 " + path);
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("1/256 to 1"), std::string::npos) << refused.err;
  Outcome written = Tunesmith("fmt --unit-length 1/256 " + path);
  ASSERT_EQ(written.code, 0) << written.err;
  EXPECT_EQ(Tunesmith("check " + Write("u256.abc", written.out)).code, 0);
}

TEST_F(CliHardenInputTest, F16_OneMissingPathDoesNotSkipTheOthers) {
  const std::string good = Write("good.abc", "X:1\nT:g\nM:4/4\nL:1/8\nK:C\nCDEF GABc|\n");
  Outcome o = Tunesmith("check " + (dir_ / "missing.abc").string() + " " + good);
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(o.out, "tunes 1, read 1, warnings 0, rejected 0, bars 1, bars off-meter 0\n");
  EXPECT_NE(o.err.find("missing.abc"), std::string::npos);
  Outcome fmt = Tunesmith("fmt " + (dir_ / "missing.abc").string() + " " + good);
  EXPECT_EQ(fmt.code, 2);
  EXPECT_NE(fmt.out.find("CDEF"), std::string::npos);
}

TEST_F(CliHardenInputTest, F16_TokensOfAFolder) {
  fs::create_directories(dir_ / "folder");
  Write("folder/a.abc", "X:1\nT:a\nM:4/4\nL:1/8\nK:C\nCDEF GABc|\n");
  Write("folder/b.abc", "X:1\nT:b\nM:4/4\nL:1/8\nK:G\nGABc dedB|\n");
  Outcome o = Tunesmith("tokens " + (dir_ / "folder").string());
  EXPECT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(LinesWith(o.out, "<s>"), 2) << o.out;
}

}  // namespace
