#pragma once

// An AWS service model: the botocore service-2.json tree (metadata, operations, shapes) plus
// its waiters-2.json and paginators-1.json, with lookups the codecs and the client need.
// Shapes stay JSON objects exactly as botocore writes them; the codecs read their traits
// (type, members, locationName, flattened, timestampFormat, ...) directly, so a model given
// at run time (a conformance suite's shapes) works the same as an embedded one.

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cf::aws {

enum class Protocol { kEc2, kQuery, kJson, kRestJson, kRestXml };

// "ec2", "query", "json", "rest-json", "rest-xml"; anything else is InvalidArgument.
Result<Protocol> ParseProtocol(std::string_view name);
std::string_view ProtocolName(Protocol protocol);

struct Operation {
  std::string name;
  std::string http_method = "POST";
  std::string request_uri = "/";  // may hold {Label} / {Label+} and a constant "?query"
  int response_code = 200;
  // The "input" / "output" references ({"shape": ..., plus traits such as locationName,
  // xmlNamespace, resultWrapper}); null when the operation has none.
  nlohmann::json input;
  nlohmann::json output;
  std::vector<std::string> errors;  // error shape names
  std::string host_prefix;          // endpoint.hostPrefix, labels unresolved ("{Id}.data.")
  nlohmann::json definition;        // the whole operation object
};

class ServiceModel {
 public:
  // Builds a model from a service-2.json tree. `waiters` and `paginators` are the
  // waiters-2.json / paginators-1.json trees, or null. InvalidArgument when the tree lacks
  // metadata.protocol, an operation is malformed, or a shape reference dangles from an
  // operation.
  static Result<std::unique_ptr<ServiceModel>> FromJson(nlohmann::json service,
                                                        nlohmann::json waiters = nullptr,
                                                        nlohmann::json paginators = nullptr);

  Protocol protocol() const { return protocol_; }
  const nlohmann::json& metadata() const { return metadata_; }
  // metadata.endpointPrefix ("ec2", "elasticloadbalancing", ...), "" when absent.
  std::string endpoint_prefix() const;
  // metadata.signingName, else endpointPrefix.
  std::string signing_name() const;
  std::string api_version() const;

  // NotFound "unknown operation ec2.Foo" when there is no such operation.
  Result<const Operation*> FindOperation(std::string_view name) const;
  const std::map<std::string, Operation, std::less<>>& operations() const { return operations_; }

  // The shape object called `name`, or nullptr.
  const nlohmann::json* FindShape(std::string_view name) const;
  const nlohmann::json& shapes() const { return shapes_; }

  // waiters-2.json's "waiters" object ({} when the service has none) and one waiter in it
  // (NotFound when absent).
  const nlohmann::json& waiters() const { return waiters_; }
  Result<const nlohmann::json*> FindWaiter(std::string_view name) const;
  // paginators-1.json's "pagination" object ({} when none) and the entry for an operation
  // (NotFound when the operation does not paginate).
  const nlohmann::json& paginators() const { return paginators_; }
  Result<const nlohmann::json*> FindPaginator(std::string_view operation) const;

 private:
  ServiceModel() = default;

  Protocol protocol_ = Protocol::kJson;
  nlohmann::json metadata_;
  nlohmann::json shapes_;
  nlohmann::json waiters_;
  nlohmann::json paginators_;
  std::map<std::string, Operation, std::less<>> operations_;
};

// Parses one operation object (as found in service-2.json's "operations", or a conformance
// case's "given").
Result<Operation> ParseOperation(const nlohmann::json& definition);

}  // namespace cf::aws
