#include "config/variables.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::config {
namespace {

class VariablesTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    ASSERT_OK(fs_.WriteFileAtomic("root/" + name, text));
  }
  // Loads root/, collects inputs and evaluates the variables.
  void Evaluate(const std::map<std::string, std::string>& env = {},
                const std::vector<VarOption>& options = {}) {
    loaded_ = LoadRootModule("root", fs_);
    ASSERT_FALSE(loaded_.diagnostics.HasErrors())
        << FormatDiagnosticsWithSource(loaded_.diagnostics, *loaded_.module);
    inputs_ = CollectInputs(*loaded_.module, env, options, fs_, diags_);
    hcl::FunctionContext functions;
    functions.file_system = &fs_;
    result_ = EvaluateRootVariables(*loaded_.module, inputs_, functions, diags_);
  }
  std::string Value(const std::string& name) { return result_.values.at(name).ToDebugString(); }
  InMemoryFileSystem fs_;
  LoadResult loaded_;
  InputValues inputs_;
  EvaluatedVariables result_;
  hcl::Diagnostics diags_;
};

TEST_F(VariablesTest, DefaultsConvertToTheDeclaredType) {
  Write("main.tf",
        "variable \"size\" {\n  type = number\n  default = \"6\"\n}\n"
        "variable \"zones\" {\n  type = list(string)\n  default = [\"a\", 1]\n}\n"
        "variable \"free\" {\n  default = { a = 1 }\n}\n");
  Evaluate();
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(Value("size"), "6");
  EXPECT_EQ(Value("zones"), "[\"a\", \"1\"]");
  EXPECT_EQ(Value("free"), "{a = 1}");
}

TEST_F(VariablesTest, CommandLineValuesArePrimitiveLiteralsOrHcl) {
  Write("main.tf",
        "variable \"region\" {\n  type = string\n}\n"
        "variable \"size\" {\n  type = number\n}\n"
        "variable \"tags\" {\n  type = map(string)\n}\n");
  Evaluate({{"TF_VAR_size", "9"}}, {{VarOption::Kind::kVar, "region=us-east-1"},
                                    {VarOption::Kind::kVar, "tags={team = \"storage\"}"}});
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(Value("region"), "\"us-east-1\"");
  EXPECT_EQ(Value("size"), "9");
  EXPECT_EQ(Value("tags"), "{team = \"storage\"}");
}

TEST_F(VariablesTest, RequiredVariableWithoutValue) {
  Write("main.tf", "variable \"token\" {\n  type = string\n}\n");
  Evaluate();
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "No value for required variable");
  EXPECT_EQ(diags_[0].start.line, 1);
}

TEST_F(VariablesTest, TypeMismatchPointsAtTheTfvarsValue) {
  Write("main.tf", "variable \"size\" {\n  type = number\n}\n");
  Write("terraform.tfvars", "size = \"six\"\n");
  Evaluate();
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "Invalid value for input variable");
  EXPECT_EQ(diags_[0].detail,
            "The given value is not suitable for var.size (from file root/terraform.tfvars) "
            "declared at root/main.tf:1,1-16: a number is required.");
  EXPECT_EQ(diags_[0].filename, "root/terraform.tfvars");
  EXPECT_EQ(diags_[0].start.line, 1);
}

TEST_F(VariablesTest, ValidationMessageIsTheDeclarations) {
  Write("main.tf",
        "variable \"cluster_size\" {\n  type = number\n  validation {\n"
        "    condition     = var.cluster_size >= 6\n"
        "    error_message = \"Cluster size should be at least 6.\"\n  }\n}\n");
  Evaluate({}, {{VarOption::Kind::kVar, "cluster_size=3"}});
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "Invalid value for variable");
  EXPECT_EQ(diags_[0].detail,
            "Cluster size should be at least 6.\n\nThis was checked by the validation rule at "
            "root/main.tf:3,3-13.");
}

TEST_F(VariablesTest, PassingValidationAndNonNullable) {
  Write("main.tf",
        "variable \"n\" {\n  type = number\n  validation {\n    condition = var.n > 0\n"
        "    error_message = \"positive\"\n  }\n}\n"
        "variable \"s\" {\n  type = string\n  nullable = false\n  default = null\n}\n");
  Evaluate({}, {{VarOption::Kind::kVar, "n=2"}});
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].summary, "Required variable not set");
  EXPECT_EQ(Value("n"), "2");
}

TEST_F(VariablesTest, OptionalAttributeDefaultsAreFilledIn) {
  Write("main.tf",
        "variable \"rules\" {\n"
        "  type = list(object({ port = number, protocol = optional(string, \"tcp\"), "
        "cidrs = optional(list(string), []) }))\n"
        "  default = [{ port = 22 }, { port = 53, protocol = \"udp\" }]\n}\n");
  Evaluate();
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(Value("rules"),
            "[{cidrs = [], port = 22, protocol = \"tcp\"}, "
            "{cidrs = [], port = 53, protocol = \"udp\"}]");
}

TEST_F(VariablesTest, SensitiveVariablesAreMarked) {
  Write("main.tf", "variable \"token\" {\n  type = string\n  sensitive = true\n}\n");
  Evaluate({{"TF_VAR_token", "s3cret"}});
  ASSERT_FALSE(diags_.HasErrors());
  EXPECT_TRUE(result_.values.at("token").IsSensitive());
}

TEST_F(VariablesTest, HclValueForAnUntypedVariableMustBeAnExpression) {
  Write("main.tf", "variable \"region\" {}\n");
  Evaluate({}, {{VarOption::Kind::kVar, "region=us-east-1"}});
  ASSERT_TRUE(diags_.HasErrors());
  EXPECT_EQ(diags_[0].filename, "<value for var.region>");
}

}  // namespace
}  // namespace cf::config
