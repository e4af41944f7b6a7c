#include "config/loader.h"

#include <fmt/format.h>

#include "config/module_source.h"

namespace cf::config {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

hcl::Diagnostic PlainError(std::string summary, std::string detail) {
  hcl::Diagnostic d;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  return d;
}

// `dir/relative` with "." and "name/.." collapsed (lexically, as Terraform resolves a local
// module path); "." when nothing is left.
std::string ModulePath(const std::string& dir, std::string_view relative) {
  std::vector<std::string> parts;
  auto add = [&](std::string_view path) {
    while (!path.empty()) {
      size_t slash = path.find('/');
      std::string_view part = path.substr(0, slash);
      path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
      if (part.empty() || part == ".") {
        continue;
      }
      if (part == ".." && !parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else {
        parts.emplace_back(part);
      }
    }
  };
  bool absolute = !dir.empty() && dir[0] == '/';
  add(dir);
  add(relative);
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : "/") + parts[i];
  }
  return out.empty() ? "." : out;
}

// The names of the variables the *.tf files in `path` declare; empty when it is no directory.
std::vector<std::string> DeclaredVariables(const std::string& path, const FileSystem& fs) {
  std::vector<std::string> out;
  Result<std::vector<std::string>> names = fs.ListDirectory(path);
  if (!names.ok()) {
    return out;
  }
  for (const std::string& name : *names) {
    if (!EndsWith(name, ".tf")) {
      continue;
    }
    Result<std::string> text = fs.ReadFile(JoinPath(path, name));
    if (!text.ok()) {
      continue;
    }
    hcl::ParseResult parsed = hcl::Parse(std::move(*text), JoinPath(path, name));
    for (const hcl::Block* block : parsed.file->body()->blocks) {
      if (block->type == "variable" && block->labels.size() == 1) {
        out.emplace_back(block->labels[0].value);
      }
    }
  }
  return out;
}

// Local module paths: planned with the built-in module when the directory is a checkout of
// the public module it implements (recognised by the variables it declares), else refused.
void RecogniseLocalModules(RootModule& module, const FileSystem& fs, hcl::Diagnostics& diags) {
  for (ModuleCall& call : module.modules) {
    if (!call.builtin_source.empty() || !IsLocalModulePath(call.source)) {
      continue;
    }
    std::string path = ModulePath(module.dir, call.source);
    const BuiltinModuleInfo* info = RecogniseCheckout(DeclaredVariables(path, fs));
    if (info == nullptr) {
      diags.AddError(
          "Unsupported module source",
          fmt::format("\"{}\" ({}) is a local module. clusterform runs only its built-in "
                      "modules, and {} is not a checkout of one of the public modules they "
                      "implement (weka/terraform-aws-weka, wandb/terraform-aws-wandb): its *.tf "
                      "files do not declare their inputs.",
                      call.source, path, fs.IsDirectory(path) ? "that directory" : "that path"),
          call.source_range);
      continue;
    }
    call.builtin_source = info->source;
    diags.Add(hcl::Diagnostic::Warning(
        "Module source planned with a built-in module",
        fmt::format("\"{}\" ({}) is a checkout of {}; it is planned with clusterform's built-in "
                    "\"{}\", which takes the inputs of {} {}. The files there are not read.",
                    call.source, path, info->repository, info->source, info->repository,
                    info->version),
        call.source_range));
  }
}

}  // namespace

LoadResult LoadRootModule(const std::string& dir, const FileSystem& fs) {
  LoadResult result;
  result.module = std::make_unique<RootModule>();
  RootModule& module = *result.module;
  module.dir = dir;
  if (!fs.IsDirectory(dir)) {
    result.diagnostics.Add(PlainError(
        "No configuration directory",
        fmt::format("\"{}\" is not a directory. Give the directory that holds your main.tf.",
                    dir)));
    return result;
  }
  Result<std::vector<std::string>> names = fs.ListDirectory(dir);
  if (!names.ok()) {
    result.diagnostics.Add(
        PlainError("Cannot read the configuration directory", names.status().message()));
    return result;
  }
  for (const std::string& name : *names) {
    std::string path = dir == "." ? name : JoinPath(dir, name);
    if (EndsWith(name, ".tf.json")) {
      result.diagnostics.Add(
          PlainError("Unsupported configuration file",
                     fmt::format("{}: clusterform reads the native syntax (*.tf) only, not JSON "
                                 "configuration files.",
                                 path)));
      continue;
    }
    if (!EndsWith(name, ".tf") || name[0] == '.') {
      continue;
    }
    if (name == "override.tf" || EndsWith(name, "_override.tf")) {
      result.diagnostics.Add(PlainError(
          "Unsupported configuration file",
          fmt::format("{}: override files are not supported; merge the settings into the "
                      "main configuration.",
                      path)));
      continue;
    }
    Result<std::string> source = fs.ReadFile(path);
    if (!source.ok()) {
      result.diagnostics.Add(
          PlainError("Cannot read a configuration file", source.status().message()));
      continue;
    }
    hcl::ParseResult parsed = hcl::Parse(std::move(*source), path);
    result.diagnostics.Append(parsed.diagnostics);
    module.files.push_back(std::move(parsed.file));
  }
  if (module.files.empty() && !result.diagnostics.HasErrors()) {
    result.diagnostics.Add(PlainError(
        "No configuration files",
        fmt::format("{} holds no *.tf file. clusterform reads the same main.tf you would "
                    "give Terraform.",
                    dir)));
    return result;
  }
  if (result.diagnostics.HasErrors()) {
    return result;  // Syntax errors first; decoding a broken AST only adds noise.
  }
  DecodeRootModule(module, result.diagnostics);
  RecogniseLocalModules(module, fs, result.diagnostics);
  return result;
}

std::string FormatDiagnosticsWithSource(const hcl::Diagnostics& diags, const RootModule& module) {
  std::string out;
  for (const hcl::Diagnostic& d : diags) {
    out += hcl::FormatDiagnostic(d, d.has_subject ? module.SourceOf(d.filename) : "");
  }
  return out;
}

}  // namespace cf::config
