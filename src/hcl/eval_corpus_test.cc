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
          d.detail.find("A type specification is either") != std::string::npos);
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

}  // namespace
}  // namespace cf::hcl
