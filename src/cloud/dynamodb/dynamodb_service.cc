#include "cloud/dynamodb/dynamodb_service.h"

#include <algorithm>

#include "base/base64.h"
#include "base/file_system.h"
#include "cloud/dynamodb/sqlite_storage.h"

namespace cf::cloud::dynamodb {

namespace {

template <typename Fn>
void ConvertBlobs(Json& tree, const Fn& convert) {
  if (tree.is_array()) {
    for (Json& element : tree) {
      ConvertBlobs(element, convert);
    }
    return;
  }
  if (!tree.is_object()) {
    return;
  }
  // An AttributeValue has exactly one member; "B" holds a string and "BS" strings. An item
  // attribute named "B" holds an object instead, so it is never taken for a blob.
  if (tree.size() == 1) {
    auto b = tree.find("B");
    if (b != tree.end() && b->is_string()) {
      *b = convert(b->get<std::string>());
      return;
    }
    auto bs = tree.find("BS");
    if (bs != tree.end() && bs->is_array() &&
        std::all_of(bs->begin(), bs->end(), [](const Json& j) { return j.is_string(); })) {
      for (Json& element : *bs) {
        element = convert(element.get<std::string>());
      }
      return;
    }
  }
  for (auto& [key, value] : tree.items()) {
    ConvertBlobs(value, convert);
  }
}

// True when `tree` holds an AttributeValue of type B or BS anywhere (the same test as
// ConvertBlobs), so requests without blobs skip the copy and conversion.
bool HasBlobs(const Json& tree) {
  if (tree.is_array()) {
    return std::any_of(tree.begin(), tree.end(), [](const Json& j) { return HasBlobs(j); });
  }
  if (!tree.is_object()) {
    return false;
  }
  if (tree.size() == 1) {
    auto b = tree.find("B");
    if (b != tree.end() && b->is_string()) {
      return true;
    }
    auto bs = tree.find("BS");
    if (bs != tree.end() && bs->is_array()) {
      return true;
    }
  }
  return std::any_of(tree.begin(), tree.end(), [](const Json& j) { return HasBlobs(j); });
}

}  // namespace

void BlobsToBase64(Json& tree) {
  ConvertBlobs(tree, [](const std::string& raw) { return Base64Encode(raw); });
}

void BlobsFromBase64(Json& tree) {
  ConvertBlobs(tree, [](const std::string& text) {
    std::optional<std::string> raw = Base64Decode(text);
    return raw ? *raw : text;
  });
}

std::string DynamoDbPath(const std::string& data_dir) {
  return JoinPath(data_dir, "dynamodb.db");
}

DynamoDbService::DynamoDbService(Store& store, std::unique_ptr<Storage> storage, const Clock& clock)
    : TableService(store, Operations()), storage_(std::move(storage)), engine_(*storage_, clock) {}

Result<std::unique_ptr<DynamoDbService>> DynamoDbService::Open(Store& store,
                                                               const std::string& data_dir,
                                                               const Clock& clock) {
  std::string path = data_dir.empty() ? ":memory:" : DynamoDbPath(data_dir);
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteStorage> storage, SqliteStorage::Open(path));
  std::unique_ptr<DynamoDbService> service(new DynamoDbService(store, std::move(storage), clock));
  RETURN_IF_ERROR(service->engine_.Load());
  return service;
}

const OperationTable<DynamoDbService>& DynamoDbService::Operations() {
  static const OperationTable<DynamoDbService> kTable = [] {
    std::vector<OperationTable<DynamoDbService>::Row> rows;
    for (const auto& [name, operation] : DynamoDbEngine::Operations()) {
      rows.push_back({name, [op = operation](DynamoDbService& s, const ServiceCall& c, CallTxn&) {
                        return s.Run(op, c);
                      }});
    }
    return OperationTable<DynamoDbService>(
        rows, {.internal_error = InternalServerError, .invalid_input = SerializationError});
  }();
  return kTable;
}

ServiceResult DynamoDbService::Run(DynamoDbEngine::Operation operation, const ServiceCall& call) {
  ServiceResult result = [&] {
    if (!HasBlobs(call.input)) {
      return engine_.Run(operation, call.input);
    }
    Json input = call.input;
    BlobsToBase64(input);
    return engine_.Run(operation, input);
  }();
  if (!result.ok()) {
    ServiceError error = std::move(result).error();
    if (HasBlobs(error.fields)) {
      BlobsFromBase64(error.fields);
    }
    return error;
  }
  Json output = std::move(result).value();
  if (HasBlobs(output)) {
    BlobsFromBase64(output);
  }
  // The engine reports DeletionProtectionEnabled (DynamoDB since 2023); the service model the
  // server serializes with (Debian's botocore 1.29) predates it, so it cannot be sent.
  for (const char* key : {"TableDescription", "Table"}) {
    if (output.contains(key) && output[key].is_object()) {
      output[key].erase("DeletionProtectionEnabled");
    }
  }
  return output;
}

Status DynamoDbService::Reset() {
  Json start;
  while (true) {
    Json input = Json::object();
    if (!start.is_null()) {
      input["ExclusiveStartTableName"] = start;
    }
    ServiceResult listed = engine_.Call("ListTables", input);
    if (!listed.ok()) {
      return InternalError("listing tables: " + listed.error().message);
    }
    const Json& page = listed.value();
    for (const Json& name : page.value("TableNames", Json::array())) {
      ServiceResult deleted = engine_.Call("DeleteTable", {{"TableName", name}});
      if (!deleted.ok()) {
        return InternalError("deleting table " + name.get<std::string>() + ": " +
                             deleted.error().message);
      }
    }
    if (!page.contains("LastEvaluatedTableName")) {
      return OkStatus();
    }
    start = page["LastEvaluatedTableName"];
  }
}

}  // namespace cf::cloud::dynamodb
