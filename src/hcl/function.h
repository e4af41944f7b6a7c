#pragma once

// The function library's framework: function signatures, the table of functions, and
// CallFunction, which checks and converts arguments, propagates unknown and sensitive
// values, and reports errors the way Terraform does.
//
// Calling convention (cty's):
//   - Each parameter has a type constraint; arguments are converted to it first. A failed
//     conversion gives summary "Invalid function argument" and detail
//     `Invalid value for "<param>" parameter: <conversion message>.`
//   - A null argument is refused (`argument must not be null`) unless the parameter allows it.
//   - Unless the function declares `handles_unknown`, an argument that is not wholly known
//     makes the result unknown (of the function's return type where it can be told);
//     `handles_unknown_elements` lets known collections with unknown elements through.
//   - If any argument contains a sensitive value, the function sees the values unmarked and
//     its result is marked sensitive (except functions that declare `handles_marks`).
//   - Errors from the implementation: ArgError(i, msg) gives "Invalid function argument" as
//     above; any other error gives summary "Error in function call" and detail
//     `Call to function "<name>" failed: <message>.`
//   - Wrong argument counts give "Not enough function arguments" / "Too many function
//     arguments" with Terraform's detail text.
//
// The outside world reaches functions only through FunctionContext (files, clock, random
// source, template rendering), so the library itself is pure and thread-compatible.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/status.h"
#include "hcl/type.h"
#include "hcl/value.h"

namespace cf::hcl {

// What functions may reach outside pure computation. Any pointer may be null: functions
// that need a missing piece fail with a clear error ("file functions are not available").
struct FunctionContext {
  const FileSystem* file_system = nullptr;
  // Relative paths given to file(), fileexists(), templatefile() resolve against this.
  std::string base_dir = ".";
  // The user's home folder, for pathexpand() ("~/x"); empty when unknown.
  std::string home_dir;
  const Clock* clock = nullptr;
  // 64 random bits per call (uuid()).
  std::function<uint64_t()> random;
  // Renders template `text` (read from `filename`) with `vars` (an object or map); set by
  // the evaluator so templatefile() can parse and evaluate templates.
  std::function<Result<Value>(const std::string& text, const std::string& filename,
                              const Value& vars)>
      render_template;
};

struct Parameter {
  std::string name;
  Type type;  // Dynamic accepts any value unconverted.
  bool allow_null = false;
};

// The arguments of one call, as the implementation sees them (converted, unmarked).
class CallArgs {
 public:
  CallArgs(const std::vector<Value>& args, const FunctionContext& ctx) : args_(args), ctx_(ctx) {}
  const Value& operator[](size_t i) const { return args_[i]; }
  size_t size() const { return args_.size(); }
  const std::vector<Value>& all() const { return args_; }
  const FunctionContext& ctx() const { return ctx_; }

  // An error about argument `index` ("Invalid value for ... parameter: <message>.").
  Status ArgError(size_t index, std::string message) const {
    error_arg_ = static_cast<int>(index);
    return InvalidArgumentError(std::move(message));
  }
  int error_arg() const { return error_arg_; }

 private:
  const std::vector<Value>& args_;
  const FunctionContext& ctx_;
  mutable int error_arg_ = -1;
};

struct Function {
  std::vector<Parameter> params;
  std::optional<Parameter> variadic;  // Repeats after `params`.
  // The result type for given (converted) arguments, used for unknown results; dynamic when
  // not set.
  std::function<Type(const std::vector<Value>& args)> return_type;
  std::function<Result<Value>(const CallArgs& args)> impl;
  bool handles_unknown = false;  // The implementation copes with unknown arguments itself.
  // Arguments must be known at the top level, but may hold unknown elements (the result of
  // element(), slice() ... is then known where Terraform's is).
  bool handles_unknown_elements = false;
  bool handles_marks = false;  // The implementation sees marked values (sensitive()...).
};

using FunctionTable = std::map<std::string, Function, std::less<>>;

// Every built-in function (Terraform's library; see docs/hcl-values.md for the list).
// Built once; immutable; thread-safe.
const FunctionTable& StandardFunctions();

// A failed call, ready to become a diagnostic.
struct FunctionError {
  std::string summary;  // "Invalid function argument", "Error in function call", ...
  std::string detail;   // Terraform's sentence, ending with a period.
  int arg_index = -1;   // The argument it is about, or -1 for the call as a whole.
};

// Calls `name` (which must be in `table`) with `args` (already expanded). On failure returns
// InvalidArgument whose message is `error->detail` and fills `error`.
Result<Value> CallFunction(const FunctionTable& table, std::string_view name,
                           const std::vector<Value>& args, const FunctionContext& ctx,
                           FunctionError* error);

// Registration of the families (each in its own functions_*.cc).
void RegisterCollectionFunctions(FunctionTable& table);
void RegisterStringFunctions(FunctionTable& table);
void RegisterNumericFunctions(FunctionTable& table);
void RegisterEncodingFunctions(FunctionTable& table);
void RegisterNetworkFunctions(FunctionTable& table);
void RegisterFileFunctions(FunctionTable& table);
void RegisterTimeFunctions(FunctionTable& table);

}  // namespace cf::hcl
