#include "base/file_system.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf {
namespace {

class RealFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/cf_fs_test.XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir_ = templ;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_;
  RealFileSystem fs_;
};

TEST_F(RealFileSystemTest, AtomicWriteReplacesContentsAndLeavesNoTemporary) {
  std::string path = JoinPath(dir_, "state.json");
  ASSERT_OK(fs_.WriteFileAtomic(path, "v1"));
  ASSERT_OK(fs_.WriteFileAtomic(path, "version two"));
  Result<std::string> contents = fs_.ReadFile(path);
  ASSERT_OK(contents);
  EXPECT_EQ(*contents, "version two");
  Result<std::vector<std::string>> names = fs_.ListDirectory(dir_);
  ASSERT_OK(names);
  EXPECT_EQ(*names, std::vector<std::string>{"state.json"});
}

TEST_F(RealFileSystemTest, MissingFileIsNotFound) {
  EXPECT_THAT(fs_.ReadFile(JoinPath(dir_, "nope")),
              StatusIs(StatusCode::kNotFound, ::testing::HasSubstr("nope")));
  EXPECT_OK(fs_.RemoveFile(JoinPath(dir_, "nope")));
}

TEST_F(RealFileSystemTest, MakeDirectoriesCreatesParents) {
  std::string deep = JoinPath(dir_, "a/b/c");
  ASSERT_OK(fs_.MakeDirectories(deep));
  EXPECT_TRUE(fs_.IsDirectory(deep));
  ASSERT_OK(fs_.MakeDirectories(deep));
}

TEST(PathTest, JoinDirAndBase) {
  EXPECT_EQ(JoinPath("a/b", "c.tf"), "a/b/c.tf");
  EXPECT_EQ(JoinPath("a/b/", "c.tf"), "a/b/c.tf");
  EXPECT_EQ(JoinPath(".", "c.tf"), "c.tf");
  EXPECT_EQ(JoinPath("a", "/abs"), "/abs");
  EXPECT_EQ(DirName("a/b/c.tf"), "a/b");
  EXPECT_EQ(DirName("c.tf"), ".");
  EXPECT_EQ(DirName("/c.tf"), "/");
  EXPECT_EQ(BaseName("a/b/c.tf"), "c.tf");
}

TEST(InMemoryFileSystemTest, ListsAndInjectsWriteFailures) {
  InMemoryFileSystem fs;
  ASSERT_OK(fs.WriteFileAtomic("root/main.tf", "x"));
  ASSERT_OK(fs.WriteFileAtomic("root/sub/vars.tf", "y"));
  Result<std::vector<std::string>> names = fs.ListDirectory("root");
  ASSERT_OK(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"main.tf", "sub"}));
  fs.FailWritesAfter(1);
  ASSERT_OK(fs.WriteFileAtomic("root/a", "1"));
  EXPECT_THAT(fs.WriteFileAtomic("root/b", "2"),
              StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("injected")));
  EXPECT_FALSE(fs.Exists("root/b"));
}

}  // namespace
}  // namespace cf
