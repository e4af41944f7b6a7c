#include "cloud/sts/sts_service.h"

#include <gtest/gtest.h>

#include <regex>

#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::sts {
namespace {

class NoLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string&) const override { return {}; }
};

class StsServiceTest : public ::testing::Test {
 protected:
  StsServiceTest()
      : store_(std::move(Store::Open("").value())),
        random_(11),
        ids_(random_),
        credentials_(*store_, {DefaultCredential()}),
        service_(ServiceContext{*store_, ids_, clock_, credentials_, latency_}) {}

  ServiceCall Call(std::string operation, Json input) {
    ServiceCall call;
    call.service = "sts";
    call.operation = std::move(operation);
    call.input = std::move(input);
    call.region = "us-east-1";
    call.caller = DefaultCredential().identity;
    call.account_id = call.caller.account_id;
    return call;
  }

  std::unique_ptr<Store> store_;
  FakeClock clock_;
  SeededRandom random_;
  IdGenerator ids_;
  CredentialStore credentials_;
  NoLatency latency_;
  StsService service_;
};

TEST_F(StsServiceTest, GetCallerIdentityNamesTheRootOfTheLocalAccount) {
  ServiceResult r = service_.Handle(Call("GetCallerIdentity", Json::object()));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output()["Account"], "000000000000");
  EXPECT_EQ(r.output()["Arn"], "arn:aws:iam::000000000000:root");
}

TEST_F(StsServiceTest, AssumeRoleIssuesTemporaryCredentialsTheStoreAccepts) {
  ServiceResult r = service_.Handle(
      Call("AssumeRole", {{"RoleArn", "arn:aws:iam::000000000000:role/weka-backend"},
                          {"RoleSessionName", "apply-1"},
                          {"DurationSeconds", 900}}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Json& creds = r.output()["Credentials"];
  std::string key = creds["AccessKeyId"];
  EXPECT_TRUE(std::regex_match(key, std::regex("ASIA[A-Z2-7]{16}"))) << key;
  EXPECT_EQ(r.output()["AssumedRoleUser"]["Arn"],
            "arn:aws:sts::000000000000:assumed-role/weka-backend/apply-1");
  EXPECT_EQ(
      creds["Expiration"].get<int64_t>(),
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count() +
          900);

  auto found = credentials_.Lookup(key);
  ASSERT_OK(found);
  EXPECT_EQ(found->secret_access_key, creds["SecretAccessKey"]);
  EXPECT_EQ(found->session_token, creds["SessionToken"]);
  EXPECT_EQ(found->identity.arn, "arn:aws:sts::000000000000:assumed-role/weka-backend/apply-1");
  EXPECT_TRUE(found->expiration.has_value());
}

TEST_F(StsServiceTest, AssumeRoleKeepsOneRoleIdPerRole) {
  Json input = {{"RoleArn", "arn:aws:iam::000000000000:role/r"}, {"RoleSessionName", "s1"}};
  ServiceResult a = service_.Handle(Call("AssumeRole", input));
  input["RoleSessionName"] = "s2";
  ServiceResult b = service_.Handle(Call("AssumeRole", input));
  ASSERT_TRUE(a.ok() && b.ok());
  std::string id_a = a.output()["AssumedRoleUser"]["AssumedRoleId"];
  std::string id_b = b.output()["AssumedRoleUser"]["AssumedRoleId"];
  EXPECT_EQ(id_a.substr(0, id_a.find(':')), id_b.substr(0, id_b.find(':')));
  EXPECT_EQ(id_b.substr(id_b.find(':') + 1), "s2");
}

TEST_F(StsServiceTest, AssumeRoleValidatesItsInput) {
  ServiceResult no_arn = service_.Handle(Call("AssumeRole", {{"RoleSessionName", "s"}}));
  ASSERT_FALSE(no_arn.ok());
  EXPECT_EQ(no_arn.error().code, "ValidationError");

  ServiceResult bad_arn = service_.Handle(
      Call("AssumeRole", {{"RoleArn", "arn:aws:iam::0:user/x"}, {"RoleSessionName", "ss"}}));
  ASSERT_FALSE(bad_arn.ok());
  EXPECT_EQ(bad_arn.error().code, "ValidationError");

  ServiceResult short_duration =
      service_.Handle(Call("AssumeRole", {{"RoleArn", "arn:aws:iam::000000000000:role/r"},
                                          {"RoleSessionName", "ss"},
                                          {"DurationSeconds", 60}}));
  ASSERT_FALSE(short_duration.ok());
  EXPECT_EQ(short_duration.error().code, "ValidationError");

  ServiceResult other_account = service_.Handle(Call(
      "AssumeRole", {{"RoleArn", "arn:aws:iam::123456789012:role/r"}, {"RoleSessionName", "ss"}}));
  ASSERT_FALSE(other_account.ok());
  EXPECT_EQ(other_account.error().code, "AccessDenied");
  EXPECT_EQ(other_account.error().http_status, 403);
}

TEST_F(StsServiceTest, KnowsItsOperations) {
  EXPECT_TRUE(service_.HasOperation("AssumeRole"));
  EXPECT_FALSE(service_.HasOperation("AssumeRoleWithSAML"));
}

}  // namespace
}  // namespace cf::cloud::sts
