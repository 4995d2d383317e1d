// Corpus-wide tests (label `corpus`): every tune of the four corpus folders
// is read, written and read back to the same Tune, and abc2midi accepts what
// the writer wrote.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <utility>
#include <string>

#include "abc/files.h"
#include "abc/reader.h"
#include "abc/timeline.h"
#include "abc/transpose.h"
#include "abc/tune_equality.h"
#include "abc/writer.h"
#include "base/testing.h"

namespace tunesmith::abc {
namespace {

namespace fs = std::filesystem;

const char* const kFolders[] = {"nottingham", "nottingham-cleaned", "oneills1850", "ryans-mammoth"};

std::vector<std::string> CorpusFiles(const std::string& folder) {
  std::vector<std::string> files;
  EXPECT_TRUE(ListAbcFiles({(testing::CorpusDir() / folder).string()}, &files).ok());
  return files;
}

class CorpusTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!testing::CorpusPresent()) GTEST_SKIP() << testing::CorpusMissingMessage();
  }
};

// At least 99.5% of the tunes of each folder are read.
TEST_P(CorpusTest, ReadsNearlyEveryTune) {
  int seen = 0, read = 0;
  for (const auto& file : CorpusFiles(GetParam())) {
    auto result = ReadAbcFile(file);
    ASSERT_TRUE(result.ok()) << result.status().message();
    seen += result->tunes_seen;
    read += static_cast<int>(result->tunes.size());
  }
  ASSERT_GT(seen, 1000);
  EXPECT_GE(read, seen * 995 / 1000) << read << " of " << seen << " read";
}

// parse(write(parse(x))) == parse(x), for both the tune's own L: and L:1/8;
// beamed by beat, the same music, and the blanks written are the blanks read.
TEST_P(CorpusTest, RoundTripsEveryTune) {
  int tunes = 0;
  for (const auto& file : CorpusFiles(GetParam())) {
    auto result = ReadAbcFile(file);
    ASSERT_TRUE(result.ok());
    for (const Tune& tune : result->tunes) {
      for (bool own_unit : {true, false}) {
        for (bool by_beat : {false, true}) {
          WriteOptions options;
          options.keep_unit_length = own_unit;
          options.beam_by_beat = by_beat;
          std::string text = WriteTune(tune, options);
          ReadResult again = ReadAbc(text, "written");
          ASSERT_EQ(again.tunes.size(), 1u) << tune.Describe() << " written as\n" << text;
          std::string why;
          EXPECT_TRUE(SameTune(tune, again.tunes[0], &why, !by_beat)) << tune.Describe() << ": " << why << "\n" << text;
          if (by_beat) {
            WriteOptions as_read = options;
            as_read.beam_by_beat = false;
            EXPECT_EQ(WriteTune(again.tunes[0], as_read), text) << tune.Describe();
          }
          ++tunes;
        }
      }
    }
  }
  EXPECT_GT(tunes, 4000);
}

// Every tune moved to C (what the tokenizer does), F#, Eb and C#: every note
// moves by the same interval, the mode stays, and the result round-trips.
TEST_P(CorpusTest, TransposesEveryTune) {
  int moved_tunes = 0;
  for (const auto& file : CorpusFiles(GetParam())) {
    auto result = ReadAbcFile(file);
    ASSERT_TRUE(result.ok());
    for (const Tune& tune : result->tunes) {
      if (tune.key.none) continue;
      std::vector<NoteEvent> before = Timeline(tune);
      for (auto [step, alter] : {std::pair{0, 0}, std::pair{3, 1}, std::pair{2, -1}, std::pair{0, 1}}) {
        auto moved = TransposeTo(tune, step, alter);
        ASSERT_TRUE(moved.ok()) << tune.Describe() << ": " << moved.status().message();
        EXPECT_EQ(moved->key.mode, tune.key.mode) << tune.Describe();
        std::vector<NoteEvent> after = Timeline(*moved);
        ASSERT_EQ(before.size(), after.size()) << tune.Describe();
        int shift = 0;
        bool first = true;
        for (size_t i = 0; i < before.size(); ++i) {
          ASSERT_EQ(before[i].midi.size(), after[i].midi.size());
          for (size_t j = 0; j < before[i].midi.size(); ++j) {
            int d = after[i].midi[j] - before[i].midi[j];
            if (first) shift = d;
            first = false;
            ASSERT_EQ(d, shift) << tune.Describe() << " event " << i;
          }
        }
        EXPECT_LE(std::abs(shift), 6) << tune.Describe();
        std::string text = WriteTune(*moved);
        ReadResult again = ReadAbc(text, "moved");
        ASSERT_EQ(again.tunes.size(), 1u) << text;
        std::string why;
        EXPECT_TRUE(SameTune(*moved, again.tunes[0], &why)) << tune.Describe() << ": " << why;
        ++moved_tunes;
      }
    }
  }
  EXPECT_GT(moved_tunes, 2000);
}

// Lines of abc2midi's output on `abc` that report an error.
std::vector<std::string> Abc2midiErrors(const fs::path& dir, const fs::path& abc) {
  fs::path log = dir / "abc2midi.log";
  std::string command = "cd '" + dir.string() + "' && abc2midi '" + abc.string() + "' > '" + log.string() + "' 2>&1";
  EXPECT_NE(std::system(command.c_str()), -1);
  std::vector<std::string> errors;
  std::ifstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("Error") != std::string::npos) errors.push_back(line);
  }
  return errors;
}

// Every file under `folder`, with its size and time of last change.
std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> FolderListing(const fs::path& folder) {
  std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> listing;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) listing[entry.path().string()] = {entry.file_size(), entry.last_write_time()};
  }
  return listing;
}

// A fresh folder under the temporary directory, removed with what is in it
// when the test ends (passed or failed).
struct ScratchFolder {
  fs::path path = fs::temp_directory_path() / ("tunesmith-abc2midi-" + std::to_string(::getpid()));
  ScratchFolder() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// abc2midi accepts every chord symbol the writer spells, and finds no more
// errors in the written tunes than in the original file (the corpus has
// errors of its own: ties to nothing, hornpipes in 6/8 ...). abc2midi writes
// a MIDI file beside each file it reads: it only reads files in a scratch
// folder, and the corpus folder is the same after the test as before.
TEST_P(CorpusTest, Abc2midiAcceptsWrittenTunes) {
  if (std::system("abc2midi -ver > /dev/null 2>&1") != 0) GTEST_SKIP() << "abc2midi not installed (Debian package abcmidi)";
  const fs::path corpus_folder = testing::CorpusDir() / GetParam();
  const auto corpus_before = FolderListing(corpus_folder);
  ScratchFolder scratch;
  const fs::path& dir = scratch.path;
  int files = 0;
  for (const auto& file : CorpusFiles(GetParam())) {
    auto result = ReadAbcFile(file);
    ASSERT_TRUE(result.ok());
    fs::path abc = dir / ("written-" + fs::path(file).filename().string());
    {
      std::ofstream out(abc);
      for (const Tune& tune : result->tunes) out << WriteTune(tune) << "\n";
    }
    // abc2midi writes its MIDI beside its input: it reads a copy of the
    // original, so that nothing lands in the corpus folder.
    const fs::path copy = dir / ("original-" + fs::path(file).filename().string());
    fs::copy_file(file, copy, fs::copy_options::overwrite_existing);
    std::vector<std::string> written = Abc2midiErrors(dir, abc);
    std::vector<std::string> original = Abc2midiErrors(dir, copy);
    for (const auto& line : written) {
      EXPECT_EQ(line.find("chord"), std::string::npos) << file << " as written: " << line;
    }
    EXPECT_LE(written.size(), original.size()) << file << ": abc2midi finds more errors in the written tunes";
    ++files;
  }
  EXPECT_GT(files, 10);
  EXPECT_TRUE(FolderListing(corpus_folder) == corpus_before) << corpus_folder << " changed while abc2midi ran";
}

INSTANTIATE_TEST_SUITE_P(Folders, CorpusTest, ::testing::ValuesIn(kFolders),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace tunesmith::abc
