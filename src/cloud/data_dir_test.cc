#include "cloud/data_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cloud/cloud_server.h"
#include "cloud/core/store.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

class DataDirTest : public ::testing::Test {
 protected:
  DataDirTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_data_dir_XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  ~DataDirTest() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(DataDirTest, NamesTheRunFilesInsideTheDirectory) {
  EXPECT_EQ(PidFilePath("/d"), "/d/cloud.pid");
  EXPECT_EQ(ReadyFilePath("/d"), "/d/cloud.ready");
  EXPECT_EQ(LogFilePath("/d"), "/d/cloud.log");
  EXPECT_EQ(ConfigFilePath("/d"), "/d/config.json");
}

TEST_F(DataDirTest, ResetWipesRecordsAndTheDynamoDbDatabase) {
  {
    Result<std::unique_ptr<Store>> store = Store::Open(DatabasePath(dir_));
    ASSERT_OK(store);
    ASSERT_OK((*store)->Put("ec2/vpc", "vpc-1", Json{{"CidrBlock", "127.16.0.0/16"}}));
  }
  for (const char* name : {"dynamodb.db", "dynamodb.db-wal", "dynamodb.db-shm"}) {
    std::ofstream(dir_ + "/" + name) << "x";
  }
  ASSERT_OK(ResetDataDir(dir_));
  for (const char* name : {"dynamodb.db", "dynamodb.db-wal", "dynamodb.db-shm"}) {
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + name)) << name;
  }
  Result<std::unique_ptr<Store>> store = Store::Open(DatabasePath(dir_));
  ASSERT_OK(store);
  Result<std::optional<Json>> vpc = (*store)->Get("ec2/vpc", "vpc-1");
  ASSERT_OK(vpc);
  EXPECT_FALSE(vpc->has_value());
}

TEST_F(DataDirTest, ResetOfAnEmptyDirectoryIsFine) {
  EXPECT_OK(ResetDataDir(dir_));
  EXPECT_FALSE(std::filesystem::exists(DatabasePath(dir_)));  // nothing created
}

}  // namespace
}  // namespace cf::cloud
