#include "plan/preflight.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cf::plan {
namespace {

using graph::InstanceKey;
using graph::ResourceInstance;
using hcl::Value;
using Severity = Finding::Severity;

Value S(const std::string& s) {
  return Value::String(s);
}
Value N(int64_t n) {
  return Value::Num(hcl::Number(n));
}
Value UnknownString() {
  return Value::Unknown(hcl::Type::String());
}

ResourceInstance Make(const std::string& type, const std::string& name, hcl::ValueMap values,
                      std::vector<std::string> depends_on = {}, InstanceKey key = {}) {
  ResourceInstance instance;
  instance.module = "module.weka";
  instance.type = type;
  instance.name = name;
  instance.key = std::move(key);
  instance.values = Value::Object(std::move(values));
  instance.depends_on = std::move(depends_on);
  return instance;
}

graph::DesiredState State(std::vector<ResourceInstance> instances) {
  graph::DesiredState desired;
  desired.modules.emplace_back();
  desired.modules.back().instances = std::move(instances);
  return desired;
}

std::string Show(const Finding& f) {
  const char* severity = f.severity == Severity::kError     ? "error"
                         : f.severity == Severity::kWarning ? "warning"
                                                            : "info";
  return std::string(severity) + " [" + f.address + "] " + f.summary;
}

std::vector<std::string> ShowAll(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    out.push_back(Show(f));
  }
  return out;
}

TEST(PreflightTest, SumsVcpusPerFamilyFromGroupsAndInstances) {
  graph::DesiredState desired = State({
      Make("aws_launch_template", "backend", {{"instance_type", S("i3en.6xlarge")}}),
      Make("aws_autoscaling_group", "backend",
           {{"desired_capacity", N(6)}, {"min_size", N(6)}, {"max_size", N(42)}},
           {"module.weka.aws_launch_template.backend"}),
      Make("aws_instance", "client", {{"instance_type", S("c5.2xlarge")}}, {},
           InstanceKey::Index(0)),
      Make("aws_instance", "client", {{"instance_type", S("c5.2xlarge")}}, {},
           InstanceKey::Index(1)),
  });
  std::vector<Finding> findings = Preflight(desired);
  EXPECT_THAT(
      ShowAll(findings),
      testing::ElementsAre(
          "info [] 2 × c5.2xlarge = 16 vCPUs (c5 family)",
          "info [] Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances: 160 vCPUs "
          "needed",
          "info [module.weka.aws_autoscaling_group.backend] 6 × i3en.6xlarge = 144 vCPUs (i3en "
          "family)"));
  EXPECT_EQ(findings[0].detail,
            "From module.weka.aws_instance.client[0], module.weka.aws_instance.client[1].");
  EXPECT_EQ(findings[1].detail,
            "The quota is set per account and Region (quota code L-1216C47A); check it in "
            "Service Quotas before applying.");
}

TEST(PreflightTest, AddsTypesOfOneFamilyAndUsesMinSizeWithoutDesiredCapacity) {
  graph::DesiredState desired = State({
      Make("aws_launch_template", "nfs", {{"instance_type", S("c5n.2xlarge")}}),
      Make("aws_autoscaling_group", "nfs", {{"min_size", N(2)}, {"max_size", N(2)}},
           {"module.weka.aws_launch_template.nfs"}),
      Make("aws_instance", "smb", {{"instance_type", S("c5n.xlarge")}}),
  });
  EXPECT_EQ(Preflight(desired)[0].summary,
            "2 × c5n.2xlarge + 1 × c5n.xlarge = 20 vCPUs (c5n family)");
}

TEST(PreflightTest, CountsEksNodeGroups) {
  auto scaling = [](int64_t desired) {
    return Value::Tuple({Value::Object({{"desired_size", N(desired)}, {"max_size", N(5)}})});
  };
  graph::DesiredState desired = State({
      Make("aws_eks_node_group", "this",
           {{"instance_types", Value::Tuple({S("m6a.4xlarge")})}, {"scaling_config", scaling(2)}},
           {}, InstanceKey::String("ng-0")),
      Make("aws_eks_node_group", "this",
           {{"instance_types", Value::Tuple({S("m6a.4xlarge")})}, {"scaling_config", scaling(2)}},
           {}, InstanceKey::String("ng-1")),
      Make("aws_eks_node_group", "default", {{"scaling_config", scaling(1)}}),
  });
  EXPECT_THAT(ShowAll(Preflight(desired)),
              testing::ElementsAre("info [] 4 × m6a.4xlarge = 64 vCPUs (m6a family)",
                                   "info [] Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) "
                                   "instances: 66 vCPUs needed",
                                   "info [module.weka.aws_eks_node_group.default] 1 × t3.medium = "
                                   "2 vCPUs (t3 family)"));
}

TEST(PreflightTest, WarnsAboveTheVcpuThreshold) {
  graph::DesiredState desired = State({
      Make("aws_launch_template", "backend", {{"instance_type", S("i3en.24xlarge")}}),
      Make("aws_autoscaling_group", "backend", {{"desired_capacity", N(12)}},
           {"module.weka.aws_launch_template.backend"}),
  });
  std::vector<Finding> findings = Preflight(desired);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(Show(findings[0]),
            "warning [] Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances: 1152 "
            "vCPUs needed, more than 256");
  EXPECT_THAT(findings[0].detail, testing::HasSubstr("launches only part of the cluster"));
  EXPECT_EQ(Show(findings[1]),
            "info [module.weka.aws_autoscaling_group.backend] 12 × i3en.24xlarge = 1152 vCPUs "
            "(i3en family)");
}

TEST(PreflightTest, ReportsTypesItCannotCount) {
  graph::DesiredState desired = State({
      Make("aws_instance", "odd", {{"instance_type", S("x2idn.16xlarge")}}),
      Make("aws_instance", "later", {{"instance_type", UnknownString()}}),
  });
  EXPECT_THAT(ShowAll(Preflight(desired)),
              testing::ElementsAre("warning [module.weka.aws_instance.odd] instance type "
                                   "\"x2idn.16xlarge\" is not in clusterform's table: its vCPUs "
                                   "are not counted",
                                   "info [module.weka.aws_instance.later] vCPUs not counted: the "
                                   "instance type is known only after apply"));
}

TEST(PreflightTest, ApplicationLoadBalancerNeedsTwoSubnets) {
  graph::DesiredState desired = State({
      Make("aws_lb", "alb",
           {{"load_balancer_type", S("application")}, {"subnets", Value::Tuple({S("subnet-1")})}}),
  });
  std::vector<Finding> findings = Preflight(desired);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(Show(findings[0]),
            "error [module.weka.aws_lb.alb] an application load balancer needs subnets in at "
            "least 2 Availability Zones, but it has 1 subnet");
  EXPECT_EQ(findings[0].detail, "Give the load balancer a subnet in a second Availability Zone.");
}

TEST(PreflightTest, ApplicationLoadBalancerSubnetsMustSpanTwoZonesWhenKnown) {
  auto state = [](const std::string& second_zone) {
    return State({
        Make("aws_subnet", "this", {{"availability_zone", S("us-east-1a")}}),
        Make("aws_subnet", "alb", {{"availability_zone", S(second_zone)}}),
        Make("aws_lb", "alb", {{"subnets", Value::Tuple({UnknownString(), UnknownString()})}},
             {"module.weka.aws_subnet.alb", "module.weka.aws_subnet.this"}),
    });
  };
  EXPECT_THAT(ShowAll(Preflight(state("us-east-1a"))),
              testing::ElementsAre("error [module.weka.aws_lb.alb] an application load "
                                   "balancer needs subnets in at least 2 Availability Zones, but "
                                   "its 2 subnets are all in us-east-1a"));
  EXPECT_THAT(Preflight(state("us-east-1b")), testing::IsEmpty());
}

TEST(PreflightTest, NetworkLoadBalancerMayUseOneSubnet) {
  graph::DesiredState desired = State({
      Make("aws_lb", "nlb",
           {{"load_balancer_type", S("network")}, {"subnets", Value::Tuple({S("subnet-1")})}}),
  });
  EXPECT_THAT(Preflight(desired), testing::IsEmpty());
}

TEST(PreflightTest, NameLimits) {
  std::string long_lambda(65, 'f');
  graph::DesiredState desired = State({
      Make("aws_lambda_function", "deploy", {{"function_name", S(long_lambda)}}),
      Make("aws_lb", "alb",
           {{"name", S("weka-a-very-long-cluster-name-lb12")},
            {"subnets", Value::Tuple({S("subnet-1"), S("subnet-2")})}}),
      Make("aws_s3_bucket", "obs", {{"bucket", S("Weka_OBS")}}),
      Make("aws_s3_bucket", "short", {{"bucket", S("ab")}}),
      Make("aws_kms_alias", "ebs", {{"name", S("weka-poc")}}),
      Make("aws_kms_alias", "aws", {{"name", S("alias/aws/ebs")}}),
      Make("aws_iam_role", "ok", {{"name", S(std::string(64, 'r'))}}),
      Make("aws_sqs_queue", "later", {{"name", UnknownString()}}),
  });
  EXPECT_THAT(
      ShowAll(Preflight(desired)),
      testing::ElementsAre(
          "error [module.weka.aws_kms_alias.aws] aws_kms_alias name \"alias/aws/ebs\" must not "
          "start with \"alias/aws/\", which AWS keeps for its own keys",
          "error [module.weka.aws_kms_alias.ebs] aws_kms_alias name \"weka-poc\" must start "
          "with \"alias/\"",
          "error [module.weka.aws_lambda_function.deploy] aws_lambda_function function_name \"" +
              long_lambda + "\" is 65 characters long; AWS allows at most 64",
          "error [module.weka.aws_lb.alb] aws_lb name \"weka-a-very-long-cluster-name-lb12\" is "
          "34 characters long; AWS allows at most 32",
          "error [module.weka.aws_s3_bucket.obs] aws_s3_bucket bucket \"Weka_OBS\" may only hold "
          "lowercase letters, digits, dots and hyphens, and must start and end with a letter "
          "or digit",
          "error [module.weka.aws_s3_bucket.short] aws_s3_bucket bucket \"ab\" is 2 characters "
          "long; AWS allows 3 to 63"));
}

TEST(PreflightTest, WekaInstanceTypeWithoutContainersMapEntry) {
  config::ModuleDefinition weka{"weka/weka/aws", nullptr};
  graph::DesiredState desired;
  config::EvaluatedModuleCall call;
  call.name = "weka";
  call.address = "module.weka";
  call.definition = &weka;
  call.inputs["instance_type"] = S("i3en.xlarge");
  hcl::Value entry = Value::Object({{"compute", N(1)}});
  call.inputs["containers_config_map"] =
      Value::Map(entry.type(), {{"i3en.2xlarge", entry}, {"i3en.6xlarge", entry}});
  desired.config.modules.push_back(call);
  desired.modules.emplace_back();
  std::vector<Finding> findings = Preflight(desired);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(Show(findings[0]),
            "error [module.weka] instance_type \"i3en.xlarge\" has no entry in "
            "containers_config_map");
  EXPECT_EQ(findings[0].detail,
            "The module sizes WEKA's containers from that map: add an entry for it, or use one "
            "of i3en.2xlarge, i3en.6xlarge.");

  desired.config.modules[0].inputs["instance_type"] = S("i3en.6xlarge");
  EXPECT_THAT(Preflight(desired), testing::IsEmpty());
}

Value Ingress(int64_t from, int64_t to, const std::string& protocol, std::vector<std::string> cidrs,
              std::vector<std::string> ipv6 = {}) {
  hcl::ValueList v4;
  for (const std::string& c : cidrs) {
    v4.push_back(S(c));
  }
  hcl::ValueList v6;
  for (const std::string& c : ipv6) {
    v6.push_back(S(c));
  }
  return Value::Object({{"from_port", N(from)},
                        {"to_port", N(to)},
                        {"protocol", S(protocol)},
                        {"cidr_blocks", Value::Tuple(v4)},
                        {"ipv6_cidr_blocks", Value::Tuple(v6)}});
}

TEST(PreflightTest, WarnsAboutSshAndWekaApiOpenToTheWorld) {
  graph::DesiredState desired = State({
      Make("aws_security_group", "open",
           {{"ingress", Value::Tuple({Ingress(22, 22, "tcp", {"0.0.0.0/0"}, {"::/0"}),
                                      Ingress(443, 443, "tcp", {"0.0.0.0/0"}),
                                      Ingress(14000, 14000, "tcp", {"10.0.0.0/16"})})}}),
      Make("aws_vpc_security_group_ingress_rule", "all",
           {{"ip_protocol", S("-1")}, {"cidr_ipv4", S("0.0.0.0/0")}}),
      Make("aws_security_group_rule", "api",
           {{"type", S("ingress")},
            {"from_port", N(14000)},
            {"to_port", N(14100)},
            {"protocol", S("tcp")},
            {"cidr_blocks", Value::Tuple({S("0.0.0.0/0")})}}),
      Make("aws_security_group_rule", "egress",
           {{"type", S("egress")},
            {"from_port", N(0)},
            {"to_port", N(0)},
            {"protocol", S("-1")},
            {"cidr_blocks", Value::Tuple({S("0.0.0.0/0")})}}),
  });
  std::vector<Finding> findings = Preflight(desired);
  EXPECT_THAT(
      ShowAll(findings),
      testing::ElementsAre(
          "warning [module.weka.aws_security_group.open] SSH (port 22) is open to 0.0.0.0/0 and "
          "::/0",
          "warning [module.weka.aws_security_group_rule.api] the WEKA API (port 14000) is open "
          "to 0.0.0.0/0",
          "warning [module.weka.aws_vpc_security_group_ingress_rule.all] SSH (port 22) is open "
          "to 0.0.0.0/0",
          "warning [module.weka.aws_vpc_security_group_ingress_rule.all] the WEKA API (port "
          "14000) is open to 0.0.0.0/0"));
  EXPECT_EQ(findings[0].detail,
            "Anyone on the internet can try to connect; limit the rule to the addresses that "
            "need access.");
}

TEST(PreflightTest, OrdersErrorsThenWarningsThenInformation) {
  graph::DesiredState desired = State({
      Make("aws_instance", "a", {{"instance_type", S("t3.micro")}}),
      Make("aws_security_group_rule", "b",
           {{"type", S("ingress")},
            {"from_port", N(22)},
            {"to_port", N(22)},
            {"protocol", S("tcp")},
            {"cidr_blocks", Value::Tuple({S("0.0.0.0/0")})}}),
      Make("aws_sfn_state_machine", "c", {{"name", S(std::string(81, 's'))}}),
  });
  std::vector<Finding> findings = Preflight(desired);
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].address, "module.weka.aws_sfn_state_machine.c");
  EXPECT_EQ(findings[1].severity, Severity::kWarning);
  EXPECT_EQ(findings[2].severity, Severity::kInfo);
  EXPECT_EQ(findings[2].address, "");
  EXPECT_EQ(findings[3].summary, "1 × t3.micro = 2 vCPUs (t3 family)");
}

}  // namespace
}  // namespace cf::plan
