#include "plan/render_text.h"

#include <gtest/gtest.h>

namespace cf::plan {
namespace {

hcl::Value S(const char* s) {
  return hcl::Value::String(s);
}
hcl::Value N(int64_t n) {
  return hcl::Value::Num(hcl::Number(n));
}
hcl::Value Unknown() {
  return hcl::Value::Unknown(hcl::Type::Dynamic());
}

ResourceChange Create(std::string type, std::string name, hcl::ValueMap after) {
  ResourceChange c;
  c.module = "module.weka";
  c.type = std::move(type);
  c.name = std::move(name);
  c.address = c.module + "." + c.type + "." + c.name;
  c.after = hcl::Value::Object(std::move(after));
  return c;
}

std::string Render(const Plan& plan, bool color = false) {
  TextOptions options;
  options.color = color;
  options.is_block = [](std::string_view type, std::string_view path) {
    return type == "aws_launch_template" &&
           (path == "metadata_options" || path == "block_device_mappings" ||
            path == "block_device_mappings.ebs" || path == "monitoring");
  };
  return RenderPlanText(plan, options);
}

TEST(RenderPlanTextTest, ResourceWithAlignedAttributesMapsAndLists) {
  Plan plan;
  plan.resource_changes.push_back(Create(
      "aws_security_group", "this",
      {{"arn", Unknown()},
       {"name", S("weka-sg")},
       {"description", hcl::Value::Null(hcl::Type::String())},
       {"revoke_rules_on_delete", hcl::Value::False()},
       {"tags", hcl::Value::Map(hcl::Type::String(), {{"Name", S("weka")}, {"aws:x", S("y")}})},
       {"ingress",
        hcl::Value::Tuple({hcl::Value::Object({{"from_port", N(22)},
                                               {"cidr_blocks", hcl::Value::Tuple({S("0.0.0.0/0")})},
                                               {"self", hcl::Value::Null(hcl::Type::Bool())}})})},
       {"egress", hcl::Value::EmptyTuple()}}));
  EXPECT_EQ(Render(plan),
            R"(Resource actions are indicated with the following symbols:
  + create

clusterform will perform the following actions:

  # module.weka.aws_security_group.this will be created
  + resource "aws_security_group" "this" {
      + arn                    = (known after apply)
      + egress                 = []
      + ingress                = [
          + {
              + cidr_blocks = [
                  + "0.0.0.0/0",
                ]
              + from_port   = 22
            },
        ]
      + name                   = "weka-sg"
      + revoke_rules_on_delete = false
      + tags                   = {
          + "Name"  = "weka"
          + "aws:x" = "y"
        }
    }

Plan: 1 to add, 0 to change, 0 to destroy.
)");
}

TEST(RenderPlanTextTest, NestedBlocksRenderAfterAttributes) {
  Plan plan;
  plan.resource_changes.push_back(
      Create("aws_launch_template", "this",
             {{"name", S("lt")},
              {"id", Unknown()},
              {"monitoring", hcl::Value::Tuple({hcl::Value::EmptyObject()})},
              {"metadata_options",
               hcl::Value::Tuple({hcl::Value::Object(
                   {{"http_tokens", S("required")}, {"http_put_response_hop_limit", N(2)}})})},
              {"block_device_mappings",
               hcl::Value::Tuple({hcl::Value::Object({{"device_name", S("/dev/sda1")},
                                                      {"ebs", hcl::Value::Tuple({hcl::Value::Object(
                                                                  {{"volume_size", N(48)}})})}}),
                                  hcl::Value::Object({{"device_name", S("/dev/sdb")}})})}}));
  std::string text = Render(plan);
  EXPECT_NE(text.find(R"(  + resource "aws_launch_template" "this" {
      + id   = (known after apply)
      + name = "lt"

      + block_device_mappings {
          + device_name = "/dev/sda1"

          + ebs {
              + volume_size = 48
            }
        }
      + block_device_mappings {
          + device_name = "/dev/sdb"
        }

      + metadata_options {
          + http_put_response_hop_limit = 2
          + http_tokens                 = "required"
        }

      + monitoring {}
    }
)"),
            std::string::npos)
      << text;
}

TEST(RenderPlanTextTest, BlocksWithoutAttributesHaveNoBlankLines) {
  Plan plan;
  plan.resource_changes.push_back(
      Create("aws_launch_template", "this",
             {{"monitoring", hcl::Value::Tuple({hcl::Value::EmptyObject()})},
              {"metadata_options", hcl::Value::Tuple({hcl::Value::EmptyObject()})}}));
  EXPECT_NE(Render(plan).find(R"(  + resource "aws_launch_template" "this" {
      + metadata_options {}
      + monitoring {}
    }
)"),
            std::string::npos)
      << Render(plan);
}

TEST(RenderPlanTextTest, UnknownSensitiveHeredocAndJson) {
  Plan plan;
  plan.resource_changes.push_back(Create(
      "aws_iam_role", "this",
      {{"assume_role_policy",
        S(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})")},
       {"description", S("line one\nline two\n\n  indented\n")},
       {"secret", S("hunter2").WithSensitive()},
       {"empty_policy", S("{}")},
       {"computed_secret", Unknown().WithSensitive()}}));
  std::string text = Render(plan);
  EXPECT_NE(text.find(R"(      + assume_role_policy = jsonencode(
            {
              + Statement = [
                  + {
                      + Action    = "sts:AssumeRole"
                      + Effect    = "Allow"
                      + Principal = {
                          + Service = "ec2.amazonaws.com"
                        }
                    },
                ]
              + Version   = "2012-10-17"
            }
        )
      + computed_secret    = (sensitive value)
      + description        = <<-EOT
            line one
            line two

              indented
        EOT
      + empty_policy       = jsonencode({})
      + secret             = (sensitive value)
    }
)"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
}

TEST(RenderPlanTextTest, StringsAreQuotedLikeTerraform) {
  Plan plan;
  plan.resource_changes.push_back(
      Create("aws_vpc", "this", {{"a", S("say \"hi\"\\ \t")}, {"b", S("ünï")}}));
  std::string text = Render(plan);
  EXPECT_NE(text.find(R"(+ a = "say \"hi\"\\ \t")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(+ b = "ünï")"), std::string::npos) << text;
}

TEST(RenderPlanTextTest, OutputsAfterThePlanSummary) {
  Plan plan;
  plan.resource_changes.push_back(Create("aws_vpc", "this", {{"id", Unknown()}}));
  plan.output_changes.push_back({"cluster",
                                 Action::kCreate,
                                 hcl::Value::Object({{"alb", Unknown()}, {"name", S("poc")}}),
                                 false,
                                 {}});
  plan.output_changes.push_back({"token", Action::kCreate, S("t"), true, {}});
  std::string text = Render(plan);
  EXPECT_NE(text.find(R"(Plan: 1 to add, 0 to change, 0 to destroy.

Changes to Outputs:
  + cluster = {
      + alb  = (known after apply)
      + name = "poc"
    }
  + token   = (sensitive value)
)"),
            std::string::npos)
      << text;
}

TEST(RenderPlanTextTest, DataSourcesReadDuringApply) {
  Plan plan;
  ResourceChange read =
      Create("aws_subnet", "cluster", {{"id", S("subnet-1")}, {"arn", Unknown()}});
  read.mode = graph::ResourceMode::kData;
  read.action = Action::kRead;
  read.address = "module.weka.data.aws_subnet.cluster";
  plan.resource_changes.push_back(read);
  plan.resource_changes.push_back(Create("aws_vpc", "this", {{"id", Unknown()}}));
  std::string text = Render(plan);
  EXPECT_NE(text.find(R"(Resource actions are indicated with the following symbols:
  + create
 <= read (data resources)

clusterform will perform the following actions:

  # module.weka.data.aws_subnet.cluster will be read during apply
  # (clusterform does not read this data source while planning)
 <= data "aws_subnet" "cluster" {
      + arn = (known after apply)
      + id  = "subnet-1"
    }
)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos);
}

TEST(RenderPlanTextTest, NoChanges) {
  EXPECT_EQ(Render(Plan{}), "No changes. The configuration creates no resources and no outputs.\n");
}

TEST(RenderPlanTextTest, ColourOnlyWhenAsked) {
  Plan plan;
  plan.resource_changes.push_back(Create("aws_vpc", "this", {{"id", Unknown()}}));
  EXPECT_EQ(Render(plan).find('\x1b'), std::string::npos);
  std::string coloured = Render(plan, true);
  EXPECT_NE(coloured.find("\x1b[32m+\x1b[0m resource \"aws_vpc\""), std::string::npos) << coloured;
  EXPECT_NE(coloured.find("\x1b[1m# module.weka.aws_vpc.this\x1b[0m will be created"),
            std::string::npos);
}

TEST(RenderPreflightTextTest, FindingsBeforeThePlan) {
  std::vector<Finding> findings = {
      {Finding::Severity::kError, "module.weka.aws_autoscaling_group.this",
       "6 × i3en.6xlarge = 144 vCPUs (i family)", "Ask AWS for a quota of at least 144."},
      {Finding::Severity::kWarning, "", "SSH open to 0.0.0.0/0", ""}};
  EXPECT_EQ(RenderPreflightText(findings, false),
            "Preflight:\n"
            "  error: module.weka.aws_autoscaling_group.this: 6 × i3en.6xlarge = 144 vCPUs (i "
            "family)\n"
            "      Ask AWS for a quota of at least 144.\n"
            "  warning: SSH open to 0.0.0.0/0\n"
            "\n");
  EXPECT_EQ(RenderPreflightText({}, false), "");
}

}  // namespace
}  // namespace cf::plan
