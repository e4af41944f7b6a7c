#include "cloud/wekasim/cluster_model.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>

#include "base/crypto.h"
#include "base/strings.h"

namespace cf::cloud::wekasim {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Device, path, model, serial, size_bytes,
                                                instance_store)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MachineInfo, instance_id, private_ip, instance_type,
                                                vcpus, memory_bytes, devices)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LocalContainer, name, base_port, cores, drive_cores,
                                                compute_cores, frontend_cores, memory,
                                                failure_domain, net, running, client)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Machine, info, installed, version, containers,
                                                cluster, signed_devices, mounts, labels, alive,
                                                login_user)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Host, id, instance_id, container_name, hostname, ip,
                                                port, mode, state, status, added_ms,
                                                state_changed_ms, failure_domain, cores,
                                                drive_cores, compute_cores, frontend_cores, memory)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Drive, id, uuid, host_id, device, serial,
                                                size_bytes, status, should_be_active, added_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Node, id, host_id, role, status, up_since_ms,
                                                fenced_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(User, name, role, password_sha256)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Token, user, refresh, expires_ms)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Filesystem, name, group, total_bytes, obs)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Event, ms, type, text)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Cluster, guid, name, created_ms, io_status,
                                                io_status_changed_ms, data_drives, parity_drives,
                                                hot_spare, next_host, next_drive, hosts, drives,
                                                nodes, users, tokens, fs_groups, filesystems, obs,
                                                events, muted_alerts, cloud_enabled, cloud_proxy,
                                                nfs_config_fs, dataservice_config_fs)

namespace {

constexpr int kNodesPerHost = 20;             // NodeId<host*20> is the management node
constexpr int64_t kTokenLifetimeMs = 300000;  // WEKA's access tokens last 5 minutes
constexpr size_t kEventLimit = 1000;

std::string PasswordHash(const std::string& password) {
  return Sha256Hex("wekasim:" + password);
}

bool IsActiveDrive(const Cluster& cluster, const Drive& drive) {
  if (drive.status != "ACTIVE" || !drive.should_be_active || drive.host_id < 0) {
    return false;
  }
  for (const Host& host : cluster.hosts) {
    if (host.id == drive.host_id) {
      return host.state == "ACTIVE";
    }
  }
  return false;
}

std::string DomainOf(const Cluster& cluster, int host_id) {
  for (const Host& host : cluster.hosts) {
    if (host.id == host_id) {
      return host.failure_domain.empty() ? host.ip : host.failure_domain;
    }
  }
  return "";
}

int64_t Usable(int64_t raw, int domains, int data, int parity, int hot_spare) {
  if (domains <= 0 || raw <= 0) {
    return 0;
  }
  double share = data > 0 && parity > 0 ? static_cast<double>(data) / (data + parity) : 1.0;
  int spare = std::min(hot_spare, domains);
  return std::llround(static_cast<double>(raw) * (domains - spare) / domains * share);
}

}  // namespace

std::string PrefixedId(const char* prefix, int id) {
  if (id < 0) {
    return fmt::format("{}<INVALID>", prefix);
  }
  return fmt::format("{}<{}>", prefix, id);
}

std::optional<int> ParsePrefixedId(const std::string& prefix, const std::string& text) {
  std::string head = prefix + "<";
  if (text.rfind(head, 0) != 0 || text.back() != '>') {
    return std::nullopt;
  }
  std::string inner = text.substr(head.size(), text.size() - head.size() - 1);
  if (inner == "INVALID") {
    return -1;
  }
  if (inner.empty() || inner.find_first_not_of("0123456789") != std::string::npos ||
      inner.size() > 9) {
    return std::nullopt;
  }
  return std::stoi(inner);
}

Result<int64_t> ParseSize(const std::string& text) {
  size_t end = 0;
  while (end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.')) {
    ++end;
  }
  std::string number = text.substr(0, end);
  std::string unit = text.substr(end);
  if (number.empty() || std::count(number.begin(), number.end(), '.') > 1) {
    return InvalidArgumentError(fmt::format("error: Invalid capacity \"{}\"", text));
  }
  static const std::map<std::string, double> kUnits = {{"", 1},
                                                       {"B", 1},
                                                       {"KB", 1e3},
                                                       {"MB", 1e6},
                                                       {"GB", 1e9},
                                                       {"TB", 1e12},
                                                       {"PB", 1e15},
                                                       {"KiB", 1024.0},
                                                       {"MiB", 1048576.0},
                                                       {"GiB", 1073741824.0},
                                                       {"TiB", 1099511627776.0},
                                                       {"PiB", 1125899906842624.0}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end()) {
    return InvalidArgumentError(fmt::format("error: Invalid capacity \"{}\"", text));
  }
  double bytes = std::stod(number) * it->second;
  if (bytes > 9e18) {
    return InvalidArgumentError(fmt::format("error: Invalid capacity \"{}\"", text));
  }
  return static_cast<int64_t>(bytes);
}

ClusterModel::ClusterModel(const Clock& clock, std::function<std::string(size_t)> random_hex)
    : clock_(clock), random_hex_(std::move(random_hex)) {}

int64_t ClusterModel::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
      .count();
}

std::string ClusterModel::Time(int64_t ms) const {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}000Z", buffer, static_cast<int>(ms % 1000));
}

std::string ClusterModel::NewUuid() {
  std::string hex = random_hex_(32);
  hex[12] = '4';
  hex[16] = "89ab"[HexDigitValue(hex[16]) & 3];
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

// --- machines ---

Machine& ClusterModel::EnsureMachine(const MachineInfo& info) {
  Machine& machine = machines_[info.instance_id];
  machine.info = info;
  return machine;
}

Machine* ClusterModel::FindMachine(const std::string& instance_id) {
  auto it = machines_.find(instance_id);
  return it == machines_.end() ? nullptr : &it->second;
}

Machine* ClusterModel::FindMachineByIp(const std::string& ip) {
  for (auto& [id, machine] : machines_) {
    if (machine.info.private_ip == ip) {
      return &machine;
    }
  }
  return nullptr;
}

void ClusterModel::Install(Machine& machine, const std::string& version) {
  machine.installed = true;
  machine.version = version;
  bool has_default = false;
  for (const LocalContainer& c : machine.containers) {
    has_default = has_default || c.name == "default";
  }
  if (!has_default && machine.containers.empty()) {
    LocalContainer def;
    def.name = "default";
    machine.containers.push_back(def);
  }
}

bool ClusterModel::Serving(const Machine& machine) {
  if (!machine.alive) {
    return false;
  }
  for (const LocalContainer& c : machine.containers) {
    if (c.running) {
      return true;
    }
  }
  return false;
}

Status ClusterModel::SetupContainer(Machine& machine, LocalContainer container,
                                    const std::vector<std::string>& join_ips) {
  if (!machine.installed) {
    return ConflictError("error: weka is not installed on this machine");
  }
  if (container.name.empty()) {
    return InvalidArgumentError("error: Missing option '--name'");
  }
  for (const LocalContainer& c : machine.containers) {
    if (c.name == container.name) {
      return ConflictError(fmt::format("error: Container \"{}\" already exists", c.name));
    }
  }
  int used = 0;
  for (const LocalContainer& c : machine.containers) {
    used += c.cores;
  }
  if (container.cores + used > machine.info.vcpus / 2 - 1 && !container.client &&
      container.cores > 0) {
    return InvalidArgumentError(fmt::format(
        "error: Not enough cores: {} requested, {} of {} physical cores (core 0 is kept for "
        "the OS) are free",
        container.cores, std::max(0, machine.info.vcpus / 2 - 1 - used), machine.info.vcpus / 2));
  }
  Cluster* target = nullptr;
  if (!join_ips.empty()) {
    for (const std::string& entry : join_ips) {
      std::string ip = entry.substr(0, entry.find(':'));
      Machine* other = FindMachineByIp(ip);
      if (other != nullptr && other != &machine && !other->cluster.empty() && Serving(*other)) {
        target = FindCluster(other->cluster);
        break;
      }
    }
    if (target == nullptr) {
      return UnavailableError(
          "error: Failed joining the cluster: none of the --join-ips answers as a cluster member");
    }
    if (!machine.cluster.empty() && machine.cluster != target->guid) {
      return ConflictError("error: This machine's containers belong to another cluster");
    }
  }
  container.running = true;
  machine.containers.push_back(container);
  if (target != nullptr) {
    machine.cluster = target->guid;
    int id = AddHost(*target, machine, machine.containers.back());
    AddEvent(*target, "HostAdded",
             fmt::format("Container {} ({}) joined the cluster as {}", container.name,
                         machine.info.private_ip, PrefixedId("HostId", id)));
  }
  return OkStatus();
}

Status ClusterModel::SetRunning(Machine& machine, const std::string& name, bool running) {
  bool found = false;
  for (LocalContainer& c : machine.containers) {
    if (name.empty() || c.name == name) {
      c.running = running;
      found = true;
    }
  }
  if (!found && !name.empty()) {
    return NotFoundError(fmt::format("error: Container \"{}\" was not found", name));
  }
  if (Cluster* cluster = FindCluster(machine.cluster)) {
    int64_t now = NowMs();
    for (Host& host : cluster->hosts) {
      if (host.instance_id != machine.info.instance_id ||
          (!name.empty() && host.container_name != name)) {
        continue;
      }
      std::string status = running ? "UP" : "DOWN";
      if (host.state == "ACTIVE" && host.status != status) {
        host.status = status;
        host.state_changed_ms = now;
        for (Node& node : cluster->nodes) {
          if (node.host_id == host.id) {
            node.status = status;
            node.up_since_ms = running ? now : 0;
            node.fenced_ms = running ? node.fenced_ms : now;
          }
        }
        for (Drive& drive : cluster->drives) {
          if (drive.host_id == host.id && drive.should_be_active) {
            drive.status = running ? "ACTIVE" : "INACTIVE";
          }
        }
      }
    }
  }
  return OkStatus();
}

Status ClusterModel::RemoveContainer(Machine& machine, const std::string& name, bool force) {
  auto before = machine.containers.size();
  std::erase_if(machine.containers,
                [&](const LocalContainer& c) { return name == "--all" || c.name == name; });
  if (before == machine.containers.size() && !force && name != "--all") {
    return NotFoundError(fmt::format("error: Container \"{}\" was not found", name));
  }
  return OkStatus();
}

void ClusterModel::MachineEnded(const std::string& instance_id) {
  Machine* machine = FindMachine(instance_id);
  if (machine == nullptr) {
    return;
  }
  machine->alive = false;
  Cluster* cluster = FindCluster(machine->cluster);
  if (cluster == nullptr) {
    return;
  }
  int64_t now = NowMs();
  std::set<int> down;
  for (Host& host : cluster->hosts) {
    if (host.instance_id == instance_id && host.status != "DOWN" && host.state == "ACTIVE") {
      host.status = "DOWN";
      host.state_changed_ms = now;
      down.insert(host.id);
    }
  }
  for (Node& node : cluster->nodes) {
    if (down.count(node.host_id) != 0) {
      node.status = "DOWN";
      node.fenced_ms = now;
      node.up_since_ms = 0;
    }
  }
  for (Drive& drive : cluster->drives) {
    if (down.count(drive.host_id) != 0 && drive.status == "ACTIVE") {
      drive.status = "INACTIVE";
    }
  }
  if (!down.empty()) {
    AddEvent(*cluster, "NodeDisconnected",
             fmt::format("Machine {} ({}) stopped answering: its containers are DOWN",
                         machine->info.private_ip, instance_id));
  }
}

void ClusterModel::MachineBooted(const std::string& instance_id) {
  Machine* machine = FindMachine(instance_id);
  if (machine == nullptr) {
    return;
  }
  machine->alive = true;
  Cluster* cluster = FindCluster(machine->cluster);
  if (cluster == nullptr) {
    return;
  }
  int64_t now = NowMs();
  std::set<int> up;
  for (Host& host : cluster->hosts) {
    if (host.instance_id != instance_id || host.state != "ACTIVE") {
      continue;
    }
    bool running = false;
    for (const LocalContainer& c : machine->containers) {
      running = running || (c.name == host.container_name && c.running);
    }
    if (running && host.status == "DOWN") {
      host.status = "UP";
      host.state_changed_ms = now;
      up.insert(host.id);
    }
  }
  for (Node& node : cluster->nodes) {
    if (up.count(node.host_id) != 0) {
      node.status = "UP";
      node.up_since_ms = now;
    }
  }
  for (Drive& drive : cluster->drives) {
    if (up.count(drive.host_id) != 0 && drive.should_be_active && drive.status == "INACTIVE") {
      drive.status = "ACTIVE";
    }
  }
}

// --- clusters ---

int ClusterModel::AddHost(Cluster& cluster, const Machine& machine,
                          const LocalContainer& container) {
  int64_t now = NowMs();
  Host host;
  host.id = cluster.next_host++;
  host.instance_id = machine.info.instance_id;
  host.container_name = container.name;
  host.hostname = machine.info.instance_id + "-" + container.name;
  host.ip = machine.info.private_ip;
  host.port = container.base_port;
  host.mode = container.client ? "client" : "backend";
  host.status = container.running && machine.alive ? "UP" : "DOWN";
  host.added_ms = now;
  host.state_changed_ms = now;
  host.failure_domain = container.failure_domain;
  host.cores = container.cores;
  host.drive_cores = container.drive_cores;
  host.compute_cores = container.compute_cores;
  host.frontend_cores = container.frontend_cores;
  host.memory = container.memory;
  cluster.hosts.push_back(host);
  auto add_node = [&](int id, const std::string& role) {
    Node node;
    node.id = id;
    node.host_id = host.id;
    node.role = role;
    node.status = host.status;
    node.up_since_ms = host.status == "UP" ? now : 0;
    cluster.nodes.push_back(node);
  };
  add_node(host.id * kNodesPerHost, "MANAGEMENT");
  int slot = 1;
  for (int i = 0; i < container.drive_cores && slot < kNodesPerHost; ++i) {
    add_node(host.id * kNodesPerHost + slot++, "DRIVES");
  }
  for (int i = 0; i < container.compute_cores && slot < kNodesPerHost; ++i) {
    add_node(host.id * kNodesPerHost + slot++, "COMPUTE");
  }
  int frontends = container.client ? 1 : container.frontend_cores;
  for (int i = 0; i < frontends && slot < kNodesPerHost; ++i) {
    add_node(host.id * kNodesPerHost + slot++, "FRONTEND");
  }
  return host.id;
}

Result<std::string> ClusterModel::CreateCluster(Machine& machine,
                                                const std::vector<std::string>& names,
                                                const std::vector<std::string>& host_ips,
                                                const std::string& admin_password) {
  if (names.empty()) {
    return InvalidArgumentError("error: Missing argument 'host-hostnames'");
  }
  // --host-ips: one entry per name; "ip:14000,ip:15000" may come as one group per machine
  // (real WEKA accepts "ip+ip" for multiple NICs; the port picks the container).
  std::vector<std::string> ips = host_ips;
  if (!ips.empty() && ips.size() != names.size()) {
    return InvalidArgumentError(fmt::format(
        "error: --host-ips has {} entries but {} host names were given", ips.size(), names.size()));
  }
  std::vector<std::pair<Machine*, LocalContainer*>> members;
  std::set<std::string> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (!seen.insert(name).second) {
      return InvalidArgumentError(fmt::format("error: Host name {} is given twice", name));
    }
    size_t dash = name.rfind('-');
    Machine* member = dash == std::string::npos ? nullptr : FindMachine(name.substr(0, dash));
    LocalContainer* container = nullptr;
    if (member != nullptr) {
      for (LocalContainer& c : member->containers) {
        if (c.name == name.substr(dash + 1)) {
          container = &c;
        }
      }
    }
    if (container == nullptr) {
      return NotFoundError(
          fmt::format("error: Host {} is unreachable: no such container was set up", name));
    }
    if (!container->running || !member->alive) {
      return UnavailableError(
          fmt::format("error: Host {} is unreachable: its container is "
                      "not running",
                      name));
    }
    if (!member->cluster.empty()) {
      return ConflictError(fmt::format("error: Host {} already belongs to a cluster", name));
    }
    if (!ips.empty()) {
      std::string entry = ips[i];
      std::string ip = entry.substr(0, entry.find(':'));
      std::string port =
          entry.find(':') == std::string::npos ? "" : entry.substr(entry.find(':') + 1);
      if (ip != member->info.private_ip ||
          (!port.empty() && port != std::to_string(container->base_port))) {
        return InvalidArgumentError(fmt::format("error: Host {} is not at {} (it listens on {}:{})",
                                                name, entry, member->info.private_ip,
                                                container->base_port));
      }
    }
    members.push_back({member, container});
  }
  Cluster cluster;
  cluster.guid = NewUuid();
  cluster.created_ms = NowMs();
  cluster.io_status_changed_ms = cluster.created_ms;
  cluster.name = "wekasim";
  User admin;
  admin.name = "admin";
  admin.role = "ClusterAdmin";
  admin.password_sha256 = PasswordHash(admin_password.empty() ? "admin" : admin_password);
  cluster.users.push_back(admin);
  for (auto& [member, container] : members) {
    member->cluster = cluster.guid;
    AddHost(cluster, *member, *container);
  }
  AddEvent(cluster, "ClusterCreated",
           fmt::format("Cluster created with {} containers ({})", members.size(), kRelease));
  std::string guid = cluster.guid;
  clusters_[guid] = std::move(cluster);
  (void)machine;
  return guid;
}

Cluster* ClusterModel::FindCluster(const std::string& guid) {
  if (guid.empty()) {
    return nullptr;
  }
  auto it = clusters_.find(guid);
  return it == clusters_.end() ? nullptr : &it->second;
}

Result<Cluster*> ClusterModel::ClusterOf(Machine& machine) {
  Cluster* cluster = FindCluster(machine.cluster);
  if (cluster == nullptr) {
    return ConflictError("error: This host is not part of a cluster");
  }
  return cluster;
}

// --- users ---

Status ClusterModel::CheckPassword(const Cluster& cluster, const std::string& user,
                                   const std::string& password) const {
  for (const User& u : cluster.users) {
    if (u.name == user && ConstantTimeEquals(u.password_sha256, PasswordHash(password))) {
      return OkStatus();
    }
  }
  return PermissionDeniedError("error: Authentication failed: wrong username or password");
}

Result<LoginTokens> ClusterModel::Login(Cluster& cluster, const std::string& user,
                                        const std::string& password) {
  RETURN_IF_ERROR(CheckPassword(cluster, user, password));
  LoginTokens tokens;
  tokens.access_token = random_hex_(48);
  tokens.refresh_token = random_hex_(48);
  tokens.expires_in = static_cast<int>(kTokenLifetimeMs / 1000);
  int64_t now = NowMs();
  std::erase_if(cluster.tokens, [now](const auto& entry) {
    return entry.second.expires_ms + 24 * 3600 * 1000 < now;
  });
  cluster.tokens[tokens.access_token] = Token{user, tokens.refresh_token, now + kTokenLifetimeMs};
  return tokens;
}

Result<LoginTokens> ClusterModel::Refresh(Cluster& cluster, const std::string& refresh_token) {
  for (auto it = cluster.tokens.begin(); it != cluster.tokens.end(); ++it) {
    if (!refresh_token.empty() && it->second.refresh == refresh_token) {
      std::string user = it->second.user;
      cluster.tokens.erase(it);
      LoginTokens tokens;
      tokens.access_token = random_hex_(48);
      tokens.refresh_token = random_hex_(48);
      tokens.expires_in = static_cast<int>(kTokenLifetimeMs / 1000);
      cluster.tokens[tokens.access_token] =
          Token{user, tokens.refresh_token, NowMs() + kTokenLifetimeMs};
      return tokens;
    }
  }
  return PermissionDeniedError("Invalid refresh token");
}

Result<std::string> ClusterModel::UserOfToken(Cluster& cluster, const std::string& token) {
  auto it = cluster.tokens.find(token);
  if (it == cluster.tokens.end() || it->second.expires_ms < NowMs()) {
    return PermissionDeniedError("Authentication failed: the access token is invalid or expired");
  }
  return it->second.user;
}

Status ClusterModel::AddUser(Cluster& cluster, const std::string& name, const std::string& role,
                             const std::string& password) {
  static const std::set<std::string> kRoles = {"clusteradmin", "orgadmin", "regular",
                                               "readonly",     "s3",       "csi"};
  std::string lower = role;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (kRoles.count(lower) == 0) {
    return InvalidArgumentError(fmt::format(
        "error: Invalid role \"{}\" (one of clusteradmin, orgadmin, regular, readonly, s3, csi)",
        role));
  }
  if (name.empty() || password.size() < 8) {
    return InvalidArgumentError(
        "error: A user needs a name and a password of at least 8 characters");
  }
  for (const User& u : cluster.users) {
    if (u.name == name) {
      return ConflictError(fmt::format("error: User {} already exists", name));
    }
  }
  cluster.users.push_back(User{name, role, PasswordHash(password)});
  return OkStatus();
}

// --- drives and protection ---

Host* ClusterModel::FindHost(Cluster& cluster, int host_id) {
  for (Host& host : cluster.hosts) {
    if (host.id == host_id) {
      return &host;
    }
  }
  return nullptr;
}

Drive* ClusterModel::FindDrive(Cluster& cluster, const std::string& uuid) {
  for (Drive& drive : cluster.drives) {
    if (drive.uuid == uuid) {
      return &drive;
    }
  }
  return nullptr;
}

Result<std::vector<int>> ClusterModel::AddDrives(Cluster& cluster, int host_id,
                                                 const std::vector<std::string>& devices) {
  Host* host = FindHost(cluster, host_id);
  if (host == nullptr) {
    return NotFoundError(fmt::format("error: Unknown host {}", PrefixedId("HostId", host_id)));
  }
  if (host->mode != "backend" || host->container_name.find("drive") == std::string::npos) {
    return InvalidArgumentError(
        fmt::format("error: {} ({}) has no drives process: drives are added to a drives container",
                    PrefixedId("HostId", host_id), host->hostname));
  }
  if (host->status != "UP" || host->state != "ACTIVE") {
    return UnavailableError(fmt::format("error: {} is {}/{}: cannot add drives",
                                        PrefixedId("HostId", host_id), host->state, host->status));
  }
  if (devices.empty()) {
    return InvalidArgumentError("error: Missing argument 'device-paths'");
  }
  Machine* machine = FindMachine(host->instance_id);
  std::vector<const Device*> found;
  for (const std::string& path : devices) {
    const Device* device = nullptr;
    if (machine != nullptr) {
      for (const Device& d : machine->info.devices) {
        if (d.path == path) {
          device = &d;
        }
      }
    }
    if (device == nullptr) {
      return NotFoundError(
          fmt::format("error: Device {} does not exist on host {}", path, host->hostname));
    }
    if (machine->mounts.count(path) != 0 || machine->labels.count(path) != 0) {
      return ConflictError(fmt::format("error: Device {} is in use (it holds a filesystem)", path));
    }
    for (const Drive& drive : cluster.drives) {
      if (drive.serial == device->serial) {
        return ConflictError(fmt::format("error: Device {} is already a drive of the cluster ({})",
                                         path, PrefixedId("DiskId", drive.id)));
      }
    }
    found.push_back(device);
  }
  std::vector<int> ids;
  int64_t now = NowMs();
  for (const Device* device : found) {
    Drive drive;
    drive.id = cluster.next_drive++;
    drive.uuid = NewUuid();
    drive.host_id = host_id;
    drive.device = device->path;
    drive.serial = device->serial;
    drive.size_bytes = device->size_bytes;
    drive.added_ms = now;
    cluster.drives.push_back(drive);
    ids.push_back(drive.id);
  }
  AddEvent(cluster, "DriveAdded",
           fmt::format("{} drive(s) added to {}", ids.size(), host->hostname));
  return ids;
}

Result<std::vector<int>> ClusterModel::ScanDrives(Cluster& cluster, int host_id) {
  Host* host = FindHost(cluster, host_id);
  if (host == nullptr) {
    return NotFoundError(fmt::format("error: Unknown host {}", PrefixedId("HostId", host_id)));
  }
  Machine* machine = FindMachine(host->instance_id);
  std::vector<std::string> pending;
  if (machine != nullptr) {
    for (const std::string& path : machine->signed_devices) {
      bool added = false;
      for (const Device& d : machine->info.devices) {
        for (const Drive& drive : cluster.drives) {
          added = added || (d.path == path && drive.serial == d.serial);
        }
      }
      if (!added) {
        pending.push_back(path);
      }
    }
  }
  if (pending.empty()) {
    return NotFoundError(fmt::format("error: No signed drives found on {} to add", host->hostname));
  }
  return AddDrives(cluster, host_id, pending);
}

int ClusterModel::ActiveFailureDomains(const Cluster& cluster) const {
  std::set<std::string> domains;
  for (const Drive& drive : cluster.drives) {
    if (IsActiveDrive(cluster, drive)) {
      domains.insert(DomainOf(cluster, drive.host_id));
    }
  }
  return static_cast<int>(domains.size());
}

Capacity ClusterModel::CapacityWithout(const Cluster& cluster,
                                       const std::vector<int>& drive_ids) const {
  Capacity capacity;
  std::set<std::string> domains;
  for (const Drive& drive : cluster.drives) {
    if (!IsActiveDrive(cluster, drive) ||
        std::find(drive_ids.begin(), drive_ids.end(), drive.id) != drive_ids.end()) {
      continue;
    }
    capacity.raw_bytes += drive.size_bytes;
    domains.insert(DomainOf(cluster, drive.host_id));
  }
  int n = static_cast<int>(domains.size());
  capacity.total_bytes =
      Usable(capacity.raw_bytes, n, cluster.data_drives, cluster.parity_drives, cluster.hot_spare);
  capacity.hot_spare_bytes =
      Usable(capacity.raw_bytes, n, cluster.data_drives, cluster.parity_drives, 0) -
      capacity.total_bytes;
  for (const Filesystem& fs : cluster.filesystems) {
    capacity.provisioned_bytes += fs.total_bytes;
  }
  capacity.unprovisioned_bytes =
      std::max<int64_t>(0, capacity.total_bytes - capacity.provisioned_bytes);
  return capacity;
}

Capacity ClusterModel::CapacityOf(const Cluster& cluster) const {
  return CapacityWithout(cluster, {});
}

Status ClusterModel::CheckProtection(const Cluster& cluster,
                                     const std::vector<int>& drive_ids) const {
  if (cluster.io_status != "STARTED") {
    return OkStatus();
  }
  std::set<std::string> domains;
  for (const Drive& drive : cluster.drives) {
    if (IsActiveDrive(cluster, drive) &&
        std::find(drive_ids.begin(), drive_ids.end(), drive.id) == drive_ids.end()) {
      domains.insert(DomainOf(cluster, drive.host_id));
    }
  }
  int stripe = cluster.data_drives + cluster.parity_drives;
  int left = static_cast<int>(domains.size());
  if (left < stripe) {
    return ConflictError(fmt::format(
        "Cannot deactivate: the cluster would be left with {} failure domains holding active "
        "drives, fewer than its stripe width of {} ({} data + {} parity drives)",
        left, stripe, cluster.data_drives, cluster.parity_drives));
  }
  Capacity after = CapacityWithout(cluster, drive_ids);
  if (after.total_bytes < after.provisioned_bytes) {
    return ConflictError(fmt::format(
        "Cannot deactivate: the remaining drives give {} bytes of usable capacity, less than the "
        "{} bytes the filesystems provision",
        after.total_bytes, after.provisioned_bytes));
  }
  return OkStatus();
}

Status ClusterModel::UpdateCluster(Cluster& cluster, const std::string& name, int data_drives,
                                   int parity_drives) {
  int data = data_drives > 0 ? data_drives : cluster.data_drives;
  int parity = parity_drives > 0 ? parity_drives : cluster.parity_drives;
  if (data_drives > 0 && (data < 3 || data > 16)) {
    return InvalidArgumentError(
        fmt::format("error: --data-drives must be between 3 and 16 (got {})", data));
  }
  if (parity_drives > 0 && (parity < 2 || parity > 4)) {
    return InvalidArgumentError(
        fmt::format("error: --parity-drives must be 2, 3 or 4 (got {})", parity));
  }
  if ((data_drives > 0 || parity_drives > 0) && cluster.io_status == "STARTED") {
    return ConflictError("error: The stripe width cannot change once IO has started");
  }
  if (data_drives > 0 || parity_drives > 0) {
    int domains = ActiveFailureDomains(cluster);
    if (data > 0 && parity > 0 && data + parity > domains) {
      return InvalidArgumentError(fmt::format(
          "error: A stripe of {}+{} needs at least {} failure domains with active drives; the "
          "cluster has {}",
          data, parity, data + parity, domains));
    }
  }
  if (!name.empty()) {
    cluster.name = name;
  }
  cluster.data_drives = data;
  cluster.parity_drives = parity;
  return OkStatus();
}

Status ClusterModel::SetHotSpare(Cluster& cluster, int hot_spare) {
  if (hot_spare < 0) {
    return InvalidArgumentError("error: hot-spare must be 0 or more");
  }
  int domains = ActiveFailureDomains(cluster);
  int stripe = cluster.data_drives + cluster.parity_drives;
  if (stripe > 0 && stripe + hot_spare > domains) {
    return InvalidArgumentError(fmt::format(
        "error: {} hot spare(s) with a stripe width of {} need {} failure domains; the cluster "
        "has {}",
        hot_spare, stripe, stripe + hot_spare, domains));
  }
  cluster.hot_spare = hot_spare;
  return OkStatus();
}

Status ClusterModel::StartIo(Cluster& cluster) {
  if (cluster.io_status == "STARTED") {
    return OkStatus();
  }
  int domains = ActiveFailureDomains(cluster);
  if (domains == 0) {
    return ConflictError("error: Cannot start IO: the cluster has no active drives");
  }
  int data = cluster.data_drives;
  int parity = cluster.parity_drives;
  if (data == 0 || parity == 0) {
    // WEKA picks the stripe itself when it was not set: the widest that fits, up to 16.
    parity = parity == 0 ? 2 : parity;
    data = std::min(16, domains - parity - cluster.hot_spare);
  }
  int stripe = data + parity;
  if (data < 3 || stripe + cluster.hot_spare > domains) {
    return ConflictError(fmt::format(
        "error: Cannot start IO: a stripe of {}+{} with {} hot spare(s) needs {} failure domains "
        "with active drives; the cluster has {}",
        data, parity, cluster.hot_spare, stripe + cluster.hot_spare, domains));
  }
  cluster.data_drives = data;
  cluster.parity_drives = parity;
  cluster.io_status = "STARTED";
  cluster.io_status_changed_ms = NowMs();
  AddEvent(cluster, "IOStarted", "IO started");
  return OkStatus();
}

// --- deactivation and removal ---

Status ClusterModel::DeactivateDrives(Cluster& cluster, const std::vector<std::string>& uuids) {
  std::vector<int> ids;
  for (const std::string& uuid : uuids) {
    Drive* drive = FindDrive(cluster, uuid);
    if (drive == nullptr) {
      return NotFoundError(fmt::format("Unknown drive {}", uuid));
    }
    ids.push_back(drive->id);
  }
  RETURN_IF_ERROR(CheckProtection(cluster, ids));
  for (const std::string& uuid : uuids) {
    Drive* drive = FindDrive(cluster, uuid);
    drive->should_be_active = false;
    drive->status = "INACTIVE";
  }
  return OkStatus();
}

Status ClusterModel::DeactivateHosts(Cluster& cluster, const std::vector<int>& host_ids,
                                     bool skip_resource_validation) {
  std::vector<int> drive_ids;
  for (int id : host_ids) {
    Host* host = FindHost(cluster, id);
    if (host == nullptr) {
      return NotFoundError(fmt::format("Unknown host {}", PrefixedId("HostId", id)));
    }
    for (const Drive& drive : cluster.drives) {
      if (drive.host_id == id) {
        drive_ids.push_back(drive.id);
      }
    }
  }
  if (!skip_resource_validation) {
    RETURN_IF_ERROR(CheckProtection(cluster, drive_ids));
  }
  int64_t now = NowMs();
  for (int id : host_ids) {
    Host* host = FindHost(cluster, id);
    host->state = "INACTIVE";
    host->status = "INACTIVE";
    host->state_changed_ms = now;
    for (Drive& drive : cluster.drives) {
      if (drive.host_id == id) {
        drive.should_be_active = false;
        drive.status = "INACTIVE";
      }
    }
    AddEvent(cluster, "HostDeactivated",
             fmt::format("{} ({}) deactivated", PrefixedId("HostId", id), host->hostname));
  }
  return OkStatus();
}

Status ClusterModel::RemoveHost(Cluster& cluster, int host_id) {
  Host* host = FindHost(cluster, host_id);
  if (host == nullptr) {
    return NotFoundError(fmt::format("Unknown host {}", PrefixedId("HostId", host_id)));
  }
  if (host->state != "INACTIVE") {
    return ConflictError(fmt::format("{} is {}: deactivate it before removing it",
                                     PrefixedId("HostId", host_id), host->state));
  }
  std::string instance_id = host->instance_id;
  std::string container = host->container_name;
  for (Drive& drive : cluster.drives) {
    if (drive.host_id == host_id) {
      drive.host_id = -1;
    }
  }
  std::erase_if(cluster.nodes, [host_id](const Node& n) { return n.host_id == host_id; });
  std::erase_if(cluster.hosts, [host_id](const Host& h) { return h.id == host_id; });
  AddEvent(
      cluster, "HostRemoved",
      fmt::format("{} ({}-{}) removed", PrefixedId("HostId", host_id), instance_id, container));
  bool member = false;
  for (const Host& h : cluster.hosts) {
    member = member || h.instance_id == instance_id;
  }
  Machine* machine = FindMachine(instance_id);
  if (!member && machine != nullptr) {
    machine->cluster.clear();
  }
  return OkStatus();
}

Status ClusterModel::RemoveDrives(Cluster& cluster, const std::vector<std::string>& uuids) {
  for (const std::string& uuid : uuids) {
    Drive* drive = FindDrive(cluster, uuid);
    if (drive == nullptr) {
      return NotFoundError(fmt::format("Unknown drive {}", uuid));
    }
    if (drive->status != "INACTIVE") {
      return ConflictError(
          fmt::format("Drive {} is {}: deactivate it before removing it", uuid, drive->status));
    }
  }
  std::erase_if(cluster.drives, [&](const Drive& d) {
    return std::find(uuids.begin(), uuids.end(), d.uuid) != uuids.end();
  });
  return OkStatus();
}

// --- filesystems, events ---

Status ClusterModel::CreateFsGroup(Cluster& cluster, const std::string& name) {
  if (name.empty()) {
    return InvalidArgumentError("error: Missing argument 'name'");
  }
  if (std::find(cluster.fs_groups.begin(), cluster.fs_groups.end(), name) !=
      cluster.fs_groups.end()) {
    return ConflictError(fmt::format("error: Filesystem group {} already exists", name));
  }
  cluster.fs_groups.push_back(name);
  return OkStatus();
}

Status ClusterModel::CreateFilesystem(Cluster& cluster, const std::string& name,
                                      const std::string& group, int64_t bytes) {
  if (cluster.io_status != "STARTED") {
    return ConflictError("error: Cannot create a filesystem before IO has started");
  }
  if (std::find(cluster.fs_groups.begin(), cluster.fs_groups.end(), group) ==
      cluster.fs_groups.end()) {
    return NotFoundError(fmt::format("error: Filesystem group {} does not exist", group));
  }
  for (const Filesystem& fs : cluster.filesystems) {
    if (fs.name == name) {
      return ConflictError(fmt::format("error: Filesystem {} already exists", name));
    }
  }
  Capacity capacity = CapacityOf(cluster);
  if (bytes <= 0 || bytes > capacity.unprovisioned_bytes) {
    return ConflictError(fmt::format(
        "error: Not enough available SSD capacity: {} bytes requested, {} bytes unprovisioned",
        bytes, capacity.unprovisioned_bytes));
  }
  cluster.filesystems.push_back(Filesystem{name, group, bytes, ""});
  AddEvent(cluster, "FilesystemCreated", fmt::format("Filesystem {} created", name));
  return OkStatus();
}

Status ClusterModel::UpdateFilesystem(Cluster& cluster, const std::string& name,
                                      int64_t total_bytes) {
  for (Filesystem& fs : cluster.filesystems) {
    if (fs.name == name) {
      // With an object store attached the total may exceed SSD capacity (tiering).
      if (fs.obs.empty()) {
        Capacity capacity = CapacityOf(cluster);
        if (total_bytes - fs.total_bytes > capacity.unprovisioned_bytes) {
          return ConflictError("error: Not enough available SSD capacity");
        }
      }
      fs.total_bytes = total_bytes;
      return OkStatus();
    }
  }
  return NotFoundError(fmt::format("error: Filesystem {} does not exist", name));
}

void ClusterModel::AddEvent(Cluster& cluster, const std::string& type, const std::string& text) {
  cluster.events.push_back(Event{NowMs(), type, text});
  if (cluster.events.size() > kEventLimit) {
    cluster.events.erase(cluster.events.begin());
  }
}

Status ClusterModel::MountClient(Machine& machine, const std::string& backend_ip,
                                 const std::string& fs, const std::string& mount_point) {
  Machine* backend = FindMachineByIp(backend_ip);
  if (backend == nullptr || backend->cluster.empty() || !Serving(*backend)) {
    return UnavailableError(
        fmt::format("mount: {}: no WEKA backend answers at {}", mount_point, backend_ip));
  }
  Cluster* cluster = FindCluster(backend->cluster);
  bool exists = false;
  for (const Filesystem& f : cluster->filesystems) {
    exists = exists || f.name == fs;
  }
  if (!exists) {
    return NotFoundError(fmt::format("mount: {}: filesystem {} does not exist", mount_point, fs));
  }
  if (machine.cluster.empty()) {
    bool has_client = false;
    for (const LocalContainer& c : machine.containers) {
      has_client = has_client || c.name == "client";
    }
    if (!has_client) {
      LocalContainer client;
      client.name = "client";
      client.client = true;
      client.running = true;
      machine.containers.push_back(client);
    }
    machine.cluster = cluster->guid;
    for (const LocalContainer& c : machine.containers) {
      if (c.name == "client") {
        AddHost(*cluster, machine, c);
      }
    }
  } else if (machine.cluster != cluster->guid) {
    return ConflictError("mount: this machine belongs to another WEKA cluster");
  }
  machine.mounts[mount_point] = backend_ip + "/" + fs;
  return OkStatus();
}

Status ClusterModel::FailDrive(Cluster& cluster, int drive_id) {
  for (Drive& drive : cluster.drives) {
    if (drive.id == drive_id) {
      drive.status = "INACTIVE";
      AddEvent(cluster, "DriveFailed",
               fmt::format("{} failed (injected fault)", PrefixedId("DiskId", drive_id)));
      return OkStatus();
    }
  }
  return NotFoundError(fmt::format("Unknown drive {}", PrefixedId("DiskId", drive_id)));
}

// --- answers ---

Json ClusterModel::StatusJson(const Cluster& cluster) const {
  Capacity capacity = CapacityOf(cluster);
  int backends = 0, backends_active = 0, clients = 0, clients_active = 0;
  std::set<std::string> machines, machines_active;
  for (const Host& host : cluster.hosts) {
    bool active = host.state == "ACTIVE" && host.status == "UP";
    if (host.mode == "client") {
      ++clients;
      clients_active += active ? 1 : 0;
    } else {
      ++backends;
      backends_active += active ? 1 : 0;
      machines.insert(host.ip);
      if (active) {
        machines_active.insert(host.ip);
      }
    }
  }
  int drives_active = 0;
  for (const Drive& drive : cluster.drives) {
    drives_active += IsActiveDrive(cluster, drive) ? 1 : 0;
  }
  int nodes_up = 0;
  for (const Node& node : cluster.nodes) {
    nodes_up += node.status == "UP" ? 1 : 0;
  }
  bool degraded = backends_active < backends;
  Json status = {
      {"simulator", true},
      {"name", cluster.name},
      {"guid", cluster.guid},
      {"release", kRelease},
      {"release_hash", "clusterform-simulator"},
      {"is_cluster", true},
      {"status", degraded ? "DEGRADED" : "OK"},
      {"io_status", cluster.io_status},
      {"io_status_changed_time", Time(cluster.io_status_changed_ms)},
      {"upgrade", ""},
      {"hot_spare", cluster.hot_spare},
      {"stripe_data_drives", cluster.data_drives},
      {"stripe_protection_drives", cluster.parity_drives},
      {"drives", {{"active", drives_active}, {"total", cluster.drives.size()}}},
      {"io_nodes", {{"active", nodes_up}, {"total", cluster.nodes.size()}}},
      {"nodes", {{"black_listed", 0}, {"total", cluster.nodes.size()}}},
      {"hosts",
       {{"active_count", backends_active + clients_active},
        {"backends", {{"active", backends_active}, {"total", backends}}},
        {"clients", {{"active", clients_active}, {"total", clients}}},
        {"total_count", cluster.hosts.size()}}},
      {"machines", {{"active", machines_active.size()}, {"total", machines.size()}}},
      {"cloud",
       {{"enabled", cluster.cloud_enabled},
        {"healthy", false},
        {"proxy", cluster.cloud_proxy},
        {"url", ""}}},
      {"active_alerts_count", degraded ? 1 : 0},
      {"capacity",
       {{"total_bytes", capacity.total_bytes},
        {"hot_spare_bytes", capacity.hot_spare_bytes},
        {"unprovisioned_bytes", capacity.unprovisioned_bytes}}},
      {"activity",
       {{"num_ops", 0},
        {"num_reads", 0},
        {"num_writes", 0},
        {"obs_download_bytes_per_second", 0},
        {"obs_upload_bytes_per_second", 0},
        {"sum_bytes_read", 0},
        {"sum_bytes_written", 0}}},
      {"licensing",
       {{"io_start_eligibility", true},
        {"mode", "Unlicensed"},
        {"usage",
         {{"drive_capacity_gb", capacity.raw_bytes / 1000000000},
          {"usable_capacity_gb", capacity.total_bytes / 1000000000},
          {"obs_capacity_gb", 0}}}}},
  };
  return status;
}

Json ClusterModel::HostsJson(const Cluster& cluster) const {
  Json out = Json::object();
  for (const Host& host : cluster.hosts) {
    out[PrefixedId("HostId", host.id)] = {
        {"host_id", PrefixedId("HostId", host.id)},
        {"hostname", host.hostname},
        {"container_name", host.container_name},
        {"host_ip", host.ip},
        {"mgmt_port", host.port},
        {"mode", host.mode},
        {"state", host.state},
        {"status", host.status},
        {"added_time", Time(host.added_ms)},
        {"state_changed_time", Time(host.state_changed_ms)},
        {"aws", {{"instance_id", host.instance_id}}},
        {"machine_identifier", host.instance_id},
        {"failure_domain", host.failure_domain},
        {"cores", host.cores},
        {"memory", host.memory},
        {"auto_remove_timeout", host.mode == "client" ? 0 : 0},
        {"sw_release_string", kRelease},
        {"simulator", true},
    };
  }
  return out;
}

Json ClusterModel::DrivesJson(const Cluster& cluster) const {
  Json out = Json::object();
  for (const Drive& drive : cluster.drives) {
    std::string hostname;
    for (const Host& host : cluster.hosts) {
      if (host.id == drive.host_id) {
        hostname = host.hostname;
      }
    }
    out[PrefixedId("DiskId", drive.id)] = {
        {"disk_id", PrefixedId("DiskId", drive.id)},
        {"host_id", PrefixedId("HostId", drive.host_id)},
        {"hostname", hostname},
        {"uuid", drive.uuid},
        {"device_path", drive.device},
        {"serial_number", drive.serial},
        {"size_bytes", drive.size_bytes},
        {"status", drive.status},
        {"should_be_active", drive.should_be_active},
        {"added_time", Time(drive.added_ms)},
        {"simulator", true},
    };
  }
  return out;
}

Json ClusterModel::NodesJson(const Cluster& cluster) const {
  Json out = Json::object();
  for (const Node& node : cluster.nodes) {
    out[PrefixedId("NodeId", node.id)] = {
        {"node_id", PrefixedId("NodeId", node.id)},
        {"host_id", PrefixedId("HostId", node.host_id)},
        {"roles", Json::array({node.role})},
        {"status", node.status},
        {"up_since", node.up_since_ms > 0 ? Json(Time(node.up_since_ms)) : Json()},
        {"last_fencing_time", node.fenced_ms > 0 ? Json(Time(node.fenced_ms)) : Json()},
    };
  }
  return out;
}

// --- persistence ---

Json ClusterModel::MachineToJson(const Machine& machine) const {
  Json doc = machine;
  doc["format"] = 1;
  return doc;
}

Json ClusterModel::ClusterToJson(const Cluster& cluster) const {
  Json doc = cluster;
  doc["format"] = 1;
  return doc;
}

Status ClusterModel::LoadMachine(const Json& doc) {
  try {
    Machine machine = doc.get<Machine>();
    machines_[machine.info.instance_id] = std::move(machine);
  } catch (const Json::exception& e) {
    return InternalError(std::string("wekasim: a stored machine does not parse: ") + e.what());
  }
  return OkStatus();
}

Status ClusterModel::LoadCluster(const Json& doc) {
  try {
    Cluster cluster = doc.get<Cluster>();
    clusters_[cluster.guid] = std::move(cluster);
  } catch (const Json::exception& e) {
    return InternalError(std::string("wekasim: a stored cluster does not parse: ") + e.what());
  }
  return OkStatus();
}

void ClusterModel::Clear() {
  machines_.clear();
  clusters_.clear();
}

}  // namespace cf::cloud::wekasim
