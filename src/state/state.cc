#include "state/state.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "base/crypto.h"
#include "base/strings.h"

namespace cf::state {

namespace {

// null < numbers (numerically) < strings (bytewise).
bool KeyLess(const Json& a, const Json& b) {
  auto rank = [](const Json& k) { return k.is_null() ? 0 : (k.is_number() ? 1 : 2); };
  if (rank(a) != rank(b)) {
    return rank(a) < rank(b);
  }
  if (a.is_number()) {
    return a.get<double>() < b.get<double>();
  }
  if (a.is_string()) {
    return a.get<std::string>() < b.get<std::string>();
  }
  return false;
}

auto ResourceOrder(const ResourceState& r) {
  return std::tie(r.module, r.mode, r.type, r.name);
}

Result<std::string> StringField(const Json& object, const char* name, bool required) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) {
      return InvalidArgumentError(fmt::format("missing \"{}\"", name));
    }
    return std::string();
  }
  if (!it->is_string()) {
    return InvalidArgumentError(fmt::format("\"{}\" must be a string", name));
  }
  return it->get<std::string>();
}

std::vector<std::string> StringList(const Json& v) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const Json& e : v) {
      if (e.is_string()) {
        out.push_back(e.get<std::string>());
      }
    }
  }
  return out;
}

// Terraform writes sensitive_attributes as paths: [[{"type":"get_attr","value":"password"}]].
Json SensitivePaths(const std::vector<std::string>& names) {
  Json out = Json::array();
  for (const std::string& name : names) {
    out.push_back(Json::array({Json{{"type", "get_attr"}, {"value", name}}}));
  }
  return out;
}

std::vector<std::string> SensitiveNames(const Json& paths) {
  std::vector<std::string> out;
  if (!paths.is_array()) {
    return out;
  }
  for (const Json& path : paths) {
    if (path.is_array() && !path.empty() && path[0].is_object() &&
        path[0].value("type", "") == "get_attr" && path[0].contains("value") &&
        path[0]["value"].is_string()) {
      std::string name = path[0]["value"].get<std::string>();
      if (std::find(out.begin(), out.end(), name) == out.end()) {
        out.push_back(name);
      }
    }
  }
  return out;
}

}  // namespace

std::string ResourceState::BlockAddress() const {
  std::string out = module.empty() ? "" : module + ".";
  if (mode == "data") {
    out += "data.";
  }
  return out + type + "." + name;
}

std::string IndexSuffix(const Json& index_key) {
  if (index_key.is_number_integer()) {
    return fmt::format("[{}]", index_key.get<int64_t>());
  }
  if (index_key.is_string()) {
    std::string escaped;
    for (char c : index_key.get<std::string>()) {
      if (c == '"' || c == '\\') {
        escaped += '\\';
      }
      escaped += c;
    }
    return "[\"" + escaped + "\"]";
  }
  return "";
}

Result<ParsedAddress> ParseAddress(std::string_view address) {
  ParsedAddress out;
  std::string_view rest = address;
  auto bad = [&]() {
    return InvalidArgumentError(
        fmt::format("\"{}\" is not a resource instance address (TYPE.NAME, TYPE.NAME[KEY], "
                    "module.M.TYPE.NAME, data.TYPE.NAME)",
                    address));
  };
  auto take_name = [&](std::string& into) -> bool {
    size_t n = 0;
    while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) ||
                               rest[n] == '_' || rest[n] == '-')) {
      ++n;
    }
    if (n == 0) {
      return false;
    }
    into = std::string(rest.substr(0, n));
    rest.remove_prefix(n);
    return true;
  };
  while (rest.substr(0, 7) == "module.") {
    rest.remove_prefix(7);
    std::string name;
    if (!take_name(name)) {
      return bad();
    }
    // An instance of a module call with count or for_each: module.M[0] / module.M["k"].
    if (!rest.empty() && rest[0] == '[') {
      size_t close = 1;
      bool quoted = false;
      while (close < rest.size() && (quoted || rest[close] != ']')) {
        if (rest[close] == '\\' && quoted) {
          ++close;
        } else if (rest[close] == '"') {
          quoted = !quoted;
        }
        ++close;
      }
      if (close >= rest.size()) {
        return bad();
      }
      name += std::string(rest.substr(0, close + 1));
      rest.remove_prefix(close + 1);
    }
    if (rest.empty() || rest[0] != '.') {
      return bad();
    }
    rest.remove_prefix(1);
    out.module += (out.module.empty() ? "module." : ".module.") + name;
  }
  if (rest.substr(0, 5) == "data.") {
    out.mode = "data";
    rest.remove_prefix(5);
  }
  if (!take_name(out.type) || rest.empty() || rest[0] != '.') {
    return bad();
  }
  rest.remove_prefix(1);
  if (!take_name(out.name)) {
    return bad();
  }
  if (!rest.empty()) {
    if (rest.front() != '[' || rest.back() != ']') {
      return bad();
    }
    std::string_view key = rest.substr(1, rest.size() - 2);
    if (key.size() >= 2 && key.front() == '"' && key.back() == '"') {
      std::string s;
      for (size_t i = 1; i + 1 < key.size(); ++i) {
        if (key[i] == '\\' && i + 2 < key.size()) {
          ++i;
        }
        s += key[i];
      }
      out.index_key = s;
    } else if (!key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
                 return std::isdigit(static_cast<unsigned char>(c));
               })) {
      out.index_key = std::stoll(std::string(key));
    } else {
      return bad();
    }
  }
  return out;
}

std::vector<std::string> State::Addresses() const {
  std::vector<std::string> out;
  for (const ResourceState& r : resources) {
    for (const InstanceState& i : r.instances) {
      out.push_back(r.BlockAddress() + IndexSuffix(i.index_key));
    }
  }
  return out;
}

const InstanceState* State::Find(std::string_view address) const {
  return const_cast<State*>(this)->FindMutable(address);
}

InstanceState* State::FindMutable(std::string_view address) {
  Result<ParsedAddress> a = ParseAddress(address);
  if (!a.ok()) {
    return nullptr;
  }
  for (ResourceState& r : resources) {
    if (r.module == a->module && r.mode == a->mode && r.type == a->type && r.name == a->name) {
      for (InstanceState& i : r.instances) {
        if (i.index_key == a->index_key) {
          return &i;
        }
      }
    }
  }
  return nullptr;
}

InstanceState& State::Upsert(const ParsedAddress& a, const std::string& provider) {
  ResourceState key;
  key.module = a.module;
  key.mode = a.mode;
  key.type = a.type;
  key.name = a.name;
  auto it = std::lower_bound(resources.begin(), resources.end(), key,
                             [](const ResourceState& x, const ResourceState& y) {
                               return ResourceOrder(x) < ResourceOrder(y);
                             });
  if (it == resources.end() || ResourceOrder(*it) != ResourceOrder(key)) {
    key.provider = provider;
    it = resources.insert(it, std::move(key));
  }
  for (InstanceState& i : it->instances) {
    if (i.index_key == a.index_key) {
      return i;
    }
  }
  InstanceState fresh;
  fresh.index_key = a.index_key;
  auto pos = std::lower_bound(it->instances.begin(), it->instances.end(), fresh,
                              [](const InstanceState& x, const InstanceState& y) {
                                return KeyLess(x.index_key, y.index_key);
                              });
  return *it->instances.insert(pos, std::move(fresh));
}

bool State::Remove(std::string_view address) {
  Result<ParsedAddress> a = ParseAddress(address);
  if (!a.ok()) {
    return false;
  }
  for (auto r = resources.begin(); r != resources.end(); ++r) {
    if (r->module == a->module && r->mode == a->mode && r->type == a->type && r->name == a->name) {
      for (auto i = r->instances.begin(); i != r->instances.end(); ++i) {
        if (i->index_key == a->index_key) {
          r->instances.erase(i);
          if (r->instances.empty()) {
            resources.erase(r);
          }
          return true;
        }
      }
    }
  }
  return false;
}

std::string NewLineage() {
  Result<std::string> random = RandomBytes(16);
  if (!random.ok()) {
    std::abort();  // no randomness: nothing sensible can go on
  }
  std::string b = *random;
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string CreateToken(std::string_view lineage, std::string_view address) {
  std::string hex = Sha256Hex(std::string(lineage) + "\n" + std::string(address));
  return "cf-" + hex.substr(0, 32) + "0";
}

std::string Serialize(const State& state) {
  Json doc = Json::object();
  doc["version"] = state.version;
  doc["terraform_version"] = state.terraform_version;
  doc["serial"] = state.serial;
  doc["lineage"] = state.lineage;
  Json outputs = Json::object();
  for (const auto& [name, out] : state.outputs) {
    Json o = {{"value", out.value}, {"type", out.type}};
    if (out.sensitive) {
      o["sensitive"] = true;
    }
    outputs[name] = std::move(o);
  }
  doc["outputs"] = std::move(outputs);
  Json resources = Json::array();
  for (const ResourceState& r : state.resources) {
    Json jr = Json::object();
    if (!r.module.empty()) {
      jr["module"] = r.module;
    }
    jr["mode"] = r.mode;
    jr["type"] = r.type;
    jr["name"] = r.name;
    jr["provider"] = r.provider;
    Json instances = Json::array();
    for (const InstanceState& i : r.instances) {
      Json ji = Json::object();
      if (!i.index_key.is_null()) {
        ji["index_key"] = i.index_key;
      }
      ji["schema_version"] = 0;
      ji["attributes"] = i.attributes;
      ji["sensitive_attributes"] = SensitivePaths(i.sensitive_attributes);
      if (!i.dependencies.empty()) {
        ji["dependencies"] = i.dependencies;
      }
      if (i.pending) {
        ji["clusterform"] = {
            {"pending_create", {{"token", i.pending->token}, {"started", i.pending->started}}}};
      }
      instances.push_back(std::move(ji));
    }
    jr["instances"] = std::move(instances);
    resources.push_back(std::move(jr));
  }
  doc["resources"] = std::move(resources);
  doc["check_results"] = nullptr;
  if (state.data_key) {
    doc["clusterform"] = {
        {"data_key",
         {{"kms_key_id", state.data_key->kms_key_id}, {"ciphertext", state.data_key->ciphertext}}}};
  }
  return doc.dump(2) + "\n";
}

Result<State> Parse(std::string_view text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return InvalidArgumentError("the state is not a JSON object");
  }
  State state;
  if (!doc.contains("version") || !doc["version"].is_number_integer()) {
    return InvalidArgumentError("the state has no format \"version\"");
  }
  state.version = doc["version"].get<int>();
  if (state.version != kStateVersion) {
    return InvalidArgumentError(
        fmt::format("the state has format version {}; this clusterform reads version {}",
                    state.version, kStateVersion));
  }
  ASSIGN_OR_RETURN(state.terraform_version, StringField(doc, "terraform_version", false));
  ASSIGN_OR_RETURN(state.lineage, StringField(doc, "lineage", true));
  if (!doc.contains("serial") || !doc["serial"].is_number_integer()) {
    return InvalidArgumentError("the state has no \"serial\"");
  }
  state.serial = doc["serial"].get<int64_t>();
  if (doc.contains("outputs") && doc["outputs"].is_object()) {
    for (const auto& [name, o] : doc["outputs"].items()) {
      OutputState out;
      out.value = o.value("value", Json());
      out.type = o.value("type", Json());
      out.sensitive = o.value("sensitive", false);
      state.outputs[name] = std::move(out);
    }
  }
  if (doc.contains("clusterform") && doc["clusterform"].is_object() &&
      doc["clusterform"].contains("data_key")) {
    const Json& k = doc["clusterform"]["data_key"];
    if (!k.is_object() || !k.contains("ciphertext") || !k["ciphertext"].is_string()) {
      return InvalidArgumentError("\"clusterform\".\"data_key\" must hold a \"ciphertext\" string");
    }
    state.data_key = DataKeyRecord{k.value("kms_key_id", ""), k["ciphertext"].get<std::string>()};
  }
  if (doc.contains("resources") && !doc["resources"].is_array()) {
    return InvalidArgumentError("\"resources\" must be an array");
  }
  for (const Json& jr : doc.value("resources", Json::array())) {
    if (!jr.is_object()) {
      return InvalidArgumentError("each of \"resources\" must be an object");
    }
    ResourceState r;
    ASSIGN_OR_RETURN(r.module, StringField(jr, "module", false));
    ASSIGN_OR_RETURN(r.mode, StringField(jr, "mode", true));
    ASSIGN_OR_RETURN(r.type, StringField(jr, "type", true));
    ASSIGN_OR_RETURN(r.name, StringField(jr, "name", true));
    ASSIGN_OR_RETURN(r.provider, StringField(jr, "provider", false));
    for (const Json& ji : jr.value("instances", Json::array())) {
      InstanceState i;
      i.index_key = ji.value("index_key", Json());
      i.attributes = ji.value("attributes", Json::object());
      if (!i.attributes.is_object()) {
        return InvalidArgumentError(
            fmt::format("the attributes of {} must be an object", r.BlockAddress()));
      }
      i.sensitive_attributes = SensitiveNames(ji.value("sensitive_attributes", Json()));
      i.dependencies = StringList(ji.value("dependencies", Json()));
      if (ji.contains("clusterform") && ji["clusterform"].contains("pending_create")) {
        const Json& p = ji["clusterform"]["pending_create"];
        i.pending = PendingCreate{p.value("token", ""), p.value("started", "")};
      }
      r.instances.push_back(std::move(i));
    }
    state.resources.push_back(std::move(r));
  }
  std::stable_sort(state.resources.begin(), state.resources.end(),
                   [](const ResourceState& a, const ResourceState& b) {
                     return ResourceOrder(a) < ResourceOrder(b);
                   });
  return state;
}

}  // namespace cf::state
