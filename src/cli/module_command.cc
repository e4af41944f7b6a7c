#include "cli/module_command.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/module_source.h"
#include "config/suggest.h"
#include "config/type_constraint.h"
#include "modules/builtin/builtin_modules.h"

namespace cf::cli {

namespace {

using Args = std::vector<std::string>;

const FlagSpec& ShowFlags() {
  static const FlagSpec kSpec{{},
                              {{"SOURCE", "a built-in module's source, e.g. weka/weka/aws"}},
                              /*directory=*/false,
                              /*more_positionals=*/true};
  return kSpec;
}

// The text of `expr` in the module's file, on one line (runs of whitespace made one space).
std::string SourceText(const config::RootModule& body, const hcl::Expression* expr) {
  std::string_view file = body.SourceOf(expr->range.filename);
  int begin = expr->range.start.byte;
  int end = expr->range.end.byte;
  if (file.empty() || begin < 0 || end > static_cast<int>(file.size()) || begin > end) {
    return "...";
  }
  std::string out;
  bool space = false;
  for (char c : file.substr(begin, end - begin)) {
    bool is_space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (is_space) {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

std::string DefaultText(const config::RootModule& body, const config::Variable& v) {
  return v.default_value == nullptr ? "required" : SourceText(body, v.default_value);
}

void ShowInput(const config::RootModule& body, const config::Variable& v, const Io& io) {
  fmt::print(io.out, "input \"{}\"\n", v.name);
  if (!v.description.empty()) {
    fmt::print(io.out, "  description: {}\n", v.description);
  }
  fmt::print(io.out, "  type:        {}\n", config::TypeConstraintText(v.type));
  fmt::print(io.out, "  default:     {}\n", DefaultText(body, v));
  if (v.sensitive) {
    fmt::print(io.out, "  sensitive:   true\n");
  }
  if (!v.nullable) {
    fmt::print(io.out, "  nullable:    false\n");
  }
  for (const config::Validation& check : v.validations) {
    fmt::print(io.out, "  validation:  {}\n", SourceText(body, check.condition));
    fmt::print(io.out, "    message:   {}\n", SourceText(body, check.error_message));
  }
}

int Show(const Args& args, const CommandContext& context) {
  Result<ParsedFlags> flags = ParseFlags(args, ShowFlags());
  if (!flags.ok()) {
    fmt::print(context.io.err, "clusterform module show: {}\n", flags.status().message());
    return 2;
  }
  if (flags->help) {
    fmt::print(context.io.out, "{}",
               CommandHelp("clusterform module show", "a built-in module's inputs  SOURCE [INPUT]",
                           ShowFlags()));
    return 0;
  }
  if (flags->positionals.size() > 2) {
    fmt::print(context.io.err, "clusterform module show: too many arguments (SOURCE [INPUT])\n");
    return 2;
  }
  const std::string& source = flags->positionals[0];
  std::optional<config::ResolvedSource> resolved = config::ResolveRemoteSource(source);
  if (!resolved || !resolved->submodule.empty()) {
    fmt::print(context.io.err,
               "clusterform module show: \"{}\" is not a built-in module; clusterform has "
               "weka/weka/aws and wandb/wandb/aws\n",
               source);
    return 1;
  }
  modules::BuiltinModules builtins;
  const config::ModuleDefinition* definition = builtins.Find(resolved->builtin);
  const config::BuiltinModuleInfo* info = config::FindBuiltinModuleInfo(resolved->builtin);
  const config::RootModule& body = *definition->schema;
  if (flags->positionals.size() == 2) {
    const std::string& name = flags->positionals[1];
    const config::Variable* v = body.FindVariable(name);
    if (v == nullptr) {
      std::vector<std::string_view> names;
      for (const config::Variable& each : body.variables) {
        names.push_back(each.name);
      }
      std::string suggestion = config::SuggestName(name, names);
      fmt::print(context.io.err, "clusterform module show: {} has no input \"{}\"{}\n",
                 resolved->builtin, name,
                 suggestion.empty() ? "" : fmt::format("; did you mean \"{}\"?", suggestion));
      return 1;
    }
    fmt::print(context.io.out, "{} ({} {}) ", resolved->builtin, info->repository, info->version);
    ShowInput(body, *v, context.io);
    return 0;
  }
  fmt::print(context.io.out, "{}: the {} inputs of {} {}\n", resolved->builtin,
             body.variables.size(), info->repository, info->version);
  size_t width = 0;
  for (const config::Variable& v : body.variables) {
    width = std::max(width, v.name.size());
  }
  for (const config::Variable& v : body.variables) {
    fmt::print(context.io.out, "  {:<{}}  {}  = {}\n", v.name, width,
               config::TypeConstraintText(v.type), DefaultText(body, v));
  }
  fmt::print(context.io.out,
             "`clusterform module show {} INPUT` shows one input with its description and "
             "validations.\n",
             resolved->builtin);
  return 0;
}

constexpr Command kModuleCommands[] = {
    {"show", "a built-in module's inputs: type, default, description, validations  SOURCE [INPUT]",
     ShowFlags, Show},
};

}  // namespace

std::span<const Command> ModuleCommands() {
  return kModuleCommands;
}

}  // namespace cf::cli
