#include "aws/credentials_chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/fake_clock.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

class FakeSts : public StsClient {
 public:
  explicit FakeSts(const Clock& clock) : clock_(clock) {}
  Result<Credentials> AssumeRole(const Credentials& source,
                                 const AssumeRoleRequest& request) override {
    ++calls;
    last_source = source;
    last_request = request;
    Credentials c;
    c.access_key_id = "ASIA" + std::to_string(calls);
    c.secret_access_key = "assumed-secret";
    c.session_token = "assumed-token";
    c.expiration = clock_.Now() + std::chrono::hours(1);
    return c;
  }
  int calls = 0;
  Credentials last_source;
  AssumeRoleRequest last_request;

 private:
  const Clock& clock_;
};

class FixedProvider : public CredentialsProvider {
 public:
  explicit FixedProvider(Result<Credentials> result) : result_(std::move(result)) {}
  Result<Credentials> GetCredentials() override {
    ++calls;
    return result_;
  }
  int calls = 0;

 private:
  Result<Credentials> result_;
};

constexpr char kConfig[] = R"(# comment
[default]
region = eu-west-1

[profile dev]
region = us-west-2
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
external_id = ext-1
duration_seconds = 900
s3 =
  max_concurrent_requests = 20

[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a

[profile from-env]
role_arn = arn:aws:iam::1:role/env
credential_source = Environment
)";

constexpr char kCredentials[] = R"([default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = base-secret
aws_session_token = base-token
)";

class CredentialsChainTest : public ::testing::Test {
 protected:
  CredentialsChainTest() : sts_(clock_) {
    auto parsed = SharedConfig::Parse(kConfig, kCredentials);
    EXPECT_OK(parsed);
    config_ = *parsed;
  }

  Result<Credentials> Chain(const CredentialFlags& flags,
                            std::unique_ptr<CredentialsProvider> imds = nullptr) {
    chain_ = MakeDefaultCredentialsChain(flags, env_, config_, &sts_, std::move(imds), clock_);
    return chain_->GetCredentials();
  }

  FakeClock clock_;
  MapEnvironment env_;
  SharedConfig config_;
  FakeSts sts_;
  std::unique_ptr<CredentialsProvider> chain_;
};

TEST_F(CredentialsChainTest, FlagsWinOverEverything) {
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  auto c = Chain({"AKIDFLAG", "flag-secret", "", "", ""});
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIDFLAG");
}

TEST_F(CredentialsChainTest, EnvironmentWinsOverTheDefaultProfile) {
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  env_.Set("AWS_SESSION_TOKEN", "env-token");
  auto c = Chain({});
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIDENV");
  EXPECT_EQ(c->session_token, "env-token");
  EXPECT_EQ(c->source, "environment");
}

TEST_F(CredentialsChainTest, HalfAnEnvironmentIsAnError) {
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  EXPECT_THAT(Chain({}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("AWS_SECRET_ACCESS_KEY is not")));
}

TEST_F(CredentialsChainTest, DefaultProfileFromTheCredentialsFile) {
  auto c = Chain({});
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIDDEFAULT");
}

TEST_F(CredentialsChainTest, AnExplicitProfileSkipsTheEnvironment) {
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  CredentialFlags flags;
  flags.profile = "base";
  auto c = Chain(flags);
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "AKIDBASE");
  EXPECT_EQ(c->session_token, "base-token");
}

TEST_F(CredentialsChainTest, AMissingNamedProfileIsAnError) {
  env_.Set("AWS_PROFILE", "nope");
  EXPECT_THAT(Chain({}), StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"nope\"")));
}

TEST_F(CredentialsChainTest, RoleProfilesAssumeTheRoleOnceUntilNearExpiry) {
  CredentialFlags flags;
  flags.profile = "dev";
  auto c = Chain(flags);
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIA1");
  EXPECT_EQ(sts_.last_source.access_key_id, "AKIDBASE");
  EXPECT_EQ(sts_.last_request.role_arn, "arn:aws:iam::123456789012:role/dev");
  EXPECT_EQ(sts_.last_request.external_id, "ext-1");
  EXPECT_EQ(sts_.last_request.duration_seconds, 900);
  EXPECT_EQ(sts_.last_request.region, "us-west-2");
  ASSERT_OK(chain_->GetCredentials());
  EXPECT_EQ(sts_.calls, 1);
  clock_.Advance(std::chrono::minutes(56));
  auto refreshed = chain_->GetCredentials();
  ASSERT_OK(refreshed);
  EXPECT_EQ(sts_.calls, 2);
  EXPECT_EQ(refreshed->access_key_id, "ASIA2");
}

TEST_F(CredentialsChainTest, SourceProfileLoopsAreReported) {
  CredentialFlags flags;
  flags.profile = "loop-a";
  EXPECT_THAT(Chain(flags),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("loop-a -> loop-b -> loop-a")));
}

TEST_F(CredentialsChainTest, CredentialSourceEnvironment) {
  CredentialFlags flags;
  flags.profile = "from-env";
  env_.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.Set("AWS_SECRET_ACCESS_KEY", "env-secret");
  ASSERT_OK(Chain(flags));
  EXPECT_EQ(sts_.last_source.access_key_id, "AKIDENV");
}

TEST_F(CredentialsChainTest, FallsBackToImdsAndExplainsWhenNothingIsThere) {
  config_ = SharedConfig();
  Credentials role;
  role.access_key_id = "ASIAIMDS";
  role.secret_access_key = "s";
  auto c = Chain({}, std::make_unique<FixedProvider>(role));
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIAIMDS");

  auto none = Chain({}, std::make_unique<FixedProvider>(NotFoundError("no instance role")));
  EXPECT_THAT(none, StatusIs(StatusCode::kNotFound, HasSubstr("no instance role")));
  env_.Set("AWS_EC2_METADATA_DISABLED", "true");
  auto disabled = std::make_unique<FixedProvider>(role);
  EXPECT_THAT(Chain({}, std::move(disabled)),
              StatusIs(StatusCode::kNotFound, HasSubstr("AWS_ACCESS_KEY_ID")));
}

TEST(SharedConfigTest, LoadsTheFilesNamedByTheEnvironment) {
  InMemoryFileSystem fs;
  ASSERT_OK(fs.WriteFileAtomic("/etc/aws-config", "[profile x]\nregion = ap-south-1\n"));
  ASSERT_OK(fs.WriteFileAtomic("/home/u/.aws/credentials",
                               "[x]\naws_access_key_id = A\naws_secret_access_key = B\n"));
  MapEnvironment env({{"HOME", "/home/u"}, {"AWS_CONFIG_FILE", "/etc/aws-config"}});
  auto config = SharedConfig::Load(fs, env);
  ASSERT_OK(config);
  EXPECT_EQ(config->Get("x", "region"), "ap-south-1");
  EXPECT_EQ(config->Get("x", "aws_access_key_id"), "A");
}

TEST(SharedConfigTest, MalformedFilesNameFileAndLine) {
  EXPECT_THAT(SharedConfig::Parse("[default]\nregion us-east-1\n", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("config:2:")));
  EXPECT_THAT(SharedConfig::Parse("", "key = value\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("credentials:1: a setting")));
}

TEST(ParseIniTest, KeepsIndentedSubSettings) {
  auto ini = ParseIni("[profile a]\ns3 =\n  max_concurrent_requests = 20\nregion=x\n", "f");
  ASSERT_OK(ini);
  EXPECT_EQ((*ini)["profile a"]["s3.max_concurrent_requests"], "20");
  EXPECT_EQ((*ini)["profile a"]["region"], "x");
}

TEST(ResolveRegionTest, FollowsTheCliOrder) {
  auto config = SharedConfig::Parse(kConfig, kCredentials);
  ASSERT_OK(config);
  MapEnvironment env;
  CredentialFlags flags;
  EXPECT_EQ(*ResolveRegion(flags, env, *config), "eu-west-1");
  flags.profile = "dev";
  EXPECT_EQ(*ResolveRegion(flags, env, *config), "us-west-2");
  env.Set("AWS_DEFAULT_REGION", "ca-central-1");
  EXPECT_EQ(*ResolveRegion(flags, env, *config), "ca-central-1");
  env.Set("AWS_REGION", "sa-east-1");
  EXPECT_EQ(*ResolveRegion(flags, env, *config), "sa-east-1");
  flags.region = "me-south-1";
  EXPECT_EQ(*ResolveRegion(flags, env, *config), "me-south-1");

  MapEnvironment empty;
  EXPECT_EQ(*ResolveRegion({}, empty, SharedConfig(),
                           []() -> Result<std::string> { return std::string("af-south-1"); }),
            "af-south-1");
  EXPECT_THAT(ResolveRegion({}, empty, SharedConfig()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--region")));
}

TEST(CachingCredentialsProviderTest, RefreshesFiveMinutesBeforeExpiry) {
  FakeClock clock;
  Credentials c;
  c.access_key_id = "A";
  c.secret_access_key = "B";
  c.expiration = clock.Now() + std::chrono::minutes(30);
  auto inner = std::make_unique<FixedProvider>(c);
  FixedProvider* raw = inner.get();
  CachingCredentialsProvider caching(std::move(inner), clock);
  ASSERT_OK(caching.GetCredentials());
  ASSERT_OK(caching.GetCredentials());
  EXPECT_EQ(raw->calls, 1);
  clock.Advance(std::chrono::minutes(26));
  ASSERT_OK(caching.GetCredentials());
  EXPECT_EQ(raw->calls, 2);
}

}  // namespace
}  // namespace cf::aws
