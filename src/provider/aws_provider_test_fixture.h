#pragma once

// The fixture of the AWS provider's tests: the real local cloud in-process on 127.0.0.1 (port
// 0), a client and the provider, and Lifecycle(), which runs one type through create, read,
// find, import, update, delete and read-gone. Every API call a type makes is recorded and, at
// TearDown, checked against the IAM policy `clusterform policy` grants for that type.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "aws/client.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "provider/aws_provider.h"
#include "provider/iam_actions.h"
#include "provider/resource_schemas.h"
#include "testing/status_matchers.h"

namespace cf::provider {

class AwsProviderTest : public ::testing::Test {
 protected:
  // Changes the local cloud's options before it starts (a time scale, a latency profile).
  virtual void Configure(cloud::CloudOptions&) {}

  void SetUp() override {
    cloud::CloudOptions options;
    options.port = 0;
    options.imds_port = 0;
    Configure(options);
    auto server = cloud::CloudServer::Start(options, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    aws::ClientOptions client_options;
    client_options.region = "us-east-1";
    client_options.endpoint_url = fmt::format("http://127.0.0.1:{}", server_->port());
    client_options.retry.max_attempts = 1;
    client_ = std::make_unique<aws::Client>(models_, credentials_, transport_, clock_, random_,
                                            client_options);
    AwsProviderOptions popts;
    popts.default_tags = {{"owner", "storage-team"}};
    popts.on_call = [this](std::string_view service, std::string_view operation) {
      std::string action = IamActionForCall(service, operation);
      if (action.empty() || current_type_.empty()) {
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      recorded_[current_type_].insert(action);
    };
    provider_ = MakeAwsProvider(*client_, popts);
  }

  // The policy test of every case: each action a type's calls needed (create, read, update,
  // find, import, delete, poll) is one `clusterform policy` grants for that type.
  void TearDown() override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [type, actions] : recorded_) {
      std::vector<std::string> granted = IamActionsFor(graph::ResourceMode::kManaged, type);
      for (const std::string& action : actions) {
        EXPECT_NE(std::find(granted.begin(), granted.end(), action), granted.end())
            << type << " calls " << action << " but its policy lacks it";
      }
    }
    if (server_ != nullptr) {
      server_->Stop();
    }
  }

  InstanceRef Ref(const std::string& type, const std::string& name) {
    return InstanceRef{type, "module.test." + type + "." + name,
                       "lin0-" + name + "-0123456789abcdef0123456789abcdef"};
  }

  // Polls pending instances until they settle (bounded).
  Json Settle(const std::string& type, StepResult step) {
    Json state = step.state;
    for (int i = 0; step.pending && i < 200; ++i) {
      auto polled = provider_->Poll(type, {state});
      EXPECT_OK(polled);
      if (!polled.ok()) {
        break;
      }
      const PollResult& p = (*polled)[0];
      if (p.phase == PollResult::Phase::kReady) {
        return p.state;
      }
      if (p.phase == PollResult::Phase::kGone) {
        return Json();
      }
      EXPECT_NE(p.phase, PollResult::Phase::kFailed) << p.error.message();
      if (p.phase == PollResult::Phase::kFailed) {
        break;
      }
      state = p.state;
      clock_.SleepFor(std::chrono::milliseconds(50));
    }
    return state;
  }

  Json Apply(const std::string& type, const std::string& name, const Json& config) {
    current_type_ = type;
    auto step = provider_->Create(Ref(type, name), config);
    EXPECT_OK(step) << type;
    if (!step.ok()) {
      return Json::object();
    }
    return Settle(type, *step);
  }

  void Destroy(const std::string& type, const std::string& name, const Json& state) {
    current_type_ = type;
    auto step = provider_->Delete(Ref(type, name), state);
    ASSERT_OK(step) << type;
    if (step->pending) {
      Settle(type, *step);
    }
  }

  std::optional<Json> ReadOne(const std::string& type, const Json& state) {
    current_type_ = type;
    auto read = provider_->Read(type, {state});
    EXPECT_OK(read) << type;
    return read.ok() ? (*read)[0] : std::nullopt;
  }

  struct Case {
    std::string type;
    Json config;
    Json update;  // a new config, or null when the type has nothing to change in place
    std::function<std::string(const Json& state)> import_id;
    std::vector<std::string> not_compared = {};  // attributes an import cannot know
    bool gone_after_delete = true;
  };

  // The whole life of one instance; returns its state before deletion.
  Json Lifecycle(const Case& c) {
    SCOPED_TRACE(c.type);
    current_type_ = c.type;
    EXPECT_TRUE(provider_->Supports(c.type));
    Json state = Apply(c.type, "this", c.config);
    EXPECT_FALSE(Str(state, "id").empty()) << state.dump();
    // Everything the config set is in state as set; every computed attribute is known.
    for (auto it = c.config.begin(); it != c.config.end(); ++it) {
      if (it.key() == "tags") {
        continue;
      }
      EXPECT_EQ(state.value(it.key(), Json()), it.value()) << c.type << "." << it.key();
    }
    for (const std::string& computed : schemas_.Computed(c.type)) {
      EXPECT_TRUE(state.contains(computed)) << c.type << " lacks computed " << computed;
    }
    if (c.config.contains("tags")) {
      Json all = c.config["tags"];
      all["owner"] = "storage-team";
      EXPECT_EQ(state["tags_all"], all);
      EXPECT_EQ(state["tags"], c.config["tags"]);
    }
    // Read answers the same state (no drift right after create).
    std::optional<Json> read = ReadOne(c.type, state);
    EXPECT_TRUE(read.has_value());
    if (read) {
      EXPECT_EQ(*read, state);
    }
    // Find adopts what a create made.
    auto found = provider_->Find(Ref(c.type, "this"), c.config);
    EXPECT_OK(found);
    if (found.ok()) {
      EXPECT_TRUE(found->has_value()) << c.type << ": Find did not adopt";
      if (found->has_value()) {
        EXPECT_EQ(Str(**found, "id"), Str(state, "id"));
        if (!check_adopted_arn_) {
          // The state a create records, computed attributes and all.
          EXPECT_EQ(**found, state) << c.type;
        }
        // What is adopted is the whole state: references to its ARN resolve.
        if (check_adopted_arn_) {
          EXPECT_EQ((*found)->value("arn", Json()), state.value("arn", Json())) << c.type;
        }
      }
    }
    // Another address finds nothing.
    if (c.type != "aws_security_group_rule" && c.type != "aws_route" &&
        c.type != "aws_route_table_association" && c.type != "aws_dynamodb_table_item" &&
        c.type != "aws_iam_role_policy_attachment" && c.type != "aws_default_security_group" &&
        !c.type.starts_with("aws_s3_bucket_") && c.type != "aws_iam_role_policy" &&
        c.type != "aws_iam_openid_connect_provider" && c.type != "aws_lb_listener" &&
        c.type != "aws_lb_target_group_attachment" && c.type != "aws_lambda_permission" &&
        c.type != "aws_cloudwatch_event_target" && c.type != "aws_route53_record" &&
        c.type != "aws_acm_certificate_validation") {
      Json other = c.config;
      for (const char* name : {"name", "bucket", "key_name", "function_name"}) {
        if (other.contains(name)) {
          other[name] = Str(other, name) + "-other";
        }
      }
      auto none = provider_->Find(Ref(c.type, "other"), other);
      EXPECT_OK(none);
      if (none.ok()) {
        EXPECT_FALSE(none->has_value()) << c.type << " adopted another address's object";
      }
    }
    // Import by Terraform's import id.
    if (c.import_id) {
      auto imported = provider_->Import(c.type, c.import_id(state));
      EXPECT_OK(imported);
      if (imported.ok()) {
        for (auto it = state.begin(); it != state.end(); ++it) {
          bool skip = std::find(c.not_compared.begin(), c.not_compared.end(), it.key()) !=
                      c.not_compared.end();
          if (!skip && c.config.contains(it.key()) && it.key() != "tags") {
            EXPECT_EQ(imported->value(it.key(), Json()), it.value())
                << c.type << " import: " << it.key();
          }
        }
        EXPECT_EQ(Str(*imported, "id"), Str(state, "id"));
      }
    }
    // Update in place.
    if (!c.update.is_null()) {
      auto step = provider_->Update(Ref(c.type, "this"), state, c.update);
      EXPECT_OK(step);
      if (step.ok()) {
        Json updated = Settle(c.type, *step);
        for (auto it = c.update.begin(); it != c.update.end(); ++it) {
          if (it.key() == "tags") {
            EXPECT_EQ(updated["tags"], it.value());
            continue;
          }
          EXPECT_EQ(updated.value(it.key(), Json()), it.value()) << "update " << it.key();
        }
        std::optional<Json> again = ReadOne(c.type, updated);
        EXPECT_TRUE(again.has_value());
        if (again) {
          EXPECT_EQ(*again, updated);
        }
        state = updated;
      }
    }
    Destroy(c.type, "this", state);
    if (c.gone_after_delete) {
      EXPECT_FALSE(ReadOne(c.type, state).has_value()) << c.type << " still there after delete";
    }
    // A second delete of what is gone is success.
    auto again = provider_->Delete(Ref(c.type, "this"), state);
    EXPECT_OK(again) << c.type;
    return state;
  }

  static std::string Str(const Json& j, const std::string& k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
  }

  // Lifecycle checks that Find's state carries the created state's arn.
  bool check_adopted_arn_ = false;
  std::string current_type_;
  std::mutex mu_;
  std::map<std::string, std::set<std::string>> recorded_;  // guarded by mu_
  SystemClock clock_;
  NullLogger logger_;
  std::unique_ptr<cloud::CloudServer> server_;
  aws::Models models_;
  aws::StaticCredentialsProvider credentials_{{"test", "test", "", std::nullopt, "test"}};
  aws::CurlTransport transport_;
  aws::SystemRandomSource random_;
  std::unique_ptr<aws::Client> client_;
  std::unique_ptr<ResourceProvider> provider_;
  AwsResourceSchemas schemas_;
};

inline const auto ById = [](const Json& s) { return s["id"].get<std::string>(); };

}  // namespace cf::provider
