#pragma once

// The local cloud's request pipeline, independent of sockets (HttpServer calls it):
//   /_clusterform/... and /_wekasim/... (the WEKA simulator) -> the AdminApi
//   otherwise: read the SigV4 credential scope (no auth -> MissingAuthenticationToken) ->
//   the service it names and its wire protocol (unknown -> InvalidAction /
//   UnknownOperationException) -> authenticate -> parse the operation and input -> the fault
//   profile (latency, throttling, 500, 503, dropped connection) -> Service::Handle ->
//   serialize the output or error in the protocol's format.
// Every answer carries a fresh request id (x-amzn-RequestId, and in the body where the
// protocol puts it).

#include <string>

#include "base/logging.h"
#include "cloud/authenticator.h"
#include "cloud/core/ids.h"
#include "cloud/core/service.h"
#include "cloud/faults.h"
#include "cloud/http_server.h"
#include "cloud/wire_protocol.h"

namespace cf::cloud {

// Answers /_clusterform/... requests. Thread-safe.
class AdminApi {
 public:
  virtual ~AdminApi() = default;
  virtual HttpResponse Handle(const HttpRequest& request) = 0;
};

// Thread-safe; everything referenced outlives it.
class CloudHandler : public HttpHandler {
 public:
  CloudHandler(const ServiceRegistry& services, const ProtocolTable& protocols,
               const Authenticator& authenticator, FaultInjector& faults, IdGenerator& ids,
               AdminApi& admin, Logger& logger)
      : services_(services),
        protocols_(protocols),
        authenticator_(authenticator),
        faults_(faults),
        ids_(ids),
        admin_(admin),
        logger_(logger) {}

  HttpResponse Handle(const HttpRequest& request) override;
  HttpResponse Reject(const HttpRequest& request, int status, std::string_view code,
                      std::string_view message) override;
  // The named service's MaxRequestBodyBytes when it is larger than the server's limit.
  uint64_t MaxBodyBytes(const HttpRequest& request, uint64_t server_limit) override;

 private:
  const ServiceRegistry& services_;
  const ProtocolTable& protocols_;
  const Authenticator& authenticator_;
  FaultInjector& faults_;
  IdGenerator& ids_;
  AdminApi& admin_;
  Logger& logger_;
};

// The error a protocol family uses for an operation it does not know.
ServiceError UnknownOperationError(ProtocolFamily family, const std::string& service,
                                   const std::string& operation);

}  // namespace cf::cloud
