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

// A tags map of a request member, checked as CloudWatch Logs checks them.
ServiceOr<std::map<std::string, std::string>> TagsOf(const Json& input, const char* member) {
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

ServiceStatus MergeTags(Json& group, const std::map<std::string, std::string>& tags) {
  Json merged = group.value("_tags", Json::object());
  for (const auto& [key, value] : tags) {
    merged[key] = value;
  }
  if (merged.size() > 50) {
    return ServiceError{"TooManyTagsException", "A resource can have no more than 50 tags", 400,
                        true};
  }
  group["_tags"] = merged;
  return {};
}

// The log group name of a log group ARN ("...:log-group:NAME" with an optional ":*").
ServiceOr<std::string> GroupOfArn(const ServiceCall& call, const std::string& arn) {
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

ServiceError StoreFailure(std::string message) {
  return ServiceError{"ServiceUnavailableException", "the local cloud's store failed: " + message,
                      500, false};
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

ServiceOr<std::string> GroupNameOf(const Json& input) {
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

ServiceOr<Json> GetGroup(CallTxn& txn, const ServiceCall& call, const std::string& group) {
  return txn.Require(kGroupNs, GroupKey(call, group),
                     NotFound("The specified log group does not exist."));
}

ServiceOr<Json> GetStream(CallTxn& txn, const ServiceCall& call, const std::string& group,
                          const std::string& stream) {
  return txn.Require(kStreamNs, StreamKey(call, group, stream),
                     NotFound("The specified log stream does not exist."));
}

ServiceOr<std::optional<int64_t>> IntMember(const Json& input, const char* name, int64_t min,
                                            int64_t max) {
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

const OperationTable<LogsService>& LogsService::Operations() {
  static const OperationTable<LogsService> kTable(
      {
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
      },
      {.internal_error = StoreFailure, .invalid_input = InvalidParameter});
  return kTable;
}

int64_t LogsService::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             context_.clock.Now().time_since_epoch())
      .count();
}

ServiceResult LogsService::CreateLogGroup(const ServiceCall& call, CallTxn& txn) {
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
  SERVICE_ASSIGN_OR_RETURN(auto tags, TagsOf(call.input, "tags"));
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kGroupNs, GroupKey(call, name)));
  if (existing) {
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
  SERVICE_RETURN_IF_ERROR(MergeTags(group, tags));
  SERVICE_RETURN_IF_ERROR(txn.Put(kGroupNs, GroupKey(call, name), group));
  return Json::object();
}

ServiceResult LogsService::DeleteLogGroup(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("logGroupName", "");
  SERVICE_RETURN_IF_ERROR(GetGroup(txn, call, name));
  // The group's streams and their events go with it.
  std::string prefix = GroupKey(call, name) + "|";
  for (const char* ns : {kStreamNs, kEventsNs}) {
    SERVICE_ASSIGN_OR_RETURN(auto docs, txn.List(ns, prefix));
    for (const auto& [key, doc] : docs) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(ns, key));
    }
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kGroupNs, GroupKey(call, name)));
  return Json::object();
}

ServiceResult LogsService::DescribeLogGroups(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntMember(call.input, "limit", 1, 50));
  std::string prefix = call.input.value("logGroupNamePrefix", "");
  std::string pattern = call.input.value("logGroupNamePattern", "");
  if (!prefix.empty() && !pattern.empty()) {
    return InvalidParameter(
        "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.");
  }
  std::transform(pattern.begin(), pattern.end(), pattern.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  std::string group_class = call.input.value("logGroupClass", "");
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kGroupNs, call.region + "|"));
  std::vector<Json> groups;
  for (auto& [key, group] : all) {
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
  size_t page = static_cast<size_t>(limit.value_or(50));
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

namespace {

// Applies `change` to the log group `name` and saves it.
ServiceResult ChangeGroup(CallTxn& txn, const ServiceCall& call, const std::string& name,
                          const std::function<ServiceStatus(Json&)>& change) {
  SERVICE_ASSIGN_OR_RETURN(Json group, GetGroup(txn, call, name));
  SERVICE_RETURN_IF_ERROR(change(group));
  SERVICE_RETURN_IF_ERROR(txn.Put(kGroupNs, GroupKey(call, name), group));
  return Json::object();
}

ServiceResult TagsOfGroup(CallTxn& txn, const ServiceCall& call, const std::string& name) {
  SERVICE_ASSIGN_OR_RETURN(Json group, GetGroup(txn, call, name));
  return Json{{"tags", group.value("_tags", Json::object())}};
}

ServiceStatus RemoveTags(Json& group, const Json& keys) {
  for (const Json& key : keys) {
    group["_tags"].erase(key.get<std::string>());
  }
  return {};
}

}  // namespace

ServiceResult LogsService::PutRetentionPolicy(const ServiceCall& call, CallTxn& txn) {
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
  return ChangeGroup(txn, call, call.input.value("logGroupName", ""), [&](Json& group) {
    group["retentionInDays"] = days;
    return ServiceStatus();
  });
}

ServiceResult LogsService::DeleteRetentionPolicy(const ServiceCall& call, CallTxn& txn) {
  return ChangeGroup(txn, call, call.input.value("logGroupName", ""), [](Json& group) {
    group.erase("retentionInDays");
    return ServiceStatus();
  });
}

ServiceResult LogsService::TagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(std::string name, GroupOfArn(call, call.input.value("resourceArn", "")));
  SERVICE_ASSIGN_OR_RETURN(auto tags, TagsOf(call.input, "tags"));
  return ChangeGroup(txn, call, name, [&](Json& group) { return MergeTags(group, tags); });
}

ServiceResult LogsService::UntagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(std::string name, GroupOfArn(call, call.input.value("resourceArn", "")));
  Json keys = call.input.value("tagKeys", Json::array());
  return ChangeGroup(txn, call, name, [&](Json& group) { return RemoveTags(group, keys); });
}

ServiceResult LogsService::ListTagsForResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(std::string name, GroupOfArn(call, call.input.value("resourceArn", "")));
  return TagsOfGroup(txn, call, name);
}

ServiceResult LogsService::TagLogGroup(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto tags, TagsOf(call.input, "tags"));
  return ChangeGroup(txn, call, call.input.value("logGroupName", ""),
                     [&](Json& group) { return MergeTags(group, tags); });
}

ServiceResult LogsService::UntagLogGroup(const ServiceCall& call, CallTxn& txn) {
  Json keys = call.input.value("tags", Json::array());
  return ChangeGroup(txn, call, call.input.value("logGroupName", ""),
                     [&](Json& group) { return RemoveTags(group, keys); });
}

ServiceResult LogsService::ListTagsLogGroup(const ServiceCall& call, CallTxn& txn) {
  return TagsOfGroup(txn, call, call.input.value("logGroupName", ""));
}

ServiceResult LogsService::CreateLogStream(const ServiceCall& call, CallTxn& txn) {
  std::string group_name = call.input.value("logGroupName", "");
  std::string name = call.input.value("logStreamName", "");
  if (!ValidStreamName(name)) {
    return InvalidParameter(fmt::format(
        "1 validation error detected: Value '{}' at 'logStreamName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [^:*]* and have length "
        "between 1 and 512",
        name));
  }
  SERVICE_RETURN_IF_ERROR(GetGroup(txn, call, group_name));
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing,
                           txn.Get(kStreamNs, StreamKey(call, group_name, name)));
  if (existing) {
    return AlreadyExists("The specified log stream already exists");
  }
  Json stream = {{"logStreamName", name},
                 {"creationTime", NowMillis()},
                 {"arn", fmt::format("{}:log-stream:{}", GroupArn(call, group_name), name)},
                 {"storedBytes", 0},
                 {"_sequence", 0},
                 {"_chunks", 0},
                 {"_serial", 0}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kStreamNs, StreamKey(call, group_name, name), stream));
  return Json::object();
}

ServiceResult LogsService::DeleteLogStream(const ServiceCall& call, CallTxn& txn) {
  std::string group_name = call.input.value("logGroupName", "");
  std::string name = call.input.value("logStreamName", "");
  SERVICE_RETURN_IF_ERROR(GetGroup(txn, call, group_name));
  SERVICE_RETURN_IF_ERROR(GetStream(txn, call, group_name, name));
  SERVICE_ASSIGN_OR_RETURN(auto chunks,
                           txn.List(kEventsNs, StreamKey(call, group_name, name) + "|"));
  for (const auto& [key, chunk] : chunks) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kEventsNs, key));
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kStreamNs, StreamKey(call, group_name, name)));
  return Json::object();
}

ServiceResult LogsService::DescribeLogStreams(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(std::string group, GroupNameOf(call.input));
  SERVICE_ASSIGN_OR_RETURN(std::optional<int64_t> limit, IntMember(call.input, "limit", 1, 50));
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
  SERVICE_RETURN_IF_ERROR(GetGroup(txn, call, group));
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kStreamNs, GroupKey(call, group) + "|"));
  std::vector<Json> streams;
  for (auto& [key, stream] : all) {
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
  size_t page = static_cast<size_t>(limit.value_or(50));
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
