#include "graph/dot.h"

#include <map>
#include <set>

namespace cf::graph {

namespace {

// A DOT double-quoted string.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

// "module.weka" -> "cluster_module_weka": letters, digits and underscores only.
std::string ClusterId(std::string_view module) {
  std::string out = "cluster_";
  for (char c : module) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += word ? c : '_';
  }
  return out;
}

struct Node {
  std::string label;
  bool data = false;
  int count = 0;
};

}  // namespace

std::string ToDot(const DesiredState& desired, const DotOptions& options) {
  // module ("" for root) -> node id -> node; edges as (from, to) ids.
  std::map<std::string, std::map<std::string, Node>> modules;
  std::set<std::pair<std::string, std::string>> edges;
  std::map<std::string, std::string> node_of_instance;  // instance address -> node id

  std::vector<const ResourceInstance*> all;
  for (const Expansion& expansion : desired.modules) {
    for (const ResourceInstance& instance : expansion.instances) {
      all.push_back(&instance);
    }
  }
  for (const ResourceInstance* instance : all) {
    std::string id = options.instances ? instance->Address() : instance->BlockAddress();
    node_of_instance[instance->Address()] = id;
    Node& node = modules[instance->module][id];
    node.data = instance->mode == ResourceMode::kData;
    node.count++;
    // The label leaves out the module, which the cluster shows.
    std::string label = id.substr(instance->module.empty() ? 0 : instance->module.size() + 1);
    node.label = label;
  }
  for (const ResourceInstance* instance : all) {
    const std::string& from = node_of_instance[instance->Address()];
    for (const std::string& dependency : instance->depends_on) {
      auto it = node_of_instance.find(dependency);
      if (it != node_of_instance.end() && it->second != from) {
        edges.emplace(from, it->second);
      }
    }
  }

  std::string out = "digraph {\n  compound = true;\n  rankdir = \"RL\";\n";
  out += "  node [shape = \"box\"];\n";
  for (const auto& [module, nodes] : modules) {
    std::string indent = "  ";
    if (!module.empty()) {
      out += "  subgraph " + ClusterId(module) + " {\n";
      out += "    label = " + Quote(module) + ";\n";
      indent = "    ";
    }
    for (const auto& [id, node] : nodes) {
      std::string label = node.label;
      if (!options.instances && node.count > 1) {
        label += " (" + std::to_string(node.count) + " instances)";
      }
      out += indent + Quote(id) + " [label = " + Quote(label);
      if (node.data) {
        out += ", shape = \"note\"";
      }
      out += "];\n";
    }
    if (!module.empty()) {
      out += "  }\n";
    }
  }
  for (const auto& [from, to] : edges) {
    out += "  " + Quote(from) + " -> " + Quote(to) + ";\n";
  }
  out += "}\n";
  return out;
}

}  // namespace cf::graph
