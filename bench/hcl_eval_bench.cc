// HCL values and evaluation: cost of copying values (plans copy a lot), of number
// arithmetic on the int64 fast path and on 512-bit fractions, and of evaluating typical
// expressions (traversal + function call + template; a `for` over 1,000 elements).

#include <benchmark/benchmark.h>

#include <string>

#include "hcl/eval.h"
#include "hcl/number.h"
#include "hcl/parser.h"
#include "hcl/value.h"

namespace {

using cf::hcl::Number;
using cf::hcl::Type;
using cf::hcl::Value;
using cf::hcl::ValueList;
using cf::hcl::ValueMap;

Value BigObject() {
  ValueMap attrs;
  for (int i = 0; i < 100; ++i) {
    attrs["attr" + std::to_string(i)] = Value::String("value " + std::to_string(i));
  }
  return Value::Object(std::move(attrs));
}

void BM_CopyObjectValue(benchmark::State& state) {
  Value v = BigObject();
  for (auto _ : state) {
    Value copy = v;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CopyObjectValue);

void BM_AddSmallIntegers(benchmark::State& state) {
  Number a = 12345;
  Number b = 678;
  for (auto _ : state) {
    Number c = a + b;
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_AddSmallIntegers);

void BM_AddFractions(benchmark::State& state) {
  Number a = *Number::Parse("0.1");
  Number b = *Number::Parse("0.2");
  for (auto _ : state) {
    Number c = a + b;
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_AddFractions);

void BM_NumberToString(benchmark::State& state) {
  Number a = Number::Divide(1, 3);
  for (auto _ : state) {
    std::string s = a.ToString();
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_NumberToString);

class BenchScope : public cf::hcl::Scope {
 public:
  BenchScope() {
    ValueList zones;
    for (int i = 0; i < 1000; ++i) {
      zones.push_back(Value::String("zone-" + std::to_string(i)));
    }
    var_ = Value::Object({{"prefix", Value::String("weka")},
                          {"zones", Value::List(Type::String(), std::move(zones))},
                          {"tags", Value::Map(Type::String(), {{"env", Value::String("prod")}})}});
  }
  std::optional<Value> Lookup(std::string_view name) const override {
    if (name == "var") {
      return var_;
    }
    return std::nullopt;
  }

 private:
  Value var_;
};

void EvalBench(benchmark::State& state, const char* text) {
  cf::hcl::ParseResult parsed = cf::hcl::ParseExpression(text, "bench.tf");
  BenchScope scope;
  cf::hcl::Evaluator ev(&scope);
  for (auto _ : state) {
    cf::hcl::Diagnostics diags;
    Value v = ev.Evaluate(parsed.file->expression(), &diags);
    benchmark::DoNotOptimize(v);
  }
}

void BM_EvalTemplateWithCall(benchmark::State& state) {
  EvalBench(state, "\"${var.prefix}-${lower(var.tags.env)}-${length(var.zones)}\"");
}
BENCHMARK(BM_EvalTemplateWithCall);

void BM_EvalForOver1000(benchmark::State& state) {
  EvalBench(state, "{for i, z in var.zones : z => \"${var.prefix}-${i}\" if i % 2 == 0}");
}
BENCHMARK(BM_EvalForOver1000);

}  // namespace

BENCHMARK_MAIN();
