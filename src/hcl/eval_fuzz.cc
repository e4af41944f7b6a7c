// libFuzzer target for the HCL lexer, parser and evaluator together (built with CF_FUZZ=ON
// and clang). The input is parsed as a configuration file and every attribute expression of
// every body (recursively into blocks) is evaluated in a scope with a few roots; the input is
// also parsed and evaluated as a template. Any input must evaluate without crashing, hanging
// or leaking; file functions see a small in-memory file system, time and randomness are fixed.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "hcl/eval.h"
#include "hcl/function.h"
#include "hcl/parser.h"
#include "hcl/value.h"
#include "testing/fake_clock.h"
#include "testing/memory_file_system.h"

namespace {

namespace hcl = cf::hcl;

// Inputs larger than this are skipped: the interesting structure fits well within it, and
// bounded inputs keep the per-input work bounded.
constexpr size_t kMaxInput = 4096;

struct Environment {
  Environment() {
    (void)fs.WriteFileAtomic("/mod/files/a.txt", "hello\n");
    (void)fs.WriteFileAtomic("/mod/files/t.tmpl", "x=${x} %{ if x != \"\" }y%{ endif }");
    (void)fs.WriteFileAtomic("/mod/files/data.json", R"({"a": [1, 2, {"b": null}]})");
    (void)fs.WriteFileAtomic("/mod/files/data.yaml", "a:\n  - 1\n  - b: two\n");
    (void)fs.WriteFileAtomic("/mod/files/bin", std::string("\xff\x00\x01", 3));
    ctx.file_system = &fs;
    ctx.base_dir = "/mod";
    ctx.home_dir = "/home/fuzz";
    ctx.clock = &clock;
    ctx.random = [state = uint64_t{0x9e3779b97f4a7c15}]() mutable {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };

    hcl::ValueMap map;
    map["k1"] = hcl::Value::String("v1");
    map["k2"] = hcl::Value::String("v2");
    hcl::ValueMap var;
    var["name"] = hcl::Value::String("fuzz");
    var["count"] = hcl::Value::Num(3);
    var["list"] =
        hcl::Value::List(hcl::Type::String(), {hcl::Value::String("a"), hcl::Value::String("b")});
    var["map"] = hcl::Value::Map(hcl::Type::String(), map);
    var["unknown"] = hcl::Value::Unknown(hcl::Type::String());
    var["secret"] = hcl::Value::String("hunter2").WithSensitive();
    var["nothing"] = hcl::Value::Null(hcl::Type::String());
    scope.Set("var", hcl::Value::Object(var));

    hcl::ValueMap local;
    local["region"] = hcl::Value::String("us-east-1");
    local["tags"] = hcl::Value::Object(map);
    local["nums"] = hcl::Value::Tuple({hcl::Value::Num(1), hcl::Value::Num(2)});
    scope.Set("local", hcl::Value::Object(local));

    hcl::ValueMap each;
    each["key"] = hcl::Value::String("k1");
    each["value"] = hcl::Value::String("v1");
    scope.Set("each", hcl::Value::Object(each));
    hcl::ValueMap count;
    count["index"] = hcl::Value::Num(0);
    scope.Set("count", hcl::Value::Object(count));
  }

  cf::InMemoryFileSystem fs;
  cf::FakeClock clock;
  hcl::FunctionContext ctx;
  hcl::MapScope scope;
};

// Expression nodes evaluated per input, over all its attributes and its template form: enough
// for every realistic configuration, small enough that no input runs near the timeout.
constexpr uint64_t kStepsPerInput = 200'000;

void EvaluateBody(const hcl::Body* body, hcl::Evaluator* evaluator) {
  for (const hcl::Attribute* attr : body->attributes) {
    hcl::Diagnostics diags;
    (void)evaluator->Evaluate(attr->expr, &diags).ToDebugString();
  }
  for (const hcl::Block* block : body->blocks) {
    EvaluateBody(block->body, evaluator);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) {
    return 0;
  }
  static const Environment* env = new Environment();
  std::string src(reinterpret_cast<const char*>(data), size);
  hcl::Evaluator evaluator(&env->scope, &hcl::StandardFunctions(), env->ctx);
  evaluator.set_step_limit(kStepsPerInput);
  {
    hcl::ParseResult r = hcl::Parse(src, "fuzz.tf");
    EvaluateBody(r.file->body(), &evaluator);
  }
  {
    hcl::ParseResult r = hcl::ParseTemplate(src, "fuzz.tftpl");
    hcl::Diagnostics diags;
    (void)evaluator.Evaluate(r.file->expression(), &diags).ToDebugString();
  }
  return 0;
}
