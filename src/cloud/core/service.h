#pragma once

// The contract between the local cloud's server and its services. The server authenticates a
// request, parses it with the service's wire protocol into a JSON input tree (members named as
// in the AWS service model), and calls Service::Handle. The service answers with an output
// tree or a ServiceError; the server serializes either in the protocol's wire format.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"
#include "cloud/core/service_error.h"

namespace cf::cloud {

// Who signed the request: the resolved credential.
struct CallerIdentity {
  std::string access_key_id;
  std::string account_id;  // "000000000000"
  std::string arn;         // "arn:aws:iam::000000000000:root" or an assumed-role session ARN.
  std::string user_id;     // "AIDA..." for users, "AROA...:session" for assumed roles.
};

struct ServiceCall {
  std::string service;    // signing name: "sts", "ec2", "iam", "dynamodb", ...
  std::string operation;  // model operation name: "GetCallerIdentity".
  Json input = Json::object();
  std::string account_id;  // the caller's account.
  std::string region;      // from the credential scope: "us-east-1".
  std::string request_id;  // a UUID, echoed in the response.
  CallerIdentity caller;
};

// One AWS service. Implementations must be thread-safe: the server calls Handle from several
// threads at once.
class Service {
 public:
  virtual ~Service() = default;
  // The signing name the service answers to ("sts").
  virtual std::string name() const = 0;
  // True when `operation` is implemented; the server answers the protocol's unknown-operation
  // error otherwise, without calling Handle.
  virtual bool HasOperation(const std::string& operation) const = 0;
  virtual ServiceResult Handle(const ServiceCall& call) = 0;
  // Drops whatever state the service keeps outside the shared Store (which the server clears
  // itself on reset). Most services keep none.
  virtual Status Reset() { return OkStatus(); }
  // The largest request body this service accepts, in bytes; 0 means the server's limit.
  // Bodies are held in memory whole, so a service raises this only when its API needs it
  // (S3 objects).
  virtual uint64_t MaxRequestBodyBytes() const { return 0; }
};

// Services by signing name. Not thread-safe while registering; read-only afterwards.
class ServiceRegistry {
 public:
  // Replaces any service of the same name.
  void Register(std::unique_ptr<Service> service);
  // Null when there is none.
  Service* Find(const std::string& name) const;
  // The signing names, sorted.
  std::vector<std::string> Names() const;
  // Calls Reset on every service; the first failure is returned after trying all.
  Status ResetAll();

 private:
  std::map<std::string, std::unique_ptr<Service>> services_;
};

}  // namespace cf::cloud
