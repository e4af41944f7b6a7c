#include "cloud/ssm/ssm_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>

#include "base/base64.h"
#include "cloud/ec2/images.h"

namespace cf::cloud::ssm {

namespace {

constexpr char kNs[] = "ssm/parameter";
static_assert(std::string_view(kNs) == ec2::kSsmParameterNamespace);

ServiceError NotFound(const std::string& name) {
  return ServiceError{"ParameterNotFound", fmt::format("Parameter {} not found.", name), 400, true};
}

ServiceError Validation(std::string message) {
  return ServiceError{"ValidationException", std::move(message), 400, true};
}

std::string ParameterArn(const ServiceCall& call, const std::string& name, bool is_public) {
  std::string path = name.rfind('/', 0) == 0 ? name.substr(1) : name;
  return fmt::format("arn:aws:ssm:{}:{}:parameter/{}", call.region,
                     is_public ? "" : call.account_id, path);
}

double NowSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
             .count() /
         1000.0;
}

ServiceStatus CheckName(const std::string& name) {
  if (name.empty() || name.size() > 2048) {
    return Validation("Parameter name must be between 1 and 2048 characters.");
  }
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  std::string bare = lower.rfind('/', 0) == 0 ? lower.substr(1) : lower;
  if (bare.rfind("aws", 0) == 0 || bare.rfind("ssm", 0) == 0) {
    return Validation(
        "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If "
        "formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path "
        "can be formed as a mix of letters, numbers and the following 3 symbols .-_");
  }
  if (name.find('/') != std::string::npos && name[0] != '/') {
    return Validation(
        "Parameter name must be a fully qualified name: a name with a '/' must begin with '/'.");
  }
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '-' ||
          c == '_')) {
      return Validation(
          fmt::format("Parameter name {} contains a character that is not allowed: "
                      "use letters, numbers and . - _ /",
                      name));
    }
  }
  return {};
}

// The view GetParameter answers with.
Json View(const Json& stored, bool decrypt) {
  Json view = {{"Name", stored["Name"]},
               {"Type", stored["Type"]},
               {"Value", stored["Value"]},
               {"Version", stored["Version"]},
               {"LastModifiedDate", stored["LastModifiedDate"]},
               {"ARN", stored["ARN"]},
               {"DataType", stored.value("DataType", "text")}};
  if (stored["Type"] == "SecureString" && !decrypt) {
    view["Value"] = Base64Encode(stored["Value"].get<std::string>());
  }
  return view;
}

}  // namespace

const OperationTable<SsmService>& SsmService::Operations() {
  static const OperationTable<SsmService> kTable({
      {"PutParameter", &SsmService::PutParameter},
      {"GetParameter", &SsmService::GetParameter},
      {"GetParameters", &SsmService::GetParameters},
      {"GetParametersByPath", &SsmService::GetParametersByPath},
      {"DeleteParameter", &SsmService::DeleteParameter},
      {"DeleteParameters", &SsmService::DeleteParameters},
      {"DescribeParameters", &SsmService::DescribeParameters},
      {"AddTagsToResource", &SsmService::AddTagsToResource},
      {"RemoveTagsFromResource", &SsmService::RemoveTagsFromResource},
      {"ListTagsForResource", &SsmService::ListTagsForResource},
  });
  return kTable;
}

ServiceOr<std::optional<Json>> SsmService::Find(const ServiceCall& call, CallTxn& txn,
                                                const std::string& name, bool decrypt) {
  if (std::optional<std::string> value = ec2::FindPublicParameter(name)) {
    return Json{{"Name", name},
                {"Type", "String"},
                {"Value", *value},
                {"Version", 1},
                {"LastModifiedDate", 1734120000},
                {"ARN", ParameterArn(call, name, true)},
                {"DataType", "aws:ec2:image"}};
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> stored, txn.Get(kNs, call.region + "/" + name));
  if (!stored) {
    return std::optional<Json>();
  }
  return std::optional<Json>(View(*stored, decrypt));
}

ServiceResult SsmService::PutParameter(const ServiceCall& call, CallTxn& txn) {
  const Json& input = call.input;
  std::string name = input.value("Name", "");
  SERVICE_RETURN_IF_ERROR(CheckName(name));
  std::string value = input.value("Value", "");
  std::string tier = input.value("Tier", "Standard");
  if (value.size() > (tier == "Advanced" ? 8192u : 4096u)) {
    return Validation(
        fmt::format("Standard tier parameters support a maximum parameter value of "
                    "4096 characters. To create a larger parameter value, upgrade "
                    "the parameter to use the advanced-parameter tier."));
  }
  std::string data_type = input.value("DataType", "text");
  if (data_type != "text" && data_type != "aws:ec2:image" && data_type != "aws:ssm:integration") {
    return Validation(
        fmt::format("The following data type is not supported: {} (Data type names "
                    "are all lowercase.)",
                    data_type));
  }
  if (data_type == "aws:ec2:image" && !ec2::FindImage(value)) {
    return Validation(fmt::format("The image id {} does not exist.", value));
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kNs, call.region + "/" + name));
  std::string type = input.value("Type", "");
  int64_t version = 1;
  Json tags = input.value("Tags", Json::array());
  if (existing) {
    if (!input.value("Overwrite", false)) {
      return ServiceError{"ParameterAlreadyExists",
                          "The parameter already exists. To overwrite this value, set the "
                          "overwrite option in the request to true.",
                          400, true};
    }
    if (!tags.empty()) {
      return Validation(
          "Invalid request: tags and overwrite can't be used together. To create a "
          "parameter with tags, please remove overwrite flag. To update tags for "
          "an existing parameter, please use AddTagsToResource or "
          "RemoveTagsFromResource.");
    }
    version = existing->value("Version", int64_t{1}) + 1;
    tags = existing->value("_tags", Json::array());
    if (type.empty()) {
      type = existing->value("Type", "String");
    }
  }
  if (type.empty()) {
    type = "String";
  }
  if (type != "String" && type != "StringList" && type != "SecureString") {
    return Validation(fmt::format(
        "1 validation error detected: Value '{}' at 'type' failed to satisfy constraint: Member "
        "must satisfy enum value set: [SecureString, StringList, String]",
        type));
  }
  Json doc = {{"Name", name},
              {"Type", type},
              {"Value", value},
              {"Version", version},
              {"LastModifiedDate", NowSeconds(context_.clock)},
              {"ARN", ParameterArn(call, name, false)},
              {"DataType", data_type},
              {"Tier", tier},
              {"_tags", tags},
              {"_user", call.caller.arn}};
  if (input.contains("Description")) {
    doc["Description"] = input["Description"];
  }
  if (type == "SecureString") {
    doc["KeyId"] = input.value("KeyId", "alias/aws/ssm");
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, call.region + "/" + name, doc));
  return Json{{"Version", version}, {"Tier", tier}};
}

ServiceResult SsmService::GetParameter(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("Name", "");
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> found,
                           Find(call, txn, name, call.input.value("WithDecryption", false)));
  if (!found) {
    return NotFound(name);
  }
  return Json{{"Parameter", *found}};
}

ServiceResult SsmService::GetParameters(const ServiceCall& call, CallTxn& txn) {
  Json parameters = Json::array();
  Json invalid = Json::array();
  for (const Json& name : call.input.value("Names", Json::array())) {
    SERVICE_ASSIGN_OR_RETURN(
        std::optional<Json> found,
        Find(call, txn, name.get<std::string>(), call.input.value("WithDecryption", false)));
    if (found) {
      parameters.push_back(*found);
    } else {
      invalid.push_back(name);
    }
  }
  return Json{{"Parameters", parameters}, {"InvalidParameters", invalid}};
}

ServiceResult SsmService::GetParametersByPath(const ServiceCall& call, CallTxn& txn) {
  std::string path = call.input.value("Path", "");
  if (path.empty() || path[0] != '/') {
    return Validation("The parameter path must begin with a forward slash (/).");
  }
  std::string prefix = path.back() == '/' ? path : path + "/";
  bool recursive = call.input.value("Recursive", false);
  bool decrypt = call.input.value("WithDecryption", false);
  std::vector<Json> found;
  auto wanted = [&](const std::string& name) {
    if (name.rfind(prefix, 0) != 0) {
      return false;
    }
    return recursive || name.find('/', prefix.size()) == std::string::npos;
  };
  for (const ec2::PublicParameter& parameter : ec2::PublicParameters()) {
    if (wanted(parameter.name)) {
      SERVICE_ASSIGN_OR_RETURN(std::optional<Json> view, Find(call, txn, parameter.name, decrypt));
      found.push_back(*view);
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kNs, call.region + "/"));
  for (const auto& [key, doc] : all) {
    if (wanted(doc.value("Name", ""))) {
      found.push_back(View(doc, decrypt));
    }
  }
  int64_t max = call.input.value("MaxResults", int64_t{10});
  if (max < 1 || max > 10) {
    return Validation(
        "1 validation error detected: Value at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 10");
  }
  size_t start = 0;
  if (call.input.contains("NextToken")) {
    std::string token = call.input["NextToken"];
    if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos ||
        token.size() > 9 || std::stoul(token) > found.size()) {
      return ServiceError{"InvalidNextToken", "The specified token isn't valid.", 400, true};
    }
    start = std::stoul(token);
  }
  Json out = {{"Parameters", Json::array()}};
  size_t end = std::min(found.size(), start + static_cast<size_t>(max));
  for (size_t i = start; i < end; ++i) {
    out["Parameters"].push_back(found[i]);
  }
  if (end < found.size()) {
    out["NextToken"] = std::to_string(end);
  }
  return out;
}

ServiceResult SsmService::DeleteParameter(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("Name", "");
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kNs, call.region + "/" + name));
  if (!existing) {
    return NotFound(name);
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kNs, call.region + "/" + name));
  return Json::object();
}

ServiceResult SsmService::DeleteParameters(const ServiceCall& call, CallTxn& txn) {
  Json deleted = Json::array();
  Json invalid = Json::array();
  for (const Json& name : call.input.value("Names", Json::array())) {
    std::string key = call.region + "/" + name.get<std::string>();
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kNs, key));
    if (!existing) {
      invalid.push_back(name);
      continue;
    }
    SERVICE_RETURN_IF_ERROR(txn.Delete(kNs, key));
    deleted.push_back(name);
  }
  return Json{{"DeletedParameters", deleted}, {"InvalidParameters", invalid}};
}

ServiceResult SsmService::DescribeParameters(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kNs, call.region + "/"));
  std::vector<std::string> names;
  for (const Json& filter : call.input.value("ParameterFilters", Json::array())) {
    if (filter.value("Key", "") == "Name") {
      for (const Json& value : filter.value("Values", Json::array())) {
        names.push_back(value.get<std::string>());
      }
    }
  }
  Json parameters = Json::array();
  for (const auto& [key, doc] : all) {
    std::string name = doc.value("Name", "");
    if (!names.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      continue;
    }
    Json meta = {{"Name", name},
                 {"ARN", doc["ARN"]},
                 {"Type", doc["Type"]},
                 {"LastModifiedDate", doc["LastModifiedDate"]},
                 {"LastModifiedUser", doc.value("_user", "")},
                 {"Version", doc["Version"]},
                 {"Tier", doc.value("Tier", "Standard")},
                 {"Policies", Json::array()},
                 {"DataType", doc.value("DataType", "text")}};
    if (doc.contains("Description")) {
      meta["Description"] = doc["Description"];
    }
    if (doc.contains("KeyId")) {
      meta["KeyId"] = doc["KeyId"];
    }
    parameters.push_back(meta);
  }
  return Json{{"Parameters", parameters}};
}

namespace {

// The stored parameter a tag call names (ResourceType "Parameter", ResourceId its name), with
// its store key.
struct Tagged {
  std::string key;
  Json doc;
};

ServiceOr<Tagged> TagTarget(const ServiceCall& call, CallTxn& txn) {
  if (call.input.value("ResourceType", "") != "Parameter") {
    return ServiceError{"InvalidResourceType",
                        "The resource type is not valid for the local cloud's SSM (use "
                        "Parameter).",
                        400, true};
  }
  std::string key = call.region + "/" + call.input.value("ResourceId", "");
  SERVICE_ASSIGN_OR_RETURN(
      Json doc,
      txn.Require(kNs, key,
                  ServiceError{"InvalidResourceId", "The resource ID is not valid.", 400, true}));
  return Tagged{std::move(key), std::move(doc)};
}

}  // namespace

ServiceResult SsmService::AddTagsToResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Tagged target, TagTarget(call, txn));
  Json tags = target.doc.value("_tags", Json::array());
  for (const Json& tag : call.input.value("Tags", Json::array())) {
    bool replaced = false;
    for (Json& existing : tags) {
      if (existing.value("Key", "") == tag.value("Key", "")) {
        existing = tag;
        replaced = true;
      }
    }
    if (!replaced) {
      tags.push_back(tag);
    }
  }
  target.doc["_tags"] = tags;
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, target.key, target.doc));
  return Json::object();
}

ServiceResult SsmService::RemoveTagsFromResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Tagged target, TagTarget(call, txn));
  std::set<std::string> removed;
  for (const Json& tag_key : call.input.value("TagKeys", Json::array())) {
    removed.insert(tag_key.get<std::string>());
  }
  Json kept = Json::array();
  for (const Json& tag : target.doc.value("_tags", Json::array())) {
    if (removed.count(tag.value("Key", "")) == 0) {
      kept.push_back(tag);
    }
  }
  target.doc["_tags"] = kept;
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, target.key, target.doc));
  return Json::object();
}

ServiceResult SsmService::ListTagsForResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Tagged target, TagTarget(call, txn));
  return Json{{"TagList", target.doc.value("_tags", Json::array())}};
}

}  // namespace cf::cloud::ssm
