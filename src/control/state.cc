#include "control/state.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "control/time_scale.h"

namespace cf::control {

using nlohmann::json;

namespace {

json StringLists(const std::map<std::string, std::vector<std::string>>& m) {
  json out = json::object();
  for (const auto& [k, v] : m) {
    out[k] = v;
  }
  return out;
}

Status ReadStringLists(const json& j, const char* field,
                       std::map<std::string, std::vector<std::string>>* out) {
  if (!j.contains(field) || j[field].is_null()) {
    return OkStatus();
  }
  if (!j[field].is_object()) {
    return InvalidArgumentError(fmt::format("state field {} is not a map", field));
  }
  for (const auto& [k, v] : j[field].items()) {
    if (!v.is_array()) {
      return InvalidArgumentError(fmt::format("state field {}[{}] is not a list", field, k));
    }
    for (const json& s : v) {
      if (!s.is_string()) {
        return InvalidArgumentError(fmt::format("state field {}[{}] holds a non-string", field, k));
      }
      (*out)[k].push_back(s.get<std::string>());
    }
  }
  return OkStatus();
}

template <typename T>
Status ReadScalar(const json& j, const char* field, T* out) {
  if (!j.contains(field) || j[field].is_null()) {
    return OkStatus();
  }
  const json& v = j[field];
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) {
      return InvalidArgumentError(fmt::format("state field {} is not a boolean", field));
    }
    *out = v.get<bool>();
  } else {
    if (!v.is_number_integer()) {
      return InvalidArgumentError(fmt::format("state field {} is not an integer", field));
    }
    *out = v.get<T>();
  }
  return OkStatus();
}

}  // namespace

json StateToJson(const ClusterState& s) {
  json instances = json::array();
  for (const Vm& vm : s.instances) {
    instances.push_back({{"name", vm.name},
                         {"protocol", vm.protocol},
                         {"container_uid", vm.container_uid},
                         {"nic_name", vm.nic_name}});
  }
  json j = {{"initial_size", s.initial_size},
            {"desired_size", s.desired_size},
            {"clusterization_target", s.clusterization_target},
            {"clusterized", s.clusterized},
            {"instances", instances},
            {"progress", StringLists(s.progress)},
            {"errors", StringLists(s.errors)},
            {"debug", StringLists(s.debug)},
            {"nfs_instances_migrated", s.nfs_instances_migrated}};
  if (!s.updates.is_null()) {
    j["updates"] = s.updates;
  }
  return j;
}

Result<ClusterState> StateFromJson(const json& j) {
  if (!j.is_object()) {
    return InvalidArgumentError("the state value is not a map");
  }
  ClusterState s;
  RETURN_IF_ERROR(ReadScalar(j, "initial_size", &s.initial_size));
  RETURN_IF_ERROR(ReadScalar(j, "desired_size", &s.desired_size));
  RETURN_IF_ERROR(ReadScalar(j, "clusterization_target", &s.clusterization_target));
  RETURN_IF_ERROR(ReadScalar(j, "clusterized", &s.clusterized));
  RETURN_IF_ERROR(ReadScalar(j, "nfs_instances_migrated", &s.nfs_instances_migrated));
  if (j.contains("instances") && !j["instances"].is_null()) {
    if (!j["instances"].is_array()) {
      return InvalidArgumentError("state field instances is not a list");
    }
    for (const json& i : j["instances"]) {
      if (!i.is_object()) {
        return InvalidArgumentError("state field instances holds a non-map");
      }
      Vm vm;
      vm.name = i.value("name", "");
      vm.protocol = i.value("protocol", "");
      vm.container_uid = i.value("container_uid", "");
      vm.nic_name = i.value("nic_name", "");
      s.instances.push_back(std::move(vm));
    }
  }
  RETURN_IF_ERROR(ReadStringLists(j, "progress", &s.progress));
  RETURN_IF_ERROR(ReadStringLists(j, "errors", &s.errors));
  RETURN_IF_ERROR(ReadStringLists(j, "debug", &s.debug));
  if (j.contains("updates")) {
    s.updates = j["updates"];
  }
  return s;
}

json ToAttributeValue(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return {{"NULL", true}};
    case json::value_t::boolean:
      return {{"BOOL", v.get<bool>()}};
    case json::value_t::string:
      return {{"S", v.get<std::string>()}};
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return {{"N", v.dump()}};
    case json::value_t::array: {
      json l = json::array();
      for (const json& e : v) {
        l.push_back(ToAttributeValue(e));
      }
      return {{"L", l}};
    }
    default: {
      json m = json::object();
      for (const auto& [k, e] : v.items()) {
        m[k] = ToAttributeValue(e);
      }
      return {{"M", m}};
    }
  }
}

Result<json> FromAttributeValue(const json& av) {
  if (!av.is_object() || av.size() != 1) {
    return InvalidArgumentError("not a DynamoDB attribute value: " + av.dump());
  }
  const std::string type = av.begin().key();
  const json& v = av.begin().value();
  if (type == "S") {
    return v;
  }
  if (type == "BOOL") {
    return v;
  }
  if (type == "NULL") {
    return json(nullptr);
  }
  if (type == "N") {
    std::string n = v.get<std::string>();
    json parsed = json::parse(n, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_number()) {
      return InvalidArgumentError("bad DynamoDB number: " + n);
    }
    return parsed;
  }
  if (type == "L") {
    json out = json::array();
    for (const json& e : v) {
      ASSIGN_OR_RETURN(json x, FromAttributeValue(e));
      out.push_back(std::move(x));
    }
    return out;
  }
  if (type == "M") {
    json out = json::object();
    for (const auto& [k, e] : v.items()) {
      ASSIGN_OR_RETURN(json x, FromAttributeValue(e));
      out[k] = std::move(x);
    }
    return out;
  }
  return InvalidArgumentError("unsupported DynamoDB attribute type " + type);
}

LockOptions LockOptionsForTimeScale(double time_scale) {
  LockOptions options;
  auto lease =
      std::chrono::duration_cast<std::chrono::milliseconds>(Scaled(options.lease, time_scale));
  options.lease = std::max<std::chrono::milliseconds>(lease, std::chrono::seconds(2));
  return options;
}

StateStore::StateStore(AwsApi& api, Clock& clock, std::string table, std::string hash_key,
                       std::string owner, LockOptions options)
    : api_(api),
      clock_(clock),
      table_(std::move(table)),
      hash_key_(std::move(hash_key)),
      owner_(std::move(owner)),
      options_(options) {}

json StateStore::KeyOf(const std::string& key) const {
  return {{hash_key_, {{"S", key}}}};
}

int64_t StateStore::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

Result<json> StateStore::GetItem(const std::string& key) {
  ASSIGN_OR_RETURN(
      json out, api_.Call("dynamodb", "GetItem",
                          {{"TableName", table_}, {"Key", KeyOf(key)}, {"ConsistentRead", true}}));
  if (!out.contains("Item")) {
    return NotFoundError(
        fmt::format("state item {}={} not found in table {}", hash_key_, key, table_));
  }
  return out["Item"];
}

Status StateStore::Lock(const std::string& key) {
  auto start = clock_.Monotonic();
  std::string holder;
  bool checked_exists = false;
  while (true) {
    int64_t now = NowMs();
    json params = {
        {"TableName", table_},
        {"Key", KeyOf(key)},
        {"UpdateExpression", "SET #l = :t, #o = :o, #e = :e"},
        {"ConditionExpression",
         "attribute_exists(#k) AND (attribute_not_exists(#l) OR #l = :f OR #e < :now OR "
         "(#l = :t AND attribute_not_exists(#e)))"},
        {"ExpressionAttributeNames",
         {{"#k", hash_key_}, {"#l", "Locked"}, {"#o", "LockOwner"}, {"#e", "LockExpires"}}},
        {"ExpressionAttributeValues",
         {{":t", {{"BOOL", true}}},
          {":f", {{"BOOL", false}}},
          {":o", {{"S", owner_}}},
          {":e", {{"N", std::to_string(now + options_.lease.count())}}},
          {":now", {{"N", std::to_string(now)}}}}}};
    ASSIGN_OR_RETURN(AwsCallResult r, api_.Invoke("dynamodb", "UpdateItem", params));
    if (r.ok()) {
      return OkStatus();
    }
    if (r.error->code != "ConditionalCheckFailedException") {
      return UnavailableError(
          fmt::format("locking the state: {}: {}", r.error->code, r.error->message));
    }
    if (!checked_exists) {
      Result<json> item = GetItem(key);
      if (!item.ok()) {
        return item.status();
      }
      checked_exists = true;
      if (item->contains("LockOwner")) {
        holder = (*item)["LockOwner"].value("S", "");
      }
    }
    if (clock_.Monotonic() - start >= options_.wait) {
      return UnavailableError(fmt::format("timed out waiting for the state lock held by {}",
                                          holder.empty() ? "another function" : holder));
    }
    clock_.SleepFor(options_.retry);
  }
}

Status StateStore::Unlock(const std::string& key) {
  json params = {
      {"TableName", table_},
      {"Key", KeyOf(key)},
      {"UpdateExpression", "SET #l = :f REMOVE #o, #e"},
      {"ConditionExpression", "#o = :o"},
      {"ExpressionAttributeNames", {{"#l", "Locked"}, {"#o", "LockOwner"}, {"#e", "LockExpires"}}},
      {"ExpressionAttributeValues", {{":f", {{"BOOL", false}}}, {":o", {{"S", owner_}}}}}};
  ASSIGN_OR_RETURN(AwsCallResult r, api_.Invoke("dynamodb", "UpdateItem", params));
  if (r.ok()) {
    return OkStatus();
  }
  if (r.error->code == "ConditionalCheckFailedException") {
    return ConflictError("the state lock's lease ran out and another function took it over");
  }
  return UnavailableError(
      fmt::format("unlocking the state: {}: {}", r.error->code, r.error->message));
}

Result<ClusterState> StateStore::Read(const std::string& key) {
  ASSIGN_OR_RETURN(json item, GetItem(key));
  if (!item.contains("Value")) {
    return ClusterState{};
  }
  ASSIGN_OR_RETURN(json value, FromAttributeValue(item["Value"]));
  return StateFromJson(value);
}

Status StateStore::Update(const std::string& key,
                          const std::function<Status(ClusterState&)>& change) {
  RETURN_IF_ERROR(Lock(key));
  Status result = [&]() -> Status {
    ASSIGN_OR_RETURN(ClusterState state, Read(key));
    RETURN_IF_ERROR(change(state));
    json params = {{"TableName", table_},
                   {"Key", KeyOf(key)},
                   {"UpdateExpression", "SET #v = :v"},
                   {"ConditionExpression", "#o = :o"},
                   {"ExpressionAttributeNames", {{"#v", "Value"}, {"#o", "LockOwner"}}},
                   {"ExpressionAttributeValues",
                    {{":v", ToAttributeValue(StateToJson(state))}, {":o", {{"S", owner_}}}}}};
    ASSIGN_OR_RETURN(AwsCallResult r, api_.Invoke("dynamodb", "UpdateItem", params));
    if (!r.ok()) {
      if (r.error->code == "ConditionalCheckFailedException") {
        return ConflictError("the state lock's lease ran out before the write; nothing written");
      }
      return UnavailableError(
          fmt::format("writing the state: {}: {}", r.error->code, r.error->message));
    }
    return OkStatus();
  }();
  Status unlocked = Unlock(key);
  return result.ok() ? unlocked : result;
}

Result<ClusterState> StateStore::ReadLocked(const std::string& key) {
  RETURN_IF_ERROR(Lock(key));
  Result<ClusterState> state = Read(key);
  Status unlocked = Unlock(key);
  if (!state.ok()) {
    return state.status();
  }
  if (!unlocked.ok()) {
    return unlocked;
  }
  return state;
}

}  // namespace cf::control
