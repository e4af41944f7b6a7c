#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "config/module_source.h"
#include "config/root_module.h"
#include "config/suggest.h"

namespace cf::config {

namespace {

using hcl::Attribute;
using hcl::Block;
using hcl::Body;
using hcl::Diagnostics;
using hcl::Expression;
using hcl::Range;

// What a block's body may contain: attribute names (required ones marked) and block types.
struct BodySchema {
  std::vector<std::string_view> attributes;
  std::vector<std::string_view> required;
  std::vector<std::string_view> blocks;
};

bool Contains(const std::vector<std::string_view>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// Reports attributes and blocks that `schema` does not allow, and missing required attributes.
void CheckBody(const Body* body, const BodySchema& schema, const Range& block_range,
               Diagnostics& diags) {
  for (const Attribute* attr : body->attributes) {
    if (!Contains(schema.attributes, attr->name)) {
      std::string detail =
          fmt::format("An argument named \"{}\" is not expected here.", attr->name);
      std::string suggestion = SuggestName(attr->name, schema.attributes);
      if (!suggestion.empty()) {
        detail += fmt::format(" Did you mean \"{}\"?", suggestion);
      }
      diags.AddError("Unsupported argument", detail, attr->name_range);
    }
  }
  for (const Block* block : body->blocks) {
    if (!Contains(schema.blocks, block->type)) {
      std::string detail = fmt::format("Blocks of type \"{}\" are not expected here.", block->type);
      std::string suggestion = SuggestName(block->type, schema.blocks);
      if (!suggestion.empty()) {
        detail += fmt::format(" Did you mean \"{}\"?", suggestion);
      }
      diags.AddError("Unsupported block type", detail, block->type_range);
    }
  }
  for (std::string_view name : schema.required) {
    bool found = std::any_of(body->attributes.begin(), body->attributes.end(),
                             [&](const Attribute* a) { return a->name == name; });
    if (!found) {
      diags.AddError(
          "Missing required argument",
          fmt::format("The argument \"{}\" is required, but no definition was found.", name),
          block_range);
    }
  }
}

const Attribute* FindAttribute(const Body* body, std::string_view name) {
  for (const Attribute* attr : body->attributes) {
    if (attr->name == name) {
      return attr;
    }
  }
  return nullptr;
}

// The string of a literal string expression ("text" with no interpolation).
std::optional<std::string> LiteralString(const Expression* e) {
  if (const auto* t = hcl::As<hcl::TemplateExpr>(e); t != nullptr && t->IsStringLiteral()) {
    return std::string(t->LiteralText());
  }
  return std::nullopt;
}

std::optional<bool> LiteralBool(const Expression* e) {
  if (const auto* l = hcl::As<hcl::LiteralExpr>(e);
      l != nullptr && l->literal_kind == hcl::LiteralKind::kBool) {
    return l->bool_value;
  }
  return std::nullopt;
}

std::string RequireLiteralString(const Attribute* attr, Diagnostics& diags) {
  std::optional<std::string> s = LiteralString(attr->expr);
  if (!s) {
    diags.AddError("Invalid value",
                   fmt::format("The \"{}\" argument must be a literal string: variables, "
                               "functions and interpolation are not allowed here.",
                               attr->name),
                   attr->expr->range);
    return {};
  }
  return *s;
}

bool RequireLiteralBool(const Attribute* attr, Diagnostics& diags) {
  std::optional<bool> b = LiteralBool(attr->expr);
  if (!b) {
    diags.AddError("Invalid value",
                   fmt::format("The \"{}\" argument must be true or false.", attr->name),
                   attr->expr->range);
    return false;
  }
  return *b;
}

// `ignore_changes = [name, ...]` (bare attribute names, as Terraform takes them) or `all`.
void DecodeIgnoreChanges(const Attribute* attr, Resource& out, Diagnostics& diags) {
  if (const auto* all = hcl::As<hcl::VariableExpr>(attr->expr);
      all != nullptr && all->name == "all") {
    out.ignore_all_changes = true;
    return;
  }
  const auto* tuple = hcl::As<hcl::TupleExpr>(attr->expr);
  if (tuple == nullptr) {
    diags.AddError("Invalid ignore_changes",
                   "ignore_changes must be a list of attribute names, or the keyword all.",
                   attr->expr->range);
    return;
  }
  for (const hcl::Expression* e : tuple->elements) {
    if (const auto* name = hcl::As<hcl::VariableExpr>(e)) {
      out.ignore_changes.emplace_back(name->name);
    } else if (!hcl::IsStaticTraversal(e)) {
      diags.AddError("Invalid ignore_changes",
                     "Each ignore_changes element must be an attribute name or path of the "
                     "resource.",
                     e->range);
    }
    // A nested path (scaling_config[0].desired_size) is accepted; only whole top-level
    // arguments are honoured so far.
  }
}

Range BlockHeaderRange(const Block* block) {
  Range r = block->type_range;
  if (!block->labels.empty()) {
    r.end = block->labels.back().range.end;
  }
  return r;
}

// Checks that `block` has exactly `names.size()` labels; reports the first problem.
bool CheckLabels(const Block* block, const std::vector<std::string_view>& names,
                 Diagnostics& diags) {
  std::string list = fmt::format("{}", fmt::join(names, ", "));
  if (block->labels.size() < names.size()) {
    diags.AddError(
        fmt::format("Missing name for {}", block->type),
        fmt::format("All {} blocks must have {} labels ({}).", block->type, names.size(), list),
        block->type_range);
    return false;
  }
  if (block->labels.size() > names.size()) {
    const hcl::BlockLabel& extra = block->labels[names.size()];
    std::string detail = names.empty()
                             ? fmt::format("No labels are expected for {} blocks.", block->type)
                             : fmt::format("Only {} labels ({}) are expected for {} blocks.",
                                           names.size(), list, block->type);
    diags.AddError(fmt::format("Extraneous label for {}", block->type), detail, extra.range);
    return false;
  }
  return true;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!is_letter(name[0]) && name[0] != '_') {
    return false;
  }
  for (char c : name) {
    if (!is_letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

bool CheckName(const Block* block, std::string_view what, Diagnostics& diags) {
  const hcl::BlockLabel& label = block->labels[0];
  if (!IsValidName(label.value)) {
    diags.AddError(fmt::format("Invalid {} name", what),
                   "A name must start with a letter or underscore and may contain only letters, "
                   "digits, underscores, and dashes.",
                   label.range);
    return false;
  }
  return true;
}

// Reports a second declaration of `name` (first seen at `first`).
template <typename T>
bool CheckUnique(const std::vector<T>& existing, std::string_view name, const Range& range,
                 std::string_view summary, std::string_view article_what, std::string_view rule,
                 Diagnostics& diags) {
  for (const T& item : existing) {
    if (item.name == name) {
      diags.AddError(std::string(summary),
                     fmt::format("{} named \"{}\" was already declared at {}. {}", article_what,
                                 name, FormatRangeShort(item.range), rule),
                     range);
      return false;
    }
  }
  return true;
}

void DecodeTerraform(const Block* block, RootModule& module, Diagnostics& diags) {
  CheckLabels(block, {}, diags);
  CheckBody(block->body,
            {{"required_version", "experiments", "cloud"}, {}, {"required_providers", "backend"}},
            block->range, diags);
  if (const Attribute* v = FindAttribute(block->body, "required_version")) {
    module.terraform.required_version = RequireLiteralString(v, diags);
    module.terraform.required_version_range = v->expr->range;
  }
  for (const Block* nested : block->body->blocks) {
    if (nested->type == "required_providers") {
      CheckLabels(nested, {}, diags);
      for (const Attribute* attr : nested->body->attributes) {
        RequiredProvider rp;
        rp.name = std::string(attr->name);
        rp.range = attr->range;
        if (auto s = LiteralString(attr->expr)) {
          rp.version = *s;  // legacy form: aws = "~> 5.0"
        } else if (const auto* obj = hcl::As<hcl::ObjectExpr>(attr->expr)) {
          for (const hcl::ObjectItem& item : obj->items) {
            std::string key;
            if (const auto* var = hcl::As<hcl::VariableExpr>(item.key)) {
              key = std::string(var->name);
            } else if (auto k = LiteralString(item.key)) {
              key = *k;
            }
            std::optional<std::string> value = LiteralString(item.value);
            if (key == "source" && value) {
              rp.source = *value;
            } else if (key == "version" && value) {
              rp.version = *value;
            } else if (key == "configuration_aliases") {
              continue;
            } else {
              diags.AddError("Invalid required_providers object",
                             "required_providers objects can only contain \"version\", "
                             "\"source\" and \"configuration_aliases\" attributes, each a "
                             "literal string.",
                             item.key->range);
            }
          }
        } else {
          diags.AddError("Invalid required_providers object",
                         "A provider requirement is an object with \"source\" and \"version\".",
                         attr->expr->range);
        }
        module.terraform.required_providers.push_back(std::move(rp));
      }
    } else if (nested->type == "backend") {
      if (!CheckLabels(nested, {"type"}, diags)) {
        continue;
      }
      std::string type(nested->labels[0].value);
      if (module.terraform.backend) {
        diags.AddError("Duplicate backend configuration",
                       fmt::format("A module may have only one backend configuration. The "
                                   "backend was previously configured at {}.",
                                   FormatRangeShort(module.terraform.backend->range)),
                       nested->type_range);
        continue;
      }
      if (type != "local" && type != "s3") {
        diags.AddError("Unsupported backend type",
                       fmt::format("clusterform supports the \"local\" and \"s3\" backends; "
                                   "\"{}\" is not one of them.",
                                   type),
                       nested->labels[0].range);
        continue;
      }
      module.terraform.backend = Backend{type, nested->body, BlockHeaderRange(nested)};
    }
  }
}

void DecodeProvider(const Block* block, RootModule& module, Diagnostics& diags) {
  if (!CheckLabels(block, {"name"}, diags)) {
    return;
  }
  ProviderConfig provider;
  provider.name = std::string(block->labels[0].value);
  provider.body = block->body;
  provider.range = BlockHeaderRange(block);
  if (provider.name != "aws") {
    diags.AddError("Unsupported provider",
                   fmt::format("clusterform works with the \"aws\" provider only; \"{}\" is not "
                               "supported.",
                               provider.name),
                   block->labels[0].range);
    return;
  }
  if (const Attribute* alias = FindAttribute(block->body, "alias")) {
    provider.alias = RequireLiteralString(alias, diags);
  }
  for (const ProviderConfig& other : module.providers) {
    if (other.name == provider.name && other.alias == provider.alias) {
      diags.AddError("Duplicate provider configuration",
                     fmt::format("A default (non-aliased) provider configuration for \"{}\" was "
                                 "already given at {}. If multiple configurations are required, "
                                 "set the \"alias\" argument for alternative configurations.",
                                 provider.name, FormatRangeShort(other.range)),
                     provider.range);
      return;
    }
  }
  module.providers.push_back(provider);
}

void DecodeVariable(const Block* block, RootModule& module, Diagnostics& diags) {
  if (!CheckLabels(block, {"name"}, diags) || !CheckName(block, "variable", diags)) {
    return;
  }
  Variable var;
  var.name = std::string(block->labels[0].value);
  var.range = BlockHeaderRange(block);
  CheckBody(block->body,
            {{"description", "default", "type", "sensitive", "nullable", "ephemeral"},
             {},
             {"validation"}},
            block->range, diags);
  for (const Attribute* attr : block->body->attributes) {
    if (attr->name == "description") {
      var.description = RequireLiteralString(attr, diags);
    } else if (attr->name == "default") {
      var.default_value = attr->expr;
    } else if (attr->name == "type") {
      var.type = attr->expr;
    } else if (attr->name == "sensitive") {
      var.sensitive = RequireLiteralBool(attr, diags);
    } else if (attr->name == "nullable") {
      var.nullable = RequireLiteralBool(attr, diags);
    }
  }
  for (const Block* nested : block->body->blocks) {
    if (nested->type != "validation" || !CheckLabels(nested, {}, diags)) {
      continue;
    }
    CheckBody(nested->body, {{"condition", "error_message"}, {"condition", "error_message"}, {}},
              nested->range, diags);
    Validation v;
    v.range = nested->type_range;
    if (const Attribute* c = FindAttribute(nested->body, "condition")) {
      v.condition = c->expr;
    }
    if (const Attribute* m = FindAttribute(nested->body, "error_message")) {
      v.error_message = m->expr;
    }
    if (v.condition != nullptr && v.error_message != nullptr) {
      var.validations.push_back(v);
    }
  }
  if (CheckUnique(module.variables, var.name, var.range, "Duplicate variable declaration",
                  "A variable", "Variable names must be unique within a module.", diags)) {
    module.variables.push_back(std::move(var));
  }
}

void DecodeLocals(const Block* block, RootModule& module, Diagnostics& diags) {
  CheckLabels(block, {}, diags);
  for (const Block* nested : block->body->blocks) {
    diags.AddError("Unsupported block type",
                   fmt::format("Blocks of type \"{}\" are not expected here.", nested->type),
                   nested->type_range);
  }
  for (const Attribute* attr : block->body->attributes) {
    Local local{std::string(attr->name), attr->expr, attr->name_range};
    if (CheckUnique(module.locals, local.name, local.range, "Duplicate local value definition",
                    "A local value", "Local value names must be unique within a module.", diags)) {
      module.locals.push_back(std::move(local));
    }
  }
}

// `providers = { aws = aws.east }`: each key a provider name, each value a provider
// configuration reference (`aws` or `aws.ALIAS`).
void DecodeModuleProviders(const Attribute* attr, ModuleCall& call, Diagnostics& diags) {
  const auto* object = hcl::As<hcl::ObjectExpr>(attr->expr);
  if (object == nullptr) {
    diags.AddError("Invalid providers argument",
                   "The providers argument must be a map of provider names to provider "
                   "configurations, like { aws = aws.east }.",
                   attr->expr->range);
    return;
  }
  for (const hcl::ObjectItem& item : object->items) {
    const auto* key = hcl::As<hcl::VariableExpr>(item.key);
    std::string root;
    std::string alias;
    if (const auto* var = hcl::As<hcl::VariableExpr>(item.value)) {
      root = std::string(var->name);
    } else if (const auto* get = hcl::As<hcl::GetAttrExpr>(item.value)) {
      if (const auto* base = hcl::As<hcl::VariableExpr>(get->object)) {
        root = std::string(base->name);
        alias = std::string(get->name);
      }
    }
    if (key == nullptr || root.empty()) {
      diags.AddError("Invalid providers argument",
                     "Each entry of providers must be NAME = NAME or NAME = NAME.ALIAS, naming "
                     "a provider configuration of the root module.",
                     item.value->range);
      continue;
    }
    call.providers.push_back({std::string(key->name), alias, root, item.value->range});
  }
}

void DecodeModule(const Block* block, RootModule& module, Diagnostics& diags) {
  if (!CheckLabels(block, {"name"}, diags) || !CheckName(block, "module", diags)) {
    return;
  }
  ModuleCall call;
  call.name = std::string(block->labels[0].value);
  call.range = BlockHeaderRange(block);
  for (const Block* nested : block->body->blocks) {
    diags.AddError(
        "Unsupported block type",
        fmt::format("Blocks of type \"{}\" are not expected in a module call.", nested->type),
        nested->type_range);
  }
  const Attribute* source_attr = nullptr;
  for (const Attribute* attr : block->body->attributes) {
    if (attr->name == "source") {
      source_attr = attr;
    } else if (attr->name == "version") {
      call.version = RequireLiteralString(attr, diags);
      call.version_range = attr->expr->range;
    } else if (attr->name == "depends_on") {
      call.depends_on = attr->expr;
    } else if (attr->name == "count") {
      call.count = attr->expr;
    } else if (attr->name == "for_each") {
      call.for_each = attr->expr;
    } else if (attr->name == "providers") {
      DecodeModuleProviders(attr, call, diags);
    } else {
      call.arguments.push_back(attr);
    }
  }
  if (call.count != nullptr && call.for_each != nullptr) {
    diags.AddError("Invalid combination of \"count\" and \"for_each\"",
                   "The \"count\" and \"for_each\" meta-arguments are mutually-exclusive, only "
                   "one should be used to be explicit about the number of module instances to "
                   "be created.",
                   call.range);
  }
  if (source_attr == nullptr) {
    diags.AddError("Missing required argument",
                   "The argument \"source\" is required, but no definition was found.", call.range);
    return;
  }
  call.source_range = source_attr->expr->range;
  std::optional<std::string> source = LiteralString(source_attr->expr);
  if (!source) {
    RequireLiteralString(source_attr, diags);
    return;
  }
  call.source = *source;
  if (!IsLocalModulePath(call.source)) {
    std::optional<ResolvedSource> resolved = ResolveRemoteSource(call.source);
    if (resolved && !resolved->submodule.empty()) {
      diags.AddError("Unsupported module source",
                     fmt::format("\"{}\" names the submodule \"{}\" of {}. clusterform has the "
                                 "root modules built in (\"weka/weka/aws\", \"wandb/wandb/aws\") "
                                 "but not their submodules yet; call the root module, which "
                                 "creates the same resources from its inputs.",
                                 call.source, resolved->submodule, resolved->builtin),
                     call.source_range);
      return;
    }
    if (!resolved) {
      diags.AddError("Unsupported module source",
                     fmt::format("\"{}\" is not a built-in module. clusterform has these built "
                                 "in: \"weka/weka/aws\" (WEKA) and \"wandb/wandb/aws\" (W&B "
                                 "server), also when named by their GitHub repositories or a "
                                 "local checkout; it does not download modules.",
                                 call.source),
                     call.source_range);
      return;
    }
    call.builtin_source = resolved->builtin;
    if (!resolved->registry) {
      const BuiltinModuleInfo* info = FindBuiltinModuleInfo(resolved->builtin);
      diags.Add(hcl::Diagnostic::Warning(
          "Module source planned with a built-in module",
          fmt::format("\"{}\"{} is planned with clusterform's built-in \"{}\", which takes the "
                      "inputs of {} {}; clusterform does not download modules.",
                      call.source,
                      resolved->ref.empty() ? "" : fmt::format(" (ref {})", resolved->ref),
                      resolved->builtin, info->repository, info->version),
          call.source_range));
    }
  }
  for (const ModuleCall& other : module.modules) {
    if (other.name == call.name) {
      diags.AddError("Duplicate module call",
                     fmt::format("A module call named \"{}\" was already defined at {}. Module "
                                 "calls must have unique names within a module.",
                                 call.name, FormatRangeShort(other.range)),
                     call.range);
      return;
    }
  }
  module.modules.push_back(std::move(call));
}

void DecodeOutput(const Block* block, RootModule& module, Diagnostics& diags) {
  if (!CheckLabels(block, {"name"}, diags) || !CheckName(block, "output", diags)) {
    return;
  }
  Output out;
  out.name = std::string(block->labels[0].value);
  out.range = BlockHeaderRange(block);
  CheckBody(block->body,
            {{"value", "description", "sensitive", "depends_on", "ephemeral"},
             {"value"},
             {"precondition"}},
            block->range, diags);
  for (const Attribute* attr : block->body->attributes) {
    if (attr->name == "value") {
      out.value = attr->expr;
    } else if (attr->name == "description") {
      out.description = RequireLiteralString(attr, diags);
    } else if (attr->name == "sensitive") {
      out.sensitive = RequireLiteralBool(attr, diags);
    } else if (attr->name == "depends_on") {
      out.depends_on = attr->expr;
    }
  }
  for (const Output& other : module.outputs) {
    if (other.name == out.name) {
      diags.AddError("Duplicate output definition",
                     fmt::format("An output named \"{}\" was already defined at {}. Output names "
                                 "must be unique within a module.",
                                 out.name, FormatRangeShort(other.range)),
                     out.range);
      return;
    }
  }
  if (out.value != nullptr) {
    module.outputs.push_back(std::move(out));
  }
}

constexpr std::string_view kTopLevelBlocks[] = {"terraform", "provider", "variable", "locals",
                                                "module",    "output",   "resource", "data"};

// Block types Terraform accepts that clusterform deliberately does not.
constexpr std::string_view kUnsupportedTerraformBlocks[] = {"moved", "import", "check", "removed"};

// Meta-arguments of resource and data blocks: not part of the resource's configuration.
void DecodeResource(const Block* block, bool data, RootModule& module, Diagnostics& diags) {
  if (!CheckLabels(block, {"type", "name"}, diags)) {
    return;
  }
  Resource out;
  out.data = data;
  out.type = std::string(block->labels[0].value);
  out.name = std::string(block->labels[1].value);
  out.body = block->body;
  out.range = BlockHeaderRange(block);
  for (const Attribute* attr : block->body->attributes) {
    if (attr->name == "count") {
      out.count = attr->expr;
    } else if (attr->name == "for_each") {
      out.for_each = attr->expr;
    } else if (attr->name == "depends_on") {
      out.depends_on = attr->expr;
    }
  }
  if (out.count != nullptr && out.for_each != nullptr) {
    diags.AddError("Invalid combination of \"count\" and \"for_each\"",
                   "The \"count\" and \"for_each\" meta-arguments are mutually-exclusive, only "
                   "one should be used to be explicit about the number of resources to be "
                   "created.",
                   out.range);
  }
  for (const Block* inner : block->body->blocks) {
    if (inner->type != "lifecycle") {
      continue;
    }
    if (const Attribute* cbd = FindAttribute(inner->body, "create_before_destroy")) {
      out.create_before_destroy = RequireLiteralBool(cbd, diags);
    }
    if (const Attribute* ignore = FindAttribute(inner->body, "ignore_changes")) {
      DecodeIgnoreChanges(ignore, out, diags);
    }
    for (const Block* check : inner->body->blocks) {
      if (check->type != "precondition") {
        continue;
      }
      Precondition p;
      p.range = check->range;
      if (const Attribute* c = FindAttribute(check->body, "condition")) {
        p.condition = c->expr;
      }
      if (const Attribute* m = FindAttribute(check->body, "error_message")) {
        p.error_message = m->expr;
      }
      if (p.condition == nullptr || p.error_message == nullptr) {
        diags.AddError("Missing required argument",
                       "A precondition needs both \"condition\" and \"error_message\".",
                       check->range);
        continue;
      }
      out.preconditions.push_back(p);
    }
  }
  for (const Resource& other : module.resources) {
    if (other.data == data && other.type == out.type && other.name == out.name) {
      diags.AddError(
          data ? "Duplicate data \"" + out.type + "\" configuration"
               : "Duplicate resource \"" + out.type + "\" configuration",
          fmt::format("A {} {} \"{}\" was already declared at {}. Resource names must be unique "
                      "per type in each module.",
                      data ? "data" : "resource", out.type, out.name,
                      FormatRangeShort(other.range)),
          out.range);
      return;
    }
  }
  module.resources.push_back(out);
}

}  // namespace

void DecodeModuleBody(RootModule& module, Diagnostics& diags) {
  for (const auto& file : module.files) {
    const Body* body = file->body();
    for (const Attribute* attr : body->attributes) {
      diags.AddError("Unsupported argument",
                     fmt::format("An argument named \"{}\" is not expected here.", attr->name),
                     attr->name_range);
    }
    for (const Block* block : body->blocks) {
      if (block->type == "variable") {
        DecodeVariable(block, module, diags);
      } else if (block->type == "locals") {
        DecodeLocals(block, module, diags);
      } else if (block->type == "output") {
        DecodeOutput(block, module, diags);
      } else if (block->type == "resource" || block->type == "data") {
        DecodeResource(block, block->type == "data", module, diags);
      } else {
        diags.AddError(
            "Unsupported block type",
            fmt::format("Blocks of type \"{}\" are not expected in a module body.", block->type),
            block->type_range);
      }
    }
  }
}

void DecodeRootModule(RootModule& module, Diagnostics& diags) {
  for (const auto& file : module.files) {
    const Body* body = file->body();
    for (const Attribute* attr : body->attributes) {
      diags.AddError("Unsupported argument",
                     fmt::format("An argument named \"{}\" is not expected here.", attr->name),
                     attr->name_range);
    }
    for (const Block* block : body->blocks) {
      if (block->type == "terraform") {
        DecodeTerraform(block, module, diags);
      } else if (block->type == "provider") {
        DecodeProvider(block, module, diags);
      } else if (block->type == "variable") {
        DecodeVariable(block, module, diags);
      } else if (block->type == "locals") {
        DecodeLocals(block, module, diags);
      } else if (block->type == "module") {
        DecodeModule(block, module, diags);
      } else if (block->type == "output") {
        DecodeOutput(block, module, diags);
      } else if (block->type == "resource" || block->type == "data") {
        // Whether clusterform knows the type is graph/'s question (it knows the providers).
        DecodeResource(block, block->type == "data", module, diags);
      } else if (std::find(std::begin(kUnsupportedTerraformBlocks),
                           std::end(kUnsupportedTerraformBlocks),
                           block->type) != std::end(kUnsupportedTerraformBlocks)) {
        diags.AddError("Unsupported block type",
                       fmt::format("clusterform does not support \"{}\" blocks. A clusterform "
                                   "configuration calls the built-in modules (weka/weka/aws, "
                                   "wandb/wandb/aws) and may declare terraform, provider "
                                   "\"aws\", variable, locals, resource, data and output "
                                   "blocks.",
                                   block->type),
                       block->type_range);
      } else {
        std::vector<std::string_view> known(std::begin(kTopLevelBlocks), std::end(kTopLevelBlocks));
        std::string detail =
            fmt::format("Blocks of type \"{}\" are not expected here.", block->type);
        std::string suggestion = SuggestName(block->type, known);
        if (!suggestion.empty()) {
          detail += fmt::format(" Did you mean \"{}\"?", suggestion);
        }
        diags.AddError("Unsupported block type", detail, block->type_range);
      }
    }
  }
}

const Variable* RootModule::FindVariable(std::string_view name) const {
  for (const Variable& v : variables) {
    if (v.name == name) {
      return &v;
    }
  }
  return nullptr;
}

const ModuleCall* RootModule::FindModule(std::string_view name) const {
  for (const ModuleCall& m : modules) {
    if (m.name == name) {
      return &m;
    }
  }
  return nullptr;
}

std::string_view RootModule::SourceOf(std::string_view filename) const {
  for (const auto& file : files) {
    if (file->filename() == filename) {
      return file->source();
    }
  }
  return {};
}

}  // namespace cf::config
