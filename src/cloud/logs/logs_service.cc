#include "cloud/logs/logs_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <regex>
#include <set>

#include "cloud/logs/logs_common.h"

namespace cf::cloud::logs {

namespace {

// The retention periods CloudWatch Logs accepts, in days.
constexpr int64_t kRetentionDays[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                      365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

bool ValidGroupName(const std::string& name) {
  static const std::regex kName("[\\.\\-_/#A-Za-z0-9]{1,512}");
  return std::regex_match(name, kName);
}

bool ValidStreamName(const std::string& name) {
  return !name.empty() && name.size() <= 512 && name.find(':') == std::string::npos &&
         name.find('*') == std::string::npos;
}

std::string GroupArn(const ServiceCall& call, const std::string& name) {
  return fmt::format("arn:aws:logs:{}:{}:log-group:{}", call.region, call.account_id, name);
}

Json Visible(Json doc) {
  for (auto it = doc.begin(); it != doc.end();) {
    if (it.key().rfind("_", 0) == 0) {
      it = doc.erase(it);
    } else {
      ++it;
    }
  }
  return doc;
}

ServiceResult Committed(StoreTxn& txn, Json output) {
  Status s = txn.Commit();
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return output;
}

// A tags map of a request member, checked as CloudWatch Logs checks them.
std::variant<std::map<std::string, std::string>, ServiceError> TagsOf(const Json& input,
                                                                      const char* member) {
  std::map<std::string, std::string> tags;
  if (!input.contains(member)) {
    return tags;
  }
  if (!input[member].is_object()) {
    return InvalidParameter(fmt::format("{} must be a map of strings", member));
  }
  for (auto it = input[member].begin(); it != input[member].end(); ++it) {
    if (!it.value().is_string()) {
      return InvalidParameter(fmt::format("The value of tag '{}' must be a string", it.key()));
    }
    if (it.key().empty() || it.key().size() > 128 || it.value().get<std::string>().size() > 256) {
      return InvalidParameter(
          fmt::format("Tag key '{}' must be 1-128 characters and its value at most 256", it.key()));
    }
    if (it.key().rfind("aws:", 0) == 0) {
      return InvalidParameter("Tag keys starting with 'aws:' are reserved");
    }
    tags[it.key()] = it.value().get<std::string>();
  }
  return tags;
}

std::optional<ServiceError> MergeTags(Json& group, const std::map<std::string, std::string>& tags) {
  Json merged = group.value("_tags", Json::object());
  for (const auto& [key, value] : tags) {
    merged[key] = value;
  }
  if (merged.size() > 50) {
    return ServiceError{"TooManyTagsException", "A resource can have no more than 50 tags", 400,
                        true};
  }
  group["_tags"] = merged;
  return std::nullopt;
}

// The log group name of a log group ARN ("...:log-group:NAME" with an optional ":*").
std::variant<std::string, ServiceError> GroupOfArn(const ServiceCall& call,
                                                   const std::string& arn) {
  std::string prefix = fmt::format("arn:aws:logs:{}:{}:log-group:", call.region, call.account_id);
  if (arn.rfind("arn:aws:logs:", 0) != 0 || arn.find(":log-group:") == std::string::npos) {
    return InvalidParameter(fmt::format("Invalid resource ARN: {}", arn));
  }
  if (arn.rfind(prefix, 0) != 0) {
    return NotFound(fmt::format("The specified resource does not exist: {}", arn));
  }
  std::string name = arn.substr(prefix.size());
  if (name.size() >= 2 && name.compare(name.size() - 2, 2, ":*") == 0) {
    name.resize(name.size() - 2);
  }
  return name;
}

}  // namespace

// ---- shared helpers (logs_common.h) ----

ServiceError InvalidParameter(std::string message) {
  return ServiceError{"InvalidParameterException", std::move(message), 400, true};
}

ServiceError NotFound(std::string message) {
  return ServiceError{"ResourceNotFoundException", std::move(message), 400, true};
}

ServiceError AlreadyExists(std::string message) {
  return ServiceError{"ResourceAlreadyExistsException", std::move(message), 400, true};
}

ServiceError StoreFailure(const Status& status) {
  return ServiceError{"ServiceUnavailableException",
                      "the local cloud's store failed: " + status.message(), 500, false};
}

std::string KeyPart(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '%') {
      out += "%25";
    } else if (c == '|') {
      out += "%7C";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string GroupKey(const ServiceCall& call, const std::string& group) {
  return call.region + "|" + KeyPart(group);
}

std::string StreamKey(const ServiceCall& call, const std::string& group,
                      const std::string& stream) {
  return GroupKey(call, group) + "|" + KeyPart(stream);
}

std::string ChunkKey(const ServiceCall& call, const std::string& group, const std::string& stream,
                     int64_t index) {
  return fmt::format("{}|{:010}", StreamKey(call, group, stream), index);
}

std::variant<std::string, ServiceError> GroupNameOf(const Json& input) {
  std::string name = input.value("logGroupName", "");
  std::string identifier = input.value("logGroupIdentifier", "");
  if (!name.empty() && !identifier.empty()) {
    return InvalidParameter("Specify either logGroupName or logGroupIdentifier, not both");
  }
  if (!identifier.empty()) {
    size_t at = identifier.find(":log-group:");
    if (identifier.rfind("arn:", 0) == 0 && at != std::string::npos) {
      name = identifier.substr(at + 11);
      if (name.size() >= 2 && name.compare(name.size() - 2, 2, ":*") == 0) {
        name.resize(name.size() - 2);
      }
    } else {
      name = identifier;
    }
  }
  if (name.empty()) {
    return InvalidParameter("Either logGroupName or logGroupIdentifier is required");
  }
  return name;
}

std::variant<Json, ServiceError> GetGroup(StoreTxn& txn, const ServiceCall& call,
                                          const std::string& group) {
  Result<std::optional<Json>> doc = txn.Get(kGroupNs, GroupKey(call, group));
  if (!doc.ok()) {
    return StoreFailure(doc.status());
  }
  if (!*doc) {
    return NotFound("The specified log group does not exist.");
  }
  return std::move(**doc);
}

std::variant<Json, ServiceError> GetStream(StoreTxn& txn, const ServiceCall& call,
                                           const std::string& group, const std::string& stream) {
  Result<std::optional<Json>> doc = txn.Get(kStreamNs, StreamKey(call, group, stream));
  if (!doc.ok()) {
    return StoreFailure(doc.status());
  }
  if (!*doc) {
    return NotFound("The specified log stream does not exist.");
  }
  return std::move(**doc);
}

std::variant<std::optional<int64_t>, ServiceError> IntMember(const Json& input, const char* name,
                                                             int64_t min, int64_t max) {
  if (!input.contains(name)) {
    return std::optional<int64_t>();
  }
  if (!input[name].is_number_integer()) {
    return InvalidParameter(fmt::format("{} must be an integer", name));
  }
  int64_t value = input[name].get<int64_t>();
  if (value < min || value > max) {
    return InvalidParameter(fmt::format(
        "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member "
        "must have value between {} and {}",
        value, name, min, max));
  }
  return std::optional<int64_t>(value);
}

// ---- the service ----

const std::map<std::string, LogsService::Handler>& LogsService::Handlers() {
  static const std::map<std::string, Handler> kHandlers = {
      {"CreateLogGroup", &LogsService::CreateLogGroup},
      {"DeleteLogGroup", &LogsService::DeleteLogGroup},
      {"DescribeLogGroups", &LogsService::DescribeLogGroups},
      {"PutRetentionPolicy", &LogsService::PutRetentionPolicy},
      {"DeleteRetentionPolicy", &LogsService::DeleteRetentionPolicy},
      {"TagResource", &LogsService::TagResource},
      {"UntagResource", &LogsService::UntagResource},
      {"ListTagsForResource", &LogsService::ListTagsForResource},
      {"TagLogGroup", &LogsService::TagLogGroup},
      {"UntagLogGroup", &LogsService::UntagLogGroup},
      {"ListTagsLogGroup", &LogsService::ListTagsLogGroup},
      {"CreateLogStream", &LogsService::CreateLogStream},
      {"DeleteLogStream", &LogsService::DeleteLogStream},
      {"DescribeLogStreams", &LogsService::DescribeLogStreams},
      {"PutLogEvents", &LogsService::PutLogEvents},
      {"GetLogEvents", &LogsService::GetLogEvents},
      {"FilterLogEvents", &LogsService::FilterLogEvents},
  };
  return kHandlers;
}

bool LogsService::HasOperation(const std::string& operation) const {
  return Handlers().count(operation) > 0;
}

ServiceResult LogsService::Handle(const ServiceCall& call) {
  auto it = Handlers().find(call.operation);
  if (it == Handlers().end()) {
    return ServiceError{"UnknownOperationException",
                        "The operation " + call.operation + " is not supported.", 400, true};
  }
  try {
    return (this->*(it->second))(call);
  } catch (const nlohmann::json::exception& e) {
    // A member of the wrong JSON type that a handler read as another.
    return InvalidParameter(std::string("Invalid request: ") + e.what());
  }
}

int64_t LogsService::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             context_.clock.Now().time_since_epoch())
      .count();
}

ServiceResult LogsService::CreateLogGroup(const ServiceCall& call) {
  std::string name = call.input.value("logGroupName", "");
  if (!ValidGroupName(name)) {
    return InvalidParameter(fmt::format(
        "1 validation error detected: Value '{}' at 'logGroupName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ and "
        "have length between 1 and 512",
        name));
  }
  std::string group_class = call.input.value("logGroupClass", "STANDARD");
  if (group_class != "STANDARD" && group_class != "INFREQUENT_ACCESS" &&
      group_class != "DELIVERY") {
    return InvalidParameter(fmt::format(
        "Invalid logGroupClass '{}': STANDARD, INFREQUENT_ACCESS or DELIVERY", group_class));
  }
  auto tags = TagsOf(call.input, "tags");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> existing = txn->Get(kGroupNs, GroupKey(call, name));
  if (!existing.ok()) {
    return StoreFailure(existing.status());
  }
  if (*existing) {
    return AlreadyExists("The specified log group already exists");
  }
  Json group = {{"logGroupName", name},
                {"creationTime", NowMillis()},
                {"metricFilterCount", 0},
                {"arn", GroupArn(call, name) + ":*"},
                {"storedBytes", 0},
                // Kept internal: the embedded (Debian) Logs model's LogGroup has neither
                // logGroupClass nor logGroupArn, so they cannot be answered.
                {"_logGroupClass", group_class},
                {"_tags", Json::object()}};
  if (call.input.contains("kmsKeyId")) {
    group["kmsKeyId"] = call.input["kmsKeyId"];
  }
  if (auto error = MergeTags(group, std::get<std::map<std::string, std::string>>(tags))) {
    return *error;
  }
  Status s = txn->Put(kGroupNs, GroupKey(call, name), group);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult LogsService::DeleteLogGroup(const ServiceCall& call) {
  std::string name = call.input.value("logGroupName", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetGroup(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  // The group's streams and their events go with it.
  std::string prefix = GroupKey(call, name) + "|";
  for (const char* ns : {kStreamNs, kEventsNs}) {
    Result<std::vector<std::pair<std::string, Json>>> docs = txn->List(ns, prefix);
    if (!docs.ok()) {
      return StoreFailure(docs.status());
    }
    for (const auto& [key, doc] : *docs) {
      Status s = txn->Delete(ns, key);
      if (!s.ok()) {
        return StoreFailure(s);
      }
    }
  }
  Status s = txn->Delete(kGroupNs, GroupKey(call, name));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult LogsService::DescribeLogGroups(const ServiceCall& call) {
  auto limit = IntMember(call.input, "limit", 1, 50);
  if (auto* error = std::get_if<ServiceError>(&limit)) {
    return *error;
  }
  std::string prefix = call.input.value("logGroupNamePrefix", "");
  std::string pattern = call.input.value("logGroupNamePattern", "");
  if (!prefix.empty() && !pattern.empty()) {
    return InvalidParameter(
        "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.");
  }
  std::transform(pattern.begin(), pattern.end(), pattern.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  std::string group_class = call.input.value("logGroupClass", "");
  Result<std::vector<std::pair<std::string, Json>>> all =
      context_.store.List(kGroupNs, call.region + "|");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  std::vector<Json> groups;
  for (auto& [key, group] : *all) {
    std::string name = group.value("logGroupName", "");
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (name.rfind(prefix, 0) != 0 || lower.find(pattern) == std::string::npos ||
        (!group_class.empty() && group.value("_logGroupClass", "") != group_class)) {
      continue;
    }
    groups.push_back(Visible(std::move(group)));
  }
  std::sort(groups.begin(), groups.end(), [](const Json& a, const Json& b) {
    return a["logGroupName"].get<std::string>() < b["logGroupName"].get<std::string>();
  });
  // The token names the first group of the next page.
  size_t start = 0;
  if (call.input.contains("nextToken")) {
    std::string token = call.input["nextToken"].get<std::string>();
    if (token.empty()) {
      return InvalidParameter("The specified nextToken is invalid.");
    }
    while (start < groups.size() && groups[start]["logGroupName"].get<std::string>() < token) {
      ++start;
    }
  }
  size_t page = static_cast<size_t>(std::get<std::optional<int64_t>>(limit).value_or(50));
  Json out = {{"logGroups", Json::array()}};
  size_t end = std::min(groups.size(), start + page);
  for (size_t i = start; i < end; ++i) {
    out["logGroups"].push_back(groups[i]);
  }
  if (end < groups.size()) {
    out["nextToken"] = groups[end]["logGroupName"];
  }
  return out;
}

ServiceResult LogsService::PutRetentionPolicy(const ServiceCall& call) {
  std::string name = call.input.value("logGroupName", "");
  if (!call.input.contains("retentionInDays") ||
      !call.input["retentionInDays"].is_number_integer()) {
    return InvalidParameter("retentionInDays is required");
  }
  int64_t days = call.input["retentionInDays"].get<int64_t>();
  if (std::find(std::begin(kRetentionDays), std::end(kRetentionDays), days) ==
      std::end(kRetentionDays)) {
    return InvalidParameter(fmt::format(
        "1 validation error detected: Value '{}' at 'retentionInDays' failed to satisfy "
        "constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, "
        "180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
        days));
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetGroup(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  std::get<Json>(group)["retentionInDays"] = days;
  Status s = txn->Put(kGroupNs, GroupKey(call, name), std::get<Json>(group));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult LogsService::DeleteRetentionPolicy(const ServiceCall& call) {
  std::string name = call.input.value("logGroupName", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetGroup(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  std::get<Json>(group).erase("retentionInDays");
  Status s = txn->Put(kGroupNs, GroupKey(call, name), std::get<Json>(group));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

namespace {

// Applies `change` to the tags of the log group `name` in one transaction.
ServiceResult ChangeTags(Store& store, const ServiceCall& call, const std::string& name,
                         const std::function<std::optional<ServiceError>(Json&)>& change) {
  Result<StoreTxn> txn = store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetGroup(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  if (auto error = change(std::get<Json>(group))) {
    return *error;
  }
  Status s = txn->Put(kGroupNs, GroupKey(call, name), std::get<Json>(group));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult TagsOfGroup(Store& store, const ServiceCall& call, const std::string& name) {
  Result<StoreTxn> txn = store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetGroup(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  return Json{{"tags", std::get<Json>(group).value("_tags", Json::object())}};
}

}  // namespace

ServiceResult LogsService::TagResource(const ServiceCall& call) {
  auto name = GroupOfArn(call, call.input.value("resourceArn", ""));
  if (auto* error = std::get_if<ServiceError>(&name)) {
    return *error;
  }
  auto tags = TagsOf(call.input, "tags");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  return ChangeTags(context_.store, call, std::get<std::string>(name), [&](Json& group) {
    return MergeTags(group, std::get<std::map<std::string, std::string>>(tags));
  });
}

ServiceResult LogsService::UntagResource(const ServiceCall& call) {
  auto name = GroupOfArn(call, call.input.value("resourceArn", ""));
  if (auto* error = std::get_if<ServiceError>(&name)) {
    return *error;
  }
  Json keys = call.input.value("tagKeys", Json::array());
  return ChangeTags(context_.store, call, std::get<std::string>(name),
                    [&](Json& group) -> std::optional<ServiceError> {
                      for (const Json& key : keys) {
                        group["_tags"].erase(key.get<std::string>());
                      }
                      return std::nullopt;
                    });
}

ServiceResult LogsService::ListTagsForResource(const ServiceCall& call) {
  auto name = GroupOfArn(call, call.input.value("resourceArn", ""));
  if (auto* error = std::get_if<ServiceError>(&name)) {
    return *error;
  }
  return TagsOfGroup(context_.store, call, std::get<std::string>(name));
}

ServiceResult LogsService::TagLogGroup(const ServiceCall& call) {
  auto tags = TagsOf(call.input, "tags");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  return ChangeTags(context_.store, call, call.input.value("logGroupName", ""), [&](Json& group) {
    return MergeTags(group, std::get<std::map<std::string, std::string>>(tags));
  });
}

ServiceResult LogsService::UntagLogGroup(const ServiceCall& call) {
  Json keys = call.input.value("tags", Json::array());
  return ChangeTags(context_.store, call, call.input.value("logGroupName", ""),
                    [&](Json& group) -> std::optional<ServiceError> {
                      for (const Json& key : keys) {
                        group["_tags"].erase(key.get<std::string>());
                      }
                      return std::nullopt;
                    });
}

ServiceResult LogsService::ListTagsLogGroup(const ServiceCall& call) {
  return TagsOfGroup(context_.store, call, call.input.value("logGroupName", ""));
}

ServiceResult LogsService::CreateLogStream(const ServiceCall& call) {
  std::string group_name = call.input.value("logGroupName", "");
  std::string name = call.input.value("logStreamName", "");
  if (!ValidStreamName(name)) {
    return InvalidParameter(fmt::format(
        "1 validation error detected: Value '{}' at 'logStreamName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [^:*]* and have length "
        "between 1 and 512",
        name));
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetGroup(*txn, call, group_name);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  Result<std::optional<Json>> existing = txn->Get(kStreamNs, StreamKey(call, group_name, name));
  if (!existing.ok()) {
    return StoreFailure(existing.status());
  }
  if (*existing) {
    return AlreadyExists("The specified log stream already exists");
  }
  Json stream = {{"logStreamName", name},
                 {"creationTime", NowMillis()},
                 {"arn", fmt::format("{}:log-stream:{}", GroupArn(call, group_name), name)},
                 {"storedBytes", 0},
                 {"_sequence", 0},
                 {"_chunks", 0},
                 {"_serial", 0}};
  Status s = txn->Put(kStreamNs, StreamKey(call, group_name, name), stream);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult LogsService::DeleteLogStream(const ServiceCall& call) {
  std::string group_name = call.input.value("logGroupName", "");
  std::string name = call.input.value("logStreamName", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetGroup(*txn, call, group_name);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  auto stream = GetStream(*txn, call, group_name, name);
  if (auto* error = std::get_if<ServiceError>(&stream)) {
    return *error;
  }
  Result<std::vector<std::pair<std::string, Json>>> chunks =
      txn->List(kEventsNs, StreamKey(call, group_name, name) + "|");
  if (!chunks.ok()) {
    return StoreFailure(chunks.status());
  }
  for (const auto& [key, chunk] : *chunks) {
    Status s = txn->Delete(kEventsNs, key);
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  Status s = txn->Delete(kStreamNs, StreamKey(call, group_name, name));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult LogsService::DescribeLogStreams(const ServiceCall& call) {
  auto group_name = GroupNameOf(call.input);
  if (auto* error = std::get_if<ServiceError>(&group_name)) {
    return *error;
  }
  auto limit = IntMember(call.input, "limit", 1, 50);
  if (auto* error = std::get_if<ServiceError>(&limit)) {
    return *error;
  }
  std::string order = call.input.value("orderBy", "LogStreamName");
  std::string prefix = call.input.value("logStreamNamePrefix", "");
  bool descending = call.input.value("descending", false);
  if (order != "LogStreamName" && order != "LastEventTime") {
    return InvalidParameter(
        fmt::format("Invalid orderBy '{}': LogStreamName or LastEventTime", order));
  }
  if (order == "LastEventTime" && !prefix.empty()) {
    return InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  const std::string& group = std::get<std::string>(group_name);
  auto group_doc = GetGroup(*txn, call, group);
  if (auto* error = std::get_if<ServiceError>(&group_doc)) {
    return *error;
  }
  Result<std::vector<std::pair<std::string, Json>>> all =
      txn->List(kStreamNs, GroupKey(call, group) + "|");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  std::vector<Json> streams;
  for (auto& [key, stream] : *all) {
    if (stream.value("logStreamName", "").rfind(prefix, 0) == 0) {
      streams.push_back(Visible(std::move(stream)));
    }
  }
  auto by_name = [](const Json& a, const Json& b) {
    return a["logStreamName"].get<std::string>() < b["logStreamName"].get<std::string>();
  };
  if (order == "LogStreamName") {
    std::sort(streams.begin(), streams.end(), by_name);
  } else {
    std::stable_sort(streams.begin(), streams.end(), [&](const Json& a, const Json& b) {
      int64_t ta = a.value("lastEventTimestamp", int64_t{0});
      int64_t tb = b.value("lastEventTimestamp", int64_t{0});
      return ta != tb ? ta < tb : by_name(a, b);
    });
  }
  if (descending) {
    std::reverse(streams.begin(), streams.end());
  }
  // The token is the position of the next page's first stream in this order.
  size_t start = 0;
  if (call.input.contains("nextToken")) {
    std::string token = call.input["nextToken"].get<std::string>();
    if (token.size() < 3 || token.rfind("s/", 0) != 0 || token.size() > 12 ||
        !std::all_of(token.begin() + 2, token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return InvalidParameter("The specified nextToken is invalid.");
    }
    start = std::min(streams.size(), static_cast<size_t>(std::stoul(token.substr(2))));
  }
  size_t page = static_cast<size_t>(std::get<std::optional<int64_t>>(limit).value_or(50));
  Json out = {{"logStreams", Json::array()}};
  size_t end = std::min(streams.size(), start + page);
  for (size_t i = start; i < end; ++i) {
    out["logStreams"].push_back(streams[i]);
  }
  if (end < streams.size()) {
    out["nextToken"] = fmt::format("s/{}", end);
  }
  return out;
}

}  // namespace cf::cloud::logs
