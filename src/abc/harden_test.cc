// The reader on hostile input (issue 13): every finding's regression test,
// and time that stays linear in the text.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "abc/fields.h"
#include "abc/files.h"
#include "abc/reader.h"
#include "abc/writer.h"

namespace tunesmith::abc {
namespace {

double Seconds(const std::function<void()>& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int Notes(const Tune& t) {
  int n = 0;
  for (const Element& e : t.body) n += e.kind == ElementKind::kNote;
  return n;
}

TEST(Harden, F02_WarningsOnAHugeLineStayShortAndFew) {
  const std::string text = "X:1\nT:k\nK:C\nC" + std::string(64000, 'k') + "\n";
  ReadResult r;
  const double s = Seconds([&] { r = ReadAbc(text, "k.abc"); });
  EXPECT_LT(s, 10.0);  // quadratic reading takes minutes; linear well under a second unloaded
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(r.warnings, 64000);
  // kMaxListedWarnings listed, then one line saying how many more.
  ASSERT_EQ(r.diagnostics.size(), static_cast<size_t>(kMaxListedWarnings) + 1);
  EXPECT_EQ(r.diagnostics.back().message, std::to_string(64000 - kMaxListedWarnings) + " more warnings in this tune not listed");
  for (const Diagnostic& d : r.diagnostics) EXPECT_LE(d.Format().size(), 400u) << d.Format();
  // The stretch shown around column 30,000 keeps the caret under the 'k' there.
  Diagnostic d;
  d.file = "k.abc";
  d.line = 4;
  d.column = 30000;
  d.message = "m";
  d.SetSource("C" + std::string(64000, 'k'));
  EXPECT_EQ(d.source_line.substr(0, 3), "...");
  EXPECT_EQ(d.source_line.substr(d.source_line.size() - 3), "...");
  EXPECT_EQ(d.source_line[static_cast<size_t>(d.source_column - 1)], 'k');
  EXPECT_LE(d.source_line.size(), Diagnostic::kSourceWindow + 6);
}

TEST(Harden, F03_ATuneOverTheBoundIsRejectedAndTheNextOneRead) {
  std::string text = "X:1\nT:Huge\nK:C\n";
  for (int i = 0; i < 100000; ++i) text += "CDEF|";  // 100,000 bars on one line
  text += "\n\nX:2\nT:Small\nK:C\nCDEF|\n";
  ReadResult r;
  const double s = Seconds([&] { r = ReadAbc(text, "huge.abc"); });
  EXPECT_LT(s, 10.0);  // quadratic reading takes minutes; linear well under a second unloaded
  EXPECT_EQ(r.tunes_seen, 2);
  EXPECT_EQ(r.rejected, 1);
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(r.tunes[0].Title(), "Small");
  ASSERT_FALSE(r.diagnostics.empty());
  const Diagnostic& d = r.diagnostics[0];
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_EQ(d.line, 4);
  EXPECT_EQ(d.column, static_cast<int>(kMaxTuneBytes - std::string("X:1T:HugeK:C").size()) + 1);
  EXPECT_EQ(d.x, 1);
  EXPECT_EQ(d.title, "Huge");
  EXPECT_NE(d.message.find("longer than 256 KiB"), std::string::npos);
}

TEST(Harden, F03_PathologicalLinesReadInLinearTime) {
  const std::string cases[] = {
      std::string(100000, '[') + std::string(100000, ']'),
      std::string(100000, '{') + "C" + std::string(100000, '}'),
      std::string(100001, '"'),
      std::string(100000, '(') + "C" + std::string(100000, ')') + std::string(100000, '-'),
      "C" + std::string(100000, ')') + std::string(100000, '-'),
      std::string(100000, '!'),
      std::string(60000, '+'),
      "C" + std::string(100000, '>'),
  };
  for (const std::string& body : cases) {
    SCOPED_TRACE(body.substr(0, 3) + "... (" + std::to_string(body.size()) + " bytes)");
    ReadResult r;
    const double s = Seconds([&] { r = ReadAbc("X:1\nK:C\n" + body + "\n", "nested.abc"); });
    EXPECT_LT(s, 10.0);  // quadratic reading takes minutes; linear well under a second unloaded
    // The listed warnings, the line counting the others, and an error.
    EXPECT_LE(r.diagnostics.size(), static_cast<size_t>(kMaxListedWarnings) + 2);
  }
}

TEST(Harden, F03_PlusContinuationLinesDoNotRescanTheBody) {
  // 40,000 notes, each followed by a +: line: looking back for the field
  // from each would take 40,000 x 40,000 steps.
  std::string text = "X:1\nK:C\nW:words\n";
  for (int i = 0; i < 40000; ++i) text += "C\n+:x\n";
  ReadResult r;
  const double s = Seconds([&] { r = ReadAbc(text, "plus.abc"); });
  EXPECT_LT(s, 10.0);  // quadratic reading takes minutes; linear well under a second unloaded
  ASSERT_EQ(r.tunes.size(), 1u);
}

TEST(Harden, F05_ByteOrderMarkKeepsFirstTune) {
  ReadResult r = ReadAbc("\xEF\xBB\xBFX:1\nT:b\nK:C\nCDEF|\n", "b.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(r.tunes[0].Title(), "b");
  EXPECT_EQ(r.warnings, 0);
}

TEST(Harden, F05_CarriageReturnLineEndsAreLineEnds) {
  for (const char* end : {"\r", "\r\n", "\n"}) {
    SCOPED_TRACE(end == std::string("\r") ? "CR" : end == std::string("\n") ? "LF" : "CRLF");
    const std::string e = end;
    const std::string text = "X:1" + e + "T:one" + e + "K:C" + e + "CDEF|GABc|" + e + e + "X:2" + e + "T:two" + e +
                             "K:G" + e + "GABc|dz d2" + e + "!" + e;
    ReadResult r = ReadAbc(text, "cr.abc");
    ASSERT_EQ(r.tunes.size(), 2u);
    EXPECT_EQ(r.tunes[1].Title(), "two");
    EXPECT_EQ(Notes(r.tunes[0]), 8);
    // Line numbers count CR line ends too: the stray '!' is on line 10.
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics.back().line, 10);
  }
}

TEST(Harden, F05_TextWithoutAnyTuneIsAnError) {
  for (const char* text : {"", "\n\n", "K:C\nCDEF|\n"}) {
    ReadResult r = ReadAbc(text, "none.abc");
    EXPECT_EQ(r.tunes_seen, 0);
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics.back().severity, Severity::kError);
    EXPECT_NE(r.diagnostics.back().message.find("no tune"), std::string::npos);
  }
}

TEST(Harden, F01_Latin1TuneIsReadAsLatin1) {
  ReadResult r = ReadAbc("X:1\nT:caf\xe9\nK:C\nCDEF|\n", "l1.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(r.tunes[0].Title(), "caf\xc3\xa9");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].line, 2);
  EXPECT_EQ(r.diagnostics[0].column, 6);
  EXPECT_NE(r.diagnostics[0].message.find("Latin-1"), std::string::npos);
}

TEST(Harden, F06_InlineVoiceSwitchKeepsTheMelody) {
  ReadResult r = ReadAbc("X:1\nT:V\nM:4/4\nL:1/8\nK:G\nV:1\nV:2\n[V:1] GABc defg|\n[V:2] G,8|\n", "v.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(Notes(r.tunes[0]), 8);
  // Voice 2 written first in the body: voice 1 (the melody) is still the one kept.
  r = ReadAbc("X:1\nT:V\nM:4/4\nL:1/8\nK:G\nV:2\nG,8|\nV:1\nGABc defg|\n", "v.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(Notes(r.tunes[0]), 8);
  // A voice declared in the header is kept, whatever its name.
  r = ReadAbc("X:1\nT:V\nM:4/4\nL:1/8\nV:T\nV:B\nK:G\n[V:B] G,8|\n[V:T] GABc defg|\n", "v.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  EXPECT_EQ(Notes(r.tunes[0]), 8);
}

TEST(Harden, F13_DiagnosticsEscapeControlCharacters) {
  ReadResult r = ReadAbc("X:1\nT:\033]0;pwned\007\nK:C\nC\033D|\n", "esc.abc");
  ASSERT_FALSE(r.diagnostics.empty());
  for (const Diagnostic& d : r.diagnostics) {
    const std::string shown = d.Format();
    EXPECT_EQ(shown.find('\033'), std::string::npos) << shown;
    EXPECT_EQ(shown.find('\007'), std::string::npos) << shown;
  }
  EXPECT_NE(r.diagnostics[0].Format().find("\\x1B]0;pwned\\x07"), std::string::npos) << r.diagnostics[0].Format();
}

class ReadTextFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tunesmith-harden-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& bytes) {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  std::filesystem::path dir_;
};

// What check, fmt and tokens share: a missing path and a binary file are
// reported, naming them, and the other files are still read tune by tune.
TEST_F(ReadTextFileTest, ReadAbcFilesGoesOnPastFilesItCannotRead) {
  const std::string good = Write("good.abc", "X:1\nT:a\nK:C\nCDEF|\n\nX:2\nT:b\nK:C\nGABc|\n");
  const std::string binary = Write("binary.abc", std::string("X:1\0", 4));
  const std::string empty = Write("empty.abc", "no tune here\n");
  std::vector<std::string> problems, tunes;
  std::vector<std::pair<std::string, int>> done;
  const bool all_read = ReadAbcFiles(
      {(dir_ / "missing.abc").string(), binary, good, empty},
      [&](const std::string& file, ReadStep& step) {
        for (const Tune& t : step.result.tunes) tunes.push_back(file + " " + t.Title());
      },
      [&](const std::string& file, int seen) { done.emplace_back(file, seen); },
      [&](const std::string& message) { problems.push_back(message); });
  EXPECT_FALSE(all_read);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("missing.abc"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("binary.abc"), std::string::npos) << problems[1];
  EXPECT_EQ(tunes, (std::vector<std::string>{good + " a", good + " b"}));
  EXPECT_EQ(done, (std::vector<std::pair<std::string, int>>{{good, 2}, {empty, 0}}));
}

TEST_F(ReadTextFileTest, F03_BinaryAndUtf16AreNotText) {
  struct Case {
    std::string bytes;
    const char* expected;
  };
  const Case cases[] = {
      {std::string("X:1\nT:a\0b\n", 10), "nul.abc:2:4: binary data (a NUL byte)"},
      {std::string("\xFF\xFEX\0:\0", 6), "utf16.abc: UTF-16 text (byte-order mark FF FE)"},
      {std::string("X\0:\0001\0\n\0", 8), "looks like UTF-16"},
      {std::string(2000, 'a') + std::string(1, '\0'), "binary data"},
  };
  int i = 0;
  for (const Case& c : cases) {
    const std::string name = i == 0 ? "nul.abc" : i == 1 ? "utf16.abc" : "x" + std::to_string(i) + ".abc";
    ++i;
    auto text = ReadTextFile(Write(name, c.bytes));
    ASSERT_FALSE(text.ok()) << name;
    EXPECT_NE(text.status().message().find(c.expected), std::string::npos) << text.status().message();
  }
}

TEST_F(ReadTextFileTest, F03_EndlessZerosStopAtTheFirstBlock) {
  Result<std::string> text = std::string();
  const double s = Seconds([&] { text = ReadTextFile("/dev/zero"); });
  EXPECT_LT(s, 1.0);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("/dev/zero:1:1: binary data"), std::string::npos) << text.status().message();
}

TEST_F(ReadTextFileTest, F16_FoldersMissingFilesAndEmptyFolders) {
  EXPECT_FALSE(ReadTextFile(dir_.string()).ok());
  auto missing = ReadTextFile((dir_ / "missing.abc").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  std::vector<std::string> files;
  Status empty = ListAbcFiles({dir_.string()}, &files);
  EXPECT_TRUE(empty.IsNotFound());
  EXPECT_NE(empty.message().find("no *.abc file"), std::string::npos);
}

TEST(Harden, StreamingStepsAddUpToReadAbc) {
  std::string text = "% a comment\nstray text\n\n";
  for (int i = 1; i <= 200; ++i) {
    text += "X:" + std::to_string(i) + "\nT:t" + std::to_string(i) + "\nK:C\n" + (i % 2 ? "CDEF|\n" : "C/0|\n") + "\n";
  }
  int steps = 0, tunes = 0, rejected = 0, max_tunes_per_step = 0;
  ReadAbcTunes(text, "many.abc", {}, [&](ReadStep& step) {
    ++steps;
    tunes += static_cast<int>(step.result.tunes.size());
    rejected += step.result.rejected;
    max_tunes_per_step = std::max(max_tunes_per_step, static_cast<int>(step.result.tunes.size()));
    // Each step's text starts at its first line.
    SourceLines lines(step.text, step.first_line);
    for (const Diagnostic& d : step.result.diagnostics) {
      if (d.line > 0) {
        EXPECT_FALSE(lines.Line(d.line).empty()) << d.Format();
      }
    }
  });
  EXPECT_EQ(tunes, 100);
  EXPECT_EQ(rejected, 100);
  EXPECT_EQ(max_tunes_per_step, 1);
  EXPECT_GE(steps, 200);
  ReadResult all = ReadAbc(text, "many.abc");
  EXPECT_EQ(static_cast<int>(all.tunes.size()), tunes);
  EXPECT_EQ(all.rejected, rejected);
}

TEST(Harden, F03_NestedChordsAndGraceNotesAreErrors) {
  ReadResult r = ReadAbc("X:1\nK:C\n" + std::string(100000, '[') + "C" + std::string(100000, ']') + "\n", "n.abc");
  ASSERT_EQ(r.rejected, 1);
  EXPECT_EQ(r.diagnostics[0].column, 2);
  EXPECT_NE(r.diagnostics[0].message.find("chords do not nest"), std::string::npos);
  r = ReadAbc("X:1\nK:C\n{{C}}D\n", "n.abc");
  ASSERT_EQ(r.rejected, 1);
  EXPECT_NE(r.diagnostics[0].message.find("grace notes do not nest"), std::string::npos);
}

TEST(Harden, F15_EveryUnitLengthFmtAcceptsReadsBack) {
  const std::string text = "X:1\nT:u\nM:4/4\nL:1/4\nK:C\nCDEF|C/2D/4E/8F/16 G3/2 A7|Z2|c4-c4|\n";
  ReadResult r = ReadAbc(text, "u.abc");
  ASSERT_EQ(r.tunes.size(), 1u);
  for (int den = 1; den <= 256; den *= 2) {
    SCOPED_TRACE("L:1/" + std::to_string(den));
    // fmt takes --unit-length through the reader's own rule for L:.
    auto unit = ParseUnitLength("1/" + std::to_string(den));
    ASSERT_TRUE(unit.ok());
    WriteOptions w;
    w.keep_unit_length = false;
    w.unit_length = *unit;
    ReadResult back = ReadAbc(WriteTune(r.tunes[0], w), "back.abc");
    ASSERT_EQ(back.tunes.size(), 1u) << (back.diagnostics.empty() ? "" : back.diagnostics[0].Format());
  }
  EXPECT_FALSE(ParseUnitLength("1/512").ok());
}

}  // namespace
}  // namespace tunesmith::abc
