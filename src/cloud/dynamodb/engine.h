#pragma once

// The local cloud's DynamoDB: every operation of the DynamoDB API that clusterform and its
// users need, over a Storage, with DynamoDB's validation rules and messages.
//
// Input and output are DynamoDB's own request and response JSON (the JSON 1.0 protocol body,
// AttributeValues as {"S": "x"} and so on). Errors are ServiceError values (error.h) that the
// server serializes as {"__type": ..., "message": ...} with their HTTP status.
//
// Thread-safety: Call may be used from any number of threads. Each table has a reader/writer
// lock: reads share it, writes (and the read-check-write of conditional writes) hold it
// exclusively, so conditional writes are atomic. Transactions lock their tables in name order.
// Tables are CREATING for EngineOptions::table_creation_delay after CreateTable (by the Clock),
// then ACTIVE; item operations on a table that is not ACTIVE get ResourceNotFoundException.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "cloud/core/service_error.h"
#include "cloud/dynamodb/error.h"
#include "cloud/dynamodb/expression.h"
#include "cloud/dynamodb/storage.h"

namespace cf::cloud::dynamodb {

struct EngineOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::chrono::milliseconds table_creation_delay{0};
  // The most bytes of items one partition key may hold in a table with local secondary
  // indexes (DynamoDB: 10 GB), beyond which writes get ItemCollectionSizeLimitExceededException.
  long long item_collection_size_limit = 10LL * 1024 * 1024 * 1024;
};

class DynamoDbEngine {
 public:
  // `storage` and `clock` must outlive the engine.
  DynamoDbEngine(Storage& storage, const Clock& clock, EngineOptions options = {});
  ~DynamoDbEngine();
  DynamoDbEngine(const DynamoDbEngine&) = delete;
  DynamoDbEngine& operator=(const DynamoDbEngine&) = delete;

  // Reads the tables kept in storage. Call once, before the first Call.
  Status Load();

  // One operation of the engine, on DynamoDB's wire JSON (blobs as base64).
  using Operation = ServiceResult (DynamoDbEngine::*)(const Json&);
  // Every operation the engine implements, by name: the one list that Call and the server's
  // operation table (dynamodb_service.h) are made from.
  static const std::map<std::string, Operation, std::less<>>& Operations();

  // Runs `operation` on `input`: a non-object input is ValidationException, and
  // ReturnConsumedCapacity is answered. A member of the wrong JSON type throws
  // nlohmann::json::exception, which the caller answers (the operation table as
  // SerializationException).
  ServiceResult Run(Operation operation, const Json& input);

  // For direct callers (tests, the differential replay): Run of the operation named
  // `operation` ("PutItem"), UnknownOperationException when there is none, and a JSON type
  // error answered as SerializationException.
  ServiceResult Call(std::string_view operation, const Json& input);

  // Deletes the items whose TTL attribute (a number of epoch seconds) lies in the past, in every
  // table with TTL enabled, like DynamoDB's background sweeper (which also leaves alone values
  // more than five years in the past, and non-numbers). Returns how many items were deleted.
  // The server calls it periodically.
  ServiceOr<long long> ExpireItems();

 private:
  struct KeyAttribute {
    std::string name;
    std::string type;  // S, N or B
  };
  struct KeySchema {
    KeyAttribute hash;
    std::optional<KeyAttribute> range;
  };
  struct Index {
    std::string name;
    bool global = false;
    KeySchema keys;
    std::string projection_type;  // ALL, KEYS_ONLY, INCLUDE
    std::vector<std::string> non_key_attributes;
  };
  struct Table {
    std::string name;
    Json meta;  // Persisted: Description, CreatedAt, Ttl, Pitr, Tags.
    KeySchema keys;
    std::vector<Index> indexes;
    std::chrono::system_clock::time_point created_at;
    std::shared_mutex mu;  // Items and meta.
    bool deleted = false;  // guarded by mu; set by DeleteTable for requests already holding it.
  };
  using TablePtr = std::shared_ptr<Table>;

  struct EncodedKey {
    std::string hash;
    std::string range;
    bool operator<(const EncodedKey& o) const {
      return hash != o.hash ? hash < o.hash : range < o.range;
    }
    bool operator==(const EncodedKey& o) const = default;
  };

  // One write of PutItem/UpdateItem/DeleteItem/ConditionCheck, parsed and validated.
  struct PreparedWrite {
    enum class Kind { kPut, kUpdate, kDelete, kCheck };
    Kind kind = Kind::kPut;
    TablePtr table;
    Json key;  // The key attributes.
    EncodedKey encoded;
    Json item;  // kPut: the new item.
    std::optional<Node> condition;
    std::vector<UpdateAction> updates;
    std::vector<Path> updated_paths;
    std::string return_values = "NONE";
    bool return_old_on_failure = false;
  };
  struct WriteOutcome {
    std::optional<Json> new_item;  // nullopt: the item is deleted (or unchanged for kCheck).
    Json attributes;               // ReturnValues.
  };

  // Table operations (engine.cc).
  ServiceOr<Json> CreateTable(const Json& in);
  ServiceOr<Json> DescribeTable(const Json& in);
  ServiceOr<Json> UpdateTable(const Json& in);
  ServiceOr<Json> DeleteTable(const Json& in);
  ServiceOr<Json> ListTables(const Json& in);
  ServiceOr<Json> UpdateTimeToLive(const Json& in);
  ServiceOr<Json> DescribeTimeToLive(const Json& in);
  ServiceOr<Json> DescribeContinuousBackups(const Json& in);
  ServiceOr<Json> UpdateContinuousBackups(const Json& in);
  ServiceOr<Json> TagResource(const Json& in);
  ServiceOr<Json> UntagResource(const Json& in);
  ServiceOr<Json> ListTagsOfResource(const Json& in);

  // Item operations (engine_items.cc).
  ServiceOr<Json> GetItem(const Json& in);
  ServiceOr<Json> PutItem(const Json& in);
  ServiceOr<Json> UpdateItem(const Json& in);
  ServiceOr<Json> DeleteItem(const Json& in);
  ServiceOr<Json> Query(const Json& in);
  ServiceOr<Json> Scan(const Json& in);
  ServiceOr<Json> BatchGetItem(const Json& in);
  ServiceOr<Json> BatchWriteItem(const Json& in);
  ServiceOr<Json> TransactWriteItems(const Json& in);
  ServiceOr<Json> TransactGetItems(const Json& in);

  // Helpers.
  ServiceOr<TablePtr> FindTable(const Json& in, bool require_active);
  ServiceOr<TablePtr> FindTableByName(const std::string& name, bool require_active);
  ServiceOr<TablePtr> FindTableByArn(const Json& in);
  bool IsActive(const Table& table) const;
  Json Describe(Table& table, const char* status_override = nullptr);  // requires table.mu held
  Status Persist(const Table& table);
  static ServiceOr<TablePtr> BuildTable(const std::string& name, Json meta);
  std::string TableArn(const std::string& name) const;
  static void AddConsumedCapacity(const Json& input, bool indexes, Json& output);

  ServiceOr<EncodedKey> EncodeKey(const Table& table, const Json& key) const;
  ServiceOr<EncodedKey> EncodeItemKey(const Table& table, const Json& item) const;
  ServiceStatus CheckIndexKeys(const Table& table, const Json& item) const;
  ServiceOr<PreparedWrite> PrepareWrite(PreparedWrite::Kind kind, const Json& in,
                                        bool in_transaction);
  ServiceOr<WriteOutcome> ExecuteWrite(const PreparedWrite& w, const Json* existing) const;
  ServiceOr<std::optional<Json>> ReadItem(const Table& table, const EncodedKey& key);
  // For tables with local secondary indexes: the partition with `new_item` in place of the
  // item at `key` must stay within item_collection_size_limit. Requires table.mu held.
  ServiceStatus CheckItemCollection(const Table& table, const EncodedKey& key,
                                    const std::optional<Json>& new_item);
  ServiceOr<Json> QueryOrScan(const Json& in, bool is_query);

  Storage& storage_;
  const Clock& clock_;
  EngineOptions options_;
  // TransactWriteItems idempotency: ClientRequestToken -> (request, when), for 10 minutes.
  std::mutex tokens_mu_;
  std::map<std::string, std::pair<std::string, std::chrono::system_clock::time_point>>
      tokens_;  // guarded by tokens_mu_
  std::shared_mutex tables_mu_;
  std::map<std::string, TablePtr> tables_;  // guarded by tables_mu_
};

}  // namespace cf::cloud::dynamodb
