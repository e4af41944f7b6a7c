#include "graph/expand.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "config/references.h"
#include "hcl/convert.h"
#include "hcl/eval.h"

namespace cf::graph {

namespace {

using config::Reference;

// Arguments and blocks of a resource block that configure Terraform, not the resource.
bool IsMetaArgument(std::string_view name) {
  return name == "count" || name == "for_each" || name == "depends_on" || name == "provider";
}
bool IsMetaBlock(std::string_view type) {
  return type == "lifecycle" || type == "provisioner" || type == "connection";
}

// Every expression of a body, nested blocks included.
void CollectExpressions(const hcl::Body* body, std::vector<const hcl::Expression*>& out) {
  for (const hcl::Attribute* attr : body->attributes) {
    out.push_back(attr->expr);
  }
  for (const hcl::Block* block : body->blocks) {
    CollectExpressions(block->body, out);
  }
}

// One thing of the module body to evaluate: a local, a resource or data block, an output.
struct Node {
  std::string key;  // "local.x", "aws_vpc.this", "data.aws_region.current", "output.x"
  hcl::Range range;
  std::vector<Reference> refs;
  const config::Local* local = nullptr;
  const config::Resource* resource = nullptr;
  const config::Output* output = nullptr;
  enum class State { kNew, kVisiting, kDone } state = State::kNew;
  // Resource and data blocks this node depends on, directly or through locals.
  std::set<std::string> block_deps;
  // Blocks this node refers to only through literal keys (`aws_x.y["k"]`): block -> keys.
  std::map<std::string, std::set<std::string>> keyed_deps;
};

std::string ResourceKey(const config::Resource& r) {
  return (r.data ? "data." : "") + r.type + "." + r.name;
}

std::string RefKey(const Reference& r) {
  switch (r.kind) {
    case Reference::Kind::kLocal:
      return "local." + r.name;
    case Reference::Kind::kResource:
      return r.type + "." + r.name;
    case Reference::Kind::kData:
      return "data." + r.type + "." + r.name;
    case Reference::Kind::kVariable:
    case Reference::Kind::kModule:
      return {};
  }
  return {};
}

// The module's names as the evaluator sees them. Objects are rebuilt only when what they
// hold changed since they were last asked for.
class ModuleScope : public hcl::Scope {
 public:
  ModuleScope(const std::map<std::string, hcl::Value>& inputs, std::string module_path,
              hcl::Value module_outputs)
      : inputs_(inputs),
        module_outputs_(std::move(module_outputs)),
        var_(hcl::Value::Object(hcl::ValueMap(inputs.begin(), inputs.end()))),
        path_(hcl::Value::Object({{"module", hcl::Value::String(std::move(module_path))},
                                  {"root", hcl::Value::String(".")},
                                  {"cwd", hcl::Value::String(".")}})) {}

  std::optional<hcl::Value> Lookup(std::string_view name) const override {
    if (name == "var") {
      return var_;
    }
    if (name == "local") {
      return Cached(locals_, local_value_, locals_dirty_);
    }
    if (name == "path") {
      return path_;
    }
    if (name == "module" && !module_outputs_.IsNull()) {
      return module_outputs_;
    }
    if (name == "data") {
      if (data_dirty_) {
        hcl::ValueMap types;
        for (const auto& [type, names] : data_) {
          types[type] = hcl::Value::Object(names);
        }
        data_value_ = hcl::Value::Object(std::move(types));
        data_dirty_ = false;
      }
      return data_value_;
    }
    auto it = resources_.find(name);
    if (it != resources_.end()) {
      return it->second.Get();
    }
    return std::nullopt;
  }

  // `var.x`, `local.x` and `TYPE.NAME` in one step, without building the whole object.
  std::optional<hcl::Value> LookupAttribute(std::string_view root, std::string_view name,
                                            const hcl::Range& range,
                                            hcl::Diagnostics* diags) const override {
    (void)range;
    (void)diags;
    if (root == "var") {
      auto it = inputs_.find(std::string(name));
      return it == inputs_.end() ? std::nullopt : std::optional<hcl::Value>(it->second);
    }
    if (root == "local") {
      auto it = locals_.find(std::string(name));
      return it == locals_.end() ? std::nullopt : std::optional<hcl::Value>(it->second);
    }
    if (root == "data" || root == "path") {
      return std::nullopt;
    }
    auto type = resources_.find(root);
    if (type == resources_.end()) {
      return std::nullopt;
    }
    auto it = type->second.names.find(std::string(name));
    return it == type->second.names.end() ? std::nullopt : std::optional<hcl::Value>(it->second);
  }

  void SetLocal(const std::string& name, hcl::Value value) {
    locals_[name] = std::move(value);
    locals_dirty_ = true;
  }
  void SetResource(const std::string& type, const std::string& name, hcl::Value value) {
    resources_[type].Set(name, std::move(value));
  }
  void SetData(const std::string& type, const std::string& name, hcl::Value value) {
    data_[type][name] = std::move(value);
    data_dirty_ = true;
  }

 private:
  struct TypeEntry {
    hcl::ValueMap names;
    mutable hcl::Value value;
    mutable bool dirty = true;
    void Set(const std::string& name, hcl::Value v) {
      names[name] = std::move(v);
      dirty = true;
    }
    const hcl::Value& Get() const {
      if (dirty) {
        value = hcl::Value::Object(names);
        dirty = false;
      }
      return value;
    }
  };

  static hcl::Value Cached(const hcl::ValueMap& map, hcl::Value& cache, bool& dirty) {
    if (dirty) {
      cache = hcl::Value::Object(map);
      dirty = false;
    }
    return cache;
  }

  const std::map<std::string, hcl::Value>& inputs_;
  hcl::Value module_outputs_;
  hcl::Value var_;
  hcl::Value path_;
  hcl::ValueMap locals_;
  mutable hcl::Value local_value_;
  mutable bool locals_dirty_ = true;
  std::map<std::string, hcl::ValueMap> data_;
  mutable hcl::Value data_value_;
  mutable bool data_dirty_ = true;
  std::map<std::string, TypeEntry, std::less<>> resources_;
};

class Expander {
 public:
  Expander(const config::RootModule& body, const std::map<std::string, hcl::Value>& inputs,
           const ExpandOptions& options, hcl::Diagnostics& diags)
      : body_(body),
        options_(options),
        diags_(diags),
        scope_(inputs, options.path_module.empty() ? options.module_address : options.path_module,
               options.module_outputs) {}

  Expansion Run() {
    for (const config::Local& local : body_.locals) {
      Node& node = AddNode("local." + local.name, local.range, {local.expr});
      node.local = &local;
    }
    for (const config::Resource& resource : body_.resources) {
      std::vector<const hcl::Expression*> exprs;
      CollectExpressions(resource.body, exprs);
      Node& node = AddNode(ResourceKey(resource), resource.range, exprs);
      node.resource = &resource;
      for (const hcl::Expression* e : exprs) {
        config::CollectAttributeUses(e, direct_uses_, other_uses_);
      }
    }
    for (const config::Output& output : body_.outputs) {
      Node& node = AddNode("output." + output.name, output.range, {output.value});
      node.output = &output;
      config::CollectAttributeUses(output.value, direct_uses_, other_uses_);
    }
    for (const config::Local& local : body_.locals) {
      config::CollectAttributeUses(local.expr, direct_uses_, other_uses_);
    }
    for (const std::string& key : order_) {
      Visit(nodes_.at(key));
    }
    return std::move(result_);
  }

 private:
  Node& AddNode(const std::string& key, const hcl::Range& range,
                const std::vector<const hcl::Expression*>& exprs) {
    Node node;
    node.key = key;
    node.range = range;
    for (const hcl::Expression* e : exprs) {
      if (e == nullptr) {
        continue;
      }
      std::vector<Reference> refs = config::FindReferences(e);
      node.refs.insert(node.refs.end(), refs.begin(), refs.end());
    }
    order_.push_back(key);
    return nodes_.emplace(key, std::move(node)).first->second;
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
      auto it = nodes_.find(RefKey(ref));
      if (it == nodes_.end() || it->second.output != nullptr) {
        continue;
      }
      Visit(it->second);
      if (it->second.resource != nullptr && !ref.key.empty()) {
        node.keyed_deps[it->first].insert(ref.key);
      } else if (it->second.resource != nullptr) {
        node.block_deps.insert(it->first);
      } else {
        node.block_deps.insert(it->second.block_deps.begin(), it->second.block_deps.end());
        for (const auto& [block, keys] : it->second.keyed_deps) {
          node.keyed_deps[block].insert(keys.begin(), keys.end());
        }
      }
    }
    stack_.pop_back();
    if (node.state == Node::State::kVisiting) {
      Evaluate(node);
    }
    node.state = Node::State::kDone;
  }

  void ReportCycle(const Node& node) {
    auto start = std::find(stack_.begin(), stack_.end(), node.key);
    std::vector<std::string> cycle(start, stack_.end());
    cycle.push_back(node.key);
    diags_.AddError(
        "Cycle in references",
        fmt::format("These refer to each other in a loop: {}.", fmt::join(cycle, " -> ")),
        node.range);
    for (const std::string& key : cycle) {
      Node& member = nodes_.at(key);
      if (member.state != Node::State::kDone) {
        member.state = Node::State::kDone;
        if (member.local != nullptr) {
          scope_.SetLocal(member.local->name, hcl::Value::Unknown(hcl::Type::Dynamic()));
        }
      }
    }
  }

  void Evaluate(Node& node) {
    if (node.local != nullptr) {
      scope_.SetLocal(node.local->name,
                      hcl::Evaluate(node.local->expr, scope_, &diags_, options_.functions));
    } else if (node.resource != nullptr) {
      EvaluateResource(node);
    } else if (node.output != nullptr) {
      const config::Output& out = *node.output;
      OutputValue value;
      value.name = out.name;
      value.value = hcl::Evaluate(out.value, scope_, &diags_, options_.functions);
      value.sensitive = out.sensitive;
      value.description = out.description;
      result_.outputs.push_back(std::move(value));
    }
  }

  // The instance keys of a block, or nullopt when count/for_each cannot be decided.
  std::optional<std::vector<std::pair<InstanceKey, hcl::Value>>> Keys(const config::Resource& r) {
    std::vector<std::pair<InstanceKey, hcl::Value>> keys;
    if (r.count != nullptr) {
      hcl::Value count = hcl::Evaluate(r.count, scope_, &diags_, options_.functions);
      if (!count.IsKnown()) {
        diags_.AddError("Invalid count argument",
                        "The \"count\" value depends on resource attributes that cannot be "
                        "determined until apply, so the number of instances cannot be planned.",
                        r.count->range);
        return std::nullopt;
      }
      Result<hcl::Value> n = hcl::Convert(count, hcl::Type::Number());
      if (count.IsNull() || !n.ok() || !n->AsNumber().IsInteger() || n->AsNumber().IsNegative()) {
        diags_.AddError("Invalid count argument",
                        "The given \"count\" argument value is unsuitable: it must be a whole "
                        "number, zero or more.",
                        r.count->range);
        return std::nullopt;
      }
      int64_t total = n->AsNumber().ToInt64().value_or(0);
      for (int64_t i = 0; i < total; ++i) {
        keys.emplace_back(InstanceKey::Index(i), hcl::Value());
      }
      return keys;
    }
    if (r.for_each != nullptr) {
      hcl::Value each = hcl::Evaluate(r.for_each, scope_, &diags_, options_.functions);
      // A map's keys must be known; its values may be known only after apply. A set's
      // elements are its keys.
      bool keys_known =
          each.IsKnown() && (each.IsNull() || !each.type().IsSet() || each.IsWhollyKnown());
      if (!keys_known) {
        diags_.AddError("Invalid for_each argument",
                        "The \"for_each\" value depends on resource attributes that cannot be "
                        "determined until apply, so the instances cannot be planned.",
                        r.for_each->range);
        return std::nullopt;
      }
      const hcl::Type& type = each.type();
      if (!each.IsNull() && (type.IsMap() || type.IsObject())) {
        for (const auto& [k, v] : each.Attributes()) {
          keys.emplace_back(InstanceKey::String(k), v);
        }
        return keys;
      }
      if (!each.IsNull() && type.IsSet()) {
        for (const hcl::Value& e : each.Elements()) {
          Result<hcl::Value> s = hcl::Convert(e, hcl::Type::String());
          if (!s.ok() || s->IsNull()) {
            break;
          }
          keys.emplace_back(InstanceKey::String(s->AsString()), *s);
        }
        if (keys.size() == each.Elements().size()) {
          return keys;
        }
      }
      diags_.AddError("Invalid for_each argument",
                      "The given \"for_each\" argument value is unsuitable: the \"for_each\" "
                      "argument must be a map, or set of strings.",
                      r.for_each->range);
      return std::nullopt;
    }
    keys.emplace_back(InstanceKey(), hcl::Value());
    return keys;
  }

  // Evaluates the arguments and nested blocks of `body` into an object.
  hcl::Value EvaluateBody(const hcl::Body* body, const hcl::Scope& scope, bool top) {
    hcl::ValueMap values;
    for (const hcl::Attribute* attr : body->attributes) {
      if (top && IsMetaArgument(attr->name)) {
        continue;
      }
      values[std::string(attr->name)] =
          hcl::Evaluate(attr->expr, scope, &diags_, options_.functions);
    }
    std::map<std::string, hcl::ValueList> blocks;
    for (const hcl::Block* block : body->blocks) {
      if (top && IsMetaBlock(block->type)) {
        continue;
      }
      if (block->type == "dynamic") {
        ExpandDynamic(block, scope, blocks);
        continue;
      }
      blocks[std::string(block->type)].push_back(EvaluateBody(block->body, scope, false));
    }
    for (auto& [type, list] : blocks) {
      values[type] = hcl::Value::Tuple(std::move(list));
    }
    return hcl::Value::Object(std::move(values));
  }

  // `dynamic "NAME" { for_each = ..., iterator = IT, content { ... } }`.
  void ExpandDynamic(const hcl::Block* block, const hcl::Scope& scope,
                     std::map<std::string, hcl::ValueList>& blocks) {
    if (block->labels.size() != 1) {
      diags_.AddError("Invalid dynamic block", "A dynamic block needs one label: the block type.",
                      block->type_range);
      return;
    }
    std::string type(block->labels[0].value);
    std::string iterator = type;
    const hcl::Expression* for_each = nullptr;
    for (const hcl::Attribute* attr : block->body->attributes) {
      if (attr->name == "for_each") {
        for_each = attr->expr;
      } else if (attr->name == "iterator") {
        if (const auto* v = hcl::As<hcl::VariableExpr>(attr->expr)) {
          iterator = std::string(v->name);
        }
      }
    }
    const hcl::Block* content = nullptr;
    for (const hcl::Block* inner : block->body->blocks) {
      if (inner->type == "content") {
        content = inner;
      }
    }
    if (for_each == nullptr || content == nullptr) {
      diags_.AddError("Invalid dynamic block",
                      "A dynamic block needs a \"for_each\" argument and a \"content\" block.",
                      block->type_range);
      return;
    }
    hcl::Value collection = hcl::Evaluate(for_each, scope, &diags_, options_.functions);
    if (!collection.IsWhollyKnown()) {
      // Terraform plans such blocks as unknown; keep the type's entry unknown.
      blocks[type];
      return;
    }
    if (collection.IsNull()) {
      diags_.AddError("Invalid dynamic for_each value", "Cannot use a null value in for_each.",
                      for_each->range);
      return;
    }
    std::vector<std::pair<hcl::Value, hcl::Value>> items;
    const hcl::Type& t = collection.type();
    if (t.IsMap() || t.IsObject()) {
      for (const auto& [k, v] : collection.Attributes()) {
        items.emplace_back(hcl::Value::String(k), v);
      }
    } else if (t.IsList() || t.IsTuple() || t.IsSet()) {
      int64_t i = 0;
      for (const hcl::Value& v : collection.Elements()) {
        items.emplace_back(t.IsSet() ? v : hcl::Value::Num(hcl::Number(i)), v);
        ++i;
      }
    } else {
      diags_.AddError("Invalid dynamic for_each value",
                      "Cannot use a " + t.FriendlyName() +
                          " value in for_each. An iterable "
                          "collection is required.",
                      for_each->range);
      return;
    }
    for (const auto& [k, v] : items) {
      hcl::MapScope inner(&scope);
      inner.Set(iterator, hcl::Value::Object({{"key", k}, {"value", v}}));
      blocks[type].push_back(EvaluateBody(content->body, inner, false));
    }
  }

  // The value other blocks see for an instance: its arguments, plus, unknown, each attribute
  // the block does not set that the type computes or that the module reads from this block
  // (or, through `for` variables and the like, from anything).
  hcl::Value ReferenceValue(const std::string& block, const hcl::Value& values,
                            const std::vector<std::string>& computed, const hcl::Value* applied) {
    hcl::ValueMap attrs =
        values.IsKnown() && !values.IsNull() ? values.Attributes() : hcl::ValueMap{};
    if (applied != nullptr && applied->IsKnown() && !applied->IsNull() &&
        applied->type().IsObject()) {
      for (const auto& [name, value] : applied->Attributes()) {
        attrs.emplace(name, value);  // what the block sets wins
      }
    }
    if (auto it = direct_uses_.find(block); it != direct_uses_.end()) {
      for (const std::string& name : it->second) {
        attrs.emplace(name, hcl::Value::Unknown(hcl::Type::Dynamic()));
      }
    }
    for (const std::string& name : other_uses_) {
      attrs.emplace(name, hcl::Value::Unknown(hcl::Type::Dynamic()));
    }
    for (const std::string& name : computed) {
      attrs.emplace(name, hcl::Value::Unknown(hcl::Type::Dynamic()));
    }
    return hcl::Value::Object(std::move(attrs));
  }

  void CheckPreconditions(const config::Resource& r, const hcl::Scope& scope) {
    for (const config::Precondition& p : r.preconditions) {
      hcl::Value ok = hcl::Evaluate(p.condition, scope, &diags_, options_.functions);
      if (!ok.IsKnown() || ok.IsNull()) {
        continue;  // decided at apply
      }
      Result<hcl::Value> b = hcl::Convert(ok, hcl::Type::Bool());
      if (!b.ok()) {
        diags_.AddError("Invalid condition result", "The condition expression must return a bool.",
                        p.condition->range);
        continue;
      }
      if (b->AsBool()) {
        continue;
      }
      hcl::Value message = hcl::Evaluate(p.error_message, scope, &diags_, options_.functions);
      Result<hcl::Value> text = hcl::Convert(message, hcl::Type::String());
      std::string detail = text.ok() && text->IsKnown() && !text->IsNull()
                               ? text->UnmarkDeep().AsString()
                               : "The precondition failed.";
      diags_.AddError("Resource precondition failed", detail, p.condition->range);
    }
  }

  void EvaluateResource(Node& node) {
    const config::Resource& r = *node.resource;
    std::vector<std::string> computed;
    if (!r.data) {
      computed = options_.schemas != nullptr ? options_.schemas->Computed(r.type)
                                             : std::vector<std::string>{"id"};
    }
    std::vector<std::string> explicit_deps;
    if (r.depends_on != nullptr) {
      for (const Reference& ref : config::FindReferences(r.depends_on)) {
        auto it = nodes_.find(RefKey(ref));
        if (it == nodes_.end() || it->second.resource == nullptr) {
          diags_.AddError("Invalid depends_on reference",
                          "References in depends_on must be to a whole resource or data block.",
                          ref.range);
          continue;
        }
        Visit(it->second);
        node.block_deps.insert(it->first);
      }
    }
    // Every instance of each block referred to as a whole; only the named instances of a
    // block referred to through literal keys alone (`aws_launch_template.gateway["nfs"]`).
    std::vector<std::string> depends_on;
    for (const std::string& dep : node.block_deps) {
      auto it = instances_of_.find(dep);
      if (it != instances_of_.end()) {
        depends_on.insert(depends_on.end(), it->second.begin(), it->second.end());
      }
    }
    for (const auto& [dep, keys] : node.keyed_deps) {
      auto it = instances_of_.find(dep);
      if (it == instances_of_.end() || node.block_deps.count(dep) != 0) {
        continue;
      }
      std::string prefix =
          options_.module_address.empty() ? dep : options_.module_address + "." + dep;
      for (const std::string& address : it->second) {
        if (address.size() > prefix.size() && keys.count(address.substr(prefix.size())) != 0) {
          depends_on.push_back(address);
        }
      }
    }
    std::sort(depends_on.begin(), depends_on.end());
    depends_on.erase(std::unique(depends_on.begin(), depends_on.end()), depends_on.end());

    std::optional<std::vector<std::pair<InstanceKey, hcl::Value>>> keys = Keys(r);
    hcl::Value block_value;
    std::vector<std::string>& addresses = instances_of_[node.key];
    if (!keys) {
      block_value = hcl::Value::Unknown(hcl::Type::Dynamic());
    } else {
      hcl::ValueList by_index;
      hcl::ValueMap by_key;
      for (const auto& [key, each_value] : *keys) {
        hcl::MapScope scope(&scope_);
        if (key.IsIndex()) {
          scope.Set("count",
                    hcl::Value::Object({{"index", hcl::Value::Num(hcl::Number(key.index()))}}));
        } else if (key.IsString()) {
          scope.Set("each", hcl::Value::Object({{"key", hcl::Value::String(key.string())},
                                                {"value", each_value}}));
        }
        CheckPreconditions(r, scope);
        ResourceInstance instance;
        instance.module = options_.module_address;
        instance.mode = r.data ? ResourceMode::kData : ResourceMode::kManaged;
        instance.type = r.type;
        instance.name = r.name;
        instance.key = key;
        instance.range = r.range;
        instance.values = EvaluateBody(r.body, scope, true);
        instance.depends_on = depends_on;
        instance.create_before_destroy = r.create_before_destroy;
        instance.ignore_changes = r.ignore_changes;
        instance.ignore_all_changes = r.ignore_all_changes;
        hcl::Value reference;
        if (r.data) {
          reference = options_.data_sources != nullptr
                          ? options_.data_sources->Read(r.type, instance.values, r.range, diags_)
                          : hcl::Value::Unknown(hcl::Type::Dynamic());
          if (reference.IsKnown() && !reference.IsNull() && reference.type().IsObject()) {
            hcl::ValueMap merged = reference.Attributes();
            for (const auto& [k, v] : instance.values.Attributes()) {
              merged.emplace(k, v);
            }
            reference = hcl::Value::Object(std::move(merged));
            instance.values = reference;  // what was read, for plan, graph and policy
          }
        } else {
          for (const std::string& name : computed) {
            if (instance.values.Attributes().count(name) == 0) {
              instance.computed.push_back(name);
            }
          }
          const hcl::Value* applied = nullptr;
          if (options_.applied != nullptr) {
            auto it = options_.applied->find(instance.Address());
            if (it != options_.applied->end()) {
              applied = &it->second;
            }
          }
          reference = ReferenceValue(node.key, instance.values, computed, applied);
        }
        if (key.IsIndex()) {
          by_index.push_back(reference);
        } else if (key.IsString()) {
          by_key[key.string()] = reference;
        } else {
          block_value = reference;
        }
        addresses.push_back(instance.Address());
        result_.instances.push_back(std::move(instance));
      }
      if (r.count != nullptr) {
        block_value = hcl::Value::Tuple(std::move(by_index));
      } else if (r.for_each != nullptr) {
        block_value = hcl::Value::Object(std::move(by_key));
      }
    }
    if (r.data) {
      scope_.SetData(r.type, r.name, block_value);
    } else {
      scope_.SetResource(r.type, r.name, block_value);
    }
  }

  const config::RootModule& body_;
  const ExpandOptions& options_;
  hcl::Diagnostics& diags_;
  ModuleScope scope_;
  std::map<std::string, Node> nodes_;
  std::vector<std::string> order_;
  std::vector<std::string> stack_;
  // Attributes read from each resource block ("aws_vpc.this" -> {"id"}) and read from
  // anything else (the names after `.` on `for` variables and other values).
  std::map<std::string, std::set<std::string>> direct_uses_;
  std::set<std::string> other_uses_;
  // Block key -> the addresses of its instances.
  std::map<std::string, std::vector<std::string>> instances_of_;
  Expansion result_;
};

}  // namespace

Expansion ExpandModule(const config::RootModule& body,
                       const std::map<std::string, hcl::Value>& inputs,
                       const ExpandOptions& options, hcl::Diagnostics& diags) {
  return Expander(body, inputs, options, diags).Run();
}

}  // namespace cf::graph
