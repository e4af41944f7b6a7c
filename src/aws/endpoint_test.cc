#include "aws/endpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

TEST(EndpointTest, RegionalServicesUseTheRegionalHost) {
  auto e = ResolveEndpoint("ec2", "ec2", "eu-west-1");
  ASSERT_OK(e);
  EXPECT_EQ(e->Url(), "https://ec2.eu-west-1.amazonaws.com");
  EXPECT_EQ(e->signing_region, "eu-west-1");
  auto states = ResolveEndpoint("states", "states", "us-west-2");
  ASSERT_OK(states);
  EXPECT_EQ(states->HostHeader(), "states.us-west-2.amazonaws.com");
}

TEST(EndpointTest, IamAndRoute53AreGlobalAndSignedForUsEast1) {
  for (const char* prefix : {"iam", "route53"}) {
    auto e = ResolveEndpoint(prefix, prefix, "eu-central-1");
    ASSERT_OK(e);
    EXPECT_EQ(e->host, std::string(prefix) + ".amazonaws.com");
    EXPECT_EQ(e->signing_region, "us-east-1");
  }
  auto cn = ResolveEndpoint("iam", "iam", "cn-northwest-1");
  ASSERT_OK(cn);
  EXPECT_EQ(cn->host, "iam.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(cn->signing_region, "cn-north-1");
}

TEST(EndpointTest, S3InUsEast1IsTheLegacyGlobalHost) {
  EXPECT_EQ(ResolveEndpoint("s3", "s3", "us-east-1")->host, "s3.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint("s3", "s3", "us-west-2")->host, "s3.us-west-2.amazonaws.com");
}

TEST(EndpointTest, ACustomUrlServesEveryService) {
  EndpointOptions options;
  options.custom_url = "http://127.0.0.1:4566/";
  auto e = ResolveEndpoint("elasticloadbalancing", "elasticloadbalancing", "us-east-2", options);
  ASSERT_OK(e);
  EXPECT_EQ(e->Url(), "http://127.0.0.1:4566");
  EXPECT_EQ(e->HostHeader(), "127.0.0.1:4566");
  EXPECT_EQ(e->signing_region, "us-east-2");
  EXPECT_EQ(e->signing_name, "elasticloadbalancing");
}

TEST(EndpointTest, BadInputIsExplained) {
  EXPECT_THAT(ResolveEndpoint("ec2", "ec2", ""),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--region")));
  EXPECT_THAT(ParseEndpointUrl("127.0.0.1:4566"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("http://")));
  EXPECT_THAT(ParseEndpointUrl("http://localhost:99999"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("port")));
  auto ok = ParseEndpointUrl("https://example.com/prefix/");
  ASSERT_OK(ok);
  EXPECT_EQ(ok->base_path, "/prefix");
  EXPECT_EQ(ok->port, 0);
}

}  // namespace
}  // namespace cf::aws
