#include "config/loader.h"

#include <gtest/gtest.h>

#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::config {
namespace {

class LoaderTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    ASSERT_OK(fs_.WriteFileAtomic("root/" + name, text));
  }
  LoadResult Load() { return LoadRootModule("root", fs_); }
  std::string Errors(const LoadResult& r) {
    return FormatDiagnosticsWithSource(r.diagnostics, *r.module);
  }
  InMemoryFileSystem fs_;
};

TEST_F(LoaderTest, DecodesEveryBlockOfAWekaRoot) {
  Write("main.tf", R"(terraform {
  required_version = ">= 1.4"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
  backend "local" {
    path = "state/terraform.tfstate"
  }
}
provider "aws" {
  region = var.region
}
module "weka" {
  source       = "weka/weka/aws"
  version      = "2.0.1"
  prefix       = "demo"
  cluster_size = 6
}
output "alb" {
  value       = module.weka.alb_dns_name
  description = "where the UI is"
}
)");
  Write("variables.tf", R"(variable "region" {
  type    = string
  default = "eu-west-1"
  validation {
    condition     = length(var.region) > 0
    error_message = "Region must not be empty."
  }
}
variable "token" {
  type      = string
  sensitive = true
  nullable  = false
}
locals {
  name = "demo-${var.region}"
}
)");
  LoadResult r = Load();
  ASSERT_FALSE(r.diagnostics.HasErrors()) << Errors(r);
  const RootModule& m = *r.module;
  ASSERT_EQ(m.files.size(), 2u);
  EXPECT_EQ(m.files[0]->filename(), "root/main.tf");
  EXPECT_EQ(m.terraform.required_version, ">= 1.4");
  ASSERT_EQ(m.terraform.required_providers.size(), 1u);
  EXPECT_EQ(m.terraform.required_providers[0].source, "hashicorp/aws");
  EXPECT_EQ(m.terraform.required_providers[0].version, ">= 5.0");
  ASSERT_TRUE(m.terraform.backend.has_value());
  EXPECT_EQ(m.terraform.backend->type, "local");
  ASSERT_EQ(m.providers.size(), 1u);
  EXPECT_EQ(m.providers[0].name, "aws");
  ASSERT_EQ(m.modules.size(), 1u);
  EXPECT_EQ(m.modules[0].source, "weka/weka/aws");
  EXPECT_EQ(m.modules[0].version, "2.0.1");
  ASSERT_EQ(m.modules[0].arguments.size(), 2u);
  EXPECT_EQ(m.modules[0].arguments[0]->name, "prefix");
  ASSERT_EQ(m.variables.size(), 2u);
  EXPECT_EQ(m.variables[0].validations.size(), 1u);
  EXPECT_TRUE(m.variables[1].sensitive);
  EXPECT_FALSE(m.variables[1].nullable);
  EXPECT_EQ(m.variables[1].default_value, nullptr);
  ASSERT_EQ(m.locals.size(), 1u);
  EXPECT_EQ(m.locals[0].name, "name");
  ASSERT_EQ(m.outputs.size(), 1u);
  EXPECT_EQ(m.outputs[0].description, "where the UI is");
}

TEST_F(LoaderTest, ModuleSourceMustBeBuiltIn) {
  Write("main.tf", "module \"w\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n");
  LoadResult r = Load();
  EXPECT_EQ(Errors(r),
            "root/main.tf:2:12: error: Unsupported module source; "
            "\"terraform-aws-modules/vpc/aws\" is not a built-in module. clusterform has these "
            "built in: \"weka/weka/aws\" (WEKA) and \"wandb/wandb/aws\" (W&B server), also "
            "when named by their GitHub repositories or a local checkout; it does not download "
            "modules.\n"
            "  2 |   source = \"terraform-aws-modules/vpc/aws\"\n"
            "    |            ^\n");
}

TEST_F(LoaderTest, ResourceAndDataBlocksAreDecoded) {
  Write("main.tf",
        "resource \"random_id\" \"x\" {\n  byte_length = 4\n}\ndata \"aws_region\" \"r\" {}\n");
  LoadResult r = Load();
  EXPECT_TRUE(r.diagnostics.empty());
  ASSERT_EQ(r.module->resources.size(), 2u);
  EXPECT_EQ(r.module->resources[0].type, "random_id");
  EXPECT_FALSE(r.module->resources[0].data);
  EXPECT_TRUE(r.module->resources[1].data);
}

TEST_F(LoaderTest, MovedBlocksAreRejectedWithTheReason) {
  Write("main.tf", "moved {\n}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].summary, "Unsupported block type");
  EXPECT_EQ(r.diagnostics[0].start.line, 1);
  EXPECT_NE(r.diagnostics[0].detail.find("does not support \"moved\" blocks"), std::string::npos);
}

TEST_F(LoaderTest, UnknownBlockTypeSuggestsTheClosest) {
  Write("main.tf", "varible \"x\" {}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].detail,
            "Blocks of type \"varible\" are not expected here. Did you mean \"variable\"?");
}

TEST_F(LoaderTest, DuplicateVariableNamesTheFirstDeclaration) {
  Write("main.tf", "variable \"a\" {}\nvariable \"a\" {}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].summary, "Duplicate variable declaration");
  EXPECT_EQ(r.diagnostics[0].detail,
            "A variable named \"a\" was already declared at root/main.tf:1,1-13. Variable names "
            "must be unique within a module.");
  EXPECT_EQ(r.diagnostics[0].start.line, 2);
}

TEST_F(LoaderTest, UnexpectedVariableArgumentSuggests) {
  Write("main.tf", "variable \"a\" {\n  defualt = 1\n}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].detail,
            "An argument named \"defualt\" is not expected here. Did you mean \"default\"?");
  EXPECT_EQ(r.diagnostics[0].start.line, 2);
  EXPECT_EQ(r.diagnostics[0].start.column, 3);
}

TEST_F(LoaderTest, ModuleWithoutSource) {
  Write("main.tf", "module \"w\" {\n  prefix = \"x\"\n}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].summary, "Missing required argument");
}

TEST_F(LoaderTest, SensitiveMustBeLiteral) {
  Write("main.tf", "variable \"a\" {\n  sensitive = var.b\n}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].detail, "The \"sensitive\" argument must be true or false.");
}

TEST_F(LoaderTest, OnlyLocalAndS3Backends) {
  Write("main.tf", "terraform {\n  backend \"gcs\" {}\n}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].summary, "Unsupported backend type");
}

TEST_F(LoaderTest, OtherProvidersAreRejected) {
  Write("main.tf", "provider \"google\" {}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].summary, "Unsupported provider");
}

TEST_F(LoaderTest, SyntaxErrorsStopBeforeDecoding) {
  Write("main.tf", "variable \"a\" {\n  default = [1, \n}\nresource \"x\" \"y\" {}\n");
  LoadResult r = Load();
  ASSERT_TRUE(r.diagnostics.HasErrors());
  for (const hcl::Diagnostic& d : r.diagnostics) {
    EXPECT_NE(d.summary, "Unsupported block type");
  }
}

TEST_F(LoaderTest, EmptyAndMissingDirectories) {
  LoadResult missing = LoadRootModule("nowhere", fs_);
  ASSERT_EQ(missing.diagnostics.size(), 1u);
  EXPECT_EQ(missing.diagnostics[0].summary, "No configuration directory");
  ASSERT_OK(fs_.MakeDirectories("empty"));
  LoadResult empty = LoadRootModule("empty", fs_);
  ASSERT_EQ(empty.diagnostics.size(), 1u);
  EXPECT_EQ(empty.diagnostics[0].summary, "No configuration files");
}

TEST_F(LoaderTest, JsonAndOverrideFilesAreRejected) {
  Write("main.tf", "locals {}\n");
  Write("extra.tf.json", "{}");
  Write("main_override.tf", "locals {}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].summary, "Unsupported configuration file");
  EXPECT_EQ(r.diagnostics[1].summary, "Unsupported configuration file");
}

// The sources the public modules' users write: their GitHub repositories (with ?ref= and
// git:: forms) and the registry address are planned with the built-in module; a note names
// the version whose inputs it takes.
TEST_F(LoaderTest, GithubSourcesNameTheBuiltInModules) {
  Write("main.tf",
        "module \"a\" {\n  source = \"github.com/weka/terraform-aws-weka?ref=v1.0.4\"\n}\n"
        "module \"b\" {\n  source = "
        "\"git::https://github.com/wandb/terraform-aws-wandb.git?ref=v8.0.0\"\n}\n"
        "module \"c\" {\n  source = \"registry.terraform.io/wandb/wandb/aws\"\n}\n");
  LoadResult r = Load();
  ASSERT_FALSE(r.diagnostics.HasErrors()) << Errors(r);
  ASSERT_EQ(r.module->modules.size(), 3u);
  EXPECT_EQ(r.module->modules[0].builtin_source, "weka/weka/aws");
  EXPECT_EQ(r.module->modules[1].builtin_source, "wandb/wandb/aws");
  EXPECT_EQ(r.module->modules[2].builtin_source, "wandb/wandb/aws");
  ASSERT_EQ(r.diagnostics.size(), 2u);  // no note for the registry address
  EXPECT_EQ(r.diagnostics[1].detail,
            "\"git::https://github.com/wandb/terraform-aws-wandb.git?ref=v8.0.0\" (ref v8.0.0) "
            "is planned with clusterform's built-in \"wandb/wandb/aws\", which takes the inputs "
            "of wandb/terraform-aws-wandb v8.0.0; clusterform does not download modules.");
}

TEST_F(LoaderTest, OtherGithubRepositoriesAndSubmodulesAreRefused) {
  Write("main.tf",
        "module \"a\" {\n  source = \"github.com/someone/terraform-aws-weka\"\n}\n"
        "module \"b\" {\n  source = \"wandb/wandb/aws//modules/secure_storage_connector\"\n}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].summary, "Unsupported module source");
  EXPECT_NE(r.diagnostics[1].detail.find("the submodule \"secure_storage_connector\" of "
                                         "wandb/wandb/aws"),
            std::string::npos)
      << r.diagnostics[1].detail;
}

// The public modules' examples call the module by a relative path to the checkout
// (`source = "../../"`); the checkout is recognised by the inputs its files declare.
TEST_F(LoaderTest, LocalCheckoutOfThePublicModuleIsRecognised) {
  ASSERT_OK(fs_.WriteFileAtomic(
      "repo/variables.tf",
      "variable \"prefix\" {}\nvariable \"cluster_name\" {}\nvariable \"cluster_size\" {}\n"
      "variable \"get_weka_io_token\" {}\nvariable \"containers_config_map\" {}\n"));
  ASSERT_OK(fs_.WriteFileAtomic("repo/examples/public_network/main.tf",
                                "module \"weka_deployment\" {\n  source = \"../../\"\n}\n"));
  ASSERT_OK(fs_.WriteFileAtomic("repo/examples/other/main.tf",
                                "module \"x\" {\n  source = \"../public_network\"\n}\n"));
  LoadResult r = LoadRootModule("repo/examples/public_network", fs_);
  ASSERT_FALSE(r.diagnostics.HasErrors());
  EXPECT_EQ(r.module->modules[0].builtin_source, "weka/weka/aws");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].detail,
            "\"../../\" (repo) is a checkout of weka/terraform-aws-weka; it is planned with "
            "clusterform's built-in \"weka/weka/aws\", which takes the inputs of "
            "weka/terraform-aws-weka v2.0.1. The files there are not read.");
  LoadResult other = LoadRootModule("repo/examples/other", fs_);
  ASSERT_EQ(other.diagnostics.size(), 1u);
  EXPECT_EQ(other.diagnostics[0].summary, "Unsupported module source");
  EXPECT_NE(other.diagnostics[0].detail.find("(repo/examples/public_network) is a local module"),
            std::string::npos)
      << other.diagnostics[0].detail;
}

TEST_F(LoaderTest, ModuleCountAndForEachAreExclusive) {
  Write("main.tf",
        "module \"w\" {\n  source = \"weka/weka/aws\"\n  count = 2\n  for_each = {}\n}\n");
  LoadResult r = Load();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].summary, "Invalid combination of \"count\" and \"for_each\"");
}

}  // namespace
}  // namespace cf::config
