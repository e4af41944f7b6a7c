#include "config/loader.h"

#include <fmt/format.h>

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
