#pragma once

// For the control plane's tests: a local cloud on 127.0.0.1 (LocalCloudForTest: in-process,
// any free port), an AwsApi over its client with the default test key, and helpers to seed
// the state table.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "control/aws_api.h"
#include "control/state.h"
#include "testing/cloud/local_cloud.h"
#include "testing/status_matchers.h"

namespace cf::control {

class LocalCloudTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalCloudOptions options;
    options.max_attempts = 1;
    auto cloud = LocalCloudForTest::Start(options);
    ASSERT_OK(cloud);
    cloud_ = std::move(cloud).value();
    endpoint_ = cloud_->endpoint();
    api_ = std::make_unique<ClientAwsApi>(cloud_->client());
  }
  void TearDown() override {
    api_.reset();
    if (cloud_ != nullptr) {
      EXPECT_TRUE(cloud_->Stop().empty()) << "processes left running";
    }
  }

  // A table with hash key "Key" holding the module's seed item for `key`.
  void SeedState(const std::string& table, const std::string& key, int size) {
    nlohmann::json create = {
        {"TableName", table},
        {"BillingMode", "PAY_PER_REQUEST"},
        {"AttributeDefinitions", {{{"AttributeName", "Key"}, {"AttributeType", "S"}}}},
        {"KeySchema", {{{"AttributeName", "Key"}, {"KeyType", "HASH"}}}}};
    Result<nlohmann::json> created = api_->Call("dynamodb", "CreateTable", create);
    if (!created.ok() && created.status().code() != StatusCode::kConflict) {
      ADD_FAILURE() << created.status().ToString();
    }
    ClusterState seed;
    seed.initial_size = size;
    seed.desired_size = size;
    seed.clusterization_target = size;
    nlohmann::json value = {{"initial_size", size},
                            {"desired_size", size},
                            {"clusterization_target", size},
                            {"instances", nlohmann::json::array()},
                            {"clusterized", false}};
    ASSERT_OK(api_->Call("dynamodb", "PutItem",
                         {{"TableName", table},
                          {"Item",
                           {{"Key", {{"S", key}}},
                            {"Locked", {{"BOOL", false}}},
                            {"Value", ToAttributeValue(value)}}}}));
  }

  nlohmann::json RawItem(const std::string& table, const std::string& key) {
    Result<nlohmann::json> out = api_->Call(
        "dynamodb", "GetItem",
        {{"TableName", table}, {"Key", {{"Key", {{"S", key}}}}}, {"ConsistentRead", true}});
    EXPECT_OK(out);
    return out.ok() ? (*out)["Item"] : nlohmann::json();
  }

  std::unique_ptr<LocalCloudForTest> cloud_;
  std::string endpoint_;
  std::unique_ptr<ClientAwsApi> api_;
};

}  // namespace cf::control
