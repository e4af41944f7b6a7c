#pragma once

// The local cloud, assembled: the SQLite store under the data directory, the credential
// table, every service, the wire protocols, authentication, the fault profile, the admin API
// and the HTTP server. `clusterform cloud start` runs one; tests run one in-process on port 0.
//
// Data directory layout (docs/local-cloud.md): cloud.db (+ -wal, -shm), config.json
// (optional, read at start), cloud.pid and cloud.ready (written by the CLI's daemon code),
// instances/INSTANCE_ID/ (each instance's disk; a temporary folder when there is no data
// directory).
//
// Admin API additions for instances: GET /_clusterform/instances lists the instances running
// here (id, private_ip, pid, alive, metadata_endpoint, directory); POST
// /_clusterform/instances/ID/kill kills one's process group (fault injection: EC2 keeps it
// "running", DescribeInstanceStatus reports it impaired, an autoscaling group replaces it).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/logging.h"
#include "base/status.h"
#include "cloud/authenticator.h"
#include "cloud/core/credentials.h"
#include "cloud/faults.h"
#include "cloud/wire_protocol.h"

namespace cf::cloud {

struct CloudOptions {
  std::string data_dir;  // empty: state in memory only (tests)
  uint16_t port = 4566;  // 0: any free port
  int threads = 2;
  uint64_t max_body_bytes = 16 * 1024 * 1024;
  // Accepted in addition to the default test/test key.
  std::vector<Credential> credentials;
  FaultProfile faults;
  // The port each instance's metadata service listens on at its private address; when it
  // cannot be bound (another local cloud, no privilege) a free port is used instead. 0: always
  // a free port. Instances learn theirs from AWS_EC2_METADATA_SERVICE_ENDPOINT.
  uint16_t imds_port = 80;
  // Seeds identifiers and fault draws: a seeded cloud is repeatable. Unseeded: random.
  std::optional<uint64_t> seed;
};

// Applies a configuration file's JSON over `options` (docs/local-cloud.md, "Configuration"):
// {"port", "threads", "max_body_bytes", "seed", "imds_port", "credentials": [{"access_key_id",
// "secret_access_key", "account_id", "user_name"}], "faults": {...}}. InvalidArgument naming
// the bad member.
Status ApplyCloudConfig(const nlohmann::json& config, CloudOptions& options);

// Reads `path` (JSON) into `options`; a missing file changes nothing.
Status LoadCloudConfigFile(const std::string& path, CloudOptions& options);

class CloudServer {
 public:
  // Opens the store, registers the services and starts serving. `clock` and `logger` must
  // outlive the server. `protocols` and `authenticator` replace the real ones (tests); null
  // means the model-driven codecs and the SigV4 verifier.
  static Result<std::unique_ptr<CloudServer>> Start(
      CloudOptions options, const Clock& clock, Logger& logger,
      std::unique_ptr<ProtocolTable> protocols = nullptr,
      std::unique_ptr<Authenticator> authenticator = nullptr);
  ~CloudServer();  // Stops.

  uint16_t port() const;
  const CloudOptions& options() const;
  // Stops serving (idempotent); the state stays in the data directory.
  void Stop();
  // Blocks until Stop() is called from another thread or RequestStop().
  void Wait();
  // Makes Wait() return (safe from any thread).
  void RequestStop();

 private:
  struct Impl;
  explicit CloudServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Where the data lives when --data-dir is not given: $CLUSTERFORM_CLOUD_DIR, else
// $HOME/.clusterform/cloud.
std::string DefaultDataDir();

// The SQLite database inside a data directory.
std::string DatabasePath(const std::string& data_dir);

}  // namespace cf::cloud
