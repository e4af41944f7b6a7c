#include "hcl/function.h"

#include "hcl/convert.h"

namespace cf::hcl {

const FunctionTable& StandardFunctions() {
  static const FunctionTable kTable = [] {
    FunctionTable t;
    RegisterCollectionFunctions(t);
    RegisterStringFunctions(t);
    RegisterNumericFunctions(t);
    RegisterEncodingFunctions(t);
    RegisterNetworkFunctions(t);
    RegisterFileFunctions(t);
    RegisterTimeFunctions(t);
    return t;
  }();
  return kTable;
}

namespace {

Status Fail(FunctionError* error, std::string summary, std::string detail, int arg) {
  if (error != nullptr) {
    error->summary = std::move(summary);
    error->detail = detail;
    error->arg_index = arg;
  }
  return InvalidArgumentError(std::move(detail));
}

std::string WithPeriod(std::string s) {
  if (!s.empty() && s.back() != '.') {
    s.push_back('.');
  }
  return s;
}

}  // namespace

Result<Value> CallFunction(const FunctionTable& table, std::string_view name,
                           const std::vector<Value>& args, const FunctionContext& ctx,
                           FunctionError* error) {
  auto it = table.find(name);
  if (it == table.end()) {
    return Fail(error, "Call to unknown function",
                "There is no function named \"" + std::string(name) + "\".", -1);
  }
  const Function& fn = it->second;
  const std::string fname(name);
  size_t min_args = fn.params.size();
  if (args.size() < min_args) {
    std::string detail = "Function \"" + fname + "\" expects " + (fn.variadic ? "at least " : "") +
                         std::to_string(min_args) + " argument(s). Missing value for \"" +
                         fn.params[args.size()].name + "\".";
    return Fail(error, "Not enough function arguments", detail, -1);
  }
  if (!fn.variadic && args.size() > min_args) {
    std::string detail =
        "Function \"" + fname + "\" expects only " + std::to_string(min_args) + " argument(s).";
    return Fail(error, "Too many function arguments", detail, static_cast<int>(min_args));
  }

  bool sensitive = false;
  bool all_known = true;
  bool all_top_known = true;
  std::vector<Value> converted;
  converted.reserve(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    const Parameter& p = i < fn.params.size() ? fn.params[i] : *fn.variadic;
    Value arg = args[i];
    if (!fn.handles_marks && arg.ContainsSensitive()) {
      sensitive = true;
      arg = arg.UnmarkDeep();
    }
    if (arg.IsNull() && !p.allow_null) {
      return Fail(error, "Invalid function argument",
                  "Invalid value for \"" + p.name + "\" parameter: argument must not be null.",
                  static_cast<int>(i));
    }
    Result<Value> c = Convert(arg, p.type);
    if (!c.ok()) {
      return Fail(
          error, "Invalid function argument",
          "Invalid value for \"" + p.name + "\" parameter: " + WithPeriod(c.status().message()),
          static_cast<int>(i));
    }
    all_known = all_known && c->IsWhollyKnown();
    all_top_known = all_top_known && c->IsKnown();
    converted.push_back(std::move(c).value());
  }

  auto mark = [&](Value v) { return sensitive ? v.WithSensitive(true) : v; };
  if (!all_known && !fn.handles_unknown && !(fn.handles_unknown_elements && all_top_known)) {
    Type rt = fn.return_type ? fn.return_type(converted) : Type::Dynamic();
    return mark(Value::Unknown(rt));
  }
  CallArgs call(converted, ctx);
  Result<Value> r = fn.impl(call);
  if (!r.ok()) {
    if (call.error_arg() >= 0) {
      size_t i = static_cast<size_t>(call.error_arg());
      const Parameter& p = i < fn.params.size() ? fn.params[i] : *fn.variadic;
      return Fail(
          error, "Invalid function argument",
          "Invalid value for \"" + p.name + "\" parameter: " + WithPeriod(r.status().message()),
          call.error_arg());
    }
    return Fail(error, "Error in function call",
                "Call to function \"" + fname + "\" failed: " + WithPeriod(r.status().message()),
                -1);
  }
  return mark(std::move(r).value());
}

}  // namespace cf::hcl
