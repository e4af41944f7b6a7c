#pragma once

// The WEKA simulator's HTTP side (docs/wekasim.md), in the local cloud's server:
//  - on the local cloud's endpoint, under /_wekasim/:
//      POST /_wekasim/v1/exec                 one command of an instance (the `weka` client:
//                                             NUL-separated argv; X-Wekasim-Instance names the
//                                             instance). The answer's body is a line
//                                             "wekasim-exit CODE STDOUT-BYTES", then stdout,
//                                             then stderr; X-Wekasim-Exit and
//                                             X-Wekasim-Stdout-Bytes say the same.
//      GET  /_wekasim/dist/v1/install/<ver>   the installer; the get.weka.io token comes as
//                                             HTTP Basic user name (curl -u "$TOKEN:" or
//                                             http://$TOKEN@host/...): 401 when it is not the
//                                             value of a get_weka_io_token secret.
//      GET  /_wekasim/v1/clusters             every simulated cluster (status, hosts, drives).
//      POST /_wekasim/v1/faults               {"fail_drive": {"cluster", "drive_id"}} or
//                                             {"fail_machine": "<instance-id>"}.
//  - per running WEKA machine, on <private-ip>:14000: POST /api/v1 (JSON-RPC 2.0) and
//    GET /dist/v1/install (the agent installer, no token), opened and closed by the simulator
//    as the machine's containers start and stop.
// Thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/logging.h"
#include "cloud/http_server.h"
#include "cloud/instance_host.h"
#include "cloud/wekasim/wekasim.h"

namespace cf::cloud {

class WekaSimHttp : public wekasim::EndpointBinder, public InstanceObserver {
 public:
  // `sim` and `logger` outlive this. `rpc_port` is 14000 except in tests that cannot bind it.
  WekaSimHttp(wekasim::WekaSim& sim, Logger& logger, uint16_t rpc_port = 14000);
  ~WekaSimHttp() override;  // closes every endpoint

  // Requests whose path starts with /_wekasim/.
  HttpResponse Handle(const HttpRequest& request);

  Status Open(const std::string& instance_id, const std::string& private_ip) override;
  void Close(const std::string& instance_id) override;
  void CloseAll();

  void InstanceStarted(const std::string& instance_id) override;
  void InstanceEnded(const std::string& instance_id) override;

 private:
  class RpcHandler;
  struct Endpoint {
    std::unique_ptr<RpcHandler> handler;
    std::unique_ptr<HttpServer> server;
  };
  wekasim::WekaSim& sim_;
  Logger& logger_;
  const uint16_t rpc_port_;
  std::mutex mu_;
  std::map<std::string, Endpoint> endpoints_;  // by instance id; guarded by mu_
};

}  // namespace cf::cloud
