#pragma once

// DynamoDB in the local cloud: the engine (engine.h) behind the server's Service interface,
// on the operation table (cloud/core/operation_table.h) made from the engine's list of
// operations. The server's JSON 1.0 codec hands over blobs as raw bytes, while the engine
// speaks DynamoDB's wire JSON (B and BS as base64): this adapter converts both ways.
// Tables live in their own SQLite file (dynamodb.db in the data dir), or in memory when the
// cloud has no data dir; the shared Store is not used.

#include <memory>
#include <string>

#include "base/clock.h"
#include "cloud/core/operation_table.h"
#include "cloud/core/service.h"
#include "cloud/dynamodb/engine.h"
#include "cloud/dynamodb/storage.h"

namespace cf::cloud::dynamodb {

class DynamoDbService : public TableService<DynamoDbService> {
 public:
  // Opens (or creates) the tables under `data_dir` ("" keeps them in memory). Table ARNs
  // name the region us-east-1 whatever region a request is signed for. `store` (which the
  // operation table requires; DynamoDB keeps nothing in it) and `clock` must outlive the
  // service.
  static Result<std::unique_ptr<DynamoDbService>> Open(Store& store, const std::string& data_dir,
                                                       const Clock& clock);

  std::string name() const override { return "dynamodb"; }
  // Deletes every table.
  Status Reset() override;

 private:
  DynamoDbService(Store& store, std::unique_ptr<Storage> storage, const Clock& clock);

  // One row per engine operation; internal failures are InternalServerError and a request
  // member of the wrong type SerializationException.
  static const OperationTable<DynamoDbService>& Operations();
  // Runs `operation` on the call's input: blobs to base64 and back, the error's fields too.
  ServiceResult Run(DynamoDbEngine::Operation operation, const ServiceCall& call);

  std::unique_ptr<Storage> storage_;
  DynamoDbEngine engine_;
};

// The engine's database file in a data dir.
std::string DynamoDbPath(const std::string& data_dir);

// Converts blob AttributeValues ({"B": ...}, {"BS": [...]}) anywhere in `tree` between raw
// bytes and base64. Exposed for tests.
void BlobsToBase64(Json& tree);
void BlobsFromBase64(Json& tree);

}  // namespace cf::cloud::dynamodb
