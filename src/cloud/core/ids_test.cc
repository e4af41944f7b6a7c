#include "cloud/core/ids.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace cf::cloud {
namespace {

TEST(IdsTest, ResourceIdsHaveSeventeenHexDigits) {
  SeededRandom random(1);
  IdGenerator ids(random);
  std::string id = ids.ResourceId("vpc");
  EXPECT_TRUE(std::regex_match(id, std::regex("vpc-[0-9a-f]{17}"))) << id;
  EXPECT_TRUE(IsResourceId(id, "vpc"));
  EXPECT_FALSE(IsResourceId(id, "subnet"));
  EXPECT_FALSE(IsResourceId("vpc-123", "vpc"));
  EXPECT_TRUE(IsResourceId("vpc-1234abcd", "vpc"));
}

TEST(IdsTest, RequestIdsAreVersion4Uuids) {
  SeededRandom random(2);
  IdGenerator ids(random);
  std::string id = ids.RequestId();
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
}

TEST(IdsTest, SameSeedGivesSameIdsAndIdsDiffer) {
  SeededRandom a(7);
  SeededRandom b(7);
  IdGenerator ia(a);
  IdGenerator ib(b);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string x = ia.ResourceId("subnet");
    EXPECT_EQ(x, ib.ResourceId("subnet"));
    seen.insert(x);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(IdsTest, AccessKeysAndArns) {
  SeededRandom random(3);
  IdGenerator ids(random);
  EXPECT_TRUE(std::regex_match(ids.AccessKeyId("ASIA"), std::regex("ASIA[A-Z2-7]{16}")));
  EXPECT_EQ(Arn("ec2", "us-east-1", "000000000000", "vpc/vpc-1"),
            "arn:aws:ec2:us-east-1:000000000000:vpc/vpc-1");
  EXPECT_EQ(Arn("iam", "", "000000000000", "role/r"), "arn:aws:iam::000000000000:role/r");
}

}  // namespace
}  // namespace cf::cloud
