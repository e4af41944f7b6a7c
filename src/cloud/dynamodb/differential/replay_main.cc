// dynamodb_replay CASES.json: runs a sequence of DynamoDB requests ([{"op": ..., "input":
// ...}, ...]) through the engine on a fresh in-memory SQLite database and prints one JSON
// line per request: {"status": 200|400|500, "body": <response or error body>}. The
// differential test (run_differential.sh) compares this with dynalite's answers.

#include <fstream>
#include <iostream>
#include <sstream>

#include "base/clock.h"
#include "cloud/dynamodb/engine.h"
#include "cloud/dynamodb/sqlite_storage.h"

int main(int argc, char** argv) {
  namespace ddb = cf::cloud::dynamodb;
  if (argc != 2) {
    std::cerr << "usage: dynamodb_replay CASES.json\n";
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream text;
  text << file.rdbuf();
  ddb::Json cases = ddb::Json::parse(text.str(), nullptr, false);
  if (cases.is_discarded() || !cases.is_array()) {
    std::cerr << argv[1] << ": not a JSON array\n";
    return 2;
  }
  auto storage = ddb::SqliteStorage::Open(":memory:");
  if (!storage.ok()) {
    std::cerr << storage.status().ToString() << "\n";
    return 1;
  }
  cf::SystemClock clock;
  ddb::DynamoDbEngine engine(**storage, clock);
  if (!engine.Load().ok()) {
    return 1;
  }
  for (const ddb::Json& c : cases) {
    auto r = engine.Call(c["op"].get<std::string>(), c["input"]);
    ddb::Json line;
    if (r.ok()) {
      line = {{"status", 200}, {"body", *r}};
    } else {
      const cf::cloud::ServiceError& e = r.error();
      ddb::Json body = ddb::ErrorBody(e);
      body["message"] = e.message;  // compare.py reads "message" for every error.
      line = {{"status", e.http_status}, {"body", body}};
    }
    std::cout << line.dump() << "\n";
  }
  return 0;
}
