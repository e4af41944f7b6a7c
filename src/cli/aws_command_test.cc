#include "cli/aws_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "testing/cli_runner.h"

namespace cf::cli {
namespace {

using ::testing::HasSubstr;

using Captured = CommandOutput;

// Runs `clusterform aws ...` with a fixed environment: keys and region set, no shared files,
// no instance metadata, so nothing leaves the machine.
Captured RunAws(std::vector<std::string> args, const char* key = "AKIDTEST",
                const char* secret = "secret") {
  setenv("AWS_ACCESS_KEY_ID", key, 1);
  setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
  setenv("AWS_REGION", "us-east-1", 1);
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
  setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
  unsetenv("AWS_PROFILE");
  args.insert(args.begin(), "aws");
  return RunClusterform(args);
}

TEST(AwsCommandTest, InputMustBeAJsonObject) {
  Captured c = RunAws({"ec2", "DescribeInstances", "--input", "{not json"});
  EXPECT_EQ(c.code, 2);
  EXPECT_THAT(c.err, HasSubstr("clusterform aws: InvalidArgument: --input: not JSON"));
  c = RunAws({"ec2", "DescribeInstances", "--input", "[1]"});
  EXPECT_EQ(c.code, 2);
  EXPECT_THAT(c.err, HasSubstr("must be a JSON object"));
}

TEST(AwsCommandTest, AMissingInputFileIsNamed) {
  Captured c = RunAws({"ec2", "DescribeInstances", "--input", "@/nonexistent/params.json"});
  EXPECT_NE(c.code, 0);
  EXPECT_THAT(c.err, HasSubstr("/nonexistent/params.json"));
}

TEST(AwsCommandTest, UnknownServicesAndOperationsAreNamed) {
  Captured c = RunAws({"nosuchservice", "Foo", "--endpoint-url", "http://127.0.0.1:9"});
  EXPECT_EQ(c.code, 2);
  EXPECT_THAT(c.err, HasSubstr("unknown service \"nosuchservice\""));
  c = RunAws({"ec2", "LaunchRockets", "--endpoint-url", "http://127.0.0.1:9"});
  EXPECT_EQ(c.code, 2);
  EXPECT_THAT(c.err, HasSubstr("LaunchRockets"));
}

TEST(AwsCommandTest, ParamsThatDoNotFitTheModelAreRefusedBeforeSending) {
  Captured c = RunAws({"ec2", "DescribeInstances", "--input", R"({"InstanceIds": "i-1"})",
                       "--endpoint-url", "http://127.0.0.1:9"});
  EXPECT_EQ(c.code, 2);
  EXPECT_THAT(c.err, HasSubstr("InstanceIds"));
}

// An error the service answers (whatever its code) exits 1 with AWS's code and message; only
// a call that cannot be made exits 2.
TEST(AwsCommandTest, ServiceErrorsExitOneWithTheirCode) {
  SystemClock clock;
  NullLogger logger;
  cloud::CloudOptions options;
  options.port = 0;
  auto server = cloud::CloudServer::Start(options, clock, logger);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  std::string endpoint = "http://127.0.0.1:" + std::to_string((*server)->port());
  Captured missing = RunAws(
      {"ec2", "DescribeVpcs", "--input", R"({"VpcIds": ["vpc-1"]})", "--endpoint-url", endpoint},
      "test", "test");
  EXPECT_EQ(missing.code, 1) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr("InvalidVpcID.NotFound"));
  Captured unserved =
      RunAws({"elasticache", "DescribeCacheClusters", "--endpoint-url", endpoint}, "test", "test");
  EXPECT_EQ(unserved.code, 1) << unserved.err;
  EXPECT_THAT(unserved.err,
              HasSubstr("The service elasticache is not available in the local cloud"));
  (*server)->Stop();
}

TEST(AwsCommandTest, OperationIsRequired) {
  Captured c = RunAws({"ec2"});
  EXPECT_EQ(c.code, 2);
  EXPECT_THAT(c.err, HasSubstr("operation"));
}

}  // namespace
}  // namespace cf::cli
