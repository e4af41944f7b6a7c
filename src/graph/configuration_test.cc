#include "graph/configuration.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "hcl/parser.h"
#include "testing/memory_file_system.h"

namespace cf::graph {
namespace {

// A one-file built-in module "test/m/aws" with a precondition, a loopback default and an
// output, called from a root module in memory.
class ConfigurationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hcl::ParseResult parsed = hcl::Parse(R"(
variable "vpc_cidr" { default = "10.0.0.0/16" }
variable "weka_version" { default = "" }
resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr
  lifecycle {
    precondition {
      condition     = var.weka_version != ""
      error_message = "Set version."
    }
  }
}
output "vpc_id" { value = aws_vpc.this.id }
output "cidr" { value = aws_vpc.this.cidr_block }
)",
                                         "<built-in test/m/aws>/main.tf");
    body_.files.push_back(std::move(parsed.file));
    hcl::Diagnostics diags;
    config::DecodeModuleBody(body_, diags);
    ASSERT_FALSE(diags.HasErrors());
    hcl::ParseResult defaults = hcl::Parse("vpc_cidr = \"127.16.0.0/16\"\n", "local.tfvars");
    defaults_file_ = std::move(defaults.file);
    for (const hcl::Attribute* attr : defaults_file_->body()->attributes) {
      local_defaults_[std::string(attr->name)] = attr->expr;
    }
    definition_ = {"test/m/aws", &body_, &local_defaults_};
  }

  DesiredState Expand(const std::string& main_tf) {
    EXPECT_TRUE(fs_.WriteFileAtomic("/cfg/main.tf", main_tf).ok());
    loaded_ = config::LoadRootModule("/cfg", fs_);
    diags_ = loaded_.diagnostics;
    ConfigurationOptions options;
    options.lookup = [this](std::string_view source) -> const config::ModuleDefinition* {
      return source == "weka/weka/aws" ? &definition_ : nullptr;
    };
    return ExpandConfiguration(*loaded_.module, {}, options, diags_);
  }

  config::RootModule body_;
  std::unique_ptr<hcl::File> defaults_file_;
  std::map<std::string, const hcl::Expression*> local_defaults_;
  config::ModuleDefinition definition_;
  InMemoryFileSystem fs_;
  config::LoadResult loaded_;
  hcl::Diagnostics diags_;
};

TEST_F(ConfigurationTest, ExpandsModuleCallsAndPassesTheirOutputsToTheRoot) {
  DesiredState state = Expand(R"(
provider "aws" { region = "us-east-1" }
module "net" {
  source  = "weka/weka/aws"
  weka_version = "4.4"
}
output "cidr" { value = module.net.cidr }
)");
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  ASSERT_EQ(state.modules.size(), 1u);
  std::vector<const ResourceInstance*> all = state.Instances();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0]->Address(), "module.net.aws_vpc.this");
  EXPECT_EQ(state.config.outputs.at("cidr").value.AsString(), "10.0.0.0/16");
}

TEST_F(ConfigurationTest, PreconditionFailuresPointAtTheModuleCall) {
  Expand(R"(
module "net" {
  source = "weka/weka/aws"
}
)");
  ASSERT_TRUE(diags_.HasErrors());
  const hcl::Diagnostic& d = *diags_.begin();
  EXPECT_EQ(d.summary, "Invalid arguments for module \"net\"");
  EXPECT_EQ(d.detail, "Set version.");
  EXPECT_EQ(d.filename, "/cfg/main.tf");
  EXPECT_EQ(d.start.line, 2);
}

TEST_F(ConfigurationTest, LocalCloudEndpointsSwitchToLoopbackDefaults) {
  DesiredState state = Expand(R"(
provider "aws" {
  region = "us-east-1"
  endpoints {
    ec2 = "http://127.0.0.1:4566"
  }
}
module "net" {
  source  = "weka/weka/aws"
  weka_version = "4.4"
}
output "cidr" { value = module.net.cidr }
)");
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_TRUE(state.config.provider.local_cloud);
  EXPECT_EQ(state.config.outputs.at("cidr").value.AsString(), "127.16.0.0/16");
}

}  // namespace
}  // namespace cf::graph
