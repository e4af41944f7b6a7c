#pragma once

// DynamoDB in the local cloud: the engine of cloud/dynamodb behind the server's Service
// interface. The server's JSON 1.0 codec hands over blobs as raw bytes, while the engine
// speaks DynamoDB's wire JSON (B and BS as base64): this adapter converts both ways.
// Tables live in their own SQLite file (dynamodb.db in the data dir), or in memory when the
// cloud has no data dir.

#include <memory>
#include <string>

#include "base/clock.h"
#include "cloud/core/service.h"
#include "cloud/dynamodb/engine.h"
#include "cloud/dynamodb/storage.h"

namespace cf::cloud {

class DynamoDbService : public Service {
 public:
  // Opens (or creates) the tables under `data_dir` ("" keeps them in memory). Table ARNs
  // name the region us-east-1 whatever region a request is signed for.
  static Result<std::unique_ptr<DynamoDbService>> Open(const std::string& data_dir,
                                                       const Clock& clock);

  std::string name() const override { return "dynamodb"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;
  // Deletes every table.
  Status Reset() override;

 private:
  DynamoDbService(std::unique_ptr<dynamodb::Storage> storage, const Clock& clock);

  std::unique_ptr<dynamodb::Storage> storage_;
  dynamodb::DynamoDbEngine engine_;
};

// The engine's database file in a data dir.
std::string DynamoDbPath(const std::string& data_dir);

// Converts blob AttributeValues ({"B": ...}, {"BS": [...]}) anywhere in `tree` between raw
// bytes and base64. Exposed for tests.
void BlobsToBase64(Json& tree);
void BlobsFromBase64(Json& tree);

}  // namespace cf::cloud
