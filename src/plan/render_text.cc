#include "plan/render_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "hcl/value_json.h"

namespace cf::plan {

namespace {

constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";

// Entries at depth d start in column 2 + 4d (then the action symbol); the bracket closing a
// value opened at depth d sits in column 4 + 4d, under the entries' names.
std::string LineIndent(int depth) {
  return std::string(2 + 4 * depth, ' ');
}
std::string CloseIndent(int depth) {
  return std::string(4 + 4 * depth, ' ');
}

// Go's %q, which Terraform uses for strings.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string ObjectKey(std::string_view key) {
  return IsIdentifier(key) ? std::string(key) : Quote(key);
}

// The decoded JSON object or array a string holds, if it holds one.
std::optional<hcl::Value> JsonContainer(const std::string& s) {
  size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || (s[first] != '{' && s[first] != '[')) {
    return std::nullopt;
  }
  Result<hcl::Value> parsed = hcl::ValueFromJson(s);
  if (!parsed.ok()) {
    return std::nullopt;
  }
  return *parsed;
}

std::vector<std::string_view> Lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

class TextRenderer {
 public:
  explicit TextRenderer(const TextOptions& options) : options_(options) {}

  // The symbol entries get ("+ ", "- ", "~ "), from the change being rendered.
  std::string Symbol() const { return Colored(symbol_); }
  std::string Colored(char symbol) const {
    std::string_view colour = symbol == '+' ? kGreen : symbol == '-' ? kRed : kYellow;
    return options_.color ? fmt::format("{}{}{} ", colour, symbol, kReset)
                          : fmt::format("{} ", symbol);
  }
  void SetSymbol(char symbol) const { symbol_ = symbol; }

  // A change against a prior state: update, replace or delete (also drift, with
  // `drift` wording).
  void Diff(const ResourceChange& c, bool drift, std::string& out) const {
    std::string head = Bold("# " + c.address);
    std::string lead;
    switch (c.action) {
      case Action::kUpdate:
        out += fmt::format("  {} {}\n", head, drift ? "has changed" : "will be updated in place");
        lead = "  " + Colored('~');
        break;
      case Action::kDelete:
        out += fmt::format("  {} {}\n", head, drift ? "has been deleted" : "will be destroyed");
        if (c.action_reason == "delete_because_no_resource_config") {
          out += fmt::format("  # (because {} is not in configuration)\n", c.address);
        }
        lead = "  " + Colored('-');
        break;
      case Action::kReplace:
      case Action::kCreateThenDelete: {
        out += fmt::format("  {} must be replaced\n", head);
        std::string s = c.action == Action::kReplace ? "-/+" : "+/-";
        lead = options_.color ? fmt::format("{}{}{} ", kYellow, s, kReset) : s + " ";
        break;
      }
      default:
        return;
    }
    out += fmt::format("{}resource {} {} {{\n", lead, Quote(c.type), Quote(c.name));
    const hcl::ValueMap empty;
    auto attrs_of = [&](const hcl::Value& v) -> const hcl::ValueMap& {
      return v.IsKnown() && !v.IsNull() && v.type().IsMapping() ? v.Attributes() : empty;
    };
    const hcl::ValueMap& before = attrs_of(c.before);
    const hcl::ValueMap& after = c.action == Action::kDelete ? empty : attrs_of(c.after);
    std::set<std::string> names;
    for (const auto& [k, v] : before) {
      names.insert(k);
    }
    for (const auto& [k, v] : after) {
      names.insert(k);
    }
    struct Line {
      char symbol;
      std::string key;
      const hcl::Value* before;
      const hcl::Value* after;
      bool forces;
    };
    std::vector<Line> lines;
    int unchanged = 0;
    hcl::Value null = hcl::Value::Null(hcl::Type::Dynamic());
    for (const std::string& name : names) {
      auto b = before.find(name);
      auto a = after.find(name);
      const hcl::Value* bv = b == before.end() ? &null : &b->second;
      const hcl::Value* av = a == after.end() ? &null : &a->second;
      bool forces =
          std::find(c.replace_paths.begin(), c.replace_paths.end(), name) != c.replace_paths.end();
      if (bv->IsNull() && av->IsNull()) {
        continue;
      }
      if (bv->IsWhollyKnown() && av->IsWhollyKnown() && *bv == *av) {
        ++unchanged;
        continue;
      }
      char symbol = bv->IsNull() ? '+' : av->IsNull() ? '-' : '~';
      lines.push_back({symbol, ObjectKey(name), bv, av, forces});
    }
    size_t width = 0;
    for (const Line& l : lines) {
      width = std::max(width, l.key.size());
    }
    for (const Line& l : lines) {
      SetSymbol(l.symbol == '~' ? '+' : l.symbol);
      out += fmt::format("{}{}{:<{}} = ", LineIndent(1), Colored(l.symbol), l.key, width);
      if (l.symbol == '+') {
        Value(*l.after, 1, true, out);
      } else if (l.symbol == '-') {
        Value(*l.before, 1, true, out);
        out += " -> null";
      } else if (IsKnownMapping(*l.before) && IsKnownMapping(*l.after)) {
        MapDiff(*l.before, *l.after, 1, out);
      } else {
        Value(*l.before, 1, true, out);
        out += " -> ";
        Value(*l.after, 1, true, out);
      }
      if (l.forces) {
        out += options_.color ? fmt::format(" {}# forces replacement{}", kRed, kReset)
                              : std::string(" # forces replacement");
      }
      out += "\n";
    }
    if (unchanged > 0 && c.action != Action::kDelete) {
      out += fmt::format("{}  # ({} unchanged attribute{} hidden)\n", LineIndent(1), unchanged,
                         unchanged == 1 ? "" : "s");
    }
    SetSymbol('+');
    out += CloseIndent(0);
    out += "}\n";
  }
  std::string Bold(std::string_view s) const {
    return options_.color ? fmt::format("{}{}{}", kBold, s, kReset) : std::string(s);
  }

  void Resource(const ResourceChange& c, std::string& out) const {
    if (c.action == Action::kRead) {
      out += fmt::format("  {} will be read during apply\n", Bold("# " + c.address));
      out += "  # (clusterform does not read this data source while planning)\n";
      std::string symbol = options_.color ? fmt::format("{}<={}", kCyan, kReset) : "<=";
      out += fmt::format(" {} data {} {} {{", symbol, Quote(c.type), Quote(c.name));
    } else {
      out += fmt::format("  {} will be created\n", Bold("# " + c.address));
      out += fmt::format("  {}resource {} {} {{", Symbol(), Quote(c.type), Quote(c.name));
    }
    const hcl::ValueMap empty;
    const hcl::ValueMap& attrs =
        c.after.IsKnown() && !c.after.IsNull() && c.after.type().IsMapping() ? c.after.Attributes()
                                                                             : empty;
    std::string body;
    Body(c.type, "", attrs, 1, body);
    if (body.empty()) {
      out += "}\n";
      return;
    }
    out += '\n';
    out += body;
    out += CloseIndent(0);
    out += "}\n";
  }

  void Outputs(const std::vector<OutputChange>& outputs, std::string& out) const {
    size_t width = 0;
    for (const OutputChange& o : outputs) {
      width = std::max(width, ObjectKey(o.name).size());
    }
    for (const OutputChange& o : outputs) {
      char symbol = o.action == Action::kDelete ? '-' : o.action == Action::kUpdate ? '~' : '+';
      out += fmt::format("{}{}{:<{}} = ", LineIndent(0), Colored(symbol), ObjectKey(o.name), width);
      if (o.action == Action::kDelete) {
        Value(o.sensitive ? o.before.WithSensitive() : o.before, 0, true, out);
        out += " -> null";
      } else if (o.action == Action::kUpdate) {
        Value(o.sensitive ? o.before.WithSensitive() : o.before, 0, true, out);
        out += " -> ";
        Value(o.sensitive ? o.after.WithSensitive() : o.after, 0, true, out);
      } else {
        Value(o.sensitive ? o.after.WithSensitive() : o.after, 0, true, out);
      }
      out += "\n";
    }
  }

 private:
  bool IsBlockList(std::string_view type, const std::string& path, const hcl::Value& v) const {
    if (!options_.is_block || !options_.is_block(type, path)) {
      return false;
    }
    if (!v.IsKnown() || v.IsNull() || v.IsSensitive() || !v.type().IsSequence()) {
      return false;
    }
    for (const hcl::Value& e : v.Elements()) {
      if (!e.IsKnown() || e.IsNull() || e.IsSensitive() || !e.type().IsMapping()) {
        return false;
      }
    }
    return true;
  }

  bool IsUnknownBlock(std::string_view type, const std::string& path, const hcl::Value& v) const {
    return options_.is_block && !v.IsKnown() && !v.IsSensitive() && options_.is_block(type, path);
  }

  // The entries of a resource or nested block body whose lines are at `depth`.
  void Body(std::string_view type, const std::string& path, const hcl::ValueMap& attrs, int depth,
            std::string& out) const {
    std::vector<std::pair<std::string, const hcl::Value*>> attributes;
    std::vector<std::pair<std::string, const hcl::Value*>> blocks;
    for (const auto& [name, v] : attrs) {
      if (v.IsNull() && !v.IsSensitive()) {
        continue;
      }
      std::string child = path.empty() ? name : path + "." + name;
      if (IsBlockList(type, child, v) || IsUnknownBlock(type, child, v)) {
        blocks.emplace_back(name, &v);
      } else {
        attributes.emplace_back(ObjectKey(name), &v);
      }
    }
    size_t width = 0;
    for (const auto& [key, v] : attributes) {
      width = std::max(width, key.size());
    }
    for (const auto& [key, v] : attributes) {
      out += fmt::format("{}{}{:<{}} = ", LineIndent(depth), Symbol(), key, width);
      Value(*v, depth, true, out);
      out += "\n";
    }
    // As Terraform: a blank line between the attributes and each group of blocks of one type.
    for (const auto& [name, list] : blocks) {
      std::string child = path.empty() ? name : path + "." + name;
      if (!list->IsKnown()) {
        // As Terraform: a block the provider computes is one line of its own.
        if (!attributes.empty()) {
          out += "\n";
        }
        out += fmt::format("{}{}{} (known after apply)\n", LineIndent(depth), Symbol(), name);
        continue;
      }
      if (!attributes.empty() && !list->Elements().empty()) {
        out += "\n";
      }
      for (const hcl::Value& element : list->Elements()) {
        out += fmt::format("{}{}{} {{", LineIndent(depth), Symbol(), name);
        std::string inner;
        Body(type, child, element.Attributes(), depth + 1, inner);
        if (inner.empty()) {
          out += "}\n";
        } else {
          out += '\n';
          out += inner;
          out += CloseIndent(depth);
          out += "}\n";
        }
      }
    }
  }

  // The value of an entry whose line is at `depth`. Null attributes of objects are left out
  // when `omit_null` (a create shows only what is set), kept inside decoded JSON.
  static bool IsKnownMapping(const hcl::Value& v) {
    return v.IsWhollyKnown() && !v.IsNull() && !v.IsSensitive() && v.type().IsMapping();
  }

  // A changed map or object key by key, as Terraform shows `tags`: "+" for an added key, "~"
  // for a changed one, "-" for a removed one, and a count of the unchanged keys.
  void MapDiff(const hcl::Value& before, const hcl::Value& after, int depth,
               std::string& out) const {
    const bool quoted = before.type().IsMap() || after.type().IsMap();
    std::set<std::string> keys;
    for (const auto& [k, e] : before.Attributes()) {
      keys.insert(k);
    }
    for (const auto& [k, e] : after.Attributes()) {
      keys.insert(k);
    }
    struct Entry {
      char symbol;
      std::string key;
      const hcl::Value* before;
      const hcl::Value* after;
    };
    std::vector<Entry> entries;
    int unchanged = 0;
    for (const std::string& k : keys) {
      auto b = before.Attributes().find(k);
      auto a = after.Attributes().find(k);
      const hcl::Value* bv =
          b == before.Attributes().end() || b->second.IsNull() ? nullptr : &b->second;
      const hcl::Value* av =
          a == after.Attributes().end() || a->second.IsNull() ? nullptr : &a->second;
      if (bv == nullptr && av == nullptr) {
        continue;
      }
      if (bv != nullptr && av != nullptr && *bv == *av) {
        ++unchanged;
        continue;
      }
      char symbol = bv == nullptr ? '+' : av == nullptr ? '-' : '~';
      entries.push_back({symbol, quoted ? Quote(k) : ObjectKey(k), bv, av});
    }
    size_t width = 0;
    for (const Entry& e : entries) {
      width = std::max(width, e.key.size());
    }
    out += "{\n";
    for (const Entry& e : entries) {
      SetSymbol(e.symbol == '~' ? '+' : e.symbol);
      out += fmt::format("{}{}{:<{}} = ", LineIndent(depth + 1), Colored(e.symbol), e.key, width);
      if (e.symbol == '+') {
        Value(*e.after, depth + 1, true, out);
      } else if (e.symbol == '-') {
        Value(*e.before, depth + 1, true, out);
        out += " -> null";
      } else {
        Value(*e.before, depth + 1, true, out);
        out += " -> ";
        Value(*e.after, depth + 1, true, out);
      }
      out += "\n";
    }
    if (unchanged > 0) {
      out += fmt::format("{}  # ({} unchanged element{} hidden)\n", LineIndent(depth + 1),
                         unchanged, unchanged == 1 ? "" : "s");
    }
    out += CloseIndent(depth) + "}";
  }

  void Value(const hcl::Value& v, int depth, bool omit_null, std::string& out) const {
    if (v.IsSensitive()) {
      out += "(sensitive value)";
      return;
    }
    if (!v.IsKnown()) {
      out += "(known after apply)";
      return;
    }
    if (v.IsNull()) {
      out += "null";
      return;
    }
    const hcl::Type& t = v.type();
    switch (t.kind()) {
      case hcl::TypeKind::kBool:
        out += v.AsBool() ? "true" : "false";
        return;
      case hcl::TypeKind::kNumber:
        out += v.AsNumber().ToString();
        return;
      case hcl::TypeKind::kString:
        String(v.AsString(), depth, out);
        return;
      default:
        break;
    }
    if (t.IsSequence()) {
      if (v.Elements().empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (const hcl::Value& e : v.Elements()) {
        out += LineIndent(depth + 1) + Symbol();
        Value(e, depth + 1, omit_null, out);
        out += ",\n";
      }
      out += CloseIndent(depth) + "]";
      return;
    }
    // A map (keys always quoted) or an object (keys quoted only when not identifiers).
    bool is_map = t.IsMap();
    std::vector<std::pair<std::string, const hcl::Value*>> entries;
    for (const auto& [k, e] : v.Attributes()) {
      if (!is_map && omit_null && e.IsNull() && !e.IsSensitive()) {
        continue;
      }
      entries.emplace_back(is_map ? Quote(k) : ObjectKey(k), &e);
    }
    if (entries.empty()) {
      out += "{}";
      return;
    }
    size_t width = 0;
    for (const auto& [key, e] : entries) {
      width = std::max(width, key.size());
    }
    out += "{\n";
    for (const auto& [key, e] : entries) {
      out += fmt::format("{}{}{:<{}} = ", LineIndent(depth + 1), Symbol(), key, width);
      Value(*e, depth + 1, omit_null, out);
      out += "\n";
    }
    out += CloseIndent(depth) + "}";
  }

  void String(const std::string& s, int depth, std::string& out) const {
    if (std::optional<hcl::Value> json = JsonContainer(s)) {
      if (json->Length() == 0) {
        out += json->type().IsObject() ? "jsonencode({})" : "jsonencode([])";
        return;
      }
      out += "jsonencode(\n";
      out += CloseIndent(depth + 1);
      Value(*json, depth + 1, false, out);
      out += '\n';
      out += CloseIndent(depth);
      out += ')';
      return;
    }
    if (s.find('\n') == std::string::npos) {
      out += Quote(s);
      return;
    }
    out += "<<-EOT\n";
    for (std::string_view line : Lines(s)) {
      if (!line.empty()) {
        out += CloseIndent(depth + 1);
        out += line;
      }
      out += "\n";
    }
    out += CloseIndent(depth) + "EOT";
  }

  const TextOptions& options_;
  mutable char symbol_ = '+';
};

}  // namespace

std::string RenderPlanText(const Plan& plan, const TextOptions& options) {
  TextRenderer r(options);
  std::string out;
  if (!plan.resource_drift.empty()) {
    out += r.Bold("Note: Objects have changed outside of clusterform");
    out +=
        "\n\nclusterform detected the following changes made outside of clusterform since "
        "the last \"clusterform apply\" which may have affected this plan:\n\n";
    for (const ResourceChange& d : plan.resource_drift) {
      r.Diff(d, /*drift=*/true, out);
      out += "\n";
    }
    if (plan.refresh_only) {
      out +=
          "This is a refresh-only plan, so clusterform will not take any actions to undo "
          "these. If you were expecting these changes then you can apply this plan to "
          "record the updated values in the clusterform state without changing any remote "
          "objects.\n";
      return out;
    }
    out +=
        "Unless you have made equivalent changes to your configuration, the following plan "
        "may include actions to undo or respond to these changes.\n\n";
    out += std::string(77, '-') + "\n\n";
  }
  if (!plan.HasChanges()) {
    out += r.Bold("No changes.");
    if (plan.has_state || plan.refresh_only) {
      out +=
          " Your infrastructure matches the configuration.\n\nclusterform has compared "
          "your real infrastructure against your configuration and found no differences, "
          "so no changes are needed.\n";
    } else {
      out += " The configuration creates no resources and no outputs.\n";
    }
    return out;
  }
  std::vector<const ResourceChange*> shown;
  for (const ResourceChange& c : plan.resource_changes) {
    if (c.action != Action::kNoOp) {
      shown.push_back(&c);
    }
  }
  if (!shown.empty()) {
    std::set<Action> actions;
    for (const ResourceChange* c : shown) {
      actions.insert(c->action);
    }
    out += "Resource actions are indicated with the following symbols:\n";
    if (actions.count(Action::kCreate) > 0) {
      out += "  " + r.Colored('+') + "create\n";
    }
    if (actions.count(Action::kUpdate) > 0) {
      out += "  " + r.Colored('~') + "update in place\n";
    }
    if (actions.count(Action::kDelete) > 0) {
      out += "  " + r.Colored('-') + "destroy\n";
    }
    if (actions.count(Action::kReplace) > 0) {
      out += options.color
                 ? fmt::format("{}-/+{} destroy and then create replacement\n", kYellow, kReset)
                 : std::string("-/+ destroy and then create replacement\n");
    }
    if (actions.count(Action::kCreateThenDelete) > 0) {
      out += options.color
                 ? fmt::format("{}+/-{} create replacement and then destroy\n", kYellow, kReset)
                 : std::string("+/- create replacement and then destroy\n");
    }
    if (actions.count(Action::kRead) > 0) {
      out += options.color ? fmt::format(" {}<={} read (data resources)\n", kCyan, kReset)
                           : std::string(" <= read (data resources)\n");
    }
    out += "\n";
    out += "clusterform will perform the following actions:\n\n";
    for (const ResourceChange* c : shown) {
      if (c->action == Action::kCreate || c->action == Action::kRead) {
        r.Resource(*c, out);
      } else {
        r.Diff(*c, /*drift=*/false, out);
      }
      out += "\n";
    }
    out += fmt::format("{} {} to add, {} to change, {} to destroy.\n", r.Bold("Plan:"),
                       plan.ToAdd(), plan.ToChange(), plan.ToDestroy());
  }
  std::vector<OutputChange> output_changes;
  for (const OutputChange& o : plan.output_changes) {
    if (o.action != Action::kNoOp) {
      output_changes.push_back(o);
    }
  }
  if (!output_changes.empty()) {
    if (!shown.empty()) {
      out += "\n";
    }
    out += "Changes to Outputs:\n";
    r.Outputs(output_changes, out);
    if (shown.empty()) {
      out +=
          "\nApplying this plan will save these new output values, without changing any "
          "real infrastructure.\n";
    }
  }
  return out;
}

std::string RenderPreflightText(const std::vector<Finding>& findings, bool color) {
  if (findings.empty()) {
    return "";
  }
  std::string out = color ? fmt::format("{}Preflight:{}\n", kBold, kReset) : "Preflight:\n";
  for (const Finding& f : findings) {
    std::string_view label = "info";
    std::string_view colour;
    switch (f.severity) {
      case Finding::Severity::kError:
        label = "error";
        colour = kRed;
        break;
      case Finding::Severity::kWarning:
        label = "warning";
        colour = kYellow;
        break;
      case Finding::Severity::kInfo:
        break;
    }
    std::string tag = color && !colour.empty()
                          ? fmt::format("{}{}{}{}", kBold, colour, label, kReset)
                          : std::string(label);
    out += "  " + tag + ": ";
    if (!f.address.empty()) {
      out += f.address + ": ";
    }
    out += f.summary + "\n";
    for (std::string_view line : Lines(f.detail)) {
      out += line.empty() ? std::string("\n") : fmt::format("      {}\n", line);
    }
  }
  out += "\n";
  return out;
}

}  // namespace cf::plan
