#include "base/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace tunesmith::base {
namespace {

namespace fs = std::filesystem;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tunesmith-files-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }
  int EntriesIn(const fs::path& dir) {
    int n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
  }
  fs::path dir_;
};

TEST_F(FilesTest, WritesAndReadsBackEveryByte) {
  const std::string bytes("a\0b\r\nc", 6);
  ASSERT_TRUE(WriteFileAtomically(dir_ / "f.bin", bytes).ok());
  Result<std::string> back = ReadFile(dir_ / "f.bin");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, bytes);
  ASSERT_TRUE(WriteFile(dir_ / "g.bin", "plain").ok());
  EXPECT_EQ(*ReadFile(dir_ / "g.bin"), "plain");
  EXPECT_EQ(EntriesIn(dir_), 2);  // no temporary file left behind
}

TEST_F(FilesTest, AtomicWriteReplacesTheOldContent) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "f.txt", "old, and longer").ok());
  ASSERT_TRUE(WriteFileAtomically(dir_ / "f.txt", "new").ok());
  EXPECT_EQ(*ReadFile(dir_ / "f.txt"), "new");
  EXPECT_EQ(EntriesIn(dir_), 1);
}

TEST_F(FilesTest, FailedAtomicWriteLeavesTheOldFile) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "f.txt", "old").ok());
  // A folder where the file should go: the rename fails after the temporary
  // file was written.
  fs::create_directories(dir_ / "taken" / "inside");
  Status st = WriteFileAtomically(dir_ / "taken", "new");
  EXPECT_TRUE(st.IsIOError()) << st.ToString();
  EXPECT_NE(st.message().find("taken"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(dir_ / "taken"));
  EXPECT_EQ(EntriesIn(dir_), 2);  // f.txt and taken/, no temporary file

  if (::geteuid() != 0) {  // root writes into read-only folders
    fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
    Status denied = WriteFileAtomically(dir_ / "f.txt", "new");
    fs::permissions(dir_, fs::perms::owner_all);
    EXPECT_TRUE(denied.IsIOError()) << denied.ToString();
    EXPECT_EQ(*ReadFile(dir_ / "f.txt"), "old");
    EXPECT_EQ(EntriesIn(dir_), 2);
  }
}

TEST_F(FilesTest, MissingFileOrFolderIsNotFound) {
  Result<std::string> missing = ReadFile(dir_ / "absent.abc");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  EXPECT_NE(missing.status().message().find("absent.abc"), std::string::npos);
  Status no_folder = WriteFileAtomically(dir_ / "no" / "such" / "f.txt", "x");
  EXPECT_TRUE(no_folder.IsNotFound()) << no_folder.ToString();
  EXPECT_TRUE(WriteFile(dir_ / "no" / "f.txt", "x").IsNotFound());
}

TEST_F(FilesTest, ReadingAFolderIsAnIOError) {
  Result<std::string> folder = ReadFile(dir_);
  ASSERT_FALSE(folder.ok());
  EXPECT_TRUE(folder.status().IsIOError()) << folder.status().ToString();
}

// The temporary names cannot be guessed: the old ones (PID and a counter
// from 0) planted as symlinks to a victim are never followed.
TEST_F(FilesTest, AtomicWritesUseUnguessableTemporaryNames) {
  const fs::path victim = dir_ / "victim";
  std::ofstream(victim) << "precious";
  for (int i = 0; i < 10; ++i) {
    fs::create_symlink(victim, dir_ / (".out.txt.tmp." + std::to_string(::getpid()) + "." + std::to_string(i)));
  }
  ASSERT_TRUE(WriteFileAtomically(dir_ / "out.txt", "new").ok());
  std::ifstream in(victim);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "precious");
  const std::string prefix = TemporaryFilePrefix(dir_ / "out.txt", ::getpid());
  EXPECT_EQ(prefix, (dir_ / (".out.txt.tmp." + std::to_string(::getpid()) + ".")).string());
  EXPECT_EQ(EntriesIn(dir_), 12) << "the victim, 10 symlinks and out.txt; no temporary file";
}

}  // namespace
}  // namespace tunesmith::base
