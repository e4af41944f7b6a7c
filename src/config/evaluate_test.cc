#include "config/evaluate.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::config {
namespace {

constexpr const char* kSchema = R"(
variable "prefix" {
  type    = string
  default = "weka"
}
variable "cluster_size" {
  type    = number
  default = 6
  validation {
    condition     = var.cluster_size >= 6
    error_message = "Cluster size should be at least 6."
  }
}
variable "token" {
  type      = string
  sensitive = true
}
)";

class EvaluateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hcl::ParseResult parsed = hcl::Parse(kSchema, "schema.tf");
    ASSERT_FALSE(parsed.diagnostics.HasErrors());
    schema_.files.push_back(std::move(parsed.file));
    hcl::Diagnostics d;
    DecodeRootModule(schema_, d);
    ASSERT_FALSE(d.HasErrors());
    definition_ = {"weka/weka/aws", &schema_};
  }
  void Write(const std::string& text) { ASSERT_OK(fs_.WriteFileAtomic("root/main.tf", text)); }
  EvaluatedConfig Evaluate(ModuleExpander expander = nullptr) {
    loaded_ = LoadRootModule("root", fs_);
    EXPECT_FALSE(loaded_.diagnostics.HasErrors())
        << FormatDiagnosticsWithSource(loaded_.diagnostics, *loaded_.module);
    inputs_ = CollectInputs(*loaded_.module, {}, {}, fs_, diags_);
    ModuleLookup lookup = [this](std::string_view source) -> const ModuleDefinition* {
      return source == definition_.source ? &definition_ : nullptr;
    };
    return EvaluateConfig(*loaded_.module, inputs_, lookup, expander, {}, diags_);
  }
  RootModule schema_;
  ModuleDefinition definition_;
  InMemoryFileSystem fs_;
  LoadResult loaded_;
  InputValues inputs_;
  hcl::Diagnostics diags_;
};

TEST_F(EvaluateTest, ModuleInputsGetDefaultsAndArgumentsFromLocals) {
  Write(R"(
locals {
  size = var.base * 2
}
variable "base" {
  default = 4
}
module "weka" {
  source       = "weka/weka/aws"
  cluster_size = local.size
  token        = "t"
}
)");
  EvaluatedConfig c = Evaluate();
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  ASSERT_EQ(c.modules.size(), 1u);
  EXPECT_EQ(c.modules[0].inputs.at("cluster_size").ToDebugString(), "8");
  EXPECT_EQ(c.modules[0].inputs.at("prefix").ToDebugString(), "\"weka\"");
  EXPECT_TRUE(c.modules[0].inputs.at("token").IsSensitive());
}

TEST_F(EvaluateTest, ModuleValidationFailsAtTheArgument) {
  Write(
      "module \"weka\" {\n  source = \"weka/weka/aws\"\n  cluster_size = 3\n  token = \"t\"\n}\n");
  Evaluate();
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "Invalid value for variable");
  EXPECT_EQ(diags_[0].detail.substr(0, 35), "Cluster size should be at least 6.\n");
  EXPECT_EQ(diags_[0].start.line, 3);
  EXPECT_EQ(diags_[0].start.column, 18);
}

TEST_F(EvaluateTest, UnknownArgumentSuggestsAndMissingRequiredIsReported) {
  Write("module \"weka\" {\n  source = \"weka/weka/aws\"\n  cluster_sise = 8\n}\n");
  Evaluate();
  ASSERT_EQ(diags_.size(), 2u);
  EXPECT_EQ(diags_[0].summary, "Unsupported argument");
  EXPECT_EQ(diags_[0].detail,
            "An argument named \"cluster_sise\" is not expected here: the module "
            "\"weka/weka/aws\" has no input of that name. Did you mean \"cluster_size\"?");
  EXPECT_EQ(diags_[0].start.line, 3);
  EXPECT_EQ(diags_[1].summary, "Missing required argument");
}

TEST_F(EvaluateTest, TypeMismatchAtTheArgument) {
  Write(
      "module \"weka\" {\n  source = \"weka/weka/aws\"\n  cluster_size = \"big\"\n"
      "  token = \"t\"\n}\n");
  Evaluate();
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "Invalid value for input variable");
  EXPECT_NE(diags_[0].detail.find("a number is required"), std::string::npos);
  EXPECT_EQ(diags_[0].start.line, 3);
}

TEST_F(EvaluateTest, OutputsUseModuleOutputsFromTheExpander) {
  Write(R"(
module "weka" {
  source = "weka/weka/aws"
  token  = "t"
}
output "dns" {
  value = module.weka.alb_dns_name
}
output "token" {
  value     = module.weka.token_echo
  sensitive = true
}
)");
  EvaluatedConfig c =
      Evaluate([](const std::string&, const ModuleDefinition&,
                  const std::map<std::string, hcl::Value>& inputs, const ProviderSettings&) {
        return hcl::Value::Object({{"alb_dns_name", hcl::Value::String("internal-lb")},
                                   {"token_echo", inputs.at("token")}});
      });
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(c.outputs.at("dns").value.ToDebugString(), "\"internal-lb\"");
  EXPECT_TRUE(c.outputs.at("token").value.IsSensitive());
}

TEST_F(EvaluateTest, SensitiveOutputMustBeMarked) {
  Write(
      "variable \"t\" {\n  sensitive = true\n  default = \"x\"\n}\n"
      "output \"leak\" {\n  value = var.t\n}\n");
  Evaluate();
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "Output refers to sensitive values");
}

TEST_F(EvaluateTest, UnknownModuleOutputsWithoutExpander) {
  Write(
      "module \"weka\" {\n  source = \"weka/weka/aws\"\n  token = \"t\"\n}\n"
      "output \"dns\" {\n  value = module.weka.alb_dns_name\n}\n");
  EvaluatedConfig c = Evaluate();
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_FALSE(c.outputs.at("dns").value.IsKnown());
}

TEST_F(EvaluateTest, CyclesAndUndeclaredReferences) {
  Write("locals {\n  a = local.b\n  b = local.a\n  c = var.nope\n  d = local.missing\n}\n");
  Evaluate();
  std::vector<std::string> summaries;
  for (const hcl::Diagnostic& d : diags_) {
    summaries.push_back(d.summary);
  }
  EXPECT_EQ(summaries, (std::vector<std::string>{"Cycle in references",
                                                 "Reference to undeclared input variable",
                                                 "Reference to undeclared local value"}));
  EXPECT_NE(diags_[0].detail.find("local.a -> local.b -> local.a"), std::string::npos)
      << diags_[0].detail;
}

// module "weka" { count = 2 }: one instance per index, count.index in the arguments, the
// outputs a tuple (module.weka[1].x, module.weka[*].x).
TEST_F(EvaluateTest, ModuleCountGivesOneInstancePerIndex) {
  Write(R"(
module "weka" {
  count        = 2
  source       = "weka/weka/aws"
  prefix       = "weka-${count.index}"
  token        = "t"
}
output "second" {
  value = module.weka[1].prefix_echo
}
output "all" {
  value = module.weka[*].prefix_echo
}
)");
  std::vector<std::string> addresses;
  EvaluatedConfig c =
      Evaluate([&](const std::string& address, const ModuleDefinition&,
                   const std::map<std::string, hcl::Value>& inputs, const ProviderSettings&) {
        addresses.push_back(address);
        return hcl::Value::Object({{"prefix_echo", inputs.at("prefix")}});
      });
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(addresses, (std::vector<std::string>{"module.weka[0]", "module.weka[1]"}));
  ASSERT_EQ(c.modules.size(), 2u);
  EXPECT_EQ(c.modules[1].address, "module.weka[1]");
  EXPECT_EQ(c.outputs.at("second").value.ToDebugString(), "\"weka-1\"");
  EXPECT_EQ(c.outputs.at("all").value.ToDebugString(), "[\"weka-0\", \"weka-1\"]");
}

TEST_F(EvaluateTest, ModuleForEachKeysInstancesByEachKey) {
  Write(R"(
module "weka" {
  for_each     = { east = 6, west = 8 }
  source       = "weka/weka/aws"
  prefix       = each.key
  cluster_size = each.value
  token        = "t"
}
output "west" {
  value = module.weka["west"].size
}
)");
  EvaluatedConfig c =
      Evaluate([&](const std::string&, const ModuleDefinition&,
                   const std::map<std::string, hcl::Value>& inputs, const ProviderSettings&) {
        return hcl::Value::Object({{"size", inputs.at("cluster_size")}});
      });
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  ASSERT_EQ(c.modules.size(), 2u);
  EXPECT_EQ(c.modules[0].address, "module.weka[\"east\"]");
  EXPECT_EQ(c.modules[0].inputs.at("prefix").ToDebugString(), "\"east\"");
  EXPECT_EQ(c.outputs.at("west").value.ToDebugString(), "8");
}

TEST_F(EvaluateTest, ModuleCountMustBeAWholeNumber) {
  Write("module \"weka\" {\n  count = -1\n  source = \"weka/weka/aws\"\n  token = \"t\"\n}\n");
  Evaluate();
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "Invalid count argument");
  EXPECT_EQ(diags_[0].start.line, 2);
}

// W&B's database_connection_string: sensitive in clusterform, not in the public module. A root
// output passing it on is accepted as sensitive with one warning naming why; another
// sensitive value in an unmarked output is still refused.
TEST_F(EvaluateTest, OutputOfAStricterSensitiveModuleOutputWarns) {
  std::map<std::string, std::string> stricter = {{"conn", "it holds a generated password"}};
  definition_.stricter_sensitive_outputs = &stricter;
  Write(R"(
module "weka" {
  source = "weka/weka/aws"
  token  = "t"
}
output "db" {
  value = "mysql://${module.weka.conn}"
}
output "leak" {
  value = module.weka.token_echo
}
)");
  EvaluatedConfig c =
      Evaluate([](const std::string&, const ModuleDefinition&,
                  const std::map<std::string, hcl::Value>& inputs, const ProviderSettings&) {
        return hcl::Value::Object({{"conn", hcl::Value::String("u:p@h/db").WithSensitive()},
                                   {"token_echo", inputs.at("token").WithSensitive()}});
      });
  ASSERT_EQ(diags_.size(), 2u) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(diags_[0].severity, hcl::Severity::kWarning);
  EXPECT_EQ(diags_[0].detail,
            "Output \"db\" passes on module.weka.conn (it holds a generated password), which "
            "clusterform marks sensitive and the public module does not. It is treated as "
            "sensitive: hidden in plan, apply and output listings, shown by `clusterform output "
            "db`. Add sensitive = true to this output to say so and silence this warning.");
  EXPECT_TRUE(c.outputs.at("db").sensitive);
  EXPECT_EQ(diags_[1].summary, "Output refers to sensitive values");
  EXPECT_EQ(diags_[1].start.line, 9);
}

TEST_F(EvaluateTest, ModuleProvidersMustNameTheDefaultConfiguration) {
  Write(R"(
provider "aws" {
  region = "us-east-1"
}
provider "aws" {
  alias  = "same"
  region = "us-east-1"
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
module "a" {
  source    = "weka/weka/aws"
  token     = "t"
  providers = { aws = aws.same }
}
module "b" {
  source    = "weka/weka/aws"
  token     = "t"
  providers = { aws = aws.west }
}
module "c" {
  source    = "weka/weka/aws"
  token     = "t"
  providers = { aws = aws.nope }
}
)");
  Evaluate();
  ASSERT_EQ(diags_.size(), 2u) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(diags_[0].summary, "Unsupported providers argument");
  EXPECT_EQ(diags_[0].start.line, 21);
  EXPECT_EQ(diags_[1].summary, "Reference to undefined provider");
}

}  // namespace
}  // namespace cf::config
