#pragma once

// For the control plane's tests: a local cloud on 127.0.0.1 (in memory, any free port), an
// aws::Client to it with the default test key, and helpers to seed the state table.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/client.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "control/aws_api.h"
#include "control/state.h"
#include "testing/status_matchers.h"

namespace cf::control {

class LocalCloudTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cloud::CloudOptions options;
    options.port = 0;
    options.threads = 4;
    options.imds_port = 0;
    auto server = cloud::CloudServer::Start(options, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    endpoint_ = "http://127.0.0.1:" + std::to_string(server_->port());
    credentials_ = std::make_unique<aws::StaticCredentialsProvider>(
        aws::Credentials{"test", "test", "", std::nullopt, "test"});
    aws::ClientOptions client_options;
    client_options.region = "us-east-1";
    client_options.endpoint_url = endpoint_;
    client_options.retry.max_attempts = 1;
    client_ = std::make_unique<aws::Client>(models_, *credentials_, transport_, clock_, random_,
                                            client_options);
    api_ = std::make_unique<ClientAwsApi>(*client_);
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

  SystemClock clock_;
  NullLogger logger_;
  std::unique_ptr<cloud::CloudServer> server_;
  std::string endpoint_;
  aws::Models models_;
  aws::CurlTransport transport_;
  aws::SystemRandomSource random_;
  std::unique_ptr<aws::StaticCredentialsProvider> credentials_;
  std::unique_ptr<aws::Client> client_;
  std::unique_ptr<ClientAwsApi> api_;
};

}  // namespace cf::control
