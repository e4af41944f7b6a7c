// Functions that reach the outside world through FunctionContext: file, fileexists,
// filebase64, templatefile, timestamp; and the path helpers dirname, basename, abspath.

#include "base/strings.h"
#include "hcl/functions_internal.h"

namespace cf::hcl {

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

// Glob match of `name` against `pat`: `*` and `?` within a path segment, `**` across
// segments, `[...]` classes, `{a,b}` alternatives.
bool Glob(std::string_view pat, std::string_view name) {
  if (pat.empty()) {
    return name.empty();
  }
  if (pat.substr(0, 2) == "**") {
    std::string_view rest = pat.substr(2);
    if (!rest.empty() && rest[0] == '/') {
      std::string_view after = rest.substr(1);
      if (Glob(after, name)) {
        return true;
      }
    }
    for (size_t i = 0; i <= name.size(); ++i) {
      if (Glob(rest, name.substr(i))) {
        return true;
      }
    }
    return false;
  }
  char c = pat[0];
  if (c == '*') {
    for (size_t i = 0; i <= name.size(); ++i) {
      if (Glob(pat.substr(1), name.substr(i))) {
        return true;
      }
      if (i < name.size() && name[i] == '/') {
        break;
      }
    }
    return false;
  }
  if (c == '{') {
    size_t close = pat.find('}');
    if (close == std::string_view::npos) {
      return false;
    }
    std::string_view alts = pat.substr(1, close - 1);
    std::string_view rest = pat.substr(close + 1);
    size_t start = 0;
    while (true) {
      size_t comma = alts.find(',', start);
      std::string alt(alts.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (Glob(alt + std::string(rest), name)) {
        return true;
      }
      if (comma == std::string_view::npos) {
        return false;
      }
      start = comma + 1;
    }
  }
  if (name.empty()) {
    return false;
  }
  if (c == '?') {
    return name[0] != '/' && Glob(pat.substr(1), name.substr(1));
  }
  if (c == '[') {
    size_t close = pat.find(']', 1);
    if (close == std::string_view::npos) {
      return false;
    }
    std::string_view cls = pat.substr(1, close - 1);
    bool negate = !cls.empty() && (cls[0] == '^' || cls[0] == '!');
    if (negate) {
      cls.remove_prefix(1);
    }
    bool hit = false;
    for (size_t i = 0; i < cls.size(); ++i) {
      if (i + 2 < cls.size() && cls[i + 1] == '-') {
        hit = hit || (name[0] >= cls[i] && name[0] <= cls[i + 2]);
        i += 2;
      } else {
        hit = hit || name[0] == cls[i];
      }
    }
    return hit != negate && Glob(pat.substr(close + 1), name.substr(1));
  }
  if (c == '\\' && pat.size() > 1) {
    return name[0] == pat[1] && Glob(pat.substr(2), name.substr(1));
  }
  return name[0] == c && Glob(pat.substr(1), name.substr(1));
}

void ListFiles(const FileSystem& fs, const std::string& root, const std::string& rel,
               std::vector<std::string>* out) {
  Result<std::vector<std::string>> names =
      fs.ListDirectory(rel.empty() ? root : JoinPath(root, rel));
  if (!names.ok()) {
    return;
  }
  for (const auto& n : *names) {
    std::string r = rel.empty() ? n : rel + "/" + n;
    if (fs.IsDirectory(JoinPath(root, r))) {
      ListFiles(fs, root, r, out);
    } else {
      out->push_back(r);
    }
  }
}

}  // namespace

void RegisterFileFunctions(FunctionTable& t) {
  Def(t, "file", {P("path", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    ASSIGN_OR_RETURN(std::string data, ReadFileArg(args, 0));
    if (!fn::IsValidUtf8Text(data)) {
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
        return Str(fn::Base64EncodeBytes(data));
      });
  for (const char* algo : {"md5", "sha1", "sha256", "sha512"}) {
    std::string a = algo;
    Def(t, "file" + a, {P("path", kS)}, std::nullopt, kS,
        [a](const CallArgs& args) -> Result<Value> {
          ASSIGN_OR_RETURN(std::string data, ReadFileArg(args, 0));
          return Str(HexEncode(fn::DigestBytes(a, data)));
        });
    if (a == "sha256" || a == "sha512") {
      Def(t, "filebase64" + a, {P("path", kS)}, std::nullopt, kS,
          [a](const CallArgs& args) -> Result<Value> {
            ASSIGN_OR_RETURN(std::string data, ReadFileArg(args, 0));
            return Str(fn::Base64EncodeBytes(fn::DigestBytes(a, data)));
          });
    }
  }
  Def(t, "fileset", {P("path", kS), P("pattern", kS)}, std::nullopt, Type::Set(kS),
      [](const CallArgs& args) -> Result<Value> {
        const FunctionContext& ctx = args.ctx();
        if (ctx.file_system == nullptr) {
          return InvalidArgumentError("file functions are not available here");
        }
        std::vector<std::string> files;
        ListFiles(*ctx.file_system, Resolve(ctx, args[0].AsString()), "", &files);
        ValueList out;
        for (const auto& f : files) {
          if (Glob(args[1].AsString(), f)) {
            out.push_back(Str(f));
          }
        }
        return Value::Set(kS, std::move(out));
      });
  Def(t, "pathexpand", {P("path", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        const std::string& p = args[0].AsString();
        if (p != "~" && !p.starts_with("~/")) {
          return Str(p);
        }
        if (args.ctx().home_dir.empty()) {
          return InvalidArgumentError("the home directory is not known");
        }
        return Str(args.ctx().home_dir + p.substr(1));
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
