#include "config/inputs.h"

#include <fmt/format.h>

namespace cf::config {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

hcl::Diagnostic PlainDiagnostic(hcl::Severity severity, std::string summary, std::string detail) {
  hcl::Diagnostic d;
  d.severity = severity;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  return d;
}

class Collector {
 public:
  Collector(const RootModule& module, const FileSystem& fs, InputValues& values,
            hcl::Diagnostics& diags)
      : module_(module), fs_(fs), values_(values), diags_(diags) {}

  void Environment(const std::map<std::string, std::string>& environment) {
    for (const auto& [key, text] : environment) {
      if (key.rfind("TF_VAR_", 0) != 0) {
        continue;
      }
      std::string name = key.substr(7);
      if (module_.FindVariable(name) == nullptr) {
        continue;
      }
      InputAssignment a;
      a.name = name;
      a.source = InputSource::kEnvironment;
      a.raw = text;
      a.origin = "environment variable " + key;
      values_.assignments[name] = std::move(a);
    }
  }

  // Reads a tfvars file; `required` files (from -var-file) must exist.
  void File(const std::string& path, InputSource source) {
    if (EndsWith(path, ".json")) {
      diags_.Add(PlainDiagnostic(
          hcl::Severity::kError, "Unsupported variables file",
          fmt::format("{}: JSON variable files are not supported; use the native syntax "
                      "(.tfvars).",
                      path)));
      return;
    }
    Result<std::string> text = fs_.ReadFile(path);
    if (!text.ok()) {
      diags_.Add(PlainDiagnostic(hcl::Severity::kError, "Failed to read variables file",
                                 fmt::format("Given variables file {} does not exist or cannot "
                                             "be read: {}",
                                             path, text.status().message())));
      return;
    }
    hcl::ParseResult parsed = hcl::Parse(std::move(*text), path);
    diags_.Append(parsed.diagnostics);
    if (parsed.diagnostics.HasErrors()) {
      values_.files.push_back(std::move(parsed.file));
      return;
    }
    const hcl::Body* body = parsed.file->body();
    for (const hcl::Block* block : body->blocks) {
      diags_.AddError("Unexpected block",
                      fmt::format("Blocks are not allowed in variables files; \"{}\" must be "
                                  "written as an attribute: {} = ...",
                                  block->type, block->type),
                      block->type_range);
    }
    for (const hcl::Attribute* attr : body->attributes) {
      std::string name(attr->name);
      if (module_.FindVariable(name) == nullptr) {
        diags_.Add(hcl::Diagnostic::Warning(
            "Value for undeclared variable",
            fmt::format("The root module does not declare a variable named \"{}\" but a value "
                        "was found in file \"{}\". To use this value, add a \"variable\" "
                        "block to the configuration.",
                        name, path),
            attr->name_range));
        continue;
      }
      InputAssignment a;
      a.name = name;
      a.source = source;
      a.expr = attr->expr;
      a.range = attr->range;
      a.origin = "file " + path;
      values_.assignments[name] = std::move(a);
    }
    values_.files.push_back(std::move(parsed.file));
  }

  void Var(const std::string& text) {
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
      diags_.Add(PlainDiagnostic(
          hcl::Severity::kError, "Invalid -var option",
          fmt::format("The given -var option \"{}\" is not correctly specified. Must be a "
                      "variable name and value separated by an equals sign, like "
                      "-var=\"key=value\".",
                      text)));
      return;
    }
    std::string name = text.substr(0, eq);
    if (module_.FindVariable(name) == nullptr) {
      diags_.Add(PlainDiagnostic(
          hcl::Severity::kError, "Value for undeclared variable",
          fmt::format("A variable named \"{}\" was assigned on the command line, but the root "
                      "module does not declare a variable of that name. To use this value, "
                      "add a \"variable\" block to the configuration.",
                      name)));
      return;
    }
    InputAssignment a;
    a.name = name;
    a.source = InputSource::kCommandLine;
    a.raw = text.substr(eq + 1);
    a.origin = "-var flag";
    values_.assignments[name] = std::move(a);
  }

 private:
  const RootModule& module_;
  const FileSystem& fs_;
  InputValues& values_;
  hcl::Diagnostics& diags_;
};

}  // namespace

std::string_view InputValues::SourceOf(std::string_view filename) const {
  for (const auto& file : files) {
    if (file->filename() == filename) {
      return file->source();
    }
  }
  return {};
}

InputValues CollectInputs(const RootModule& module,
                          const std::map<std::string, std::string>& environment,
                          const std::vector<VarOption>& options, const FileSystem& fs,
                          hcl::Diagnostics& diags) {
  InputValues values;
  Collector collector(module, fs, values, diags);
  collector.Environment(environment);
  auto in_dir = [&](const std::string& name) {
    return module.dir == "." ? name : JoinPath(module.dir, name);
  };
  if (fs.Exists(in_dir("terraform.tfvars"))) {
    collector.File(in_dir("terraform.tfvars"), InputSource::kFile);
  }
  Result<std::vector<std::string>> names = fs.ListDirectory(module.dir);
  if (names.ok()) {
    for (const std::string& name : *names) {
      if (EndsWith(name, ".auto.tfvars")) {
        collector.File(in_dir(name), InputSource::kFile);
      }
    }
  }
  for (const VarOption& option : options) {
    if (option.kind == VarOption::Kind::kVar) {
      collector.Var(option.text);
    } else {
      collector.File(option.text, InputSource::kCommandLine);
    }
  }
  return values;
}

}  // namespace cf::config
