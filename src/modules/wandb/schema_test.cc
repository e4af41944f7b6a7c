#include "modules/wandb/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "config/root_module.h"
#include "hcl/hcl_json.h"
#include "hcl/parser.h"
#include "modules/wandb/sizes.h"
#include "testing/status_matchers.h"

namespace cf::modules::wandb {
namespace {

using nlohmann::json;

// The public module's variables.tf (v8.0.0) in the shared test data, read in place.
constexpr const char* kPublicVariablesTf =
    CF_SHARED_DIR "/conformance/hcl/modern/wandb%terraform-aws-wandb%variables.tf";

config::RootModule DecodeSchema(hcl::Diagnostics& diags) {
  config::RootModule module;
  hcl::ParseResult parsed = hcl::Parse(std::string(WandbVariablesTf()), "wandb/variables.tf");
  diags.Append(parsed.diagnostics);
  module.files.push_back(std::move(parsed.file));
  config::DecodeRootModule(module, diags);
  return module;
}

// The text of an expression with layout removed: outside string literals, whitespace is
// dropped except one space between two word characters, so `a * 1000\n + b` and `a*1000+b`
// compare equal while `list(string)` and `list(number)` do not.
std::string WithoutLayout(std::string_view text) {
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      size_t next = i;
      while (next < text.size() && std::isspace(static_cast<unsigned char>(text[next]))) {
        ++next;
      }
      if (!out.empty() && next < text.size() && is_word(out.back()) && is_word(text[next])) {
        out += ' ';
      }
      i = next - 1;
      continue;
    }
    if (c == '"') {
      in_string = true;
    }
    out += c;
  }
  return out;
}

// `value` with every rendered expression ("${...}") stripped of layout.
json Canonical(const json& value) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.size() >= 3 && s.compare(0, 2, "${") == 0 && s.back() == '}') {
      return json(WithoutLayout(s));
    }
    return value;
  }
  if (value.is_array() || value.is_object()) {
    json out = value;
    for (auto& item : out) {
      item = Canonical(item);
    }
    return out;
  }
  return value;
}

// Variable name -> its block body in the hcl2json rendering of a variables file.
std::map<std::string, json> RenderVariables(const std::string& source, const std::string& name,
                                            std::string& error) {
  hcl::ParseResult parsed = hcl::Parse(source, name);
  if (parsed.diagnostics.HasErrors()) {
    error = hcl::FormatDiagnostics(parsed.diagnostics, source);
    return {};
  }
  json body = hcl::BodyToHclJson(*parsed.file);
  std::map<std::string, json> out;
  if (!body.contains("variable")) {
    return out;
  }
  for (const auto& [var_name, blocks] : body["variable"].items()) {
    out[var_name] = blocks.at(0);
  }
  return out;
}

// The member `key` of a variable body; `fallback` (Terraform's default for the flag) when
// absent, and a marker distinct from every JSON value for an absent `default` (required).
json Member(const json& body, const char* key, const json& fallback) {
  if (body.contains(key)) {
    return Canonical(body[key]);
  }
  return fallback;
}

// One line per difference between our schema and the public module's, each naming the
// variable: missing or extra variables, a different type, default, sensitive or nullable
// flag, or a validation whose condition or error message is not the module's.
std::vector<std::string> CompareSchemas(const std::map<std::string, json>& ours,
                                        const std::map<std::string, json>& theirs) {
  const json kRequired = "<no default: required>";
  std::vector<std::string> diffs;
  for (const auto& [name, their_body] : theirs) {
    auto it = ours.find(name);
    if (it == ours.end()) {
      diffs.push_back(name + ": not declared in our schema");
      continue;
    }
    const json& our_body = it->second;
    struct Check {
      const char* key;
      json fallback;
    };
    for (const Check& check : {Check{"type", json("<any>")}, Check{"default", kRequired},
                               Check{"sensitive", json(false)}, Check{"nullable", json(true)}}) {
      json mine = Member(our_body, check.key, check.fallback);
      json module = Member(their_body, check.key, check.fallback);
      if (mine != module) {
        diffs.push_back(name + ": " + check.key + " is " + mine.dump() + ", the module's is " +
                        module.dump());
      }
    }
    json my_rules = Member(our_body, "validation", json::array());
    json module_rules = Member(their_body, "validation", json::array());
    if (my_rules.size() != module_rules.size()) {
      diffs.push_back(name + ": " + std::to_string(my_rules.size()) +
                      " validation blocks, the module has " + std::to_string(module_rules.size()));
      continue;
    }
    for (size_t i = 0; i < my_rules.size(); ++i) {
      for (const char* key : {"condition", "error_message"}) {
        json mine = Member(my_rules[i], key, json());
        json module = Member(module_rules[i], key, json());
        if (mine != module) {
          diffs.push_back(name + ": validation " + std::to_string(i + 1) + " " + key + " is " +
                          mine.dump() + ", the module's is " + module.dump());
        }
      }
    }
  }
  for (const auto& [name, body] : ours) {
    if (theirs.count(name) == 0) {
      diffs.push_back(name + ": declared in our schema but not by the module");
    }
  }
  return diffs;
}

std::string ReadPublicVariablesTf() {
  RealFileSystem fs;
  Result<std::string> text = fs.ReadFile(kPublicVariablesTf);
  EXPECT_OK(text);
  return text.ok() ? *text : std::string();
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    out += "  " + line + "\n";
  }
  return out;
}

TEST(WandbSchemaTest, ParsesAndDeclaresOnlyVariables) {
  hcl::Diagnostics diags;
  config::RootModule module = DecodeSchema(diags);
  ASSERT_FALSE(diags.HasErrors()) << hcl::FormatDiagnostics(diags, WandbVariablesTf());
  EXPECT_TRUE(diags.empty()) << hcl::FormatDiagnostics(diags, WandbVariablesTf());
  EXPECT_TRUE(module.modules.empty());
  EXPECT_TRUE(module.outputs.empty());
  EXPECT_TRUE(module.locals.empty());
  EXPECT_TRUE(module.providers.empty());
  EXPECT_EQ(module.variables.size(), 104u);
  for (const config::Variable& var : module.variables) {
    EXPECT_FALSE(var.description.empty()) << var.name << " has no description";
    EXPECT_NE(var.type, nullptr) << var.name << " has no type";
  }
}

TEST(WandbSchemaTest, MatchesThePublicModulesVariables) {
  std::string error;
  std::map<std::string, json> theirs =
      RenderVariables(ReadPublicVariablesTf(), kPublicVariablesTf, error);
  ASSERT_TRUE(error.empty()) << error;
  ASSERT_EQ(theirs.size(), 104u);
  std::map<std::string, json> ours =
      RenderVariables(std::string(WandbVariablesTf()), "wandb/variables.tf", error);
  ASSERT_TRUE(error.empty()) << error;
  std::vector<std::string> diffs = CompareSchemas(ours, theirs);
  EXPECT_TRUE(diffs.empty()) << "variables that differ from wandb/terraform-aws-wandb:\n"
                             << Join(diffs);
}

// The conformance check above is only worth something if it notices a change.
TEST(WandbSchemaTest, ComparisonNamesEachVariableThatDiffers) {
  std::string error;
  std::map<std::string, json> theirs = RenderVariables(R"(
variable "size" {
  type    = string
  default = "small"
}
variable "flag" {
  type     = bool
  nullable = false
}
variable "arn" {
  type    = string
  default = ""
  validation {
    condition     = var.arn == ""
    error_message = "Bad ARN."
  }
}
variable "gone" {}
)",
                                                       "theirs.tf", error);
  ASSERT_TRUE(error.empty()) << error;
  std::map<std::string, json> ours = RenderVariables(R"(
variable "size" {
  type    = string
  default = "medium"
}
variable "flag" {
  type = bool
}
variable "arn" {
  type    = string
  default = ""
  validation {
    condition = (
      var.arn == "x"
    )
    error_message = "Bad ARN."
  }
}
variable "extra" {}
)",
                                                     "ours.tf", error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_THAT(
      CompareSchemas(ours, theirs),
      ::testing::UnorderedElementsAre(
          R"(size: default is "medium", the module's is "small")",
          "flag: nullable is true, the module's is false",
          R"(arn: validation 1 condition is "${(var.arn==\"x\")}", the module's is "${var.arn==\"\"}")",
          "gone: not declared in our schema",
          "extra: declared in our schema but not by the module"));
}

TEST(WandbSchemaTest, ComparisonIgnoresLayoutOnly) {
  std::string error;
  std::map<std::string, json> theirs = RenderVariables(R"(
variable "roles" {
  type = list(object({
    arn    = string
    groups = list(string)
  }))
  default = []
  validation {
    condition     = length(var.roles) >= 0 && var.roles != null
    error_message = "x"
  }
}
)",
                                                       "theirs.tf", error);
  std::map<std::string, json> ours = RenderVariables(R"(
variable "roles" {
  default = []
  type = list(object({
      arn = string
      groups = list( string )
  }))
  validation {
    condition     = length(var.roles)>=0&&var.roles!=null
    error_message = "x"
  }
}
)",
                                                     "ours.tf", error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_THAT(CompareSchemas(ours, theirs), ::testing::IsEmpty());
}

TEST(WandbSchemaTest, RequiredVariablesAndDefaultsOfTheReference) {
  hcl::Diagnostics diags;
  config::RootModule module = DecodeSchema(diags);
  ASSERT_FALSE(diags.HasErrors());
  const hcl::File& file = *module.files[0];

  std::set<std::string> required;
  for (const config::Variable& var : module.variables) {
    if (var.default_value == nullptr) {
      required.insert(var.name);
    }
  }
  EXPECT_THAT(required, ::testing::UnorderedElementsAre(
                            "namespace", "zone_id", "domain_name", "allowed_inbound_cidr",
                            "allowed_inbound_ipv6_cidr", "eks_cluster_version",
                            "kubernetes_legacy_cluster_creator_admin", "license"));
  for (const char* name :
       {"allowed_inbound_cidr", "allowed_inbound_ipv6_cidr", "eks_cluster_version",
        "kubernetes_legacy_cluster_creator_admin", "allowed_private_endpoint_cidr"}) {
    const config::Variable* var = module.FindVariable(name);
    ASSERT_NE(var, nullptr) << name;
    EXPECT_FALSE(var->nullable) << name;
  }

  auto default_of = [&](const char* name) -> std::string {
    const config::Variable* var = module.FindVariable(name);
    if (var == nullptr || var->default_value == nullptr) {
      return "<none>";
    }
    return std::string(file.Source(var->default_value->range));
  };
  EXPECT_EQ(default_of("size"), "\"small\"");
  EXPECT_EQ(default_of("network_cidr"), "\"10.10.0.0/16\"");
  EXPECT_EQ(default_of("network_private_subnet_cidrs"), R"(["10.10.10.0/24", "10.10.11.0/24"])");
  EXPECT_EQ(default_of("database_engine_version"), "\"8.0\"");
  EXPECT_EQ(default_of("database_sort_buffer_size"), "67108864");
  EXPECT_EQ(default_of("use_internal_queue"), "false");
  EXPECT_EQ(default_of("keep_flow_log_bucket"), "true");
  EXPECT_EQ(default_of("kubernetes_alb_internet_facing"), "true");
  EXPECT_EQ(default_of("operator_chart_version"), "\"1.4.2\"");
  // The size-dependent settings default to null: the preset fills them in.
  for (const char* name :
       {"database_instance_class", "kubernetes_instance_types", "kubernetes_min_nodes_per_az",
        "kubernetes_max_nodes_per_az", "elasticache_node_type", "kubernetes_node_disk_size_gb"}) {
    EXPECT_EQ(default_of(name), "null") << name;
  }

  std::string quoted_default_size = "\"";
  quoted_default_size.append(kDefaultSize).append("\"");
  EXPECT_EQ(default_of("size"), quoted_default_size);
  EXPECT_OK(LookupSize(kDefaultSize));
  const config::Variable* size = module.FindVariable("size");
  ASSERT_NE(size, nullptr);
  for (const SizePreset& preset : kSizePresets) {
    EXPECT_THAT(size->description, ::testing::HasSubstr(std::string(preset.name)));
  }

  const config::Variable* tripwire = module.FindVariable("kubernetes_map_accounts");
  ASSERT_NE(tripwire, nullptr);
  ASSERT_EQ(tripwire->validations.size(), 1u);
  EXPECT_EQ(file.Source(tripwire->validations[0].condition->range),
            "length(var.kubernetes_map_accounts) == 0");
  const config::Variable* mode = module.FindVariable("bucket_permissions_mode");
  ASSERT_NE(mode, nullptr);
  EXPECT_EQ(mode->validations.size(), 1u);
  const config::Variable* license = module.FindVariable("license");
  ASSERT_NE(license, nullptr);
  EXPECT_FALSE(license->sensitive);
}

}  // namespace
}  // namespace cf::modules::wandb
