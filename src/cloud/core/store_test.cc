#include "cloud/core/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

std::string TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cf_store_XXXXXX").string();
  return std::string(mkdtemp(pattern.data()));
}

TEST(StoreTest, PutThenGetReturnsTheDocument) {
  auto store = Store::Open("");
  ASSERT_OK(store);
  ASSERT_OK((*store)->Put("ec2/vpc", "vpc-1", Json{{"CidrBlock", "127.1.0.0/16"}}));
  auto doc = (*store)->Get("ec2/vpc", "vpc-1");
  ASSERT_OK(doc);
  ASSERT_TRUE(doc->has_value());
  EXPECT_EQ((**doc)["CidrBlock"], "127.1.0.0/16");
  auto missing = (*store)->Get("ec2/vpc", "vpc-2");
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST(StoreTest, ListFiltersByNamespaceAndPrefixInKeyOrder) {
  auto store = Store::Open("");
  ASSERT_OK(store);
  ASSERT_OK((*store)->Put("a", "x/2", 2));
  ASSERT_OK((*store)->Put("a", "x/1", 1));
  ASSERT_OK((*store)->Put("a", "y/1", 3));
  ASSERT_OK((*store)->Put("b", "x/3", 4));
  auto listed = (*store)->List("a", "x/");
  ASSERT_OK(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].first, "x/1");
  EXPECT_EQ((*listed)[1].second, 2);
}

TEST(StoreTest, TransactionWithoutCommitRollsBack) {
  auto store = Store::Open("");
  ASSERT_OK(store);
  {
    auto txn = (*store)->Begin();
    ASSERT_OK(txn);
    ASSERT_OK(txn->Put("ns", "k", "v"));
  }
  auto doc = (*store)->Get("ns", "k");
  ASSERT_OK(doc);
  EXPECT_FALSE(doc->has_value());
}

TEST(StoreTest, StateSurvivesReopenAndClearWipesIt) {
  std::string dir = TempDir();
  std::string path = dir + "/cloud.db";
  {
    auto store = Store::Open(path);
    ASSERT_OK(store);
    ASSERT_OK((*store)->Put("ns", "k", Json{{"a", 1}}));
  }
  {
    auto store = Store::Open(path);
    ASSERT_OK(store);
    auto doc = (*store)->Get("ns", "k");
    ASSERT_OK(doc);
    ASSERT_TRUE(doc->has_value());
    EXPECT_EQ((**doc)["a"], 1);
    ASSERT_OK((*store)->Clear());
  }
  auto store = Store::Open(path);
  ASSERT_OK(store);
  auto doc = (*store)->Get("ns", "k");
  ASSERT_OK(doc);
  EXPECT_FALSE(doc->has_value());
  std::filesystem::remove_all(dir);
}

TEST(StoreTest, ConcurrentReadModifyWriteTransactionsLoseNoUpdate) {
  auto store = Store::Open("");
  ASSERT_OK(store);
  ASSERT_OK((*store)->Put("n", "counter", 0));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store] {
      for (int i = 0; i < 50; ++i) {
        auto txn = (*store)->Begin();
        ASSERT_OK(txn);
        auto doc = txn->Get("n", "counter");
        ASSERT_OK(doc);
        ASSERT_OK(txn->Put("n", "counter", (**doc).get<int>() + 1));
        ASSERT_OK(txn->Commit());
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  auto doc = (*store)->Get("n", "counter");
  ASSERT_OK(doc);
  EXPECT_EQ(**doc, 200);
}

TEST(StoreTest, OpenFailsClearlyForAnUnwritablePath) {
  auto store = Store::Open("/nonexistent-dir/sub/cloud.db");
  EXPECT_FALSE(store.ok());
}

}  // namespace
}  // namespace cf::cloud
