#include "graph/resource.h"

namespace cf::graph {

std::string InstanceKey::ToString() const {
  if (IsIndex()) {
    std::string out = "[";
    out += std::to_string(index());
    out += ']';
    return out;
  }
  if (IsString()) {
    std::string out = "[\"";
    for (char c : string()) {
      if (c == '"' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    out += "\"]";
    return out;
  }
  return "";
}

hcl::Value InstanceKey::ToValue() const {
  if (IsIndex()) {
    return hcl::Value::Num(hcl::Number(index()));
  }
  if (IsString()) {
    return hcl::Value::String(string());
  }
  return hcl::Value();
}

std::string ResourceInstance::BlockAddress() const {
  std::string out;
  if (!module.empty()) {
    out = module + ".";
  }
  if (mode == ResourceMode::kData) {
    out += "data.";
  }
  return out + type + "." + name;
}

std::string ResourceInstance::Address() const {
  return BlockAddress() + key.ToString();
}

const ResourceInstance* Expansion::Find(std::string_view address) const {
  for (const ResourceInstance& instance : instances) {
    if (instance.Address() == address) {
      return &instance;
    }
  }
  return nullptr;
}

}  // namespace cf::graph
