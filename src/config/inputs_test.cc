#include "config/inputs.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::config {
namespace {

class InputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write("main.tf",
          "variable \"region\" {}\nvariable \"size\" {\n  type = number\n}\n"
          "variable \"tags\" {\n  type = map(string)\n}\n");
  }
  void Write(const std::string& name, const std::string& text) {
    ASSERT_OK(fs_.WriteFileAtomic("root/" + name, text));
  }
  InputValues Collect(const std::map<std::string, std::string>& env,
                      const std::vector<VarOption>& options) {
    loaded_ = LoadRootModule("root", fs_);
    EXPECT_FALSE(loaded_.diagnostics.HasErrors());
    return CollectInputs(*loaded_.module, env, options, fs_, diags_);
  }
  InMemoryFileSystem fs_;
  LoadResult loaded_;
  hcl::Diagnostics diags_;
};

TEST_F(InputsTest, PrecedenceEnvThenFilesThenCommandLineInOrder) {
  Write("terraform.tfvars", "region = \"from-tfvars\"\nsize = 3\n");
  Write("b.auto.tfvars", "size = 5\n");
  Write("a.auto.tfvars", "size = 4\ntags = { a = \"b\" }\n");
  ASSERT_OK(fs_.WriteFileAtomic("extra.tfvars", "size = 7\n"));
  InputValues v =
      Collect({{"TF_VAR_region", "from-env"}, {"TF_VAR_tags", "{}"}},
              {{VarOption::Kind::kVar, "size=6"}, {VarOption::Kind::kVarFile, "extra.tfvars"}});
  ASSERT_FALSE(diags_.HasErrors()) << hcl::FormatDiagnostics(diags_);
  EXPECT_EQ(v.assignments.at("region").origin, "file root/terraform.tfvars");
  EXPECT_EQ(v.assignments.at("size").origin, "file extra.tfvars");
  EXPECT_EQ(v.assignments.at("size").source, InputSource::kCommandLine);
  EXPECT_EQ(v.assignments.at("tags").origin, "file root/a.auto.tfvars");
}

TEST_F(InputsTest, CommandLineVarKeepsRawText) {
  InputValues v = Collect({}, {{VarOption::Kind::kVar, "region=us-east-1"},
                               {VarOption::Kind::kVar, "tags={a=\"b=c\"}"}});
  ASSERT_FALSE(diags_.HasErrors());
  EXPECT_EQ(v.assignments.at("region").raw, "us-east-1");
  EXPECT_EQ(v.assignments.at("tags").raw, "{a=\"b=c\"}");
  EXPECT_EQ(v.assignments.at("tags").expr, nullptr);
}

TEST_F(InputsTest, MalformedAndUndeclaredCommandLineVarsAreErrors) {
  Collect({}, {{VarOption::Kind::kVar, "region"}, {VarOption::Kind::kVar, "zone=a"}});
  ASSERT_EQ(diags_.size(), 2u);
  EXPECT_EQ(diags_[0].summary, "Invalid -var option");
  EXPECT_EQ(diags_[1].summary, "Value for undeclared variable");
  EXPECT_EQ(diags_[1].severity, hcl::Severity::kError);
}

TEST_F(InputsTest, UndeclaredInFileIsAWarningAndEnvIsIgnored) {
  Write("terraform.tfvars", "zone = \"a\"\n");
  InputValues v = Collect({{"TF_VAR_other", "x"}, {"PATH", "/bin"}}, {});
  ASSERT_EQ(diags_.size(), 1u);
  EXPECT_EQ(diags_[0].severity, hcl::Severity::kWarning);
  EXPECT_EQ(diags_[0].start.line, 1);
  EXPECT_TRUE(v.assignments.empty());
}

TEST_F(InputsTest, MissingVarFileAndBlocksInFiles) {
  Write("terraform.tfvars", "tags {\n}\n");
  Collect({}, {{VarOption::Kind::kVarFile, "nope.tfvars"}});
  ASSERT_EQ(diags_.size(), 2u);
  EXPECT_EQ(diags_[0].summary, "Unexpected block");
  EXPECT_EQ(diags_[1].summary, "Failed to read variables file");
}

}  // namespace
}  // namespace cf::config
