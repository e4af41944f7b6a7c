// Functions that reach the outside world through FunctionContext: file, fileexists,
// filebase64, templatefile, timestamp; and the path helpers dirname, basename, abspath.

#include "hcl/functions_internal.h"

namespace cf::hcl {

std::string Base64EncodeBytes(const std::string& in);  // functions_encoding.cc
bool IsValidUtf8Text(const std::string& s);            // functions_encoding.cc

namespace {

using fn::Def;
using fn::P;
using fn::Str;

const Type kS = Type::String();

std::string Resolve(const FunctionContext& ctx, const std::string& path) {
  if (!path.empty() && path[0] == '/') {
    return path;
  }
  return JoinPath(ctx.base_dir, path);
}

Result<std::string> ReadFileArg(const CallArgs& args, size_t i) {
  const FunctionContext& ctx = args.ctx();
  if (ctx.file_system == nullptr) {
    return InvalidArgumentError("file functions are not available here");
  }
  const std::string& path = args[i].AsString();
  Result<std::string> data = ctx.file_system->ReadFile(Resolve(ctx, path));
  if (!data.ok()) {
    return args.ArgError(
        i, "no file exists at \"" + path +
               "\"; this function works only with files that are distributed as part of the "
               "configuration source code, so if this file will be created by a resource in "
               "this configuration you must instead obtain this result from an attribute of "
               "that resource");
  }
  return data;
}

}  // namespace

void RegisterFileFunctions(FunctionTable& t) {
  Def(t, "file", {P("path", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    ASSIGN_OR_RETURN(std::string data, ReadFileArg(args, 0));
    if (!IsValidUtf8Text(data)) {
      return args.ArgError(0, "contents of \"" + args[0].AsString() +
                                  "\" are not valid UTF-8; use the filebase64 function to "
                                  "obtain the Base64 encoded contents or the other file "
                                  "functions (e.g. filemd5, filesha256) to obtain file hashing "
                                  "results instead");
    }
    return Str(std::move(data));
  });
  Def(t, "filebase64", {P("path", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(std::string data, ReadFileArg(args, 0));
        return Str(Base64EncodeBytes(data));
      });
  Def(t, "fileexists", {P("path", kS)}, std::nullopt, Type::Bool(),
      [](const CallArgs& args) -> Result<Value> {
        const FunctionContext& ctx = args.ctx();
        if (ctx.file_system == nullptr) {
          return InvalidArgumentError("file functions are not available here");
        }
        std::string path = Resolve(ctx, args[0].AsString());
        if (!ctx.file_system->Exists(path)) {
          return Value::False();
        }
        if (ctx.file_system->IsDirectory(path)) {
          return InvalidArgumentError("\"" + args[0].AsString() + "\" is a directory, not a file");
        }
        return Value::True();
      });
  Def(t, "templatefile", {P("path", kS), P("vars")}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        if (!args[1].type().IsMapping()) {
          return args.ArgError(1, "must be a map or object");
        }
        for (const auto& [k, v] : args[1].Attributes()) {
          if (!v.IsWhollyKnown()) {
            return Value::Unknown(Type::String());
          }
        }
        ASSIGN_OR_RETURN(std::string text, ReadFileArg(args, 0));
        if (!args.ctx().render_template) {
          return InvalidArgumentError("templates cannot be rendered here");
        }
        return args.ctx().render_template(text, args[0].AsString(), args[1]);
      });
  Def(t, "timestamp", {}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    if (args.ctx().clock == nullptr) {
      return InvalidArgumentError("no clock is available");
    }
    return Str(FormatRfc3339(args.ctx().clock->Now()));
  });
  Def(t, "dirname", {P("path", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> { return Str(DirName(args[0].AsString())); });
  Def(t, "basename", {P("path", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> { return Str(BaseName(args[0].AsString())); });
  Def(t, "abspath", {P("path", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    return Str(Resolve(args.ctx(), args[0].AsString()));
  });
}

}  // namespace cf::hcl
