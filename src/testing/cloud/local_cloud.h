#pragma once

// LocalCloudForTest: one local cloud per test case, for the tests that run real components
// against it (the AWS CLI, the clusterform binary, instances, Lambda functions).
//
// - It runs in-process (cloud::CloudServer on 127.0.0.1, any free port) or as a child
//   (`clusterform cloud start --port 0 --data-dir DIR --config FILE`, the daemon a user
//   starts), with its data directory in a fresh temporary directory.
// - The faults profile's time scale is set at start (`time_scale`).
// - Each test case gets its own 127.X.0.0/16 range (`range()`): ctest runs each case in its
//   own process, in parallel, and two cases whose simulated backends shared addresses answered
//   each other's calls. The range starts from a hash of the case's name and is claimed with
//   a lock file (flock on /tmp/clusterform-test-ranges/127.X), so no two live test processes
//   hold the same one.
// - `Stop()` (also run by the destructor) stops the cloud, then looks for every process the
//   cloud started (instances, the daemons their scripts left, Lambda bootstraps: each has
//   AWS_ENDPOINT_URL naming this cloud in its environment), kills the process groups of any
//   still alive, and returns what it found, so a test can assert that nothing was left.
//
// Not thread-safe: one test thread drives it.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/client.h"
#include "aws/models.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "base/logging.h"
#include "base/status.h"

namespace cf::cloud {
class CloudServer;
}

namespace cf {

struct LocalCloudOptions {
  // Empty: in-process. Otherwise the `clusterform` binary started as `cloud start`.
  std::string clusterform_binary;
  // The faults profile's time_scale (1: real time).
  double time_scale = 1.0;
  int threads = 4;
  // Attempts per call of client() (the standard retry strategy's).
  int max_attempts = 3;
  // The prefix of the temporary directory's name.
  std::string name = "cf_local_cloud";
};

// The loopback range a test case may use: 127.<octet>.0.0/16.
struct LoopbackRange {
  int octet = 0;
  // "127.<octet>.<third>.0/<bits>" (bits 16: the whole range).
  std::string Cidr(int third, int bits = 24) const;
  // "127.<octet>.0.0/16".
  std::string Whole() const;
};

// A process the cloud started that was still alive after the cloud stopped.
struct LeftoverProcess {
  pid_t pid = 0;
  std::string command_line;
};

class LocalCloudForTest {
 public:
  static Result<std::unique_ptr<LocalCloudForTest>> Start(LocalCloudOptions options = {});
  // Stop(), then removes the temporary directory (kept, and named on stderr, when the test
  // has failed).
  ~LocalCloudForTest();
  LocalCloudForTest(const LocalCloudForTest&) = delete;
  LocalCloudForTest& operator=(const LocalCloudForTest&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT".
  std::string endpoint() const;
  // The temporary directory (the data directory is data_dir() inside it); removed at the end.
  const std::string& root() const { return root_; }
  std::string data_dir() const;
  const LoopbackRange& range() const { return range_; }

  // The environment a `clusterform` or `aws` child needs to talk to this cloud: endpoint,
  // the default test key, region us-east-1, HOME inside root(), PATH, CHECKPOINT_DISABLE=1.
  std::map<std::string, std::string> CliEnvironment() const;

  // A client to the cloud with the default test key (region us-east-1, one attempt).
  aws::Client& client() { return *client_; }
  // client().Call, with a gtest failure naming the operation when it fails.
  nlohmann::json Call(const std::string& service, const std::string& operation,
                      const nlohmann::json& params);

  // Stops the cloud and starts it again on the same data directory and port range (the
  // port may change). Every process the first one left is killed and reported as Stop does.
  Result<std::vector<LeftoverProcess>> Restart();

  // Stops the cloud (idempotent), then kills and returns every process it started that is
  // still alive. Empty when everything ended with the cloud.
  std::vector<LeftoverProcess> Stop();

  // Processes alive now whose environment names this cloud's endpoint.
  std::vector<LeftoverProcess> ProcessesOfThisCloud() const;

 private:
  explicit LocalCloudForTest(LocalCloudOptions options);
  Status Launch();

  LocalCloudOptions options_;
  std::string root_;
  LoopbackRange range_;
  int range_lock_fd_ = -1;
  uint16_t port_ = 0;
  pid_t daemon_pid_ = 0;  // child mode
  bool running_ = false;

  SystemClock clock_;
  NullLogger logger_;
  std::unique_ptr<cloud::CloudServer> server_;  // in-process mode
  aws::Models models_;
  aws::CurlTransport transport_;
  aws::SystemRandomSource random_;
  std::unique_ptr<aws::StaticCredentialsProvider> credentials_;
  std::unique_ptr<aws::Client> client_;
};

// The test case running now, "Suite.Name" (parameterised names included).
std::string CurrentTestName();

// What a child command printed and how it ended.
struct ChildOutput {
  int code = -1;  // the exit code; 128 + N when killed by signal N; -1 when it did not start
  std::string out;
  std::string err;  // or why it did not start or finish
};

// Runs `binary args...` with exactly `environment` and waits at most `timeout`.
ChildOutput RunChild(const std::string& binary, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& environment,
                     std::chrono::seconds timeout);

}  // namespace cf
