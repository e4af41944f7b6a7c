#include "config/evaluate.h"

#include <fmt/format.h>

#include <algorithm>

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

  hcl::Value EvalInRoot(const hcl::Expression* expr) {
    hcl::MapScope scope;
    FillScope(scope);
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
          diags_.AddError("Output refers to sensitive values",
                          "To reduce the risk of accidentally exporting sensitive data that "
                          "was intended to be only internal, clusterform requires that any "
                          "root module output containing sensitive data be explicitly marked "
                          "as sensitive, to confirm your intent. Add sensitive = true to this "
                          "output.",
                          out.range);
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

  void EvaluateModule(const ModuleCall& call) {
    EvaluatedModuleCall evaluated;
    evaluated.name = call.name;
    evaluated.definition = lookup_ ? lookup_(call.source) : nullptr;
    if (evaluated.definition == nullptr) {
      module_outputs_[call.name] = hcl::Value::Unknown(hcl::Type::Dynamic());
      return;
    }
    const RootModule& schema = *evaluated.definition->schema;
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
            name, call.source);
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
      ValueOrigin origin{call.range, fmt::format("module.{}.{}", call.name, decl.name)};
      hcl::Value raw;
      auto it = given.find(decl.name);
      if (it != given.end()) {
        raw = EvalInRoot(it->second->expr);
        origin.subject = it->second->expr->range;
      } else if (const hcl::Expression* local =
                     LocalCloudDefault(*evaluated.definition, decl.name)) {
        hcl::MapScope empty;
        raw = hcl::Evaluate(local, empty, &diags_, functions_);
      } else if (decl.default_value != nullptr) {
        hcl::MapScope empty;
        raw = hcl::Evaluate(decl.default_value, empty, &diags_, functions_);
      } else {
        diags_.AddError("Missing required argument",
                        fmt::format("The argument \"{}\" is required by the module \"{}\", "
                                    "but no definition was found.",
                                    decl.name, call.source),
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
      evaluated.outputs =
          expander_(call.name, *evaluated.definition, evaluated.inputs, result_.provider);
    }
    module_outputs_[call.name] = evaluated.outputs;
    result_.modules.push_back(std::move(evaluated));
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
