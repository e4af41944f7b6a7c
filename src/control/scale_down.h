#pragma once

// scale-down (reference §4.10; go-cloud-lib scale_down.ScaleDown): from the fetch output and
// the cluster's own JSON-RPC answers, deactivate and remove the WEKA hosts that should go, and
// say which instances terminate may reap. Pure apart from the WekaRpc calls and `now`.
//
// Rules, in order:
//  1. Gates (an error, nothing done): io_status != STARTED; an upgrade running; the manual
//     override `skip_scale_down`; no backend container named *drive* (not multi-container).
//  2. Drives with HostId<INVALID> and status INACTIVE are removed (cluster_remove_drives).
//  3. Per host group (backends against the ASG's desired capacity, then NFS gateways against
//     theirs): containers grouped by IP into machines (more than 3, or more than one
//     machine_identifier, is an Internal error); a machine whose containers are all INACTIVE is
//     removed (cluster_remove_host per INACTIVE container, its drives removed, the instance put
//     in to_terminate); the other containers get a state (first rule wins): client HEALTHY;
//     a drive container whose drives all should not be active DEACTIVATING; state DEACTIVATING,
//     REMOVING or INACTIVE DEACTIVATING; status DOWN or DEGRADED with its management node
//     (id % 20 == 0) DOWN for more than 120 min (since last_fencing_time, else the host's
//     state_changed_time) UNHEALTHY; a drive INACTIVE on a host added more than 5 min ago, or any
//     drive that should not be active, UNHEALTHY; else HEALTHY. Machines are ordered by state
//     (DEACTIVATING, UNHEALTHY, HEALTHY), then more bad drives, then oldest added_time;
//     N = max(D, max(H+U+D-desired, min(2-D, U))) machines are deactivated: their active
//     drives, their NFS ports, an event, cluster_deactivate_hosts (WEKA refuses what would break
//     protection or capacity: that refusal is a transient error, not a failure).
//  4. NFS gateways in no NFS interface group: deactivated at once when tagged ready
//     (nfs_interface_group_instance_ips), else once management has been DOWN for over 1 h.
//  5. Leftovers (IP in no ASG): all-INACTIVE machines removed; a DOWN host past
//     down_backends_removal_timeout, or whose instance is gone (live_instances below),
//     deactivated when every container of its machine is DOWN or INACTIVE, else a transient
//     error; active leftovers are kept in `hosts` (and logged).
//  Hosts whose instance (aws.instance_id) is not the group's instance at their IP are the
//  containers of a dead machine whose address a replacement reuses: they count as leftovers
//  (rule 5), not as containers of the replacement's machine, and validateDelta does not hold
//  them against the replacement (the public module aborts on "more than 3 containers").
//  Unlike the public module, a machine deactivated in rules 3 or 5 whose containers are
//  INACTIVE when hosts are re-listed right after is removed in the same run (and, in rule 3,
//  handed to terminate), so a dead backend leaves the cluster in one run instead of two.
//  6. validateDelta: hosts re-listed; an ASG IP absent from `hosts` or in to_terminate whose
//     container is neither INACTIVE nor REMOVING is an Internal error (the public module crashes
//     the function), except a DOWN client with auto_remove_timeout > 0 (an IP collision).
// Output: {"hosts":[{instance_id, private_ip, status, added_time, host_id}], "to_terminate":
// [{Id, PrivateIp}], "TransientErrors": ["caller:error", ...] or null, "version": 1}.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "control/weka_rpc.h"

namespace cf::control {

struct HgInstance {
  std::string id;
  std::string private_ip;
};

// The fetch output (go-cloud-lib protocol.HostGroupInfoResponse).
struct HostGroupInfo {
  std::string username;
  std::string password;
  std::string admin_password;
  std::string role;
  int weka_backends_desired_capacity = 0;
  int nfs_backends_desired_capacity = 0;
  std::vector<HgInstance> weka_backend_instances;
  std::vector<HgInstance> nfs_backend_instances;
  std::vector<std::string> nfs_interface_group_instance_ips;
  int64_t down_backends_removal_timeout_ns = 0;
  std::vector<std::string> backend_ips;
  // clusterform's addition ("live_instances" [{Id, PrivateIp}]; absent from the public
  // module's fetch): every instance of the cluster that EC2 has not terminated (pending,
  // running, stopping, stopped), whatever its group. A DOWN leftover whose instance is not
  // among them has no machine left to come back: it is deactivated and removed at once rather
  // than after down_backends_removal_timeout. Absent: the public module's rule alone.
  std::optional<std::vector<HgInstance>> live_instances;
  int version = 1;
};

nlohmann::json HostGroupInfoToJson(const HostGroupInfo& info, bool with_password,
                                   bool with_admin_password);
Result<HostGroupInfo> HostGroupInfoFromJson(const nlohmann::json& j);

// The input checks of the scale-down function: InvalidArgument naming what is missing.
Status ValidateScaleDownInput(const HostGroupInfo& info);

// Runs the algorithm above. Errors: the gates (InvalidArgument / Conflict), JSON-RPC
// unavailability (Unavailable), the fatal checks (Internal); otherwise the output.
// `time_scale` (control/time_scale.h) multiplies every duration compared with `now` (the 120
// minutes, 5 minutes and 1 hour of the rules, down_backends_removal_timeout).
Result<nlohmann::json> ScaleDown(const HostGroupInfo& info, WekaRpc& rpc,
                                 std::chrono::system_clock::time_point now,
                                 double time_scale = 1.0);

// N of rule 3.
int DeactivateTarget(int healthy, int unhealthy, int deactivating, int desired);

}  // namespace cf::control
