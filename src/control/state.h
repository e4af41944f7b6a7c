#pragma once

// The cluster's state item in DynamoDB (reference §4.1), and the lock that guards it.
//
// The item is {Key: S, Locked: BOOL, Value: M{...ClusterState...}}, seeded by the module
// (key "<prefix>-<cluster>-state", and "-nfs-state" with NFS gateways). Unlike the public
// module's lock (Locked=true with no owner, stuck forever when its holder dies), the lock here
// is a conditional UpdateItem that also records LockOwner (S) and LockExpires (N, Unix ms):
//   acquire: SET Locked=true, LockOwner=me, LockExpires=now+lease
//            IF the item exists AND (Locked is absent or false, OR LockExpires < now,
//                                    OR Locked=true with no LockExpires: a lease-less lock)
//   write:   SET Value=... IF LockOwner = me           (a holder whose lease was taken over
//   release: SET Locked=false REMOVE LockOwner, LockExpires IF LockOwner = me   cannot write)
// A holder that dies loses the lock when its lease runs out; the next caller takes it over.

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "control/aws_api.h"

namespace cf::control {

// One instance recorded by clusterize (go-cloud-lib protocol.Vm).
struct Vm {
  std::string name;      // the instance id
  std::string protocol;  // "", "nfs", "smb", "smbw", "s3", "data"
  std::string container_uid;
  std::string nic_name;
};

struct ClusterState {
  int initial_size = 0;
  int desired_size = 0;
  int clusterization_target = 0;
  bool clusterized = false;
  std::vector<Vm> instances;
  std::map<std::string, std::vector<std::string>> progress;
  std::map<std::string, std::vector<std::string>> errors;
  std::map<std::string, std::vector<std::string>> debug;
  nlohmann::json updates;  // null when absent (omitempty)
  bool nfs_instances_migrated = false;
};

// The JSON form (field names of the reference's JSON tags). FromJson tolerates missing
// fields (zero values) and refuses wrong types with InvalidArgument.
nlohmann::json StateToJson(const ClusterState& state);
Result<ClusterState> StateFromJson(const nlohmann::json& j);

// DynamoDB's typed attribute values <-> plain JSON (S, N, BOOL, NULL, L, M; N decodes to an
// integer when it is one).
nlohmann::json ToAttributeValue(const nlohmann::json& value);
Result<nlohmann::json> FromAttributeValue(const nlohmann::json& av);

struct LockOptions {
  std::chrono::milliseconds lease{20000};  // the functions' timeout
  std::chrono::milliseconds wait{15000};   // give up (Unavailable) after this long
  std::chrono::milliseconds retry{100};    // between attempts
};

// The options at a time scale (control/time_scale.h): the lease is the functions' 20 s
// timeout scaled, but never under 2 s, as the holder's own calls take wall time whatever the
// scale (a holder that overruns its lease loses its writes, never the state). The wait stays
// 15 s: it bounds how long a caller queues behind others, which is wall time too.
LockOptions LockOptionsForTimeScale(double time_scale);

// Thread-compatible; the api and clock must outlive it.
class StateStore {
 public:
  StateStore(AwsApi& api, Clock& clock, std::string table, std::string hash_key, std::string owner,
             LockOptions options = {});

  // A consistent read without the lock (status, the NFS finalization read). NotFound when the
  // item is missing.
  Result<ClusterState> Read(const std::string& key);

  // Takes the lock, reads, runs `change` (which may edit the state), writes the state back
  // when `change` succeeded, and releases the lock in every case. The error of `change`, of
  // the write or of the release (a lease lost mid-way) is returned; `change` errors win.
  // Unavailable "timed out waiting for the state lock held by OWNER" when it stays held.
  Status Update(const std::string& key, const std::function<Status(ClusterState&)>& change);

  // Reads under the lock, without writing (deploy's read).
  Result<ClusterState> ReadLocked(const std::string& key);

  const std::string& owner() const { return owner_; }

 private:
  Status Lock(const std::string& key);
  Status Unlock(const std::string& key);
  Result<nlohmann::json> GetItem(const std::string& key);
  nlohmann::json KeyOf(const std::string& key) const;
  int64_t NowMs() const;

  AwsApi& api_;
  Clock& clock_;
  const std::string table_;
  const std::string hash_key_;
  const std::string owner_;
  const LockOptions options_;
};

}  // namespace cf::control
