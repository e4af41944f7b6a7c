#include "cloud/sts/sts_service.h"

#include <gtest/gtest.h>

#include <regex>

#include "cloud/iam/iam_service.h"
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
        service_(ServiceContext{*store_, ids_, clock_, credentials_, latency_}),
        iam_(ServiceContext{*store_, ids_, clock_, credentials_, latency_}) {}

  // Creates role `name` in IAM with `trust` as its trust policy; returns its RoleId.
  std::string CreateRole(const std::string& name, const Json& trust, int64_t max_session = 3600) {
    ServiceCall call = Call("CreateRole", {{"RoleName", name},
                                           {"AssumeRolePolicyDocument", trust.dump()},
                                           {"MaxSessionDuration", max_session}});
    call.service = "iam";
    ServiceResult r = iam_.Handle(call);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.output()["Role"]["RoleId"].get<std::string>() : "";
  }

  static Json Trust(const Json& principal, const std::string& effect = "Allow") {
    return {{"Version", "2012-10-17"},
            {"Statement",
             Json::array(
                 {{{"Effect", effect}, {"Principal", principal}, {"Action", "sts:AssumeRole"}}})}};
  }

  static Json TrustAccount() { return Trust({{"AWS", "arn:aws:iam::000000000000:root"}}); }

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
  iam::IamService iam_;
};

TEST_F(StsServiceTest, GetCallerIdentityNamesTheRootOfTheLocalAccount) {
  ServiceResult r = service_.Handle(Call("GetCallerIdentity", Json::object()));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output()["Account"], "000000000000");
  EXPECT_EQ(r.output()["Arn"], "arn:aws:iam::000000000000:root");
}

TEST_F(StsServiceTest, AssumeRoleIssuesTemporaryCredentialsTheStoreAccepts) {
  std::string role_id = CreateRole("weka-backend", TrustAccount());
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
  EXPECT_EQ(r.output()["AssumedRoleUser"]["AssumedRoleId"], role_id + ":apply-1");
}

TEST_F(StsServiceTest, AssumeRoleKeepsOneRoleIdPerRole) {
  CreateRole("r", TrustAccount());
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

TEST_F(StsServiceTest, AssumeRoleOfARoleIamDoesNotHaveIsAccessDenied) {
  ServiceResult r =
      service_.Handle(Call("AssumeRole", {{"RoleArn", "arn:aws:iam::000000000000:role/nobody"},
                                          {"RoleSessionName", "s1"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "AccessDenied");
  EXPECT_EQ(r.error().http_status, 403);
  EXPECT_EQ(r.error().message,
            "User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole "
            "on resource: arn:aws:iam::000000000000:role/nobody");
}

TEST_F(StsServiceTest, AssumeRoleFollowsTheTrustPolicy) {
  CreateRole("ec2-only", Trust({{"Service", "ec2.amazonaws.com"}}));
  CreateRole("anyone", Trust("*"));
  CreateRole("by-account-id", Trust({{"AWS", "000000000000"}}));
  CreateRole("other-account", Trust({{"AWS", "arn:aws:iam::111122223333:root"}}));
  CreateRole("denied", Trust("*", "Deny"));
  auto assume = [&](const std::string& name) {
    ServiceResult r =
        service_.Handle(Call("AssumeRole", {{"RoleArn", "arn:aws:iam::000000000000:role/" + name},
                                            {"RoleSessionName", "s1"}}));
    return r.ok() ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(assume("ec2-only"), "AccessDenied");
  EXPECT_EQ(assume("anyone"), "ok");
  EXPECT_EQ(assume("by-account-id"), "ok");
  EXPECT_EQ(assume("other-account"), "AccessDenied");
  EXPECT_EQ(assume("denied"), "AccessDenied");
}

TEST_F(StsServiceTest, AssumeRoleNeedsTheRolesPathInItsArn) {
  ServiceCall create = Call("CreateRole", {{"RoleName", "pathed"},
                                           {"Path", "/team/"},
                                           {"AssumeRolePolicyDocument", TrustAccount().dump()}});
  ASSERT_TRUE(iam_.Handle(create).ok());
  auto assume = [&](const std::string& arn) {
    ServiceResult r =
        service_.Handle(Call("AssumeRole", {{"RoleArn", arn}, {"RoleSessionName", "s1"}}));
    return r.ok() ? std::string("ok") : r.error().code;
  };
  EXPECT_EQ(assume("arn:aws:iam::000000000000:role/team/pathed"), "ok");
  EXPECT_EQ(assume("arn:aws:iam::000000000000:role/pathed"), "AccessDenied");
}

TEST_F(StsServiceTest, AssumeRoleDurationIsCappedByTheRolesMaxSessionDuration) {
  CreateRole("short", TrustAccount(), 3600);
  ServiceResult r =
      service_.Handle(Call("AssumeRole", {{"RoleArn", "arn:aws:iam::000000000000:role/short"},
                                          {"RoleSessionName", "s1"},
                                          {"DurationSeconds", 7200}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ValidationError");
}

TEST_F(StsServiceTest, KnowsItsOperations) {
  EXPECT_TRUE(service_.HasOperation("AssumeRole"));
  EXPECT_FALSE(service_.HasOperation("AssumeRoleWithSAML"));
}

}  // namespace
}  // namespace cf::cloud::sts
