// Evaluates every attribute of the shared Terraform corpora with every root name unknown:
// nothing may crash, every function called must exist, and no expression may fail when its
// inputs are unknown (unknowns must flow through quietly).

#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_system.h"
#include "hcl/eval.h"
#include "hcl/parser.h"
#include "testing/fake_clock.h"

namespace cf::hcl {
namespace {

class UnknownScope : public Scope {
 public:
  std::optional<Value> Lookup(std::string_view) const override {
    return Value::Unknown(Type::Dynamic());
  }
};

void EvalBody(const Body* body, bool in_variable, Evaluator* ev, Diagnostics* diags, int* count) {
  for (const Attribute* attr : body->attributes) {
    if (in_variable && attr->name == "type") {
      EvaluateTypeExpression(attr->expr, diags);
      continue;
    }
    ev->Evaluate(attr->expr, diags);
    ++*count;
  }
  for (const Block* block : body->blocks) {
    EvalBody(block->body, block->type == "variable", ev, diags, count);
  }
}

// Diagnostics Terraform itself gives on these inputs: files the corpus does not ship,
// functions removed in Terraform 0.12 (used by 0.11-era modules), and 0.11 string types.
bool Expected(const Diagnostic& d) {
  return d.detail.find("no file exists at") != std::string::npos ||
         d.detail.find("was deprecated in Terraform v0.12") != std::string::npos ||
         (d.summary == "Invalid type specification" &&
          (d.detail.find("A type specification is either") != std::string::npos ||
           d.detail.find("not strings") != std::string::npos));
}

void RunCorpus(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::exists(dir)) {
    GTEST_SKIP() << "no corpus at " << dir;
  }
  RealFileSystem files;
  UnknownScope scope;
  FakeClock clock;
  int attributes = 0;
  int files_read = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".tf") {
      continue;
    }
    Result<std::string> text = files.ReadFile(entry.path().string());
    ASSERT_TRUE(text.ok());
    ParseResult parsed = Parse(*text, entry.path().filename().string());
    if (parsed.diagnostics.HasErrors()) {
      continue;  // The parser's own suite covers these.
    }
    ++files_read;
    FunctionContext ctx;
    ctx.file_system = &files;
    ctx.base_dir = dir;
    ctx.clock = &clock;
    ctx.random = []() { return uint64_t{42}; };
    Evaluator ev(&scope, &StandardFunctions(), ctx);
    Diagnostics diags;
    EvalBody(parsed.file->body(), false, &ev, &diags, &attributes);
    for (const auto& d : diags) {
      if (!Expected(d)) {
        ADD_FAILURE() << FormatDiagnostic(d, parsed.file->source());
      }
    }
  }
  EXPECT_GT(files_read, 0);
  EXPECT_GT(attributes, 0);
}

TEST(EvalCorpusTest, ModernModuleEvaluatesWithUnknownInputs) {
  RunCorpus(std::string(CF_SHARED_DIR) + "/conformance/hcl/modern");
}

TEST(EvalCorpusTest, RealWorldModulesEvaluateWithUnknownInputs) {
  RunCorpus(std::string(CF_SHARED_DIR) + "/conformance/hcl/real-world");
}

// The W&B module's root: variable defaults decoded with their type constraints, required
// inputs set, then `locals` evaluated until they settle, with resources and modules unknown.
class RootScope : public Scope {
 public:
  std::optional<Value> Lookup(std::string_view name) const override {
    if (name == "var") {
      return Value::Object(vars);
    }
    if (name == "local") {
      return Value::Object(locals);
    }
    return Value::Unknown(Type::Dynamic());
  }
  ValueMap vars;
  ValueMap locals;
};

TEST(EvalCorpusTest, WandbLocalsEvaluateFromVariableDefaults) {
  namespace fs = std::filesystem;
  std::string dir = std::string(CF_SHARED_DIR) + "/conformance/hcl/modern";
  if (!fs::exists(dir)) {
    GTEST_SKIP() << "no corpus at " << dir;
  }
  RealFileSystem files;
  std::vector<std::unique_ptr<File>> parsed;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    // The module's own root files only: "wandb%terraform-aws-wandb%<file>.tf".
    if (entry.path().extension() != ".tf" ||
        name.find('%', std::string("wandb%terraform-aws-wandb%").size()) != std::string::npos) {
      continue;
    }
    Result<std::string> text = files.ReadFile(entry.path().string());
    ASSERT_TRUE(text.ok());
    ParseResult p = Parse(*text, name);
    ASSERT_FALSE(p.diagnostics.HasErrors()) << name;
    parsed.push_back(std::move(p.file));
  }
  ASSERT_FALSE(parsed.empty());
  RootScope scope;
  Diagnostics diags;
  for (const auto& file : parsed) {
    for (const Block* block : file->body()->blocks) {
      if (block->type != "variable") {
        continue;
      }
      TypeConstraint tc{Type::Dynamic(), nullptr};
      Value value;
      for (const Attribute* attr : block->body->attributes) {
        if (attr->name == "type") {
          tc = EvaluateTypeConstraint(attr->expr, &diags);
        }
      }
      for (const Attribute* attr : block->body->attributes) {
        if (attr->name == "default") {
          MapScope empty;
          value = Evaluate(attr->expr, empty, &diags);
        }
      }
      Result<Value> converted = tc.Convert(value);
      ASSERT_TRUE(converted.ok()) << block->labels[0].value << ": " << converted.status().message();
      scope.vars[std::string(block->labels[0].value)] = *converted;
    }
  }
  ASSERT_GT(scope.vars.size(), 50u);
  scope.vars["namespace"] = Value::String("wandb");
  scope.vars["domain_name"] = Value::String("example.com");
  scope.vars["allowed_inbound_cidr"] = Value::List(Type::String(), {Value::String("0.0.0.0/0")});
  for (int pass = 0; pass < 5; ++pass) {
    Diagnostics pass_diags;
    for (const auto& file : parsed) {
      for (const Block* block : file->body()->blocks) {
        if (block->type != "locals") {
          continue;
        }
        for (const Attribute* attr : block->body->attributes) {
          Evaluator ev(&scope);
          scope.locals[std::string(attr->name)] = ev.Evaluate(attr->expr, &pass_diags);
        }
      }
    }
    diags = pass_diags;
  }
  for (const auto& d : diags) {
    ADD_FAILURE() << FormatDiagnostic(d);
  }
  EXPECT_EQ(scope.locals["lb_name_truncated"], Value::String("wandb-alb-k8s"));
  EXPECT_EQ(scope.locals["max_lb_name_length"], Value::Num(24));
  EXPECT_EQ(scope.locals["url"], Value::String("http://example.com"));
  EXPECT_EQ(scope.locals["kubernetes_instance_types"].ToDebugString(), "[\"r6i.2xlarge\"]");
  EXPECT_TRUE(scope.locals["deployment_size"].IsWhollyKnown());
}

}  // namespace
}  // namespace cf::hcl
