#pragma once

// The WEKA simulator's cluster model (docs/wekasim.md): what a real WEKA cluster knows of its
// machines, and the rules it enforces, without any WEKA software. Nothing here is WEKA code:
// it is a stand-in, and every answer built from it is labelled as a simulator (kRelease,
// "simulator": true).
//
// Machines are EC2 instances that ran the installer; each has local containers (`weka local
// setup container`). `weka cluster create` turns the named containers into hosts of a new
// cluster; later containers join it with --join-ips. Host ids, drive ids and node ids are
// allocated per cluster and never reused; node NodeId<host*20> is a host's management node
// (WEKA's convention: a management node's id is a multiple of 20).
//
// The rules (refusals are InvalidArgument or Conflict with the text the `weka` command and the
// JSON-RPC error print):
//  - a drive can be added only for a device the machine has, once, to a drives container;
//  - the stripe (data + parity drives) and hot spares must fit the failure domains that have
//    active drives; start-io needs them;
//  - a deactivation (drives or hosts) that would leave fewer failure domains with active
//    drives than the stripe width, or less usable capacity than the filesystems provision,
//    is refused, as WEKA refuses it;
//  - a host can be removed only once INACTIVE, a drive only once INACTIVE;
//  - a machine whose instance ends has its hosts DOWN (nodes DOWN, fenced), then its drives
//    INACTIVE; when it boots again they come back UP and ACTIVE.
//
// Not thread-safe: the owner (WekaSim) serializes calls. Times come from the Clock given.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace cf::cloud::wekasim {

using Json = nlohmann::json;

// The release every answer reports: a simulator, not WEKA's software.
inline constexpr char kRelease[] = "4.4.10-clusterform-sim";

// A block device of a simulated machine.
struct Device {
  std::string path;    // "/dev/nvme1n1", "/dev/xvdp"
  std::string model;   // "Amazon EC2 NVMe Instance Storage", "Amazon Elastic Block Store"
  std::string serial;  // the EBS volume id without dashes; "AWS" + hex for instance store
  int64_t size_bytes = 0;
  bool instance_store = false;
};

// What the EC2 record says about an instance.
struct MachineInfo {
  std::string instance_id;
  std::string private_ip;
  std::string instance_type;
  int vcpus = 2;
  int64_t memory_bytes = 0;
  std::vector<Device> devices;
};

struct LocalContainer {
  std::string name;  // "drives0", "compute0", "frontend0", "client", "default"
  int base_port = 14000;
  int cores = 0;
  int drive_cores = 0;
  int compute_cores = 0;
  int frontend_cores = 0;
  std::string memory;          // as given ("30GB"), "" when not
  std::string failure_domain;  // "" when not given (the machine is its own domain)
  std::string net = "udp";
  bool running = false;
  bool client = false;  // a client container (mounts), not a backend
};

struct Machine {
  MachineInfo info;
  bool installed = false;
  std::string version;  // what the installer was asked for
  std::vector<LocalContainer> containers;
  std::string cluster;                        // guid, "" when not a member
  std::vector<std::string> signed_devices;    // weka_sign_drive
  std::map<std::string, std::string> mounts;  // mount point -> source ("/dev/xvdp")
  std::map<std::string, std::string> labels;  // device -> ext4 label (mkfs.ext4)
  bool alive = true;                          // its instance's process group runs
  std::string login_user;                     // `weka user login`
};

struct Host {
  int id = 0;
  std::string instance_id;
  std::string container_name;
  std::string hostname;  // "<instance-id>-drives0"
  std::string ip;
  int port = 14000;
  std::string mode = "backend";  // or "client"
  std::string state = "ACTIVE";  // ACTIVE, DEACTIVATING, INACTIVE, REMOVING
  std::string status = "UP";     // UP, DOWN, DEGRADED, INACTIVE
  int64_t added_ms = 0;
  int64_t state_changed_ms = 0;
  std::string failure_domain;
  int cores = 0;
  int drive_cores = 0;
  int compute_cores = 0;
  int frontend_cores = 0;
  std::string memory;
};

struct Drive {
  int id = 0;
  std::string uuid;
  int host_id = -1;  // -1: the host was removed (HostId<INVALID>)
  std::string device;
  std::string serial;
  int64_t size_bytes = 0;
  std::string status = "ACTIVE";  // ACTIVE, INACTIVE
  bool should_be_active = true;
  int64_t added_ms = 0;
};

struct Node {
  int id = 0;
  int host_id = 0;
  std::string role;  // MANAGEMENT, DRIVES, COMPUTE, FRONTEND
  std::string status = "UP";
  int64_t up_since_ms = 0;
  int64_t fenced_ms = 0;  // 0: never fenced (null)
};

struct User {
  std::string name;
  std::string role;  // ClusterAdmin, OrgAdmin, Regular, ReadOnly, S3
  std::string password_sha256;
};

struct Token {
  std::string user;
  std::string refresh;
  int64_t expires_ms = 0;
};

struct Filesystem {
  std::string name;
  std::string group;
  int64_t total_bytes = 0;
  std::string obs;  // attached object store bucket, "" when none
};

struct Event {
  int64_t ms = 0;
  std::string type;  // "CustomEvent", "ClusterCreated", ...
  std::string text;
};

struct Cluster {
  std::string guid;
  std::string name;
  int64_t created_ms = 0;
  std::string io_status = "STOPPED";
  int64_t io_status_changed_ms = 0;
  int data_drives = 0;    // 0: not set yet
  int parity_drives = 0;  // 0: not set yet
  int hot_spare = 0;
  int next_host = 0;
  int next_drive = 0;
  std::vector<Host> hosts;
  std::vector<Drive> drives;
  std::vector<Node> nodes;
  std::vector<User> users;
  std::map<std::string, Token> tokens;  // access token -> who
  std::vector<std::string> fs_groups;
  std::vector<Filesystem> filesystems;
  std::vector<Json> obs;  // `weka fs tier s3 add` records
  std::vector<Event> events;
  std::vector<std::string> muted_alerts;
  bool cloud_enabled = false;
  std::string cloud_proxy;
  std::string nfs_config_fs;
  std::string dataservice_config_fs;
};

struct Capacity {
  int64_t raw_bytes = 0;  // every active drive
  int64_t total_bytes = 0;
  int64_t hot_spare_bytes = 0;
  int64_t provisioned_bytes = 0;
  int64_t unprovisioned_bytes = 0;
};

// The tokens user_login hands out.
struct LoginTokens {
  std::string access_token;
  std::string refresh_token;
  int expires_in = 0;  // seconds
};

class ClusterModel {
 public:
  // `clock` must outlive the model; `random_hex(n)` gives n random hex characters (ids, uuids,
  // tokens; a seeded source makes a run repeatable).
  ClusterModel(const Clock& clock, std::function<std::string(size_t)> random_hex);

  // --- machines ---
  // Adds the machine or refreshes what EC2 says of it (type, address, devices).
  Machine& EnsureMachine(const MachineInfo& info);
  Machine* FindMachine(const std::string& instance_id);
  // The machine with that private address, nullptr when none.
  Machine* FindMachineByIp(const std::string& ip);
  // The installer ran: `weka` is there, with a "default" container (as WEKA's installer
  // leaves one), stopped.
  void Install(Machine& machine, const std::string& version);
  // `weka local setup container`: a new running container. With `join_ips`, it joins the
  // cluster one of those addresses belongs to (NotFound when none answers). Conflict when
  // a container of that name exists.
  Status SetupContainer(Machine& machine, LocalContainer container,
                        const std::vector<std::string>& join_ips);
  // `weka local stop [name]` / `weka local start [name]` (empty: all).
  Status SetRunning(Machine& machine, const std::string& name, bool running);
  // `weka local rm NAME|--all [--force]`; a missing name is NotFound unless `force`.
  Status RemoveContainer(Machine& machine, const std::string& name, bool force);
  // The instance's process group ended (terminate, stop, kill) or booted again.
  void MachineEnded(const std::string& instance_id);
  void MachineBooted(const std::string& instance_id);
  // True when some container of the machine runs (its port 14000 answers).
  static bool Serving(const Machine& machine);

  // --- clusters ---
  // `weka cluster create NAMES --host-ips IPS [--admin-password PW]` from `machine`. Every
  // name is "<instance-id>-<container>" of a running, unclustered container; `host_ips`
  // (one "ip:port[+ip:port]" per name, or one per machine as "ip:14000,ip:15000") must
  // match. Returns the new cluster's guid.
  Result<std::string> CreateCluster(Machine& machine, const std::vector<std::string>& names,
                                    const std::vector<std::string>& host_ips,
                                    const std::string& admin_password);
  Cluster* FindCluster(const std::string& guid);
  // The cluster the machine belongs to; FailedPrecondition-style Conflict when none.
  Result<Cluster*> ClusterOf(Machine& machine);
  const std::map<std::string, Cluster>& clusters() const { return clusters_; }
  const std::map<std::string, Machine>& machines() const { return machines_; }

  // --- users and tokens ---
  // PermissionDenied "Authentication failed" when the user or password is wrong.
  Status CheckPassword(const Cluster& cluster, const std::string& user,
                       const std::string& password) const;
  Result<LoginTokens> Login(Cluster& cluster, const std::string& user, const std::string& password);
  Result<LoginTokens> Refresh(Cluster& cluster, const std::string& refresh_token);
  // The user a bearer token belongs to; PermissionDenied when unknown or expired.
  Result<std::string> UserOfToken(Cluster& cluster, const std::string& token);
  // `weka user add NAME ROLE PASSWORD`; Conflict when the user exists.
  Status AddUser(Cluster& cluster, const std::string& name, const std::string& role,
                 const std::string& password);

  // --- drives and protection ---
  // `weka cluster drive add HOST DEVICES...`: the devices must be the host machine's, not yet
  // in the cluster, and the host a drives container.
  Result<std::vector<int>> AddDrives(Cluster& cluster, int host_id,
                                     const std::vector<std::string>& devices);
  // `weka cluster drive scan HOST`: adds the machine's signed devices not yet added.
  // NotFound when none is signed.
  Result<std::vector<int>> ScanDrives(Cluster& cluster, int host_id);
  // `weka cluster update`: any of name, data drives, parity drives (0 / "" = unchanged).
  Status UpdateCluster(Cluster& cluster, const std::string& name, int data_drives,
                       int parity_drives);
  Status SetHotSpare(Cluster& cluster, int hot_spare);
  Status StartIo(Cluster& cluster);
  Capacity CapacityOf(const Cluster& cluster) const;
  // Failure domains that hold at least one active drive of an active host.
  int ActiveFailureDomains(const Cluster& cluster) const;

  // --- deactivation and removal (JSON-RPC and `weka cluster container/drive ...`) ---
  Status DeactivateDrives(Cluster& cluster, const std::vector<std::string>& uuids);
  // Deactivates the hosts and their drives; refused as a whole when the result would break
  // protection or capacity (unless `skip_resource_validation`).
  Status DeactivateHosts(Cluster& cluster, const std::vector<int>& host_ids,
                         bool skip_resource_validation);
  Status RemoveHost(Cluster& cluster, int host_id);
  Status RemoveDrives(Cluster& cluster, const std::vector<std::string>& uuids);

  // --- filesystems, events, the rest ---
  Status CreateFsGroup(Cluster& cluster, const std::string& name);
  // Refused when the group is missing, the name taken or `bytes` exceeds the unprovisioned
  // capacity.
  Status CreateFilesystem(Cluster& cluster, const std::string& name, const std::string& group,
                          int64_t bytes);
  Status UpdateFilesystem(Cluster& cluster, const std::string& name, int64_t total_bytes);
  void AddEvent(Cluster& cluster, const std::string& type, const std::string& text);
  // A client machine mounting `fs` from the cluster at `backend_ip`: it joins as a client
  // host (container "client") if it is not a member yet.
  Status MountClient(Machine& machine, const std::string& backend_ip, const std::string& fs,
                     const std::string& mount_point);

  // --- fault injection ---
  // A drive fails: INACTIVE, should stay active (what scale-down sees as an unhealthy drive).
  Status FailDrive(Cluster& cluster, int drive_id);

  // --- answers (JSON-RPC shapes of weka/go-cloud-lib lib/weka) ---
  Json StatusJson(const Cluster& cluster) const;
  Json HostsJson(const Cluster& cluster) const;
  Json DrivesJson(const Cluster& cluster) const;
  Json NodesJson(const Cluster& cluster) const;

  // Persistence: the whole model as documents, and back.
  Json MachineToJson(const Machine& machine) const;
  Json ClusterToJson(const Cluster& cluster) const;
  Status LoadMachine(const Json& doc);
  Status LoadCluster(const Json& doc);
  void Clear();

  int64_t NowMs() const;
  std::string Time(int64_t ms) const;  // RFC 3339 with microseconds, UTC

 private:
  Host* FindHost(Cluster& cluster, int host_id);
  Drive* FindDrive(Cluster& cluster, const std::string& uuid);
  int AddHost(Cluster& cluster, const Machine& machine, const LocalContainer& container);
  // Failure domains and usable capacity if `drive_ids` were no longer active.
  Status CheckProtection(const Cluster& cluster, const std::vector<int>& drive_ids) const;
  Capacity CapacityWithout(const Cluster& cluster, const std::vector<int>& drive_ids) const;
  std::string NewUuid();

  const Clock& clock_;
  std::function<std::string(size_t)> random_hex_;
  std::map<std::string, Machine> machines_;  // by instance id
  std::map<std::string, Cluster> clusters_;  // by guid
};

// "HostId<3>" <-> 3; "HostId<INVALID>" is -1. nullopt when `text` is not of that prefix.
std::string PrefixedId(const char* prefix, int id);
std::optional<int> ParsePrefixedId(const std::string& prefix, const std::string& text);

// "22GB", "1TiB", "1234B", "1.5TB" -> bytes; InvalidArgument otherwise.
Result<int64_t> ParseSize(const std::string& text);

}  // namespace cf::cloud::wekasim
