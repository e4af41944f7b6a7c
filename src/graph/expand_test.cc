#include "graph/expand.h"

#include <gtest/gtest.h>

#include "hcl/parser.h"

namespace cf::graph {
namespace {

class FixedDataSources : public DataSources {
 public:
  hcl::Value Read(std::string_view type, const hcl::Value& arguments, const hcl::Range& range,
                  hcl::Diagnostics& diags) override {
    (void)arguments;
    (void)range;
    (void)diags;
    if (type == "aws_region") {
      return hcl::Value::Object({{"name", hcl::Value::String("eu-west-1")}});
    }
    return hcl::Value::Unknown(hcl::Type::Dynamic());
  }
};

class ExpandTest : public ::testing::Test {
 protected:
  Expansion Expand(const std::string& text, std::map<std::string, hcl::Value> inputs = {}) {
    hcl::ParseResult parsed = hcl::Parse(text, "<built-in test>/main.tf");
    diags_.Append(parsed.diagnostics);
    body_.files.push_back(std::move(parsed.file));
    config::DecodeModuleBody(body_, diags_);
    ExpandOptions options;
    options.module_address = "module.m";
    options.data_sources = &data_;
    return ExpandModule(body_, inputs, options, diags_);
  }

  std::string Errors() const { return hcl::FormatDiagnostics(diags_); }

  config::RootModule body_;
  FixedDataSources data_;
  hcl::Diagnostics diags_;
};

TEST_F(ExpandTest, EvaluatesArgumentsAndLeavesUnsetAttributesUnknown) {
  Expansion e = Expand(R"(
variable "cidr" {}
locals { name = "p-vpc" }
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = local.name }
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(aws_vpc.this.cidr_block, 8, 1)
  availability_zone = "${data.aws_region.current.name}a"
}
data "aws_region" "current" {}
output "vpc_id" { value = aws_vpc.this.id }
)",
                       {{"cidr", hcl::Value::String("127.16.0.0/16")}});
  ASSERT_FALSE(diags_.HasErrors()) << Errors();
  ASSERT_EQ(e.instances.size(), 3u);
  EXPECT_EQ(e.instances[0].Address(), "module.m.aws_vpc.this");
  EXPECT_EQ(e.instances[0].values.GetAttr("tags").GetAttr("Name").AsString(), "p-vpc");
  EXPECT_EQ(e.instances[0].computed, std::vector<std::string>{"id"});
  const ResourceInstance* subnet = e.Find("module.m.aws_subnet.a");
  ASSERT_NE(subnet, nullptr);
  EXPECT_FALSE(subnet->values.GetAttr("vpc_id").IsKnown());
  EXPECT_EQ(subnet->values.GetAttr("cidr_block").AsString(), "127.16.1.0/24");
  EXPECT_EQ(subnet->values.GetAttr("availability_zone").AsString(), "eu-west-1a");
  EXPECT_EQ(subnet->depends_on, (std::vector<std::string>{"module.m.aws_vpc.this",
                                                          "module.m.data.aws_region.current"}));
  ASSERT_EQ(e.outputs.size(), 1u);
  EXPECT_FALSE(e.outputs[0].value.IsKnown());
}

TEST_F(ExpandTest, CountForEachAndDynamicBlocks) {
  Expansion e = Expand(R"(
locals {
  rules = { ssh = 22, api = 14000 }
}
resource "aws_subnet" "s" {
  count      = 2
  cidr_block = "127.0.${count.index}.0/24"
}
resource "aws_lambda_function" "fn" {
  for_each      = toset(["deploy", "status"])
  function_name = "p-${each.key}-lambda"
}
resource "aws_security_group" "sg" {
  subnet_ids = aws_subnet.s[*].id
  names      = [for f in aws_lambda_function.fn : f.function_name]
  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port = ingress.value
      description = ingress.key
    }
  }
  egress {
    from_port = 0
  }
}
)");
  ASSERT_FALSE(diags_.HasErrors()) << Errors();
  ASSERT_EQ(e.instances.size(), 5u);
  EXPECT_EQ(e.instances[1].Address(), "module.m.aws_subnet.s[1]");
  EXPECT_EQ(e.instances[1].values.GetAttr("cidr_block").AsString(), "127.0.1.0/24");
  EXPECT_EQ(e.instances[2].Address(), "module.m.aws_lambda_function.fn[\"deploy\"]");
  const ResourceInstance& sg = e.instances[4];
  EXPECT_EQ(sg.values.GetAttr("names").ToDebugString(),
            "[\"p-deploy-lambda\", \"p-status-lambda\"]");
  EXPECT_FALSE(sg.values.GetAttr("subnet_ids").IsWhollyKnown());
  EXPECT_EQ(
      sg.values.GetAttr("ingress").ToDebugString(),
      "[{description = \"api\", from_port = 14000}, {description = \"ssh\", from_port = 22}]");
  EXPECT_EQ(sg.values.GetAttr("egress").ToDebugString(), "[{from_port = 0}]");
  EXPECT_EQ(sg.depends_on.size(), 4u);
}

TEST_F(ExpandTest, FailedPreconditionReportsTheModulesMessage) {
  Expand(R"(
variable "weka_version" { default = "" }
resource "aws_lambda_function" "deploy" {
  function_name = "x"
  lifecycle {
    precondition {
      condition     = var.weka_version != ""
      error_message = "Please provide either weka_version or install_weka_url."
    }
  }
}
)",
         {{"weka_version", hcl::Value::String("")}});
  ASSERT_TRUE(diags_.HasErrors());
  EXPECT_EQ(diags_.begin()->summary, "Resource precondition failed");
  EXPECT_EQ(diags_.begin()->detail, "Please provide either weka_version or install_weka_url.");
}

TEST_F(ExpandTest, ForEachMapWithKnownKeysMayHaveUnknownValues) {
  Expansion e = Expand(R"(
resource "aws_iam_policy" "p" {
  name = "p"
}
resource "aws_iam_role_policy_attachment" "a" {
  for_each   = { p = aws_iam_policy.p.arn }
  role       = "r"
  policy_arn = each.value
}
)");
  ASSERT_FALSE(diags_.HasErrors()) << Errors();
  const ResourceInstance* a = e.Find("module.m.aws_iam_role_policy_attachment.a[\"p\"]");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->values.GetAttr("policy_arn").IsKnown());
}

TEST_F(ExpandTest, LiteralKeysNarrowDependenciesToTheNamedInstance) {
  Expansion e = Expand(R"(
resource "aws_launch_template" "gw" {
  for_each      = { nfs = "c5n.2xlarge", smb = "c5n.xlarge" }
  instance_type = each.value
}
locals { smb = aws_launch_template.gw["smb"].id }
resource "aws_autoscaling_group" "nfs" {
  launch_template { id = aws_launch_template.gw["nfs"].id }
}
resource "aws_autoscaling_group" "smb" {
  launch_template { id = local.smb }
}
resource "aws_autoscaling_group" "all" {
  ids = [for lt in aws_launch_template.gw : lt.id]
}
)");
  ASSERT_FALSE(diags_.HasErrors()) << Errors();
  EXPECT_EQ(e.Find("module.m.aws_autoscaling_group.nfs")->depends_on,
            std::vector<std::string>{"module.m.aws_launch_template.gw[\"nfs\"]"});
  EXPECT_EQ(e.Find("module.m.aws_autoscaling_group.smb")->depends_on,
            std::vector<std::string>{"module.m.aws_launch_template.gw[\"smb\"]"});
  EXPECT_EQ(e.Find("module.m.aws_autoscaling_group.all")->depends_on.size(), 2u);
}

TEST_F(ExpandTest, UnknownCountIsAnError) {
  Expand(R"(
resource "aws_vpc" "v" {}
resource "aws_subnet" "s" {
  count = length(aws_vpc.v.id)
}
)");
  ASSERT_TRUE(diags_.HasErrors());
  EXPECT_EQ(diags_.begin()->summary, "Invalid count argument");
}

TEST_F(ExpandTest, CyclesAreReported) {
  Expand(R"(
resource "aws_vpc" "a" { x = aws_vpc.b.id }
resource "aws_vpc" "b" { x = aws_vpc.a.id }
)");
  ASSERT_TRUE(diags_.HasErrors());
  EXPECT_EQ(diags_.begin()->summary, "Cycle in references");
  EXPECT_NE(diags_.begin()->detail.find("aws_vpc.a -> aws_vpc.b -> aws_vpc.a"), std::string::npos)
      << diags_.begin()->detail;
}

TEST_F(ExpandTest, ExplicitDependsOnAndDependenciesThroughLocals) {
  Expansion e = Expand(R"(
resource "aws_iam_role" "r" { name = "role" }
resource "aws_kms_key" "k" {}
locals { role_arn = aws_iam_role.r.arn }
resource "aws_lambda_function" "f" {
  role       = local.role_arn
  depends_on = [aws_kms_key.k]
}
)");
  ASSERT_FALSE(diags_.HasErrors()) << Errors();
  const ResourceInstance* f = e.Find("module.m.aws_lambda_function.f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->depends_on,
            (std::vector<std::string>{"module.m.aws_iam_role.r", "module.m.aws_kms_key.k"}));
  EXPECT_FALSE(f->values.GetAttr("role").IsKnown());
  EXPECT_EQ(f->values.Attributes().count("depends_on"), 0u);
}

}  // namespace
}  // namespace cf::graph
