// Placement groups and launch templates (with their numbered versions) of the EC2 service.
// A launch template's versions live inside its document under "_versions", each with the
// LaunchTemplateData stored exactly as the request gave it.

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <regex>

#include "cloud/core/ids.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

namespace {

constexpr char kInstanceNs[] = "ec2/instance";

int64_t Now(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

ServiceError UnknownPlacementGroup(const std::string& name) {
  return ServiceError{"InvalidPlacementGroup.Unknown",
                      fmt::format("The Placement Group '{}' is unknown.", name), 400, true};
}

// The stored placement group named `name`, or nullopt.
std::optional<Json> FindByMember(const std::vector<Json>& all, const char* member,
                                 const std::string& value) {
  for (const Json& doc : all) {
    if (doc.value(member, "") == value) {
      return doc;
    }
  }
  return std::nullopt;
}

ServiceError TemplateIdNotFound(const std::string& id) {
  return ServiceError{
      "InvalidLaunchTemplateId.NotFound",
      fmt::format("The specified launch template, with template ID {}, does not exist.", id), 400,
      true};
}

ServiceError TemplateNameNotFound(const std::string& name) {
  return ServiceError{
      "InvalidLaunchTemplateName.NotFoundException",
      fmt::format("The specified launch template, with template name {}, does not exist.", name),
      400, true};
}

ServiceError VersionNotFound(const std::string& version) {
  return ServiceError{"InvalidLaunchTemplateId.VersionNotFound",
                      fmt::format("Could not find launch template version {}.", version), 400,
                      true};
}

// The template's view: Visible without versions, with its version numbers.
Json TemplateView(Json doc) {
  int64_t latest = 0;
  for (const Json& version : doc["_versions"]) {
    latest = std::max(latest, version.value("VersionNumber", int64_t{0}));
  }
  doc["LatestVersionNumber"] = latest;
  return Visible(std::move(doc));
}

Json VersionView(const Json& doc, const Json& version) {
  Json view = version;
  view["LaunchTemplateId"] = doc["LaunchTemplateId"];
  view["LaunchTemplateName"] = doc["LaunchTemplateName"];
  view["DefaultVersion"] =
      version.value("VersionNumber", int64_t{0}) == doc.value("DefaultVersionNumber", int64_t{0});
  return view;
}

// The version number `text` names ("3", "$Latest", "$Default"), or nullopt.
std::optional<int64_t> ResolveVersion(const Json& doc, const std::string& text) {
  int64_t latest = 0;
  for (const Json& version : doc["_versions"]) {
    latest = std::max(latest, version.value("VersionNumber", int64_t{0}));
  }
  int64_t number = 0;
  if (text == "$Latest") {
    number = latest;
  } else if (text == "$Default") {
    number = doc.value("DefaultVersionNumber", int64_t{0});
  } else {
    if (text.empty() || text.size() > 18 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    number = std::stoll(text);
  }
  for (const Json& version : doc["_versions"]) {
    if (version.value("VersionNumber", int64_t{0}) == number) {
      return number;
    }
  }
  return std::nullopt;
}

// The template named by `id` or `name`.
std::variant<Json, ServiceError> FindTemplateBy(StoreTxn& txn, const ServiceCall& call,
                                                const std::string& id, const std::string& name) {
  if (id.empty() && name.empty()) {
    return MissingParameter("LaunchTemplateId or LaunchTemplateName");
  }
  if (!id.empty()) {
    Result<std::optional<Json>> doc = txn.Get(kLaunchTemplateType.ns, Key(call, id));
    if (!doc.ok()) {
      return StoreFailure(doc.status());
    }
    if (!*doc || (!name.empty() && (**doc).value("LaunchTemplateName", "") != name)) {
      return TemplateIdNotFound(id);
    }
    return std::move(**doc);
  }
  auto all = ListIn(txn, call, kLaunchTemplateType);
  if (auto* error = std::get_if<ServiceError>(&all)) {
    return *error;
  }
  auto found = FindByMember(std::get<std::vector<Json>>(all), "LaunchTemplateName", name);
  if (!found) {
    return TemplateNameNotFound(name);
  }
  return *found;
}

// The template a request names by LaunchTemplateId or LaunchTemplateName.
std::variant<Json, ServiceError> FindTemplate(StoreTxn& txn, const ServiceCall& call) {
  return FindTemplateBy(txn, call, call.input.value("LaunchTemplateId", ""),
                        call.input.value("LaunchTemplateName", ""));
}

bool ValidTemplateName(const std::string& name) {
  static const std::regex kName("[a-zA-Z0-9().\\-/_]{3,128}");
  return std::regex_match(name, kName);
}

}  // namespace

std::variant<ResolvedTemplate, ServiceError> ResolveLaunchTemplate(StoreTxn& txn,
                                                                   const ServiceCall& call,
                                                                   const Json& specification) {
  auto found = FindTemplateBy(txn, call, specification.value("LaunchTemplateId", ""),
                              specification.value("LaunchTemplateName", ""));
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  const Json& doc = std::get<Json>(found);
  std::string text = specification.value("Version", "$Default");
  std::optional<int64_t> number = ResolveVersion(doc, text);
  if (!number) {
    return VersionNotFound(text);
  }
  for (const Json& version : doc["_versions"]) {
    if (version.value("VersionNumber", int64_t{0}) == *number) {
      return ResolvedTemplate{doc["LaunchTemplateId"], doc["LaunchTemplateName"], *number,
                              version.value("LaunchTemplateData", Json::object())};
    }
  }
  return VersionNotFound(text);
}

// ---- Placement groups ----

ServiceResult Ec2Service::CreatePlacementGroup(const ServiceCall& call) {
  std::string name = call.input.value("GroupName", "");
  if (name.empty()) {
    return MissingParameter("GroupName");
  }
  if (name.size() > 255) {
    return InvalidValue(fmt::format("Value ({}) for parameter groupName is invalid.", name));
  }
  std::string strategy = call.input.value("Strategy", "");
  if (strategy != "cluster" && strategy != "spread" && strategy != "partition") {
    return InvalidValue(fmt::format(
        "Value ({}) for parameter strategy is invalid. Expected: 'cluster', 'spread' or "
        "'partition'.",
        strategy));
  }
  Json group = {{"GroupName", name}, {"State", "available"}, {"Strategy", strategy}};
  if (call.input.contains("PartitionCount")) {
    if (strategy != "partition") {
      return ServiceError{"InvalidParameterCombination",
                          "PartitionCount is only valid with the partition strategy", 400, true};
    }
    int64_t count = call.input["PartitionCount"].get<int64_t>();
    if (count < 1 || count > 7) {
      return InvalidValue(
          fmt::format("Value ({}) for parameter partitionCount is invalid: 1 to 7.", count));
    }
    group["PartitionCount"] = count;
  } else if (strategy == "partition") {
    group["PartitionCount"] = 2;
  }
  if (call.input.contains("SpreadLevel")) {
    std::string level = call.input["SpreadLevel"].get<std::string>();
    if (strategy != "spread" || (level != "host" && level != "rack")) {
      return InvalidValue(fmt::format("Value ({}) for parameter spreadLevel is invalid.", level));
    }
    group["SpreadLevel"] = level;
  } else if (strategy == "spread") {
    group["SpreadLevel"] = "rack";
  }
  auto tags = SpecTags(call.input, "placement-group");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto all = ListIn(*txn, call, kPlacementGroupType);
  if (auto* error = std::get_if<ServiceError>(&all)) {
    return *error;
  }
  if (FindByMember(std::get<std::vector<Json>>(all), "GroupName", name)) {
    return ServiceError{"InvalidPlacementGroup.Duplicate",
                        fmt::format("The placement group '{}' already exists.", name), 400, true};
  }
  std::string id = context_.ids.ResourceId("pg");
  group["GroupId"] = id;
  group["GroupArn"] = Arn("ec2", call.region, call.account_id, "placement-group/" + name);
  group["Tags"] = TagList(std::get<std::map<std::string, std::string>>(tags));
  if (auto error = PutResource(*txn, call, kPlacementGroupType, group)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"PlacementGroup", Visible(group)}});
}

ServiceResult Ec2Service::DescribePlacementGroups(const ServiceCall& call) {
  auto listed =
      ListResources(context_.store, call, kPlacementGroupType, StringList(call.input, "GroupIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  std::vector<Json> groups = std::move(std::get<std::vector<Json>>(listed));
  std::vector<std::string> names = StringList(call.input, "GroupNames");
  if (!names.empty()) {
    std::vector<Json> selected;
    for (const std::string& name : names) {
      auto found = FindByMember(groups, "GroupName", name);
      if (!found) {
        return UnknownPlacementGroup(name);
      }
      selected.push_back(*found);
    }
    groups = std::move(selected);
  }
  auto page = FilterAndPage(std::move(groups), call.input,
                            MemberFilters({{"group-name", "GroupName"},
                                           {"group-arn", "GroupArn"},
                                           {"state", "State"},
                                           {"strategy", "Strategy"},
                                           {"spread-level", "SpreadLevel"}}),
                            "GroupId", "PlacementGroups", Visible, /*paginate=*/false);
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::move(std::get<Json>(page));
}

ServiceResult Ec2Service::DeletePlacementGroup(const ServiceCall& call) {
  std::string name = call.input.value("GroupName", "");
  if (name.empty()) {
    return MissingParameter("GroupName");
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto all = ListIn(*txn, call, kPlacementGroupType);
  if (auto* error = std::get_if<ServiceError>(&all)) {
    return *error;
  }
  auto found = FindByMember(std::get<std::vector<Json>>(all), "GroupName", name);
  if (!found) {
    return UnknownPlacementGroup(name);
  }
  // An instance that is not terminated yet keeps its group in use.
  Result<std::vector<std::pair<std::string, Json>>> instances =
      txn->List(kInstanceNs, call.region + "/");
  if (!instances.ok()) {
    return StoreFailure(instances.status());
  }
  for (const auto& [key, stored] : *instances) {
    // Its state now: a shutting-down instance whose termination time has passed is gone.
    Json instance = InstanceNow(stored);
    std::string state = instance.contains("State") ? instance["State"].value("Name", "") : "";
    if (state != "terminated" && instance.contains("Placement") &&
        instance["Placement"].value("GroupName", "") == name) {
      return ServiceError{
          "InvalidPlacementGroup.InUse",
          fmt::format("The placement group '{}' is in use and may not be deleted.", name), 400,
          true};
    }
  }
  Status s = txn->Delete(kPlacementGroupType.ns, Key(call, (*found)["GroupId"]));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return CommitWith(*txn, Json::object());
}

// ---- Launch templates ----

ServiceResult Ec2Service::CreateLaunchTemplate(const ServiceCall& call) {
  std::string name = call.input.value("LaunchTemplateName", "");
  if (name.empty()) {
    return MissingParameter("LaunchTemplateName");
  }
  if (!ValidTemplateName(name)) {
    return ServiceError{"InvalidLaunchTemplateName.MalformedException",
                        fmt::format("A launch template name must be between 3 and 128 characters, "
                                    "and may contain letters, numbers, and the following "
                                    "characters: - ( ) . / _.' ({})",
                                    name),
                        400, true};
  }
  if (!call.input.contains("LaunchTemplateData") || !call.input["LaunchTemplateData"].is_object()) {
    return MissingParameter("LaunchTemplateData");
  }
  auto tags = SpecTags(call.input, "launch-template");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto all = ListIn(*txn, call, kLaunchTemplateType);
  if (auto* error = std::get_if<ServiceError>(&all)) {
    return *error;
  }
  if (FindByMember(std::get<std::vector<Json>>(all), "LaunchTemplateName", name)) {
    return ServiceError{"InvalidLaunchTemplateName.AlreadyExistsException",
                        fmt::format("Launch template name already in use: {}", name), 400, true};
  }
  int64_t now = Now(context_.clock);
  std::string id = context_.ids.ResourceId("lt");
  Json version = {{"VersionNumber", 1},
                  {"CreateTime", now},
                  {"CreatedBy", call.caller.arn},
                  {"LaunchTemplateData", call.input["LaunchTemplateData"]}};
  if (call.input.contains("VersionDescription")) {
    version["VersionDescription"] = call.input["VersionDescription"];
  }
  Json doc = {{"LaunchTemplateId", id},
              {"LaunchTemplateName", name},
              {"CreateTime", now},
              {"CreatedBy", call.caller.arn},
              {"DefaultVersionNumber", 1},
              {"LatestVersionNumber", 1},
              {"Tags", TagList(std::get<std::map<std::string, std::string>>(tags))},
              {"_versions", Json::array({version})},
              {"_last_number", 1}};
  if (auto error = PutResource(*txn, call, kLaunchTemplateType, doc)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"LaunchTemplate", TemplateView(doc)}});
}

ServiceResult Ec2Service::CreateLaunchTemplateVersion(const ServiceCall& call) {
  if (!call.input.contains("LaunchTemplateData") || !call.input["LaunchTemplateData"].is_object()) {
    return MissingParameter("LaunchTemplateData");
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = FindTemplate(*txn, call);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json& doc = std::get<Json>(found);
  Json data = call.input["LaunchTemplateData"];
  if (call.input.contains("SourceVersion")) {
    std::string source = call.input["SourceVersion"].get<std::string>();
    std::optional<int64_t> number = ResolveVersion(doc, source);
    if (!number) {
      return VersionNotFound(source);
    }
    // The new version inherits the source's parameters, except those the request gives.
    for (const Json& version : doc["_versions"]) {
      if (version.value("VersionNumber", int64_t{0}) == *number) {
        Json merged = version["LaunchTemplateData"];
        for (auto it = data.begin(); it != data.end(); ++it) {
          merged[it.key()] = it.value();
        }
        data = std::move(merged);
      }
    }
  }
  int64_t number = doc.value("_last_number", int64_t{0}) + 1;
  Json version = {{"VersionNumber", number},
                  {"CreateTime", Now(context_.clock)},
                  {"CreatedBy", call.caller.arn},
                  {"LaunchTemplateData", data}};
  if (call.input.contains("VersionDescription")) {
    version["VersionDescription"] = call.input["VersionDescription"];
  }
  doc["_versions"].push_back(version);
  doc["_last_number"] = number;
  doc["LatestVersionNumber"] = number;
  if (auto error = PutResource(*txn, call, kLaunchTemplateType, doc)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"LaunchTemplateVersion", VersionView(doc, version)}});
}

ServiceResult Ec2Service::DescribeLaunchTemplates(const ServiceCall& call) {
  auto listed = ListResources(context_.store, call, kLaunchTemplateType,
                              StringList(call.input, "LaunchTemplateIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    const ServiceError& e = *error;
    if (e.code == kLaunchTemplateType.not_found) {
      std::string id = e.message.substr(e.message.find('\'') + 1);
      return TemplateIdNotFound(id.substr(0, id.find('\'')));
    }
    return e;
  }
  std::vector<Json> templates = std::move(std::get<std::vector<Json>>(listed));
  std::vector<std::string> names = StringList(call.input, "LaunchTemplateNames");
  if (!names.empty()) {
    std::vector<Json> selected;
    for (const std::string& name : names) {
      auto found = FindByMember(templates, "LaunchTemplateName", name);
      if (!found) {
        return TemplateNameNotFound(name);
      }
      selected.push_back(*found);
    }
    templates = std::move(selected);
  }
  auto page = FilterAndPage(std::move(templates), call.input,
                            MemberFilters({{"launch-template-name", "LaunchTemplateName"},
                                           {"create-time", "CreateTime"}}),
                            "LaunchTemplateId", "LaunchTemplates", TemplateView);
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::move(std::get<Json>(page));
}

ServiceResult Ec2Service::DescribeLaunchTemplateVersions(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = FindTemplate(*txn, call);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  const Json& doc = std::get<Json>(found);
  std::vector<std::string> wanted = StringList(call.input, "Versions");
  std::set<int64_t> numbers;
  for (const std::string& text : wanted) {
    std::optional<int64_t> number = ResolveVersion(doc, text);
    if (!number) {
      return VersionNotFound(text);
    }
    numbers.insert(*number);
  }
  auto bound = [&](const char* member) -> std::optional<int64_t> {
    if (!call.input.contains(member)) {
      return std::nullopt;
    }
    std::string text = call.input[member].get<std::string>();
    if (text.empty() ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        text.size() > 18) {
      return std::nullopt;
    }
    return std::stoll(text);
  };
  std::optional<int64_t> min = bound("MinVersion");
  std::optional<int64_t> max = bound("MaxVersion");
  std::vector<Json> versions;
  for (const Json& version : doc["_versions"]) {
    int64_t n = version.value("VersionNumber", int64_t{0});
    if ((!numbers.empty() && !numbers.count(n)) || (min && n < *min) || (max && n > *max)) {
      continue;
    }
    versions.push_back(VersionView(doc, version));
  }
  // Newest first, as EC2 lists them.
  std::sort(versions.begin(), versions.end(), [](const Json& a, const Json& b) {
    return a["VersionNumber"].get<int64_t>() > b["VersionNumber"].get<int64_t>();
  });
  auto filtered =
      ApplyFilters(std::move(versions), call.input,
                   MemberFilters({{"is-default-version", "DefaultVersion"},
                                  {"create-time", "CreateTime"},
                                  {"image-id", "LaunchTemplateData.ImageId"},
                                  {"instance-type", "LaunchTemplateData.InstanceType"}}));
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  std::vector<Json>& kept = std::get<std::vector<Json>>(filtered);
  // Pagination by position: NextToken is the index of the page's first version.
  size_t start = 0;
  if (call.input.contains("NextToken")) {
    std::string token = call.input["NextToken"].get<std::string>();
    if (token.empty() || token.size() > 9 ||
        !std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return InvalidValue("The NextToken is invalid");
    }
    start = std::min(kept.size(), static_cast<size_t>(std::stoul(token)));
  }
  size_t limit = kept.size();
  if (call.input.contains("MaxResults")) {
    int64_t max_results = call.input["MaxResults"].get<int64_t>();
    if (max_results < 1 || max_results > 200) {
      return InvalidValue(fmt::format(
          "Value ( {} ) for parameter maxResults is invalid. Expecting a value between 1 and 200.",
          max_results));
    }
    limit = static_cast<size_t>(max_results);
  }
  Json out = {{"LaunchTemplateVersions", Json::array()}};
  size_t end = std::min(kept.size(), start + limit);
  for (size_t i = start; i < end; ++i) {
    out["LaunchTemplateVersions"].push_back(kept[i]);
  }
  if (end < kept.size()) {
    out["NextToken"] = std::to_string(end);
  }
  return out;
}

ServiceResult Ec2Service::ModifyLaunchTemplate(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = FindTemplate(*txn, call);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json& doc = std::get<Json>(found);
  // "DefaultVersion" is the member the wire calls SetDefaultVersion.
  if (call.input.contains("DefaultVersion")) {
    std::string text = call.input["DefaultVersion"].get<std::string>();
    std::optional<int64_t> number = ResolveVersion(doc, text);
    if (!number) {
      return VersionNotFound(text);
    }
    doc["DefaultVersionNumber"] = *number;
  }
  if (auto error = PutResource(*txn, call, kLaunchTemplateType, doc)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"LaunchTemplate", TemplateView(doc)}});
}

ServiceResult Ec2Service::DeleteLaunchTemplate(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = FindTemplate(*txn, call);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  const Json& doc = std::get<Json>(found);
  Status s = txn->Delete(kLaunchTemplateType.ns, Key(call, doc["LaunchTemplateId"]));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return CommitWith(*txn, Json{{"LaunchTemplate", TemplateView(doc)}});
}

ServiceResult Ec2Service::DeleteLaunchTemplateVersions(const ServiceCall& call) {
  std::vector<std::string> wanted = StringList(call.input, "Versions");
  if (wanted.empty()) {
    return MissingParameter("LaunchTemplateVersion");
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = FindTemplate(*txn, call);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json& doc = std::get<Json>(found);
  Json deleted = Json::array();
  Json failed = Json::array();
  int64_t default_number = doc.value("DefaultVersionNumber", int64_t{0});
  for (const std::string& text : wanted) {
    std::optional<int64_t> number = ResolveVersion(doc, text);
    Json entry = {{"LaunchTemplateId", doc["LaunchTemplateId"]},
                  {"LaunchTemplateName", doc["LaunchTemplateName"]}};
    if (!number) {
      entry["ResponseError"] = {{"Code", "launchTemplateVersionDoesNotExist"},
                                {"Message", fmt::format("Could not find launch template version "
                                                        "{}",
                                                        text)}};
      failed.push_back(entry);
      continue;
    }
    entry["VersionNumber"] = *number;
    if (*number == default_number) {
      entry["ResponseError"] = {{"Code", "unexpectedError"},
                                {"Message",
                                 "Cannot delete the default version of a launch "
                                 "template; use DeleteLaunchTemplate or change the "
                                 "default first"}};
      failed.push_back(entry);
      continue;
    }
    Json kept = Json::array();
    for (const Json& version : doc["_versions"]) {
      if (version.value("VersionNumber", int64_t{0}) != *number) {
        kept.push_back(version);
      }
    }
    doc["_versions"] = kept;
    deleted.push_back(entry);
  }
  if (auto error = PutResource(*txn, call, kLaunchTemplateType, doc)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"SuccessfullyDeletedLaunchTemplateVersions", deleted},
                               {"UnsuccessfullyDeletedLaunchTemplateVersions", failed}});
}

}  // namespace cf::cloud::ec2
