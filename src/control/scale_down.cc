#include "control/scale_down.h"

#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <set>

#include "aws/credentials_imds.h"
#include "base/clock.h"
#include "control/time_scale.h"

namespace cf::control {

using nlohmann::json;
using TimePoint = std::chrono::system_clock::time_point;

namespace {

enum class ScaleState { kDeactivating = 0, kUnhealthy = 1, kHealthy = 2 };

struct Drive {
  std::string uuid;
  std::string status;
  bool should_be_active = true;
  int host = -1;
};

struct Node {
  int id = -1;
  std::string status;
  std::optional<TimePoint> last_fencing_time;
};

struct Host {
  int id = -1;
  std::string id_text;  // "HostId<N>"
  TimePoint added_time;
  TimePoint state_changed_time;
  std::string state;
  std::string status;
  std::string host_ip;
  std::string instance_id;
  std::string container_name;
  std::string mode;
  std::string machine_identifier;
  int auto_remove_timeout = 0;
  std::vector<Drive> drives;
  std::vector<Node> nodes;
  ScaleState scale_state = ScaleState::kHealthy;
};

struct NfsPort {
  std::string group;
  std::string port;
};

// "HostId<12>" -> 12, "HostId<INVALID>" -> -1.
Result<int> ParsePrefixedId(const std::string& prefix, const std::string& text) {
  if (text.rfind(prefix + "<", 0) != 0 || text.back() != '>') {
    return InvalidArgumentError(fmt::format("can't extract {} value from {}", prefix, text));
  }
  std::string v = text.substr(prefix.size() + 1, text.size() - prefix.size() - 2);
  if (v == "INVALID") {
    return -1;
  }
  try {
    return std::stoi(v);
  } catch (...) {
    return InvalidArgumentError(fmt::format("can't extract {} value from {}", prefix, text));
  }
}

TimePoint ParseTime(const json& j) {
  if (!j.is_string()) {
    return TimePoint{};
  }
  std::optional<TimePoint> t = aws::ParseRfc3339(j.get<std::string>());
  return t.value_or(TimePoint{});
}

std::string Str(const json& j, const char* k) {
  return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
}

Result<std::map<int, Host>> BuildHosts(const json& hosts, const json& drives, const json& nodes) {
  if (!hosts.is_object() || !drives.is_object() || !nodes.is_object()) {
    return InvalidArgumentError("hosts_list, disks_list and nodes_list must answer maps by id");
  }
  std::map<int, Host> out;
  for (const auto& [key, h] : hosts.items()) {
    ASSIGN_OR_RETURN(int id, ParsePrefixedId("HostId", key));
    Host host;
    host.id = id;
    host.id_text = key;
    host.added_time = ParseTime(h.value("added_time", json()));
    host.state_changed_time = ParseTime(h.value("state_changed_time", json()));
    host.state = Str(h, "state");
    host.status = Str(h, "status");
    host.host_ip = Str(h, "host_ip");
    if (h.contains("aws") && h["aws"].is_object()) {
      host.instance_id = Str(h["aws"], "instance_id");
    }
    host.container_name = Str(h, "container_name");
    host.mode = Str(h, "mode");
    host.machine_identifier = Str(h, "machine_identifier");
    host.auto_remove_timeout = h.value("auto_remove_timeout", 0);
    out[id] = std::move(host);
  }
  for (const auto& [key, d] : drives.items()) {
    Drive drive;
    drive.uuid = Str(d, "uuid");
    drive.status = Str(d, "status");
    drive.should_be_active = d.value("should_be_active", true);
    ASSIGN_OR_RETURN(drive.host, ParsePrefixedId("HostId", Str(d, "host_id")));
    auto it = out.find(drive.host);
    if (it != out.end()) {
      it->second.drives.push_back(drive);
    }
  }
  for (const auto& [key, n] : nodes.items()) {
    Node node;
    ASSIGN_OR_RETURN(node.id, ParsePrefixedId("NodeId", key));
    node.status = Str(n, "status");
    if (n.contains("last_fencing_time") && n["last_fencing_time"].is_string()) {
      node.last_fencing_time = ParseTime(n["last_fencing_time"]);
    }
    ASSIGN_OR_RETURN(int host_id, ParsePrefixedId("HostId", Str(n, "host_id")));
    auto it = out.find(host_id);
    if (it != out.end()) {
      it->second.nodes.push_back(node);
    }
  }
  return out;
}

bool ManagementTimedOut(const Host& host, TimePoint now, std::chrono::nanoseconds timeout) {
  for (const Node& node : host.nodes) {
    if (node.id % 20 != 0) {
      continue;
    }
    TimePoint since = node.last_fencing_time.value_or(host.state_changed_time);
    if (node.status == "DOWN" && now - since > timeout) {
      return true;
    }
  }
  return false;
}

int BadDrives(const Host& host, TimePoint now, double scale) {
  int n = 0;
  for (const Drive& d : host.drives) {
    if (d.status == "INACTIVE" && now - host.added_time > Scaled(std::chrono::minutes(5), scale)) {
      ++n;
    }
  }
  return n;
}

ScaleState DeriveState(const Host& host, TimePoint now, double scale) {
  if (host.mode == "client") {
    return ScaleState::kHealthy;
  }
  bool all_removed = !host.drives.empty();
  bool any_removed = false;
  for (const Drive& d : host.drives) {
    all_removed = all_removed && !d.should_be_active;
    any_removed = any_removed || !d.should_be_active;
  }
  if (host.container_name.find("drive") != std::string::npos && all_removed) {
    return ScaleState::kDeactivating;
  }
  if (host.state == "DEACTIVATING" || host.state == "REMOVING" || host.state == "INACTIVE") {
    return ScaleState::kDeactivating;
  }
  if ((host.status == "DOWN" || host.status == "DEGRADED") &&
      ManagementTimedOut(host, now, Scaled(std::chrono::minutes(120), scale))) {
    return ScaleState::kUnhealthy;
  }
  if (BadDrives(host, now, scale) > 0 || any_removed) {
    return ScaleState::kUnhealthy;
  }
  return ScaleState::kHealthy;
}

bool AllInactive(const std::vector<Host>& hosts) {
  return std::all_of(hosts.begin(), hosts.end(),
                     [](const Host& h) { return h.state == "INACTIVE"; });
}

bool AllDownOrInactive(const std::vector<Host>& hosts) {
  return std::all_of(hosts.begin(), hosts.end(),
                     [](const Host& h) { return h.status == "DOWN" || h.state == "INACTIVE"; });
}

class Run {
 public:
  Run(const HostGroupInfo& info, WekaRpc& rpc, TimePoint now, double time_scale)
      : info_(info), rpc_(rpc), now_(now), time_scale_(time_scale) {}

  Result<json> Execute();

 private:
  void Transient(const std::string& caller, const Status& st) {
    transient_.push_back(caller + ":" + st.message());
  }
  void RemoveDrive(const Drive& d) {
    Result<json> r = rpc_.Call("cluster_remove_drives", {{"drive_uuids", {d.uuid}}});
    if (!r.ok()) {
      Transient("removeDrive", r.status());
    }
  }
  void Event(const std::string& message) {
    // Events are best effort, as in the reference.
    (void)rpc_.Call("events_trigger_custom", {{"message", message}});
  }
  Result<std::map<std::string, std::vector<Host>>> Machines(const std::vector<Host>& hosts);
  void RemoveInactive(const std::map<std::string, std::vector<Host>>& machines,
                      const std::vector<HgInstance>& instances);
  bool DeactivateMachine(const std::vector<Host>& machine, int desired, int current,
                         const std::string& reason, bool nfs);
  void RemoveOnceInactive(const std::vector<std::vector<Host>>& machines,
                          const std::vector<HgInstance>& instances);
  // The host's instance is no instance EC2 still has (by id when the host names it).
  bool InstanceGone(const Host& h) const {
    if (!info_.live_instances.has_value()) {
      return false;
    }
    return std::none_of(
        info_.live_instances->begin(), info_.live_instances->end(), [&](const HgInstance& i) {
          return h.instance_id.empty() ? i.private_ip == h.host_ip : i.id == h.instance_id;
        });
  }
  // A container of a dead machine whose IP a group's other instance now has.
  bool Ghost(const Host& h, const std::vector<HgInstance>& instances) const {
    return !h.instance_id.empty() &&
           std::any_of(instances.begin(), instances.end(), [&](const HgInstance& i) {
             return i.private_ip == h.host_ip && !i.id.empty() && i.id != h.instance_id;
           });
  }
  Status ScaleHgDown(const std::vector<HgInstance>& instances, const std::vector<Host>& hosts,
                     int desired, bool nfs);
  Status Leftovers(const std::vector<Host>& hosts, const std::vector<HgInstance>& instances);
  Status ValidateDelta(const std::vector<HgInstance>& instances);
  void AddHost(const Host& h) {
    hosts_out_.push_back({{"instance_id", h.instance_id},
                          {"private_ip", h.host_ip},
                          {"status", h.state},
                          {"added_time", FormatRfc3339(h.added_time)},
                          {"host_id", h.id_text}});
  }

  const HostGroupInfo& info_;
  WekaRpc& rpc_;
  const TimePoint now_;
  const double time_scale_;
  std::map<int, Host> hosts_;
  std::map<int, NfsPort> nfs_ports_;
  json hosts_out_ = json::array();
  std::vector<HgInstance> to_terminate_;
  std::vector<std::string> transient_;
  std::set<int> removed_now_;  // hosts deactivated and removed in this run
};

Result<std::map<std::string, std::vector<Host>>> Run::Machines(const std::vector<Host>& hosts) {
  std::map<std::string, std::vector<Host>> machines;
  for (const Host& h : hosts) {
    if (h.mode == "backend") {
      machines[h.host_ip].push_back(h);
    }
  }
  for (const auto& [ip, m] : machines) {
    if (m.size() > 3) {
      return InternalError(fmt::format("Found more than 3 backend containers for host {}", ip));
    }
    std::set<std::string> ids;
    for (const Host& h : m) {
      ids.insert(h.machine_identifier);
    }
    if (ids.size() > 1) {
      return InternalError(fmt::format("Found more than 1 machine identifier for host {}", ip));
    }
  }
  return machines;
}

void Run::RemoveInactive(const std::map<std::string, std::vector<Host>>& machines,
                         const std::vector<HgInstance>& instances) {
  for (const auto& [ip, machine] : machines) {
    rpc_.Drop(ip);
    Event(fmt::format("Trying to remove inactive machine {}, reason: inactive machine.", ip));
    for (const Host& h : machine) {
      if (h.status != "INACTIVE") {
        continue;  // not ready for removal yet
      }
      Result<json> r = rpc_.Call("cluster_remove_host", {{"host_id", h.id}, {"no_wait", true}});
      if (!r.ok()) {
        Transient("removeInactive", r.status());
        continue;
      }
      for (const HgInstance& i : instances) {
        if (i.private_ip == h.host_ip && (h.instance_id.empty() || h.instance_id == i.id)) {
          bool already = std::any_of(to_terminate_.begin(), to_terminate_.end(),
                                     [&](const HgInstance& t) { return t.id == i.id; });
          if (!already) {
            to_terminate_.push_back(i);
          }
        }
      }
      for (const Drive& d : h.drives) {
        RemoveDrive(d);
      }
    }
  }
}

bool Run::DeactivateMachine(const std::vector<Host>& machine, int desired, int current,
                            const std::string& reason, bool nfs) {
  json host_ids = json::array();
  for (const Host& h : machine) {
    host_ids.push_back(h.id_text);
    for (const Drive& d : h.drives) {
      if (d.should_be_active) {
        Result<json> r = rpc_.Call("cluster_deactivate_drives", {{"drive_uuids", {d.uuid}}});
        if (!r.ok()) {
          Transient("deactivateDrive", r.status());
        }
      }
    }
  }
  if (nfs) {
    for (const Host& h : machine) {
      auto it = nfs_ports_.find(h.id);
      if (it == nfs_ports_.end()) {
        continue;
      }
      Result<json> r = rpc_.Call(
          "interface_group_delete_port",
          {{"name", it->second.group}, {"host_id", h.id_text}, {"port", it->second.port}});
      if (!r.ok()) {
        Transient("interfaceGroupDeletePort", r.status());
      }
    }
  }
  const std::string& ip = machine.front().host_ip;
  Event(fmt::format("Trying to deactivate {} {}. Desired size: {}, current size: {}, reason: {}.",
                    nfs ? "nfs backend machine" : "weka backend machine", ip, desired, current,
                    reason));
  Result<json> r = rpc_.Call("cluster_deactivate_hosts",
                             {{"host_ids", host_ids}, {"skip_resource_validation", false}});
  if (!r.ok()) {
    Transient("deactivateHost", r.status());
    return false;
  }
  rpc_.Drop(ip);
  return true;
}

void Run::RemoveOnceInactive(const std::vector<std::vector<Host>>& machines,
                             const std::vector<HgInstance>& instances) {
  if (machines.empty()) {
    return;
  }
  Result<json> listed = rpc_.Call("hosts_list", json::object());
  if (!listed.ok()) {
    return;  // the next run removes them
  }
  Result<std::map<int, Host>> now = BuildHosts(*listed, json::object(), json::object());
  if (!now.ok()) {
    return;
  }
  std::map<std::string, std::vector<Host>> inactive;
  for (const std::vector<Host>& machine : machines) {
    std::vector<Host> current;
    for (const Host& h : machine) {
      auto it = now->find(h.id);
      if (it == now->end()) {
        continue;
      }
      Host updated = h;  // its drives as listed at the start of the run
      updated.state = it->second.state;
      updated.status = it->second.status;
      current.push_back(updated);
    }
    if (!current.empty() && AllInactive(current) &&
        std::all_of(current.begin(), current.end(),
                    [](const Host& h) { return h.status == "INACTIVE"; })) {
      for (const Host& h : current) {
        removed_now_.insert(h.id);
      }
      inactive[current.front().host_ip] = current;
    }
  }
  RemoveInactive(inactive, instances);
}

Status Run::ScaleHgDown(const std::vector<HgInstance>& instances, const std::vector<Host>& hosts,
                        int desired, bool nfs) {
  ASSIGN_OR_RETURN(auto machines, Machines(hosts));
  std::map<std::string, std::vector<Host>> inactive;
  std::vector<Host> list;
  for (const Host& h : hosts) {
    if (h.mode == "client" || inactive.count(h.host_ip)) {
      continue;
    }
    if (h.state == "INACTIVE" && AllInactive(machines[h.host_ip])) {
      inactive[h.host_ip] = machines[h.host_ip];
      continue;
    }
    list.push_back(h);
  }
  for (Host& h : list) {
    h.scale_state = DeriveState(h, now_, time_scale_);
  }
  std::stable_sort(list.begin(), list.end(), [this](const Host& a, const Host& b) {
    if (a.scale_state != b.scale_state) {
      return a.scale_state < b.scale_state;
    }
    int ba = BadDrives(a, now_, time_scale_);
    int bb = BadDrives(b, now_, time_scale_);
    if (ba != bb) {
      return ba > bb;
    }
    return a.added_time < b.added_time;
  });
  std::vector<std::string> ips;
  std::map<std::string, std::array<int, 3>> per_machine;  // by ScaleState
  for (const Host& h : list) {
    if (std::find(ips.begin(), ips.end(), h.host_ip) == ips.end()) {
      ips.push_back(h.host_ip);
    }
    per_machine[h.host_ip][static_cast<int>(h.scale_state)]++;
  }
  int healthy = 0;
  int unhealthy = 0;
  int deactivating = 0;
  for (const auto& [ip, c] : per_machine) {
    if (c[1] > 0) {
      ++unhealthy;
    } else if (c[0] > 0) {
      ++deactivating;
    } else {
      ++healthy;
    }
  }
  RemoveInactive(inactive, instances);
  int n = std::min<int>(DeactivateTarget(healthy, unhealthy, deactivating, desired),
                        static_cast<int>(ips.size()));
  std::vector<std::vector<Host>> deactivated;
  for (int i = 0; i < n; ++i) {
    const std::vector<Host>& machine = machines[ips[i]];
    if (!machine.empty() &&
        DeactivateMachine(machine, desired, static_cast<int>(machines.size()), "scale down", nfs)) {
      deactivated.push_back(machine);
    }
  }
  RemoveOnceInactive(deactivated, instances);
  for (const Host& h : list) {
    if (!removed_now_.count(h.id)) {
      AddHost(h);
    }
  }
  return OkStatus();
}

Status Run::Leftovers(const std::vector<Host>& hosts, const std::vector<HgInstance>& instances) {
  ASSIGN_OR_RETURN(auto machines, Machines(hosts));
  std::map<std::string, std::vector<Host>> inactive;
  std::vector<std::string> down;
  std::set<std::string> handled;
  std::set<std::string> gone;
  auto timeout =
      Scaled(std::chrono::nanoseconds(info_.down_backends_removal_timeout_ns), time_scale_);
  for (const Host& h : hosts) {
    if (h.mode == "client" || handled.count(h.host_ip)) {
      continue;
    }
    if (h.state == "INACTIVE") {
      if (AllInactive(machines[h.host_ip])) {
        inactive[h.host_ip] = machines[h.host_ip];
      }
      handled.insert(h.host_ip);
    } else if (h.status == "DOWN") {
      if (InstanceGone(h) || ManagementTimedOut(h, now_, timeout)) {
        if (!AllDownOrInactive(machines[h.host_ip])) {
          transient_.push_back(fmt::format(
              "host {} is down but not all containers on the machine are down", h.id_text));
          continue;
        }
        down.push_back(h.host_ip);
        if (InstanceGone(h)) {
          gone.insert(h.host_ip);
        }
        handled.insert(h.host_ip);
      }
    } else {
      // An active container outside every host group: kept, never touched.
      AddHost(h);
    }
  }
  RemoveInactive(inactive, instances);
  std::vector<std::vector<Host>> deactivated;
  for (const std::string& ip : down) {
    if (!machines[ip].empty() &&
        DeactivateMachine(machines[ip], -1, -1, gone.count(ip) ? "machine gone" : "down machine",
                          false)) {
      deactivated.push_back(machines[ip]);
    }
  }
  RemoveOnceInactive(deactivated, instances);
  return OkStatus();
}

Status Run::ValidateDelta(const std::vector<HgInstance>& instances) {
  ASSIGN_OR_RETURN(json listed, rpc_.Call("hosts_list", json::object()));
  ASSIGN_OR_RETURN(auto hosts, BuildHosts(listed, json::object(), json::object()));
  std::set<std::string> in_response;
  for (const json& h : hosts_out_) {
    in_response.insert(h["private_ip"].get<std::string>());
  }
  std::set<std::string> delta;
  for (const HgInstance& i : instances) {
    bool terminating =
        std::any_of(to_terminate_.begin(), to_terminate_.end(),
                    [&](const HgInstance& t) { return t.private_ip == i.private_ip; });
    if (!in_response.count(i.private_ip) || terminating) {
      delta.insert(i.private_ip);
    }
  }
  for (const auto& [id, h] : hosts) {
    if (!delta.count(h.host_ip) || h.state == "INACTIVE" || h.state == "REMOVING") {
      continue;
    }
    if (h.status == "DOWN" && h.mode == "client" && h.auto_remove_timeout > 0) {
      continue;  // a dead client that had the same IP
    }
    if (Ghost(h, instances)) {
      continue;  // a dead machine's container: terminating the new instance leaves it as it is
    }
    return InternalError(fmt::format(
        "Aborting scale down. Instance with IP that exists in system and belongs to non-inactive "
        "container {}:{}:{}:{}:{} was targeted for termination: {}",
        h.mode, h.id_text, h.container_name, h.status, h.state, h.host_ip));
  }
  return OkStatus();
}

bool HasSkipOverride(const json& overrides) {
  auto is_skip = [](const json& e) {
    if (e.is_string()) {
      return e.get<std::string>() == "skip_scale_down";
    }
    return e.is_object() && e.value("key", "") == "skip_scale_down";
  };
  if (overrides.is_array()) {
    return std::any_of(overrides.begin(), overrides.end(), is_skip);
  }
  if (overrides.is_object()) {
    for (const auto& [k, v] : overrides.items()) {
      if (is_skip(v) || k == "skip_scale_down") {
        return true;
      }
    }
  }
  return false;
}

Result<json> Run::Execute() {
  json out = {{"hosts", json::array()},
              {"to_terminate", json::array()},
              {"TransientErrors", nullptr},
              {"version", 1}};
  if (info_.role != "backend") {
    return out;
  }
  ASSIGN_OR_RETURN(json status, rpc_.Call("status", json::object()));
  std::string io = status.value("io_status", "");
  if (io != "STARTED") {
    return ConflictError(fmt::format("io status:{}, aborting scale", io));
  }
  if (!status.value("upgrade", "").empty()) {
    return ConflictError("upgrade is running, aborting scale");
  }
  ASSIGN_OR_RETURN(json overrides, rpc_.Call("manual_override_list", json::object()));
  if (HasSkipOverride(overrides)) {
    return ConflictError("manual override skip_scale_down is set, aborting scale");
  }
  ASSIGN_OR_RETURN(json hosts_json, rpc_.Call("hosts_list", json::object()));
  ASSIGN_OR_RETURN(json drives_json, rpc_.Call("disks_list", json::object()));
  ASSIGN_OR_RETURN(json nodes_json, rpc_.Call("nodes_list", json::object()));
  ASSIGN_OR_RETURN(hosts_, BuildHosts(hosts_json, drives_json, nodes_json));
  bool mbc = std::any_of(hosts_.begin(), hosts_.end(), [](const auto& kv) {
    return kv.second.mode == "backend" &&
           kv.second.container_name.find("drive") != std::string::npos;
  });
  if (!mbc) {
    return InvalidArgumentError(
        "this wekactl version supports only multi backend container cluster");
  }
  if (drives_json.is_object()) {
    for (const auto& [key, d] : drives_json.items()) {
      if (Str(d, "host_id") == "HostId<INVALID>" && Str(d, "status") == "INACTIVE") {
        Drive drive;
        drive.uuid = Str(d, "uuid");
        RemoveDrive(drive);
      }
    }
  }
  auto of_group = [this](const std::vector<HgInstance>& instances) {
    std::vector<Host> group;
    for (const auto& [id, h] : hosts_) {
      if (!Ghost(h, instances) &&
          std::any_of(instances.begin(), instances.end(),
                      [&](const HgInstance& i) { return i.private_ip == h.host_ip; })) {
        group.push_back(h);
      }
    }
    return group;
  };
  std::vector<std::string> errors;
  Status backends =
      ScaleHgDown(info_.weka_backend_instances, of_group(info_.weka_backend_instances),
                  info_.weka_backends_desired_capacity, false);
  if (backends.code() == StatusCode::kInternal) {
    return backends;
  }
  if (!backends.ok()) {
    errors.push_back(backends.message());
  }
  Result<json> groups = rpc_.Call("interface_group_list", json::object());
  if (!groups.ok()) {
    Transient("GetNfsHostsMap", groups.status());
  } else {
    if (groups->is_array()) {
      for (const json& g : *groups) {
        if (Str(g, "type") != "NFS" || !g.contains("ports") || !g["ports"].is_array()) {
          continue;
        }
        for (const json& p : g["ports"]) {
          Result<int> id = ParsePrefixedId("HostId", Str(p, "host_id"));
          if (id.ok()) {
            nfs_ports_[*id] = {Str(g, "name"), Str(p, "port")};
          }
        }
      }
    }
    // NFS gateways outside every interface group (rule 4).
    std::vector<Host> nfs_hosts;
    std::set<std::string> handled;
    for (const Host& h : of_group(info_.nfs_backend_instances)) {
      bool grouped = nfs_ports_.count(h.id) > 0;
      if (grouped || h.mode != "backend" || h.state == "INACTIVE") {
        nfs_hosts.push_back(h);
        continue;
      }
      bool ready = std::find(info_.nfs_interface_group_instance_ips.begin(),
                             info_.nfs_interface_group_instance_ips.end(),
                             h.host_ip) != info_.nfs_interface_group_instance_ips.end();
      if (!handled.count(h.host_ip) &&
          (ready || ManagementTimedOut(h, now_, Scaled(std::chrono::hours(1), time_scale_)))) {
        std::vector<Host> machine;
        for (const auto& [id, other] : hosts_) {
          if (other.host_ip == h.host_ip && other.mode == "backend") {
            machine.push_back(other);
          }
        }
        DeactivateMachine(machine, info_.nfs_backends_desired_capacity, -1, "leftover nfs host",
                          true);
        handled.insert(h.host_ip);
      } else if (!handled.count(h.host_ip)) {
        nfs_hosts.push_back(h);
      }
    }
    Status nfs = ScaleHgDown(info_.nfs_backend_instances, nfs_hosts,
                             info_.nfs_backends_desired_capacity, true);
    if (nfs.code() == StatusCode::kInternal) {
      return nfs;
    }
    if (!nfs.ok()) {
      errors.push_back(nfs.message());
    }
  }
  std::vector<HgInstance> all = info_.weka_backend_instances;
  all.insert(all.end(), info_.nfs_backend_instances.begin(), info_.nfs_backend_instances.end());
  std::vector<Host> leftovers;
  for (const auto& [id, h] : hosts_) {
    if (Ghost(h, all) || !std::any_of(all.begin(), all.end(), [&](const HgInstance& i) {
          return i.private_ip == h.host_ip;
        })) {
      leftovers.push_back(h);
    }
  }
  RETURN_IF_ERROR(Leftovers(leftovers, all));
  RETURN_IF_ERROR(ValidateDelta(all));
  if (!errors.empty()) {
    std::string joined;
    for (const std::string& e : errors) {
      joined += (joined.empty() ? "" : " ") + e;
    }
    return UnavailableError(fmt::format("scale down failed: [{}]", joined));
  }
  out["hosts"] = hosts_out_;
  json terminate = json::array();
  for (const HgInstance& i : to_terminate_) {
    terminate.push_back({{"Id", i.id}, {"PrivateIp", i.private_ip}});
  }
  out["to_terminate"] = terminate;
  if (!transient_.empty()) {
    out["TransientErrors"] = transient_;
  }
  return out;
}

std::vector<HgInstance> Instances(const json& j) {
  std::vector<HgInstance> out;
  if (j.is_array()) {
    for (const json& i : j) {
      out.push_back({Str(i, "Id"), Str(i, "PrivateIp")});
    }
  }
  return out;
}

json InstancesJson(const std::vector<HgInstance>& v) {
  json out = json::array();
  for (const HgInstance& i : v) {
    out.push_back({{"Id", i.id}, {"PrivateIp", i.private_ip}});
  }
  return out;
}

}  // namespace

int DeactivateTarget(int healthy, int unhealthy, int deactivating, int desired) {
  int n =
      std::max(healthy + unhealthy + deactivating - desired, std::min(2 - deactivating, unhealthy));
  return std::max(deactivating, n);
}

json HostGroupInfoToJson(const HostGroupInfo& info, bool with_password, bool with_admin_password) {
  json ips = json::object();
  for (const std::string& ip : info.nfs_interface_group_instance_ips) {
    ips[ip] = json::object();
  }
  json j = {{"username", info.username},
            {"weka_backends_desired_capacity", info.weka_backends_desired_capacity},
            {"nfs_backends_desired_capacity", info.nfs_backends_desired_capacity},
            {"weka_backend_instances", InstancesJson(info.weka_backend_instances)},
            {"nfs_backend_instances", InstancesJson(info.nfs_backend_instances)},
            {"nfs_interface_group_instance_ips", ips},
            {"down_backends_removal_timeout", info.down_backends_removal_timeout_ns},
            {"backend_ips", info.backend_ips},
            {"role", info.role},
            {"version", info.version}};
  if (info.live_instances.has_value()) {
    j["live_instances"] = InstancesJson(*info.live_instances);
  }
  if (with_password) {
    j["password"] = info.password;
  }
  if (with_admin_password) {
    j["admin_password"] = info.admin_password;
  }
  return j;
}

Result<HostGroupInfo> HostGroupInfoFromJson(const json& j) {
  if (!j.is_object()) {
    return InvalidArgumentError("the scale-down input is not a JSON object");
  }
  HostGroupInfo info;
  try {
    info.username = Str(j, "username");
    info.password = Str(j, "password");
    info.admin_password = Str(j, "admin_password");
    info.role = Str(j, "role");
    info.weka_backends_desired_capacity = j.value("weka_backends_desired_capacity", 0);
    info.nfs_backends_desired_capacity = j.value("nfs_backends_desired_capacity", 0);
    info.weka_backend_instances = Instances(j.value("weka_backend_instances", json()));
    info.nfs_backend_instances = Instances(j.value("nfs_backend_instances", json()));
    if (j.contains("nfs_interface_group_instance_ips") &&
        j["nfs_interface_group_instance_ips"].is_object()) {
      for (const auto& [ip, v] : j["nfs_interface_group_instance_ips"].items()) {
        info.nfs_interface_group_instance_ips.push_back(ip);
      }
    }
    info.down_backends_removal_timeout_ns = j.value("down_backends_removal_timeout", int64_t{0});
    if (j.contains("backend_ips") && j["backend_ips"].is_array()) {
      info.backend_ips = j["backend_ips"].get<std::vector<std::string>>();
    }
    if (j.contains("live_instances") && j["live_instances"].is_array()) {
      info.live_instances = Instances(j["live_instances"]);
    }
    info.version = j.value("version", 1);
  } catch (const json::exception& e) {
    return InvalidArgumentError(std::string("the scale-down input is malformed: ") + e.what());
  }
  return info;
}

Status ValidateScaleDownInput(const HostGroupInfo& info) {
  if (info.username.empty()) {
    return InvalidArgumentError("username is empty");
  }
  if (info.password.empty()) {
    return InvalidArgumentError("password is empty");
  }
  if (info.role.empty()) {
    return InvalidArgumentError("role is empty");
  }
  if (info.weka_backends_desired_capacity <= 0) {
    return InvalidArgumentError("weka_backends_desired_capacity must be positive");
  }
  if (info.down_backends_removal_timeout_ns <= 0) {
    return InvalidArgumentError("down_backends_removal_timeout must be positive");
  }
  return OkStatus();
}

Result<json> ScaleDown(const HostGroupInfo& info, WekaRpc& rpc, TimePoint now, double time_scale) {
  Run run(info, rpc, now, time_scale);
  return run.Execute();
}

}  // namespace cf::control
