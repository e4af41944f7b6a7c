#pragma once

// Where the local cloud's instances run (docs/local-cloud.md, "Instances"). Each booted
// instance has:
//  - a directory ROOT/INSTANCE_ID/ (its disk): user-data, init.sh, console.log, and
//    instance-store/ with one sparse file per instance-store disk of its type;
//  - a metadata service (ImdsHandler) on its private address, port 80 when that can be bound,
//    otherwise a free port; the endpoint is in the environment either way;
//  - a process group: bash runs init.sh, which on first boot runs the user data (a `#!`
//    script with its own interpreter, anything else with bash) with stdout and stderr
//    appended to console.log, then stays up (`sleep infinity`) until the instance is stopped,
//    terminated or killed.
// ROOT/bin/aws, first on every instance's PATH, runs /usr/bin/aws with --endpoint-url
// $AWS_ENDPOINT_URL (Debian's AWS CLI is older than the variable; newer CLIs and SDKs read it
// themselves).
// The environment is exactly: PATH (the instance's own DIR/usr/local/bin first, where the WEKA
// simulator's installer puts `weka`; then ROOT/bin), HOME (the directory), LANG,
// AWS_ENDPOINT_URL (the local cloud), AWS_EC2_METADATA_SERVICE_ENDPOINT (its IMDS),
// AWS_DEFAULT_REGION and AWS_REGION, CLUSTERFORM_INSTANCE_ID, CLUSTERFORM_PRIVATE_IP (the
// address services should bind) and CLUSTERFORM_INSTANCE_ROOT (the directory: scripts prefix
// the absolute paths they write with it, docs/wekasim.md).
// No access keys: clients inside find the role's credentials through IMDS, as on EC2.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cloud/core/context.h"
#include "cloud/ec2/instance_runtime.h"
#include "cloud/instance_process.h"

namespace cf::cloud {

struct InstanceHostOptions {
  std::string root_dir;     // required: instances' directories go below it
  uint16_t imds_port = 80;  // tried first; a free port when it cannot be bound; 0: free port
};

// Told when an instance's process group starts (Boot) and ends (Halt, Kill, HaltAll); called
// without the host's lock held, possibly from several threads.
class InstanceObserver {
 public:
  virtual ~InstanceObserver() = default;
  virtual void InstanceStarted(const std::string& instance_id) = 0;
  virtual void InstanceEnded(const std::string& instance_id) = 0;
};

// What the host knows of one instance (admin API, tests).
struct HostedInstance {
  std::string instance_id;
  std::string private_ip;
  std::string directory;
  std::string metadata_endpoint;  // "http://127.31.0.4:80/" or "" when disabled
  int pid = 0;
  bool alive = false;
};

// Thread-safe. Everything referenced outlives the host.
class InstanceHost : public ec2::InstanceRuntime {
 public:
  InstanceHost(const ServiceContext& context, ProcessLauncher& launcher,
               InstanceHostOptions options);
  ~InstanceHost();  // halts every instance
  InstanceHost(const InstanceHost&) = delete;
  InstanceHost& operator=(const InstanceHost&) = delete;

  // The URL instances reach the local cloud at ("http://127.0.0.1:4566"); set once the
  // server listens, before any Boot.
  void SetCloudEndpoint(std::string url);
  // Writes the latency profile's time scale where the instances' `sleep` reads it
  // (<root_dir>/time_scale); Boot does it too, call it again when the profile changes.
  Status WriteTimeScale();
  // The observer (may be null) must outlive its registration.
  void SetObserver(InstanceObserver* observer);

  // Starts the instance's metadata service and process group, halting any previous ones of
  // the same instance first. An error (directory, bind, spawn) leaves nothing running.
  Status Boot(const ec2::BootSpec& spec) override;
  // Ends the process group and the metadata service (stop, terminate). OK when not hosted.
  void Halt(const std::string& instance_id) override;
  // Fault injection: SIGKILL to the instance's process group; its metadata service stays up
  // (the hypervisor's). NotFound when the instance is not hosted or already dead.
  Status Kill(const std::string& instance_id) override;
  // nullopt when the instance is not hosted (never booted here, or halted); otherwise whether
  // its process group's leader still runs.
  std::optional<bool> Alive(const std::string& instance_id) override;
  // The console output so far (at most the last 64 KiB), "" when there is none.
  std::string ConsoleOutput(const std::string& instance_id) const override;
  std::string Directory(const std::string& instance_id) const;
  std::vector<HostedInstance> List();
  void HaltAll();

 private:
  struct Hosted;
  ServiceContext context_;
  ProcessLauncher& launcher_;
  const InstanceHostOptions options_;
  std::mutex time_scale_mu_;  // serializes WriteTimeScale
  mutable std::mutex mu_;
  std::string cloud_endpoint_;                             // guarded by mu_
  InstanceObserver* observer_ = nullptr;                   // guarded by mu_
  std::map<std::string, std::unique_ptr<Hosted>> hosted_;  // guarded by mu_
};

}  // namespace cf::cloud
