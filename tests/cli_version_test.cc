// One version number: project(VERSION) in CMakeLists.txt, generated into
// cli/version.h. npm needs it written in package.json (and its lock file)
// too; this test fails when they drift apart, and checks what
// `tunesmith --version` prints.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "base/cli_testing.h"
#include "cli/version.h"

namespace tunesmith {
namespace {

namespace fs = std::filesystem;

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  return nlohmann::json::parse(in, nullptr, false);
}

fs::path SourceDir() {
  const char* dir = std::getenv("TUNESMITH_SOURCE_DIR");
  return dir ? dir : ".";
}

TEST(Version, PackageJsonAgreesWithCMake) {
  const nlohmann::json package = ReadJson(SourceDir() / "package.json");
  ASSERT_TRUE(package.is_object());
  EXPECT_EQ(package.value("version", ""), kVersion)
      << "package.json's \"version\" differs from project(VERSION) in CMakeLists.txt: write the same number in both";
  const nlohmann::json lock = ReadJson(SourceDir() / "package-lock.json");
  ASSERT_TRUE(lock.is_object());
  EXPECT_EQ(lock.value("version", ""), kVersion) << "package-lock.json: run npm install --package-lock-only";
  EXPECT_EQ(lock["packages"][""].value("version", ""), kVersion) << "package-lock.json: run npm install --package-lock-only";
}

TEST(Version, TheBinaryPrintsIt) {
  const fs::path err = fs::temp_directory_path() / ("tunesmith-version-" + std::to_string(::getpid()) + ".err");
  testing::Outcome run = testing::RunProgram(testing::BuiltBinary("tunesmith"), "--version", err);
  fs::remove(err);
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find(kVersion), std::string::npos) << run.out;
}

}  // namespace
}  // namespace tunesmith
