#pragma once

// The local cloud, assembled: the SQLite store under the data directory, the credential
// table, every service, the wire protocols, authentication, the fault profile, the admin API
// and the HTTP server. `clusterform cloud start` runs one; tests run one in-process on port 0.
//
// Data directory layout (docs/local-cloud.md): cloud.db (+ -wal, -shm), config.json
// (optional, read at start), cloud.pid and cloud.ready (written by the CLI's daemon code).

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
  // Seeds identifiers and fault draws: a seeded cloud is repeatable. Unseeded: random.
  std::optional<uint64_t> seed;
};

// Applies a configuration file's JSON over `options` (docs/local-cloud.md, "Configuration"):
// {"port", "threads", "max_body_bytes", "seed", "credentials": [{"access_key_id",
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
