#pragma once

// The WEKA simulator as the local cloud runs it (docs/wekasim.md): the cluster model, kept in
// the Store ("wekasim/machine" by instance id, "wekasim/cluster" by guid) so a restart keeps
// it, behind the three ways in:
//  - Run: one command of an instance (`weka ...`, and the simulated OS commands lsblk,
//    lscpu, mkfs.ext4, mount, yum, weka_sign_drive, hostname -I), as the client script that
//    the installer puts at $ROOT/usr/local/bin/weka sends it to /_wekasim/v1/exec;
//  - Rpc: WEKA's JSON-RPC 2.0 (POST /api/v1) on an instance's private address, port 14000;
//  - the installer script (/_wekasim/dist/v1/install/<version>, and /dist/v1/install on a
//    backend's port 14000).
// Instances are identified by their id (CLUSTERFORM_INSTANCE_ID); what EC2 knows of them
// (type, address, the EBS volume at /dev/sdp, the instance store) is read from the Store.
//
// Thread-safe: one mutex serializes the model. The endpoint binder is called outside it.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "cloud/core/store.h"
#include "cloud/wekasim/cluster_model.h"

namespace cf::cloud::wekasim {

// Opens and closes an instance's port 14000 (the server implements it with HttpServer on
// the instance's private address). Called without WekaSim's lock held.
class EndpointBinder {
 public:
  virtual ~EndpointBinder() = default;
  // Idempotent: a second Open of an open endpoint changes nothing.
  virtual Status Open(const std::string& instance_id, const std::string& private_ip) = 0;
  virtual void Close(const std::string& instance_id) = 0;
};

struct CommandRequest {
  std::string instance_id;
  std::vector<std::string> argv;  // argv[0] is the program's name: "weka", "lsblk", ...
  // WEKA_USERNAME / WEKA_PASSWORD from the caller's environment ("" when unset).
  std::string username;
  std::string password;
};

struct CommandOutput {
  int exit_code = 0;
  std::string out;
  std::string err;
};

struct RpcAnswer {
  int http_status = 200;
  std::string body;  // JSON
};

class WekaSim {
 public:
  // Everything referenced outlives the simulator. `random_hex(n)`: n random hex characters.
  WekaSim(Store& store, const Clock& clock, std::function<std::string(size_t)> random_hex);

  // Reads the persisted model (after a restart).
  Status Load();
  // Drops the model (the local cloud's reset; the Store is cleared by its owner).
  void Reset();
  void SetBinder(EndpointBinder* binder);
  // Whether `token` is the value of a get_weka_io_token secret (the installer's 401).
  void SetTokenChecker(std::function<bool(const std::string& token)> checker);

  CommandOutput Run(const CommandRequest& request);
  // A JSON-RPC request that reached `private_ip`:14000 with that Authorization header.
  RpcAnswer Rpc(const std::string& private_ip, std::string_view authorization,
                std::string_view body);
  // The installer, or PermissionDenied (401) when `token` is not accepted. `token_required`
  // is false for the agent download from a backend's port 14000.
  Result<std::string> Installer(const std::string& version, const std::string& token,
                                bool token_required);

  // The instance's process group started again / ended: containers come back UP / go DOWN,
  // and its port 14000 opens / closes.
  void InstanceBooted(const std::string& instance_id);
  void InstanceEnded(const std::string& instance_id);

  // Fault injection (admin API): a drive fails; a machine's containers go DOWN.
  Status FailDrive(const std::string& cluster_guid, int drive_id);
  Status FailMachine(const std::string& instance_id);

  // What the admin API lists: every cluster's status and hosts.
  Json Describe();

 private:
  struct Pending;  // endpoint changes to make once the lock is released
  // The machine of an instance, registered from its EC2 record when first seen. NotFound for
  // an instance EC2 does not know.
  Result<Machine*> MachineOf(const std::string& instance_id);
  Status Save();
  // The machine's containers come back (up) or go DOWN, and its endpoint follows.
  void Lifecycle(const std::string& instance_id, bool up);
  void Sync(const Machine& machine, std::vector<std::pair<std::string, std::string>>& open,
            std::vector<std::string>& close);
  void Apply(const std::vector<std::pair<std::string, std::string>>& open,
             const std::vector<std::string>& close);

  CommandOutput RunWeka(Machine& machine, const CommandRequest& request);
  CommandOutput RunOs(Machine& machine, const CommandRequest& request);
  Json RpcCall(const std::string& private_ip, std::string_view authorization, const Json& call,
               int& http_status);

  Store& store_;
  std::mutex mu_;
  ClusterModel model_;             // guarded by mu_
  std::set<std::string> serving_;  // instances whose endpoint is open; guarded by mu_
  // What the Store holds, by "<ns>/<key>": Save writes only what changed. Guarded by mu_.
  std::map<std::string, std::string> saved_;
  EndpointBinder* binder_ = nullptr;
  std::function<bool(const std::string&)> token_checker_;
};

// The scripts served and installed (scripts.cc).
// The installer: writes the client as $ROOT/usr/local/bin/weka (with wapi and manhole
// beside it and $ROOT/weka/tools/weka_sign_drive), the machine's /sys CPU topology under
// $ROOT/sys, and registers the installation.
std::string InstallerScript(const std::string& version);
// The client every simulated command runs: bash + curl to ${AWS_ENDPOINT_URL}/_wekasim/v1/exec.
std::string ClientScript();
// The simulated OS commands for <data dir>/bin: name -> script.
std::vector<std::pair<std::string, std::string>> ShimScripts();

}  // namespace cf::cloud::wekasim
