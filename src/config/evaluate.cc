#include "config/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "config/references.h"
#include "config/suggest.h"
#include "hcl/eval.h"

namespace cf::config {

namespace {

// One thing to evaluate, keyed "local.x", "module.x" or "output.x".
struct Node {
  std::string key;
  hcl::Range range;
  std::vector<Reference> refs;
  enum class State { kNew, kVisiting, kDone } state = State::kNew;
};

// One instance of a module call: its key (null, or the count index or for_each key), the
// for_each value, and its address.
struct ModuleKey {
  bool by_count = false;
  hcl::Value key;
  hcl::Value each_value;
  std::string address;
};

std::string NodeKey(const Reference& r) {
  switch (r.kind) {
    case Reference::Kind::kLocal:
      return "local." + r.name;
    case Reference::Kind::kModule:
      return "module." + r.name;
    case Reference::Kind::kVariable:
      return "var." + r.name;
    case Reference::Kind::kResource:
    case Reference::Kind::kData:
      return {};  // not in a root module
  }
  return {};
}

class ConfigEvaluator {
 public:
  ConfigEvaluator(const RootModule& module, const InputValues& inputs, const ModuleLookup& lookup,
                  const ModuleExpander& expander, const hcl::FunctionContext& functions,
                  hcl::Diagnostics& diags, const std::map<std::string, std::string>& environment)
      : environment_(environment),
        module_(module),
        inputs_(inputs),
        lookup_(lookup),
        expander_(expander),
        functions_(functions),
        diags_(diags) {}

  EvaluatedConfig Run() {
    result_.variables = EvaluateRootVariables(module_, inputs_, functions_, diags_);
    result_.provider =
        EvaluateProvider(module_, result_.variables.values, environment_, functions_, diags_);
    for (const Local& local : module_.locals) {
      AddNode("local." + local.name, local.range, {local.expr});
    }
    for (const ModuleCall& call : module_.modules) {
      std::vector<const hcl::Expression*> exprs;
      for (const hcl::Attribute* arg : call.arguments) {
        exprs.push_back(arg->expr);
      }
      exprs.push_back(call.depends_on);
      exprs.push_back(call.count);
      exprs.push_back(call.for_each);
      AddNode("module." + call.name, call.range, exprs);
    }
    for (const Output& out : module_.outputs) {
      AddNode("output." + out.name, out.range, {out.value, out.depends_on});
    }
    for (const std::string& key : order_) {
      Visit(nodes_.at(key));
    }
    return std::move(result_);
  }

 private:
  void AddNode(const std::string& key, const hcl::Range& range,
               const std::vector<const hcl::Expression*>& exprs) {
    Node node{key, range, {}};
    for (const hcl::Expression* e : exprs) {
      if (e == nullptr) {
        continue;
      }
      std::vector<Reference> refs = FindReferences(e);
      node.refs.insert(node.refs.end(), refs.begin(), refs.end());
    }
    order_.push_back(key);
    nodes_.emplace(key, std::move(node));
  }

  void Visit(Node& node) {
    if (node.state == Node::State::kDone) {
      return;
    }
    if (node.state == Node::State::kVisiting) {
      ReportCycle(node);
      return;
    }
    node.state = Node::State::kVisiting;
    stack_.push_back(node.key);
    for (const Reference& ref : node.refs) {
      if (ref.kind == Reference::Kind::kVariable) {
        continue;
      }
      auto it = nodes_.find(NodeKey(ref));
      if (it != nodes_.end()) {
        Visit(it->second);
      }
    }
    stack_.pop_back();
    if (node.state == Node::State::kVisiting) {
      Evaluate(node.key);
    }
    node.state = Node::State::kDone;
  }

  void ReportCycle(const Node& node) {
    auto start = std::find(stack_.begin(), stack_.end(), node.key);
    std::vector<std::string> cycle(start, stack_.end());
    cycle.push_back(node.key);
    diags_.AddError("Cycle in references",
                    fmt::format("These refer to each other in a loop: {}. Break the loop by "
                                "removing one of the references.",
                                fmt::join(cycle, " -> ")),
                    node.range);
    for (const std::string& key : cycle) {
      Node& member = nodes_.at(key);
      if (member.state != Node::State::kDone) {
        member.state = Node::State::kDone;
        SetUnknown(key);
      }
    }
  }

  void SetUnknown(const std::string& key) {
    if (key.rfind("local.", 0) == 0) {
      locals_[key.substr(6)] = hcl::Value::Unknown(hcl::Type::Dynamic());
    } else if (key.rfind("module.", 0) == 0) {
      module_outputs_[key.substr(7)] = hcl::Value::Unknown(hcl::Type::Dynamic());
    }
  }

  // The scope of the root module: var, local and module, as evaluated so far.
  void FillScope(hcl::MapScope& scope) const {
    scope.Set("var", hcl::Value::Object(hcl::ValueMap(result_.variables.values.begin(),
                                                      result_.variables.values.end())));
    scope.Set("local", hcl::Value::Object(locals_));
    scope.Set("module", hcl::Value::Object(module_outputs_));
    // The root module's own resources are expanded after this (graph/ExpandConfiguration);
    // here they are unknown.
    for (const Resource& r : module_.resources) {
      std::string name = r.data ? "data" : r.type;
      if (name != "var" && name != "local" && name != "module" && name != "path") {
        scope.Set(name, hcl::Value::Unknown(hcl::Type::Dynamic()));
      }
    }
    scope.Set("path", hcl::Value::Object({{"module", hcl::Value::String(module_.dir)},
                                          {"root", hcl::Value::String(module_.dir)},
                                          {"cwd", hcl::Value::String(".")}}));
  }

  // Reports references to things that are not declared (the evaluator would only say
  // "unsupported attribute" on an object, which is less helpful).
  bool CheckDeclared(const std::vector<Reference>& refs) {
    bool ok = true;
    for (const Reference& ref : refs) {
      if (ref.kind == Reference::Kind::kVariable && module_.FindVariable(ref.name) == nullptr) {
        std::vector<std::string_view> names;
        for (const Variable& v : module_.variables) {
          names.push_back(v.name);
        }
        std::string suggestion = SuggestName(ref.name, names);
        diags_.AddError(
            "Reference to undeclared input variable",
            fmt::format("An input variable with the name \"{}\" has not been "
                        "declared.{}",
                        ref.name,
                        suggestion.empty() ? " This variable can be declared with a variable "
                                             "\"" +
                                                 ref.name + "\" {} block."
                                           : " Did you mean \"" + suggestion + "\"?"),
            ref.range);
        ok = false;
      } else if (ref.kind == Reference::Kind::kLocal && nodes_.count("local." + ref.name) == 0) {
        diags_.AddError(
            "Reference to undeclared local value",
            fmt::format("A local value with the name \"{}\" has not been declared.", ref.name),
            ref.range);
        ok = false;
      } else if (ref.kind == Reference::Kind::kModule && nodes_.count("module." + ref.name) == 0) {
        diags_.AddError("Reference to undeclared module",
                        fmt::format("No module call named \"{}\" is declared in the root "
                                    "module.",
                                    ref.name),
                        ref.range);
        ok = false;
      }
    }
    return ok;
  }

  hcl::Value EvalInRoot(const hcl::Expression* expr, const ModuleKey* key = nullptr) {
    hcl::MapScope scope;
    FillScope(scope);
    if (key != nullptr && key->key.IsKnown() && !key->key.IsNull()) {
      if (key->by_count) {
        scope.Set("count", hcl::Value::Object({{"index", key->key}}));
      } else {
        scope.Set("each", hcl::Value::Object({{"key", key->key}, {"value", key->each_value}}));
      }
    }
    return hcl::Evaluate(expr, scope, &diags_, functions_);
  }

  void Evaluate(const std::string& key) {
    const Node& node = nodes_.at(key);
    if (!CheckDeclared(node.refs)) {
      SetUnknown(key);
      return;
    }
    if (key.rfind("local.", 0) == 0) {
      std::string name = key.substr(6);
      for (const Local& local : module_.locals) {
        if (local.name == name) {
          locals_[name] = EvalInRoot(local.expr);
          result_.locals[name] = locals_[name];
        }
      }
    } else if (key.rfind("module.", 0) == 0) {
      EvaluateModule(*module_.FindModule(key.substr(7)));
    } else if (key.rfind("output.", 0) == 0) {
      std::string name = key.substr(7);
      for (const Output& out : module_.outputs) {
        if (out.name != name) {
          continue;
        }
        EvaluatedOutput evaluated;
        evaluated.value = EvalInRoot(out.value);
        evaluated.sensitive = out.sensitive;
        evaluated.description = out.description;
        if (evaluated.value.ContainsSensitive() && !out.sensitive) {
          std::vector<std::string> stricter = StricterSensitiveSources(out);
          if (stricter.empty()) {
            diags_.AddError("Output refers to sensitive values",
                            "To reduce the risk of accidentally exporting sensitive data that "
                            "was intended to be only internal, clusterform requires that any "
                            "root module output containing sensitive data be explicitly marked "
                            "as sensitive, to confirm your intent. Add sensitive = true to this "
                            "output.",
                            out.range);
          } else {
            evaluated.sensitive = true;
            diags_.Add(hcl::Diagnostic::Warning(
                "Output treated as sensitive",
                fmt::format("Output \"{}\" passes on {}, which clusterform marks sensitive "
                            "and the public module does not. It is treated as sensitive: hidden "
                            "in plan, apply and output listings, shown by `clusterform output "
                            "{}`. Add sensitive = true to this output to say so and silence "
                            "this warning.",
                            name, fmt::join(stricter, " and "), name),
                out.range));
          }
        }
        result_.outputs[name] = std::move(evaluated);
      }
    }
  }

  const hcl::Expression* LocalCloudDefault(const ModuleDefinition& definition,
                                           const std::string& name) const {
    if (!result_.provider.local_cloud || definition.local_cloud_defaults == nullptr) {
      return nullptr;
    }
    auto it = definition.local_cloud_defaults->find(name);
    return it == definition.local_cloud_defaults->end() ? nullptr : it->second;
  }

  // The instances a module call has: one (null key) without count and for_each; nullopt
  // (after an error) when they cannot be known.
  std::optional<std::vector<ModuleKey>> ModuleKeys(const ModuleCall& call) {
    std::vector<ModuleKey> keys;
    if (call.count != nullptr) {
      hcl::Value count = EvalInRoot(call.count);
      if (!count.IsKnown()) {
        diags_.AddError("Invalid count argument",
                        "The \"count\" value depends on values that cannot be determined until "
                        "apply, so the number of module instances cannot be planned.",
                        call.count->range);
        return std::nullopt;
      }
      Result<hcl::Value> n = hcl::Convert(count.UnmarkDeep(), hcl::Type::Number());
      if (count.IsNull() || !n.ok() || !n->AsNumber().IsInteger() || n->AsNumber().IsNegative()) {
        diags_.AddError("Invalid count argument",
                        "The given \"count\" argument value is unsuitable: it must be a whole "
                        "number, zero or more.",
                        call.count->range);
        return std::nullopt;
      }
      int64_t total = n->AsNumber().ToInt64().value_or(0);
      for (int64_t i = 0; i < total; ++i) {
        keys.push_back({true, hcl::Value::Num(hcl::Number(i)), hcl::Value(),
                        fmt::format("module.{}[{}]", call.name, i)});
      }
      return keys;
    }
    if (call.for_each != nullptr) {
      hcl::Value each = EvalInRoot(call.for_each);
      bool keys_known =
          each.IsKnown() && (each.IsNull() || !each.type().IsSet() || each.IsWhollyKnown());
      if (!keys_known) {
        diags_.AddError("Invalid for_each argument",
                        "The \"for_each\" value depends on values that cannot be determined "
                        "until apply, so the module instances cannot be planned.",
                        call.for_each->range);
        return std::nullopt;
      }
      auto add = [&](const std::string& k, const hcl::Value& v) {
        keys.push_back(
            {false, hcl::Value::String(k), v, fmt::format("module.{}[\"{}\"]", call.name, k)});
      };
      const hcl::Type& type = each.type();
      if (!each.IsNull() && (type.IsMap() || type.IsObject())) {
        for (const auto& [k, v] : each.Attributes()) {
          add(k, v);
        }
        return keys;
      }
      if (!each.IsNull() && type.IsSet()) {
        for (const hcl::Value& e : each.Elements()) {
          Result<hcl::Value> str = hcl::Convert(e, hcl::Type::String());
          if (!str.ok() || str->IsNull()) {
            break;
          }
          add(str->AsString(), *str);
        }
        if (keys.size() == each.Elements().size()) {
          return keys;
        }
      }
      diags_.AddError("Invalid for_each argument",
                      "The given \"for_each\" argument value is unsuitable: the \"for_each\" "
                      "argument must be a map, or set of strings.",
                      call.for_each->range);
      return std::nullopt;
    }
    keys.push_back({false, hcl::Value(), hcl::Value(), "module." + call.name});
    return keys;
  }

  // `providers = { aws = aws.ALIAS }`: every configuration passed must exist. clusterform
  // plans every module with one AWS configuration, so an alias that sets another region or
  // other endpoints than the default configuration is refused.
  void CheckModuleProviders(const ModuleCall& call) {
    for (const ModuleCall::ProviderPass& pass : call.providers) {
      const ProviderConfig* found = nullptr;
      for (const ProviderConfig& p : module_.providers) {
        if (p.name == pass.root_name && p.alias == pass.alias) {
          found = &p;
        }
      }
      std::string written = pass.alias.empty() ? pass.root_name : pass.root_name + "." + pass.alias;
      if (found == nullptr && !(pass.alias.empty() && pass.root_name == "aws")) {
        diags_.AddError(
            "Reference to undefined provider",
            fmt::format("There is no provider configuration {} in the root module. "
                        "Declare it with a provider \"{}\" block{}.",
                        written, pass.root_name,
                        pass.alias.empty() ? "" : fmt::format(" with alias = \"{}\"", pass.alias)),
            pass.range);
        continue;
      }
      if (pass.name != pass.root_name) {
        diags_.AddError("Invalid providers argument",
                        fmt::format("The module's provider \"{}\" cannot be given a \"{}\" "
                                    "provider configuration.",
                                    pass.name, pass.root_name),
                        pass.range);
        continue;
      }
      if (pass.root_name != "aws" || pass.alias.empty()) {
        continue;
      }
      ProviderSettings aliased = EvaluateProvider(module_, result_.variables.values, environment_,
                                                  functions_, diags_, pass.alias);
      if (aliased.region != result_.provider.region ||
          aliased.endpoints != result_.provider.endpoints ||
          aliased.profile != result_.provider.profile) {
        diags_.AddError(
            "Unsupported providers argument",
            fmt::format("The provider configuration {} differs from the default \"aws\" "
                        "configuration (region \"{}\" against \"{}\", or its profile or "
                        "endpoints). clusterform plans and applies every module with one AWS "
                        "configuration; give the module the default configuration, or deploy "
                        "it from its own directory.",
                        written, aliased.region, result_.provider.region),
            pass.range);
      }
    }
  }

  void EvaluateModule(const ModuleCall& call) {
    const ModuleDefinition* definition =
        lookup_ && !call.builtin_source.empty() ? lookup_(call.builtin_source) : nullptr;
    module_outputs_[call.name] = hcl::Value::Unknown(hcl::Type::Dynamic());
    if (definition == nullptr) {
      return;
    }
    definitions_[call.name] = definition;
    CheckModuleProviders(call);
    std::optional<std::vector<ModuleKey>> keys = ModuleKeys(call);
    if (!keys) {
      return;
    }
    hcl::ValueList by_index;
    hcl::ValueMap by_key;
    for (const ModuleKey& key : *keys) {
      hcl::Value outputs = EvaluateModuleInstance(call, *definition, key);
      if (call.count != nullptr) {
        by_index.push_back(outputs);
      } else if (call.for_each != nullptr) {
        by_key[key.key.AsString()] = outputs;
      } else {
        module_outputs_[call.name] = outputs;
      }
    }
    if (call.count != nullptr) {
      module_outputs_[call.name] = hcl::Value::Tuple(std::move(by_index));
    } else if (call.for_each != nullptr) {
      module_outputs_[call.name] = hcl::Value::Object(std::move(by_key));
    }
  }

  hcl::Value EvaluateModuleInstance(const ModuleCall& call, const ModuleDefinition& definition,
                                    const ModuleKey& key) {
    EvaluatedModuleCall evaluated;
    evaluated.name = call.name;
    evaluated.address = key.address;
    evaluated.key = key.key;
    evaluated.definition = &definition;
    const RootModule& schema = *definition.schema;
    size_t diags_before = diags_.size();
    std::vector<std::string_view> names;
    for (const Variable& v : schema.variables) {
      names.push_back(v.name);
    }
    std::map<std::string, const hcl::Attribute*> given;
    for (const hcl::Attribute* arg : call.arguments) {
      std::string name(arg->name);
      if (schema.FindVariable(name) == nullptr) {
        std::string detail = fmt::format(
            "An argument named \"{}\" is not expected here: the module \"{}\" has "
            "no input of that name.",
            name, definition.source);
        std::string suggestion = SuggestName(name, names);
        if (!suggestion.empty()) {
          detail += fmt::format(" Did you mean \"{}\"?", suggestion);
        }
        diags_.AddError("Unsupported argument", detail, arg->name_range);
        continue;
      }
      given[name] = arg;
    }
    std::vector<std::pair<const Variable*, ValueOrigin>> to_validate;
    for (const Variable& decl : schema.variables) {
      std::optional<TypeConstraint> constraint;
      if (decl.type != nullptr) {
        constraint = DecodeTypeConstraint(decl.type, diags_);
      }
      ValueOrigin origin{call.range, fmt::format("{}.{}", key.address, decl.name)};
      hcl::Value raw;
      auto it = given.find(decl.name);
      if (it != given.end()) {
        raw = EvalInRoot(it->second->expr, &key);
        origin.subject = it->second->expr->range;
      } else if (const hcl::Expression* local = LocalCloudDefault(definition, decl.name)) {
        hcl::MapScope empty;
        raw = hcl::Evaluate(local, empty, &diags_, functions_);
      } else if (decl.default_value != nullptr) {
        hcl::MapScope empty;
        raw = hcl::Evaluate(decl.default_value, empty, &diags_, functions_);
      } else {
        diags_.AddError("Missing required argument",
                        fmt::format("The argument \"{}\" is required by the module \"{}\", "
                                    "but no definition was found.",
                                    decl.name, definition.source),
                        call.range);
        evaluated.inputs[decl.name] =
            hcl::Value::Unknown(constraint ? constraint->type : hcl::Type::Dynamic());
        continue;
      }
      evaluated.inputs[decl.name] = ConvertVariableValue(decl, constraint, raw, origin, diags_);
      to_validate.emplace_back(&decl, origin);
    }
    hcl::Value all(
        hcl::Value::Object(hcl::ValueMap(evaluated.inputs.begin(), evaluated.inputs.end())));
    for (const auto& [decl, origin] : to_validate) {
      ValidateVariableValue(*decl, all, origin, functions_, diags_);
    }
    evaluated.outputs = hcl::Value::Unknown(hcl::Type::Dynamic());
    // A call whose arguments are wrong is not expanded: the body's own checks would only
    // repeat the argument errors in other words.
    bool arguments_ok = true;
    for (size_t i = diags_before; i < diags_.size(); ++i) {
      arguments_ok = arguments_ok && diags_[i].severity != hcl::Severity::kError;
    }
    if (expander_ && arguments_ok) {
      evaluated.outputs = expander_(key.address, definition, evaluated.inputs, result_.provider);
    }
    hcl::Value outputs = evaluated.outputs;
    result_.modules.push_back(std::move(evaluated));
    return outputs;
  }

  // The module outputs `out` passes on that clusterform marks sensitive and the public module
  // does not ("module.wandb.database_connection_string (it holds ...)"), when they are the only
  // sensitive values in it; empty when anything else in it is sensitive too.
  std::vector<std::string> StricterSensitiveSources(const Output& out) {
    struct Candidate {
      std::string module;
      std::string output;
      std::string why;
    };
    std::vector<Candidate> candidates;
    for (const Reference& ref : FindReferences(out.value)) {
      auto it = definitions_.find(ref.name);
      if (ref.kind != Reference::Kind::kModule || it == definitions_.end() ||
          it->second->stricter_sensitive_outputs == nullptr) {
        continue;
      }
      for (const auto& [output, why] : *it->second->stricter_sensitive_outputs) {
        bool seen = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& c) {
          return c.module == ref.name && c.output == output;
        });
        if (!seen) {
          candidates.push_back({ref.name, output, why});
        }
      }
    }
    if (candidates.empty()) {
      return {};
    }
    // Evaluates the output with the candidates' marks removed, except `keep`'s.
    auto sensitive_without = [&](const Candidate* keep) {
      hcl::ValueMap saved = module_outputs_;
      for (const Candidate& c : candidates) {
        if (&c != keep) {
          module_outputs_[c.module] =
              UnmarkOutput(*module_.FindModule(c.module), module_outputs_[c.module], c.output);
        }
      }
      hcl::Diagnostics ignored;
      hcl::MapScope scope;
      FillScope(scope);
      hcl::Value v = hcl::Evaluate(out.value, scope, &ignored, functions_);
      module_outputs_ = std::move(saved);
      return v.ContainsSensitive();
    };
    if (sensitive_without(nullptr)) {
      return {};
    }
    std::vector<std::string> named;
    for (const Candidate& c : candidates) {
      if (sensitive_without(&c)) {
        named.push_back(fmt::format("module.{}.{} ({})", c.module, c.output, c.why));
      }
    }
    return named;
  }

  // The value `module.NAME` has for `call` (one instance's object, the tuple of a count's or
  // the object of a for_each's instances) with the sensitive marks of output `name` removed.
  static hcl::Value UnmarkOutput(const ModuleCall& call, const hcl::Value& outputs,
                                 const std::string& name) {
    auto unmark_one = [&](const hcl::Value& instance) {
      if (!instance.IsKnown() || instance.IsNull() || !instance.type().IsObject()) {
        return instance;
      }
      hcl::ValueMap attrs = instance.Attributes();
      if (auto it = attrs.find(name); it != attrs.end()) {
        it->second = it->second.UnmarkDeep();
      }
      return hcl::Value::Object(std::move(attrs));
    };
    if (!outputs.IsKnown() || outputs.IsNull()) {
      return outputs;
    }
    if (call.count != nullptr && outputs.type().IsTuple()) {
      hcl::ValueList elements;
      for (const hcl::Value& e : outputs.Elements()) {
        elements.push_back(unmark_one(e));
      }
      return hcl::Value::Tuple(std::move(elements));
    }
    if (call.for_each != nullptr && outputs.type().IsObject()) {
      hcl::ValueMap instances = outputs.Attributes();
      for (auto& [key, value] : instances) {
        value = unmark_one(value);
      }
      return hcl::Value::Object(std::move(instances));
    }
    return unmark_one(outputs);
  }

  const std::map<std::string, std::string>& environment_;
  const RootModule& module_;
  const InputValues& inputs_;
  const ModuleLookup& lookup_;
  const ModuleExpander& expander_;
  const hcl::FunctionContext& functions_;
  hcl::Diagnostics& diags_;

  std::map<std::string, Node> nodes_;
  std::vector<std::string> order_;
  std::vector<std::string> stack_;
  hcl::ValueMap locals_;
  hcl::ValueMap module_outputs_;
  std::map<std::string, const ModuleDefinition*> definitions_;  // by call name
  EvaluatedConfig result_;
};

}  // namespace

EvaluatedConfig EvaluateConfig(const RootModule& module, const InputValues& inputs,
                               const ModuleLookup& lookup, const ModuleExpander& expander,
                               const hcl::FunctionContext& functions, hcl::Diagnostics& diags,
                               const std::map<std::string, std::string>& environment) {
  return ConfigEvaluator(module, inputs, lookup, expander, functions, diags, environment).Run();
}

}  // namespace cf::config
