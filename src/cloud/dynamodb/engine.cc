#include "cloud/dynamodb/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <set>

#include "cloud/dynamodb/attribute_value.h"
#include "cloud/dynamodb/decimal.h"

namespace cf::cloud::dynamodb {
namespace {

double EpochSeconds(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return static_cast<double>(ms) / 1000.0;
}

long long EpochMillis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i > 0 ? ", " : "") + names[i];
  }
  return out + "]";
}

std::optional<ServiceError> ValidateTableName(const Json& in, const char* field = "TableName",
                                              const char* member = "tableName") {
  auto it = in.find(field);
  if (it == in.end() || it->is_null()) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member "
        "must not be null",
        member));
  }
  if (!it->is_string()) {
    return ValidationError(fmt::format("Invalid type for {}", field));
  }
  const std::string& name = it->get_ref<const std::string&>();
  if (name.size() < 3 || name.size() > 255) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member "
        "must have length {} {}",
        name, member, name.size() < 3 ? "greater than or equal to" : "less than or equal to",
        name.size() < 3 ? 3 : 255));
  }
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member "
          "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
          name, member));
    }
  }
  return std::nullopt;
}

// Parses a KeySchema against AttributeDefinitions.
ServiceOr<std::vector<std::pair<std::string, std::string>>> ParseKeySchema(
    const Json& schema, const std::map<std::string, std::string>& defs, const std::string& where) {
  if (!schema.is_array() || schema.empty() || schema.size() > 2) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member "
        "must have length less than or equal to 2",
        where));
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < schema.size(); ++i) {
    const Json& e = schema[i];
    if (!e.is_object() || !e.contains("AttributeName") || !e["AttributeName"].is_string() ||
        !e.contains("KeyType") || !e["KeyType"].is_string()) {
      return ValidationError("Invalid KeySchema: missing AttributeName or KeyType");
    }
    std::string type = e["KeyType"].get<std::string>();
    if (type != "HASH" && type != "RANGE") {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at '{}.{}.member.keyType' failed to satisfy "
          "constraint: Member must satisfy enum value set: [HASH, RANGE]",
          type, where, i + 1));
    }
    if (i == 0 && type != "HASH") {
      return ValidationError(
          "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    if (i == 1 && type != "RANGE") {
      return ValidationError(
          "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    }
    out.emplace_back(e["AttributeName"].get<std::string>(), type);
  }
  if (out.size() == 2 && out[0].first == out[1].first) {
    return ValidationError(
        "Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the "
        "same name");
  }
  std::vector<std::string> missing;
  for (const auto& [name, type] : out) {
    if (!defs.count(name)) {
      missing.push_back(name);
    }
  }
  if (!missing.empty()) {
    std::vector<std::string> def_names;
    for (const auto& [name, type] : defs) {
      def_names.push_back(name);
    }
    return ValidationError(
        "One or more parameter values were invalid: Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: " +
        JoinNames(missing) + ", AttributeDefinitions: " + JoinNames(def_names));
  }
  return out;
}

std::optional<ServiceError> ValidateProjection(const Json& projection, const std::string& index) {
  if (!projection.is_object()) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value null at 'projection' failed to satisfy constraint: "
        "Member must not be null (index: {})",
        index));
  }
  std::string type = projection.value("ProjectionType", "");
  if (type != "ALL" && type != "KEYS_ONLY" && type != "INCLUDE") {
    return ValidationError("One or more parameter values were invalid: Unknown ProjectionType: " +
                           type);
  }
  if (type == "INCLUDE") {
    if (!projection.contains("NonKeyAttributes") || !projection["NonKeyAttributes"].is_array() ||
        projection["NonKeyAttributes"].empty()) {
      return ValidationError(
          "One or more parameter values were invalid: ProjectionType is INCLUDE, but "
          "NonKeyAttributes is not specified");
    }
  } else if (projection.contains("NonKeyAttributes")) {
    return ValidationError("One or more parameter values were invalid: ProjectionType is " + type +
                           ", but NonKeyAttributes is specified");
  }
  return std::nullopt;
}

Json Throughput(const Json& in) {
  Json t = Json::object();
  t["NumberOfDecreasesToday"] = 0;
  t["ReadCapacityUnits"] = in.is_object() ? in.value("ReadCapacityUnits", 0) : 0;
  t["WriteCapacityUnits"] = in.is_object() ? in.value("WriteCapacityUnits", 0) : 0;
  return t;
}

std::optional<ServiceError> CheckThroughput(const Json& in, const std::string& billing,
                                            const std::string& index) {
  bool has = in.contains("ProvisionedThroughput") && !in["ProvisionedThroughput"].is_null();
  if (billing == "PAY_PER_REQUEST") {
    if (has) {
      return ValidationError(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
          "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    }
    return std::nullopt;
  }
  if (!has) {
    if (!index.empty()) {
      return ValidationError(
          "One or more parameter values were invalid: ProvisionedThroughput must be specified for "
          "index: " +
          index);
    }
    return ValidationError(
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
        "must both be specified when BillingMode is PROVISIONED");
  }
  const Json& t = in["ProvisionedThroughput"];
  for (const char* field : {"ReadCapacityUnits", "WriteCapacityUnits"}) {
    if (!t.contains(field) || !t[field].is_number_integer() || t[field].get<long long>() < 1) {
      return ValidationError(fmt::format(
          "1 validation error detected: Value at 'provisionedThroughput.{}' failed to satisfy "
          "constraint: Member must have value greater than or equal to 1",
          field == std::string("ReadCapacityUnits") ? "readCapacityUnits" : "writeCapacityUnits"));
    }
  }
  return std::nullopt;
}

}  // namespace

DynamoDbEngine::DynamoDbEngine(Storage& storage, const Clock& clock, EngineOptions options)
    : storage_(storage), clock_(clock), options_(std::move(options)) {}

DynamoDbEngine::~DynamoDbEngine() = default;

Status DynamoDbEngine::Load() {
  ASSIGN_OR_RETURN(auto tables, storage_.LoadTables());
  std::unique_lock lock(tables_mu_);
  for (auto& [name, text] : tables) {
    Json meta = Json::parse(text, nullptr, false);
    if (meta.is_discarded()) {
      return InternalError("table " + name + ": stored description is not JSON");
    }
    auto table = BuildTable(name, std::move(meta));
    if (!table.ok()) {
      return InternalError("table " + name + ": " + table.error().message);
    }
    tables_[name] = *table;
  }
  return OkStatus();
}

const std::map<std::string, DynamoDbEngine::Operation, std::less<>>& DynamoDbEngine::Operations() {
  static const std::map<std::string, Operation, std::less<>> kOperations = {
      {"BatchGetItem", &DynamoDbEngine::BatchGetItem},
      {"BatchWriteItem", &DynamoDbEngine::BatchWriteItem},
      {"CreateTable", &DynamoDbEngine::CreateTable},
      {"DeleteItem", &DynamoDbEngine::DeleteItem},
      {"DeleteTable", &DynamoDbEngine::DeleteTable},
      {"DescribeContinuousBackups", &DynamoDbEngine::DescribeContinuousBackups},
      {"DescribeTable", &DynamoDbEngine::DescribeTable},
      {"DescribeTimeToLive", &DynamoDbEngine::DescribeTimeToLive},
      {"GetItem", &DynamoDbEngine::GetItem},
      {"ListTables", &DynamoDbEngine::ListTables},
      {"ListTagsOfResource", &DynamoDbEngine::ListTagsOfResource},
      {"PutItem", &DynamoDbEngine::PutItem},
      {"Query", &DynamoDbEngine::Query},
      {"Scan", &DynamoDbEngine::Scan},
      {"TagResource", &DynamoDbEngine::TagResource},
      {"TransactGetItems", &DynamoDbEngine::TransactGetItems},
      {"TransactWriteItems", &DynamoDbEngine::TransactWriteItems},
      {"UntagResource", &DynamoDbEngine::UntagResource},
      {"UpdateContinuousBackups", &DynamoDbEngine::UpdateContinuousBackups},
      {"UpdateItem", &DynamoDbEngine::UpdateItem},
      {"UpdateTable", &DynamoDbEngine::UpdateTable},
      {"UpdateTimeToLive", &DynamoDbEngine::UpdateTimeToLive},
  };
  return kOperations;
}

ServiceResult DynamoDbEngine::Run(Operation operation, const Json& input) {
  if (!input.is_object()) {
    return ValidationError("The request body must be a JSON object");
  }
  ServiceResult result = (this->*operation)(input);
  std::string capacity = input.value("ReturnConsumedCapacity", "NONE");
  if (result.ok() && (capacity == "TOTAL" || capacity == "INDEXES")) {
    AddConsumedCapacity(input, capacity == "INDEXES", *result);
  }
  return result;
}

ServiceResult DynamoDbEngine::Call(std::string_view operation, const Json& input) {
  auto it = Operations().find(operation);
  if (it == Operations().end()) {
    return ServiceError{"UnknownOperationException",
                        "Unknown operation: " + std::string(operation)};
  }
  try {
    return Run(it->second, input);
  } catch (const nlohmann::json::exception& e) {
    return SerializationError(std::string("Invalid request: ") + e.what());
  }
}

void DynamoDbEngine::AddConsumedCapacity(const Json& input, bool indexes, Json& output) {
  // An approximation: one capacity unit per table touched.
  auto entry = [&](const std::string& table) {
    Json c = {{"TableName", table}, {"CapacityUnits", 1.0}};
    if (indexes) {
      c["Table"] = {{"CapacityUnits", 1.0}};
    }
    return c;
  };
  if (input.contains("TableName") && input["TableName"].is_string()) {
    output["ConsumedCapacity"] = entry(input["TableName"].get<std::string>());
    return;
  }
  std::set<std::string> tables;
  if (input.contains("RequestItems") && input["RequestItems"].is_object()) {
    for (const auto& [name, request] : input["RequestItems"].items()) {
      tables.insert(name);
    }
  }
  if (input.contains("TransactItems") && input["TransactItems"].is_array()) {
    for (const Json& t : input["TransactItems"]) {
      for (const auto& [kind, request] : t.items()) {
        if (request.is_object() && request.contains("TableName")) {
          tables.insert(request["TableName"].get<std::string>());
        }
      }
    }
  }
  Json list = Json::array();
  for (const std::string& table : tables) {
    list.push_back(entry(table));
  }
  output["ConsumedCapacity"] = std::move(list);
}

std::string DynamoDbEngine::TableArn(const std::string& name) const {
  return fmt::format("arn:aws:dynamodb:{}:{}:table/{}", options_.region, options_.account_id, name);
}

bool DynamoDbEngine::IsActive(const Table& table) const {
  return clock_.Now() >= table.created_at + options_.table_creation_delay;
}

ServiceOr<DynamoDbEngine::TablePtr> DynamoDbEngine::BuildTable(const std::string& name, Json meta) {
  auto table = std::make_shared<Table>();
  table->name = name;
  const Json& d = meta["Description"];
  std::map<std::string, std::string> defs;
  for (const Json& def : d["AttributeDefinitions"]) {
    defs[def["AttributeName"].get<std::string>()] = def["AttributeType"].get<std::string>();
  }
  auto keys_of = [&](const Json& schema) {
    KeySchema k;
    for (const Json& e : schema) {
      KeyAttribute a{e["AttributeName"].get<std::string>(),
                     defs[e["AttributeName"].get<std::string>()]};
      if (e["KeyType"] == "HASH") {
        k.hash = a;
      } else {
        k.range = a;
      }
    }
    return k;
  };
  table->keys = keys_of(d["KeySchema"]);
  for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    if (!d.contains(kind)) {
      continue;
    }
    for (const Json& i : d[kind]) {
      Index index;
      index.name = i["IndexName"].get<std::string>();
      index.global = std::string(kind) == "GlobalSecondaryIndexes";
      index.keys = keys_of(i["KeySchema"]);
      index.projection_type = i["Projection"].value("ProjectionType", "ALL");
      if (i["Projection"].contains("NonKeyAttributes")) {
        index.non_key_attributes =
            i["Projection"]["NonKeyAttributes"].get<std::vector<std::string>>();
      }
      table->indexes.push_back(std::move(index));
    }
  }
  table->created_at = std::chrono::system_clock::time_point(
      std::chrono::milliseconds(meta.value("CreatedAt", 0LL)));
  table->meta = std::move(meta);
  return table;
}

Status DynamoDbEngine::Persist(const Table& table) {
  return storage_.PutTable(table.name, table.meta.dump());
}

ServiceOr<DynamoDbEngine::TablePtr> DynamoDbEngine::FindTableByName(const std::string& name,
                                                                    bool require_active) {
  TablePtr table;
  {
    std::shared_lock lock(tables_mu_);
    auto it = tables_.find(name);
    if (it != tables_.end()) {
      table = it->second;
    }
  }
  if (table == nullptr || (require_active && !IsActive(*table))) {
    return ResourceNotFound();
  }
  return table;
}

ServiceOr<DynamoDbEngine::TablePtr> DynamoDbEngine::FindTable(const Json& in, bool require_active) {
  if (auto e = ValidateTableName(in)) {
    return *e;
  }
  return FindTableByName(in["TableName"].get<std::string>(), require_active);
}

ServiceOr<DynamoDbEngine::TablePtr> DynamoDbEngine::FindTableByArn(const Json& in) {
  if (!in.contains("ResourceArn") || !in["ResourceArn"].is_string()) {
    return ValidationError(
        "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: "
        "Member must not be null");
  }
  std::string arn = in["ResourceArn"].get<std::string>();
  std::string prefix =
      fmt::format("arn:aws:dynamodb:{}:{}:table/", options_.region, options_.account_id);
  if (arn.rfind("arn:", 0) != 0) {
    return ValidationError("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
  }
  if (arn.rfind(prefix, 0) != 0 || arn.find('/', prefix.size()) != std::string::npos) {
    return ResourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found");
  }
  auto table = FindTableByName(arn.substr(prefix.size()), false);
  if (!table.ok()) {
    return ResourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found");
  }
  return table;
}

namespace {

// SSESpecification to the SSEDescription DescribeTable reports; null when disabled. KMS keys
// are the table's region and account (the AWS managed alias/aws/dynamodb when none is named).
Json SseDescription(const Json& spec, const std::string& table_arn) {
  if (!spec.is_object() || !spec.value("Enabled", false)) {
    return Json();
  }
  std::string key = spec.value("KMSMasterKeyId", "");
  if (key.rfind("arn:", 0) != 0) {
    // "arn:aws:dynamodb:REGION:ACCOUNT:table/NAME" -> "arn:aws:kms:REGION:ACCOUNT:"
    size_t service = table_arn.find(":dynamodb:");
    size_t table = table_arn.find(":table/");
    std::string prefix = service == std::string::npos || table == std::string::npos
                             ? "arn:aws:kms:us-east-1:000000000000:"
                             : table_arn.substr(0, service) +
                                   ":kms:" + table_arn.substr(service + 10, table - service - 10) +
                                   ":";
    key = prefix +
          (key.empty() ? "alias/aws/dynamodb" : (key.rfind("alias/", 0) == 0 ? key : "key/" + key));
  }
  return Json{{"Status", "ENABLED"}, {"SSEType", "KMS"}, {"KMSMasterKeyArn", key}};
}

}  // namespace

Json DynamoDbEngine::Describe(Table& table, const char* status_override) {
  Json d = table.meta["Description"];
  d["TableStatus"] =
      status_override != nullptr ? status_override : (IsActive(table) ? "ACTIVE" : "CREATING");
  auto counts = storage_.CountItems(table.name);
  long long count = counts.ok() ? counts->first : 0;
  long long bytes = counts.ok() ? counts->second : 0;
  d["ItemCount"] = count;
  d["TableSizeBytes"] = bytes;
  for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    if (d.contains(kind)) {
      for (Json& i : d[kind]) {
        i["ItemCount"] = 0;
        i["IndexSizeBytes"] = 0;
        if (std::string(kind) == "GlobalSecondaryIndexes") {
          i["IndexStatus"] = IsActive(table) ? "ACTIVE" : "CREATING";
        }
      }
    }
  }
  return d;
}

ServiceOr<Json> DynamoDbEngine::CreateTable(const Json& in) {
  if (auto e = ValidateTableName(in)) {
    return *e;
  }
  std::string name = in["TableName"].get<std::string>();
  if (!in.contains("AttributeDefinitions") || !in["AttributeDefinitions"].is_array()) {
    return ValidationError(
        "1 validation error detected: Value null at 'attributeDefinitions' failed to satisfy "
        "constraint: Member must not be null");
  }
  if (!in.contains("KeySchema") || !in["KeySchema"].is_array()) {
    return ValidationError(
        "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: "
        "Member must not be null");
  }
  std::map<std::string, std::string> defs;
  size_t position = 0;
  for (const Json& def : in["AttributeDefinitions"]) {
    ++position;
    std::string attr = def.value("AttributeName", "");
    std::string type = def.value("AttributeType", "");
    if (type != "S" && type != "N" && type != "B") {
      return ValidationError(
          fmt::format("1 validation error detected: Value '{}' at "
                      "'attributeDefinitions.{}.member.attributeType' "
                      "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
                      type, position));
    }
    if (defs.count(attr)) {
      return ValidationError("Cannot have two attributes with the same name");
    }
    defs[attr] = type;
  }
  SERVICE_ASSIGN_OR_RETURN(auto table_keys, ParseKeySchema(in["KeySchema"], defs, "keySchema"));
  std::set<std::string> used;
  for (const auto& [attr, type] : table_keys) {
    used.insert(attr);
  }
  std::string billing = in.value("BillingMode", "PROVISIONED");
  if (billing != "PROVISIONED" && billing != "PAY_PER_REQUEST") {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'billingMode' failed to satisfy constraint: "
        "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
        billing));
  }
  if (auto e = CheckThroughput(in, billing, "")) {
    return *e;
  }
  std::string arn = TableArn(name);
  auto now = clock_.Now();
  Json d = Json::object();
  d["TableName"] = name;
  d["AttributeDefinitions"] = in["AttributeDefinitions"];
  d["KeySchema"] = in["KeySchema"];
  d["CreationDateTime"] = EpochSeconds(now);
  d["ProvisionedThroughput"] = Throughput(in.value("ProvisionedThroughput", Json()));
  d["TableArn"] = arn;
  d["TableId"] =
      fmt::format("{:08x}-0000-4000-8000-{:012x}", std::hash<std::string>()(name) & 0xFFFFFFFFu,
                  static_cast<unsigned long long>(EpochMillis(now)) & 0xFFFFFFFFFFFFULL);
  if (billing == "PAY_PER_REQUEST") {
    d["BillingModeSummary"] = {{"BillingMode", billing},
                               {"LastUpdateToPayPerRequestDateTime", EpochSeconds(now)}};
  }
  d["DeletionProtectionEnabled"] = in.value("DeletionProtectionEnabled", false);
  if (Json sse = SseDescription(in.value("SSESpecification", Json()), arn); !sse.is_null()) {
    d["SSEDescription"] = sse;
  }
  std::set<std::string> index_names;
  for (const char* kind : {"LocalSecondaryIndexes", "GlobalSecondaryIndexes"}) {
    if (!in.contains(kind) || in[kind].is_null()) {
      continue;
    }
    bool global = std::string(kind) == "GlobalSecondaryIndexes";
    if (!in[kind].is_array() || in[kind].empty()) {
      return ValidationError(
          fmt::format("One or more parameter values were invalid: List of {} is empty", kind));
    }
    Json out = Json::array();
    for (const Json& index : in[kind]) {
      std::string index_name = index.value("IndexName", "");
      if (index_name.size() < 3) {
        return ValidationError(
            fmt::format("1 validation error detected: Value '{}' at 'indexName' failed to satisfy "
                        "constraint: Member must have length greater than or equal to 3",
                        index_name));
      }
      if (!index_names.insert(index_name).second) {
        return ValidationError("One or more parameter values were invalid: Duplicate index name: " +
                               index_name);
      }
      SERVICE_ASSIGN_OR_RETURN(
          auto keys, ParseKeySchema(index.value("KeySchema", Json()), defs, "indexKeySchema"));
      if (!global) {
        if (table_keys.size() < 2) {
          return ValidationError(
              "One or more parameter values were invalid: Table KeySchema does not have a range "
              "key, which is required when specifying a LocalSecondaryIndex");
        }
        if (keys[0].first != table_keys[0].first || keys.size() != 2) {
          return ValidationError(fmt::format(
              "One or more parameter values were invalid: Index KeySchema does not have the same "
              "leading hash key as table KeySchema for index: {}. index hash key: {}, table hash "
              "key: {}",
              index_name, keys[0].first, table_keys[0].first));
        }
      }
      for (const auto& [attr, type] : keys) {
        used.insert(attr);
      }
      if (auto e = ValidateProjection(index.value("Projection", Json()), index_name)) {
        return *e;
      }
      if (global) {
        if (auto e = CheckThroughput(index, billing, index_name)) {
          return *e;
        }
      }
      Json o = {{"IndexName", index_name},
                {"KeySchema", index["KeySchema"]},
                {"Projection", index["Projection"]},
                {"IndexArn", arn + "/index/" + index_name}};
      if (global) {
        o["IndexStatus"] = "ACTIVE";
        o["ProvisionedThroughput"] = Throughput(index.value("ProvisionedThroughput", Json()));
      }
      out.push_back(std::move(o));
    }
    d[kind] = std::move(out);
  }
  if (used.size() != defs.size()) {
    return ValidationError(
        "One or more parameter values were invalid: Number of attributes in KeySchema does not "
        "exactly match number of attributes defined in AttributeDefinitions");
  }
  if (in.contains("StreamSpecification") && in["StreamSpecification"].is_object()) {
    d["StreamSpecification"] = in["StreamSpecification"];
    if (in["StreamSpecification"].value("StreamEnabled", false)) {
      std::string label = FormatRfc3339(now);
      label.pop_back();
      d["LatestStreamLabel"] = label + ".000";
      d["LatestStreamArn"] = arn + "/stream/" + label + ".000";
    }
  }
  Json meta = {{"Description", d}, {"CreatedAt", EpochMillis(now)}, {"Pitr", false}};
  meta["Tags"] = Json::object();
  if (in.contains("Tags") && in["Tags"].is_array()) {
    for (const Json& tag : in["Tags"]) {
      meta["Tags"][tag.value("Key", "")] = tag.value("Value", "");
    }
  }
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, BuildTable(name, std::move(meta)));
  {
    std::unique_lock lock(tables_mu_);
    if (tables_.count(name)) {
      return ResourceInUse("Table already exists: " + name);
    }
    Status s = Persist(*table);
    if (!s.ok()) {
      return InternalServerError(s.message());
    }
    tables_[name] = table;
  }
  std::unique_lock lock(table->mu);
  if (table->deleted) {
    return ResourceNotFound();
  }
  // Like DynamoDB, the answer always says CREATING; DescribeTable tells when it is ACTIVE.
  return Json{{"TableDescription", Describe(*table, "CREATING")}};
}

ServiceOr<Json> DynamoDbEngine::DescribeTable(const Json& in) {
  if (auto e = ValidateTableName(in)) {
    return *e;
  }
  std::string name = in["TableName"].get<std::string>();
  auto table = FindTableByName(name, false);
  if (!table.ok()) {
    return ResourceNotFound("Requested resource not found: Table: " + name + " not found");
  }
  std::shared_lock lock((*table)->mu);
  return Json{{"Table", Describe(**table)}};
}

ServiceOr<Json> DynamoDbEngine::UpdateTable(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTable(in, false));
  std::unique_lock lock(table->mu);
  if (table->deleted) {
    return ResourceNotFound();
  }
  Json meta = table->meta;
  Json& d = meta["Description"];
  bool changed = false;
  std::string billing = d.contains("BillingModeSummary")
                            ? d["BillingModeSummary"].value("BillingMode", "PROVISIONED")
                            : "PROVISIONED";
  if (in.contains("BillingMode") && in["BillingMode"].is_string()) {
    std::string mode = in["BillingMode"].get<std::string>();
    if (mode != "PROVISIONED" && mode != "PAY_PER_REQUEST") {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at 'billingMode' failed to satisfy "
          "constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
          mode));
    }
    if (mode == "PROVISIONED" && !in.contains("ProvisionedThroughput")) {
      return ValidationError(
          "One or more parameter values were invalid: ProvisionedThroughput must be specified "
          "when BillingMode is PROVISIONED");
    }
    billing = mode;
    if (mode == "PAY_PER_REQUEST") {
      d["BillingModeSummary"] = {{"BillingMode", mode},
                                 {"LastUpdateToPayPerRequestDateTime", EpochSeconds(clock_.Now())}};
      d["ProvisionedThroughput"] = Throughput(Json());
    } else {
      d["BillingModeSummary"] = {{"BillingMode", mode}};
    }
    changed = true;
  }
  if (in.contains("ProvisionedThroughput") && in["ProvisionedThroughput"].is_object()) {
    if (auto e = CheckThroughput(in, billing, "")) {
      return *e;
    }
    Json t = Throughput(in["ProvisionedThroughput"]);
    Json& old = d["ProvisionedThroughput"];
    if (billing == "PROVISIONED" && in.value("BillingMode", "") != "PROVISIONED" &&
        old["ReadCapacityUnits"] == t["ReadCapacityUnits"] &&
        old["WriteCapacityUnits"] == t["WriteCapacityUnits"]) {
      return ValidationError(fmt::format(
          "The provisioned throughput for the table will not change. The requested value equals "
          "the current value. Current ReadCapacityUnits provisioned for the table: {}. Requested "
          "ReadCapacityUnits: {}. Current WriteCapacityUnits provisioned for the table: {}. "
          "Requested WriteCapacityUnits: {}. Refer to the Amazon DynamoDB Developer Guide for "
          "current limits and how to request higher limits.",
          old["ReadCapacityUnits"].dump(), t["ReadCapacityUnits"].dump(),
          old["WriteCapacityUnits"].dump(), t["WriteCapacityUnits"].dump()));
    }
    d["ProvisionedThroughput"] = t;
    changed = true;
  }
  if (in.contains("AttributeDefinitions") && in["AttributeDefinitions"].is_array()) {
    for (const Json& def : in["AttributeDefinitions"]) {
      bool found = false;
      for (Json& existing : d["AttributeDefinitions"]) {
        if (existing["AttributeName"] == def["AttributeName"]) {
          found = true;
          if (existing["AttributeType"] != def["AttributeType"]) {
            return ValidationError(
                "One or more parameter values were invalid: Cannot change the type of an "
                "existing key attribute: " +
                def.value("AttributeName", ""));
          }
        }
      }
      if (!found) {
        d["AttributeDefinitions"].push_back(def);
      }
    }
  }
  if (in.contains("GlobalSecondaryIndexUpdates") && in["GlobalSecondaryIndexUpdates"].is_array()) {
    std::map<std::string, std::string> defs;
    for (const Json& def : d["AttributeDefinitions"]) {
      defs[def["AttributeName"].get<std::string>()] = def["AttributeType"].get<std::string>();
    }
    for (const Json& update : in["GlobalSecondaryIndexUpdates"]) {
      if (update.contains("Create")) {
        const Json& c = update["Create"];
        std::string index_name = c.value("IndexName", "");
        auto exists = [&](const char* kind) {
          if (!d.contains(kind)) {
            return false;
          }
          for (const Json& i : d[kind]) {
            if (i["IndexName"] == index_name) {
              return true;
            }
          }
          return false;
        };
        if (exists("GlobalSecondaryIndexes") || exists("LocalSecondaryIndexes")) {
          return ValidationError(
              "One or more parameter values were invalid: Index already exists: " + index_name);
        }
        SERVICE_ASSIGN_OR_RETURN(
            auto keys, ParseKeySchema(c.value("KeySchema", Json()), defs, "indexKeySchema"));
        (void)keys;
        if (auto e = ValidateProjection(c.value("Projection", Json()), index_name)) {
          return *e;
        }
        if (auto e = CheckThroughput(c, billing, index_name)) {
          return *e;
        }
        Json o = {{"IndexName", index_name},
                  {"KeySchema", c["KeySchema"]},
                  {"Projection", c["Projection"]},
                  {"IndexStatus", "ACTIVE"},
                  {"IndexArn", TableArn(table->name) + "/index/" + index_name},
                  {"ProvisionedThroughput", Throughput(c.value("ProvisionedThroughput", Json()))}};
        if (!d.contains("GlobalSecondaryIndexes")) {
          d["GlobalSecondaryIndexes"] = Json::array();
        }
        d["GlobalSecondaryIndexes"].push_back(std::move(o));
        changed = true;
      } else if (update.contains("Delete") || update.contains("Update")) {
        const Json& u = update.contains("Delete") ? update["Delete"] : update["Update"];
        std::string index_name = u.value("IndexName", "");
        bool found = false;
        if (d.contains("GlobalSecondaryIndexes")) {
          Json& list = d["GlobalSecondaryIndexes"];
          for (size_t i = 0; i < list.size(); ++i) {
            if (list[i]["IndexName"] == index_name) {
              found = true;
              if (update.contains("Delete")) {
                list.erase(list.begin() + static_cast<long>(i));
              } else if (u.contains("ProvisionedThroughput")) {
                list[i]["ProvisionedThroughput"] = Throughput(u["ProvisionedThroughput"]);
              }
              break;
            }
          }
          if (list.empty()) {
            d.erase("GlobalSecondaryIndexes");
          }
        }
        if (!found) {
          return ResourceNotFound("Requested resource not found: Index: " + index_name +
                                  " not found");
        }
        changed = true;
      }
    }
  }
  if (in.contains("StreamSpecification") && in["StreamSpecification"].is_object()) {
    d["StreamSpecification"] = in["StreamSpecification"];
    changed = true;
  }
  if (in.contains("DeletionProtectionEnabled") && in["DeletionProtectionEnabled"].is_boolean()) {
    d["DeletionProtectionEnabled"] = in["DeletionProtectionEnabled"];
    changed = true;
  }
  if (in.contains("SSESpecification") && in["SSESpecification"].is_object()) {
    Json sse = SseDescription(in["SSESpecification"], d.value("TableArn", ""));
    if (sse.is_null()) {
      d.erase("SSEDescription");
    } else {
      d["SSEDescription"] = sse;
    }
    changed = true;
  }
  if (!changed) {
    return ValidationError(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  SERVICE_ASSIGN_OR_RETURN(TablePtr rebuilt, BuildTable(table->name, meta));
  table->meta = std::move(rebuilt->meta);
  table->indexes = rebuilt->indexes;
  Status s = Persist(*table);
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return Json{{"TableDescription", Describe(*table)}};
}

ServiceOr<Json> DynamoDbEngine::DeleteTable(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTable(in, false));
  std::unique_lock lock(table->mu);
  if (table->deleted) {
    return ResourceNotFound();
  }
  if (table->meta["Description"].value("DeletionProtectionEnabled", false)) {
    return ValidationError(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first.");
  }
  Json description = Describe(*table, "DELETING");
  {
    std::unique_lock tables_lock(tables_mu_);
    auto it = tables_.find(table->name);
    if (it == tables_.end() || it->second != table) {
      return ResourceNotFound();
    }
    tables_.erase(it);
  }
  table->deleted = true;
  Status s = storage_.DeleteTable(table->name);
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return Json{{"TableDescription", description}};
}

ServiceOr<Json> DynamoDbEngine::ListTables(const Json& in) {
  long long limit = 100;
  if (in.contains("Limit") && !in["Limit"].is_null()) {
    limit = in["Limit"].get<long long>();
    if (limit < 1 || limit > 100) {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at 'limit' failed to satisfy constraint: "
          "Member must have value {} {}",
          limit, limit < 1 ? "greater than or equal to" : "less than or equal to",
          limit < 1 ? 1 : 100));
    }
  }
  std::string start = in.value("ExclusiveStartTableName", "");
  Json names = Json::array();
  bool more = false;
  std::shared_lock lock(tables_mu_);
  auto it = start.empty() ? tables_.begin() : tables_.upper_bound(start);
  for (; it != tables_.end(); ++it) {
    if (static_cast<long long>(names.size()) >= limit) {
      more = true;
      break;
    }
    names.push_back(it->first);
  }
  Json out = {{"TableNames", names}};
  if (more && !names.empty()) {
    out["LastEvaluatedTableName"] = names.back();
  }
  return out;
}

ServiceOr<Json> DynamoDbEngine::UpdateTimeToLive(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTable(in, false));
  if (!in.contains("TimeToLiveSpecification") || !in["TimeToLiveSpecification"].is_object()) {
    return ValidationError(
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy "
        "constraint: Member must not be null");
  }
  const Json& spec = in["TimeToLiveSpecification"];
  bool enabled = spec.value("Enabled", false);
  std::string attribute = spec.value("AttributeName", "");
  if (attribute.empty()) {
    return ValidationError(
        "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' "
        "failed to satisfy constraint: Member must not be null");
  }
  std::unique_lock lock(table->mu);
  if (table->deleted) {
    return ResourceNotFound();
  }
  Json ttl = table->meta.value("Ttl", Json::object());
  bool currently = ttl.value("Enabled", false);
  if (enabled && currently) {
    return ValidationError("TimeToLive is already enabled");
  }
  if (!enabled && !currently) {
    return ValidationError("TimeToLive is already disabled");
  }
  if (!enabled && ttl.value("AttributeName", "") != attribute) {
    return ValidationError(
        "TimeToLive is active on a different AttributeName: current AttributeName is " +
        ttl.value("AttributeName", ""));
  }
  table->meta["Ttl"] = {{"Enabled", enabled}, {"AttributeName", attribute}};
  Status s = Persist(*table);
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return Json{{"TimeToLiveSpecification", {{"Enabled", enabled}, {"AttributeName", attribute}}}};
}

ServiceOr<long long> DynamoDbEngine::ExpireItems() {
  std::vector<TablePtr> tables;
  {
    std::shared_lock lock(tables_mu_);
    for (const auto& [name, table] : tables_) {
      tables.push_back(table);
    }
  }
  const long long now = EpochMillis(clock_.Now()) / 1000;
  const long long oldest = now - 5LL * 365 * 24 * 3600;
  long long deleted = 0;
  for (const TablePtr& table : tables) {
    std::unique_lock lock(table->mu);
    const Json ttl = table->meta.value("Ttl", Json::object());
    if (table->deleted || !ttl.value("Enabled", false)) {
      continue;
    }
    const std::string attribute = ttl.value("AttributeName", "");
    auto rows = storage_.ScanTable(table->name, std::nullopt, 0);
    if (!rows.ok()) {
      return InternalServerError(rows.status().message());
    }
    std::vector<ItemWrite> writes;
    for (const StoredItem& row : *rows) {
      Json item = Json::parse(row.data, nullptr, false);
      if (!item.is_object() || !item.contains(attribute) || TypeOf(item[attribute]) != "N") {
        continue;
      }
      std::string error;
      auto expiry = Decimal::Parse(item[attribute]["N"].get<std::string>(), &error);
      if (!expiry || *expiry >= Decimal::FromInt(now) || *expiry < Decimal::FromInt(oldest)) {
        continue;
      }
      writes.push_back(ItemWrite{table->name, row.hash_key, row.range_key, std::nullopt});
    }
    if (!writes.empty()) {
      Status s = storage_.Write(writes);
      if (!s.ok()) {
        return InternalServerError(s.message());
      }
      deleted += static_cast<long long>(writes.size());
    }
  }
  return deleted;
}

ServiceOr<Json> DynamoDbEngine::DescribeTimeToLive(const Json& in) {
  if (auto e = ValidateTableName(in)) {
    return *e;
  }
  std::string name = in["TableName"].get<std::string>();
  auto found = FindTableByName(name, false);
  if (!found.ok()) {
    return ResourceNotFound("Requested resource not found: Table: " + name + " not found");
  }
  TablePtr table = *found;
  std::shared_lock lock(table->mu);
  Json ttl = table->meta.value("Ttl", Json::object());
  Json d = Json::object();
  if (ttl.value("Enabled", false)) {
    d["TimeToLiveStatus"] = "ENABLED";
    d["AttributeName"] = ttl["AttributeName"];
  } else {
    d["TimeToLiveStatus"] = "DISABLED";
  }
  return Json{{"TimeToLiveDescription", d}};
}

ServiceOr<Json> DynamoDbEngine::DescribeContinuousBackups(const Json& in) {
  if (auto e = ValidateTableName(in)) {
    return *e;
  }
  std::string name = in["TableName"].get<std::string>();
  auto found = FindTableByName(name, false);
  if (!found.ok()) {
    return ServiceError{"TableNotFoundException", "Table not found: " + name};
  }
  TablePtr table = *found;
  std::shared_lock lock(table->mu);
  Json pitr = Json::object();
  if (table->meta.value("Pitr", false)) {
    pitr["PointInTimeRecoveryStatus"] = "ENABLED";
    auto now = clock_.Now();
    pitr["EarliestRestorableDateTime"] =
        std::max(EpochSeconds(table->created_at), EpochSeconds(now - std::chrono::hours(24 * 35)));
    pitr["LatestRestorableDateTime"] = EpochSeconds(now - std::chrono::minutes(5));
  } else {
    pitr["PointInTimeRecoveryStatus"] = "DISABLED";
  }
  return Json{{"ContinuousBackupsDescription",
               {{"ContinuousBackupsStatus", "ENABLED"}, {"PointInTimeRecoveryDescription", pitr}}}};
}

ServiceOr<Json> DynamoDbEngine::UpdateContinuousBackups(const Json& in) {
  if (auto e = ValidateTableName(in)) {
    return *e;
  }
  std::string name = in["TableName"].get<std::string>();
  auto found = FindTableByName(name, false);
  if (!found.ok()) {
    return ServiceError{"TableNotFoundException", "Table not found: " + name};
  }
  if (!in.contains("PointInTimeRecoverySpecification") ||
      !in["PointInTimeRecoverySpecification"].contains("PointInTimeRecoveryEnabled")) {
    return ValidationError(
        "1 validation error detected: Value null at "
        "'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy "
        "constraint: Member must not be null");
  }
  {
    TablePtr table = *found;
    std::unique_lock lock(table->mu);
    if (table->deleted) {
      return ResourceNotFound();
    }
    table->meta["Pitr"] =
        in["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].get<bool>();
    Status s = Persist(*table);
    if (!s.ok()) {
      return InternalServerError(s.message());
    }
  }
  return DescribeContinuousBackups(Json{{"TableName", name}});
}

ServiceOr<Json> DynamoDbEngine::TagResource(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTableByArn(in));
  if (!in.contains("Tags") || !in["Tags"].is_array()) {
    return ValidationError(
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member "
        "must not be null");
  }
  std::unique_lock lock(table->mu);
  if (table->deleted) {
    return ResourceNotFound();
  }
  Json tags = table->meta.value("Tags", Json::object());
  for (const Json& tag : in["Tags"]) {
    std::string key = tag.value("Key", "");
    if (key.empty() || key.rfind("aws:", 0) == 0) {
      return ValidationError(key.empty() ? "Tag keys must not be empty"
                                         : "Invalid tag key: tags starting with aws: are reserved");
    }
    tags[key] = tag.value("Value", "");
  }
  if (tags.size() > 50) {
    return ServiceError{"LimitExceededException", "The number of tags exceeds the limit of 50"};
  }
  table->meta["Tags"] = tags;
  Status s = Persist(*table);
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return Json::object();
}

ServiceOr<Json> DynamoDbEngine::UntagResource(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTableByArn(in));
  if (!in.contains("TagKeys") || !in["TagKeys"].is_array()) {
    return ValidationError(
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: "
        "Member must not be null");
  }
  std::unique_lock lock(table->mu);
  if (table->deleted) {
    return ResourceNotFound();
  }
  for (const Json& key : in["TagKeys"]) {
    table->meta["Tags"].erase(key.get<std::string>());
  }
  Status s = Persist(*table);
  if (!s.ok()) {
    return InternalServerError(s.message());
  }
  return Json::object();
}

ServiceOr<Json> DynamoDbEngine::ListTagsOfResource(const Json& in) {
  SERVICE_ASSIGN_OR_RETURN(TablePtr table, FindTableByArn(in));
  std::shared_lock lock(table->mu);
  Json tags = Json::array();
  const Json stored = table->meta.value("Tags", Json::object());
  for (const auto& [key, value] : stored.items()) {
    tags.push_back({{"Key", key}, {"Value", value}});
  }
  return Json{{"Tags", tags}};
}

}  // namespace cf::cloud::dynamodb
