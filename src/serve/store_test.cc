#include "serve/store.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace tunesmith::serve {
namespace {

namespace fs = std::filesystem;

class Store : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ts_store_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Db() const { return (dir_ / "t.db").string(); }
  static TuneRecord Record(const std::string& title) {
    TuneRecord r;
    r.title = title;
    r.kind = "composed";
    r.abc = "X:1\nT:" + title + "\nK:C\nCDEF|\n";
    r.settings = {{"temperature", 0.8}};
    r.seed = 9007199254740991ull;
    r.checks = {{"ok", true}};
    r.nearest = {{"title", "The Kesh"}, {"shared_bars", 2}};
    r.meter = "4/4";
    r.key = "C";
    r.bars = 1;
    return r;
  }
  fs::path dir_;
};

TEST_F(Store, InsertGetListStarDeleteAndReopen) {
  std::string first, second;
  {
    auto store = TuneStore::Open(Db());
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto a = (*store)->Insert(Record("One"));
    auto b = (*store)->Insert(Record("Two"));
    ASSERT_TRUE(a.ok() && b.ok());
    first = a->id;
    second = b->id;
    EXPECT_NE(first, second);
    EXPECT_EQ(first.size(), 8u);
    auto list = (*store)->List(1, 10, false);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].title, "Two");  // newest first
    auto starred = (*store)->SetStarred(first, true);
    ASSERT_TRUE(starred.ok());
    EXPECT_TRUE(starred->starred);
    EXPECT_EQ(*(*store)->Count(true), 1);
    EXPECT_TRUE((*store)->SetStarred("nosuchid", true).status().IsNotFound());
  }
  // A restart loses nothing.
  auto store = TuneStore::Open(Db());
  ASSERT_TRUE(store.ok());
  auto got = (*store)->Get(first);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "One");
  EXPECT_TRUE(got->starred);
  EXPECT_EQ(got->seed, 9007199254740991ull);
  EXPECT_EQ(got->nearest["title"], "The Kesh");
  EXPECT_EQ(got->ToJson()["parent"], nullptr);
  EXPECT_EQ((*store)->Starred()->size(), 1u);
  EXPECT_TRUE((*store)->Delete(first).ok());
  EXPECT_TRUE((*store)->Delete(first).IsNotFound());
  EXPECT_TRUE((*store)->Get(first).status().IsNotFound());
  EXPECT_EQ(*(*store)->Count(false), 1);
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
  // Paging past the end is an empty page.
  EXPECT_TRUE((*store)->List(5, 10, false)->empty());
}

TEST_F(Store, UnopenableFileIsAnError) {
  auto store = TuneStore::Open((dir_ / "no" / "such" / "folder" / "t.db").string());
  EXPECT_FALSE(store.ok());
}

}  // namespace
}  // namespace tunesmith::serve
