#include "aws/instance_types.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cf::aws {
namespace {

TEST(InstanceTypesTest, KnowsTheModulesDefaults) {
  EXPECT_EQ(FindInstanceType("i3en.2xlarge")->vcpus, 8);
  EXPECT_EQ(FindInstanceType("i8ge.48xlarge")->memory_gib(), 1536);
  EXPECT_EQ(FindInstanceType("c5n.2xlarge")->memory_gib(), 21);
  EXPECT_EQ(FindInstanceType("c5n.large")->memory_gib(), 5.25);
  EXPECT_EQ(FindInstanceType("m6i.xlarge")->vcpus, 4);
  EXPECT_EQ(FindInstanceType("m6a.48xlarge")->vcpus, 192);
  EXPECT_EQ(FindInstanceType("i3en.4xlarge"), nullptr);
  EXPECT_EQ(FindInstanceType("i3en"), nullptr);
  EXPECT_EQ(OnDemandQuotaClass("p4d.24xlarge"), "P");
  EXPECT_EQ(OnDemandQuotaClass("g5.xlarge"), "G and VT");
  EXPECT_EQ(OnDemandQuotaClass("i3en.large"), "Standard (A, C, D, H, I, M, R, T, Z)");
  EXPECT_EQ(OnDemandQuotaClass("u-6tb1.metal"), "High Memory");
  EXPECT_EQ(OnDemandQuotaClass(""), "");
  EXPECT_EQ(InstanceFamily("i8ge.metal-48xl"), "i8ge");
  EXPECT_EQ(InstanceFamily("weird"), "weird");
}

TEST(InstanceTypesTest, NamesAreUniqueAndEveryDescribedRowIsComplete) {
  std::set<std::string> names;
  int described = 0;
  for (const InstanceTypeSpec& spec : InstanceTypeTable()) {
    EXPECT_TRUE(names.insert(spec.name).second) << spec.name;
    EXPECT_GT(spec.vcpus, 0) << spec.name;
    EXPECT_GT(spec.memory_mib, 0) << spec.name;
    EXPECT_EQ(FindInstanceType(spec.name), &spec);
    if (!spec.described()) {
      continue;
    }
    ++described;
    EXPECT_EQ(spec.vcpus % spec.threads_per_core, 0) << spec.name;
    EXPECT_NE(std::string(spec.network), "") << spec.name;
    EXPECT_TRUE(std::string(spec.architecture) == "x86_64" ||
                std::string(spec.architecture) == "arm64")
        << spec.name;
    EXPECT_GT(spec.max_interfaces, 0) << spec.name;
    EXPECT_GT(spec.clock_ghz, 0) << spec.name;
    EXPECT_EQ(spec.disk_count == 0, spec.disk_size_gb == 0) << spec.name;
  }
  // i3en 8, i8ge 11, c5 9, c5n 7, m5 9, m6i 10, r6i 10, t3 7 described; c6i and m6a sized only.
  EXPECT_EQ(described, 71);
  EXPECT_EQ(names.size(), 92u);
  EXPECT_FALSE(FindInstanceType("c6i.large")->described());
}

}  // namespace
}  // namespace cf::aws
