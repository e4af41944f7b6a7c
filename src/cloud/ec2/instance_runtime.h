#pragma once

// What the EC2 service needs to make an instance run: the seam between the API (records in
// the Store, states, addresses) and the machine (process groups, metadata services). The
// server's implementation is cloud::InstanceHost (src/cloud/instance_host.h); tests use
// FakeInstanceRuntime (fake_instance_runtime.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf::cloud::ec2 {

struct InstanceStoreDisk {
  std::string device;  // "nvme1n1"
  int64_t size_gb = 0;
};

struct BootSpec {
  std::string region;
  std::string instance_id;
  std::string private_ip;        // inside 127.0.0.0/8
  std::string user_data;         // the decoded bytes; empty when none
  bool run_user_data = true;     // first boot only (EC2 runs user data once)
  bool metadata_enabled = true;  // MetadataOptions.HttpEndpoint
  std::vector<InstanceStoreDisk> instance_store;
};

// Thread-safe.
class InstanceRuntime {
 public:
  virtual ~InstanceRuntime() = default;
  // Starts the instance (its metadata service and workload), replacing a previous boot of the
  // same instance. An error leaves nothing of it running.
  virtual Status Boot(const BootSpec& spec) = 0;
  // Ends the instance's workload and metadata service (stop, terminate). OK when not running.
  virtual void Halt(const std::string& instance_id) = 0;
  // Fault injection: the workload dies at once (SIGKILL to its process group).
  // NotFound when the instance is not running here.
  virtual Status Kill(const std::string& instance_id) = 0;
  // nullopt when the instance is not hosted (never booted by this runtime, or halted);
  // otherwise whether its workload still runs.
  virtual std::optional<bool> Alive(const std::string& instance_id) = 0;
  // The console output so far (the last 64 KiB at most); "" when none.
  virtual std::string ConsoleOutput(const std::string& instance_id) const = 0;
};

}  // namespace cf::cloud::ec2
