#include "cloud/wekasim/wekasim.h"

#include <fmt/core.h>

#include <tuple>

#include "aws/instance_types.h"

namespace cf::cloud::wekasim {

namespace {

constexpr char kMachineNs[] = "wekasim/machine";
constexpr char kClusterNs[] = "wekasim/cluster";

// A stored EC2 document whose key ends with "/<id>" (keys are "<region>/<id>").
std::optional<Json> FindEc2(Store& store, const std::string& ns, const std::string& id) {
  Result<std::vector<std::pair<std::string, Json>>> all = store.List(ns);
  if (!all.ok()) {
    return std::nullopt;
  }
  for (auto& [key, doc] : *all) {
    if (key.size() > id.size() && key.compare(key.size() - id.size(), id.size(), id) == 0 &&
        key[key.size() - id.size() - 1] == '/') {
      return doc;
    }
  }
  return std::nullopt;
}

Json RpcError(const Json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

// A JSON-RPC error code for a model refusal.
int ErrorCode(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return -32602;
    case StatusCode::kPermissionDenied:
      return -32001;
    case StatusCode::kNotFound:
      return -32004;
    default:
      return -32000;
  }
}

std::vector<std::string> Strings(const Json& value) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const Json& v : value) {
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
      }
    }
  } else if (value.is_string()) {
    out.push_back(value.get<std::string>());
  }
  return out;
}

// A host id given as 3, "3" or "HostId<3>".
std::optional<int> HostIdOf(const Json& value) {
  if (value.is_number_integer()) {
    return value.get<int>();
  }
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    if (auto id = ParsePrefixedId("HostId", text)) {
      return id;
    }
    if (!text.empty() && text.size() < 10 &&
        text.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoi(text);
    }
  }
  return std::nullopt;
}

}  // namespace

struct WekaSim::Pending {
  std::vector<std::pair<std::string, std::string>> open;
  std::vector<std::string> close;
};

WekaSim::WekaSim(Store& store, const Clock& clock, std::function<std::string(size_t)> random_hex)
    : store_(store), model_(clock, std::move(random_hex)) {}

Status WekaSim::Load() {
  std::lock_guard<std::mutex> lock(mu_);
  model_.Clear();
  saved_.clear();
  ASSIGN_OR_RETURN(auto machines, store_.List(kMachineNs));
  for (const auto& [key, doc] : machines) {
    RETURN_IF_ERROR(model_.LoadMachine(doc));
  }
  ASSIGN_OR_RETURN(auto clusters, store_.List(kClusterNs));
  for (const auto& [key, doc] : clusters) {
    RETURN_IF_ERROR(model_.LoadCluster(doc));
  }
  return Save();  // records what is stored (a document in an older format is rewritten)
}

void WekaSim::Reset() {
  std::vector<std::string> close;
  {
    std::lock_guard<std::mutex> lock(mu_);
    model_.Clear();
    saved_.clear();
    close.assign(serving_.begin(), serving_.end());
    serving_.clear();
  }
  Apply({}, close);
}

void WekaSim::SetBinder(EndpointBinder* binder) {
  std::lock_guard<std::mutex> lock(mu_);
  binder_ = binder;
}

void WekaSim::SetTokenChecker(std::function<bool(const std::string&)> checker) {
  std::lock_guard<std::mutex> lock(mu_);
  token_checker_ = std::move(checker);
}

Status WekaSim::Save() {
  std::vector<std::tuple<const char*, std::string, Json>> changed;
  auto note = [&](const char* ns, const std::string& key, Json doc) {
    std::string text = doc.dump();
    std::string& last = saved_[std::string(ns) + "/" + key];
    if (last != text) {
      last = std::move(text);
      changed.emplace_back(ns, key, std::move(doc));
    }
  };
  for (const auto& [id, machine] : model_.machines()) {
    note(kMachineNs, id, model_.MachineToJson(machine));
  }
  for (const auto& [guid, cluster] : model_.clusters()) {
    note(kClusterNs, guid, model_.ClusterToJson(cluster));
  }
  if (changed.empty()) {
    return OkStatus();
  }
  Status written = [&]() -> Status {
    ASSIGN_OR_RETURN(StoreTxn txn, store_.Begin());
    for (const auto& [ns, key, doc] : changed) {
      RETURN_IF_ERROR(txn.Put(ns, key, doc));
    }
    return txn.Commit();
  }();
  if (!written.ok()) {
    for (const auto& [ns, key, doc] : changed) {
      saved_.erase(std::string(ns) + "/" + key);  // written again next time
    }
  }
  return written;
}

Result<Machine*> WekaSim::MachineOf(const std::string& instance_id) {
  if (instance_id.empty()) {
    return InvalidArgumentError("CLUSTERFORM_INSTANCE_ID is not set: run this on an instance");
  }
  Machine* known = model_.FindMachine(instance_id);
  if (known != nullptr && !known->info.private_ip.empty()) {
    return known;  // an instance's address and type do not change while it runs
  }
  std::optional<Json> instance = FindEc2(store_, "ec2/instance", instance_id);
  if (!instance) {
    if (known != nullptr) {
      return known;
    }
    return NotFoundError(fmt::format("instance {} is not known to the local cloud", instance_id));
  }
  MachineInfo info;
  info.instance_id = instance_id;
  info.private_ip = instance->value("PrivateIpAddress", "");
  info.instance_type = instance->value("InstanceType", "");
  const aws::InstanceTypeSpec* type = aws::FindInstanceType(info.instance_type);
  if (type != nullptr) {
    info.vcpus = type->vcpus;
    info.memory_bytes = type->memory_mib * 1024 * 1024;
  }
  Device root{"/dev/xvda", "Amazon Elastic Block Store", "", 8LL << 30, false};
  std::vector<Device> ebs;
  for (const Json& mapping : instance->value("BlockDeviceMappings", Json::array())) {
    std::string name = mapping.value("DeviceName", "");
    std::string volume_id = mapping.value("Ebs", Json::object()).value("VolumeId", "");
    std::string serial = volume_id;
    std::erase(serial, '-');
    int64_t size = 8LL << 30;
    if (std::optional<Json> volume = FindEc2(store_, "ec2/volume", volume_id)) {
      size = volume->value("Size", int64_t{8}) << 30;
    }
    if (name == instance->value("RootDeviceName", "/dev/xvda")) {
      root.serial = serial;
      root.size_bytes = size;
      continue;
    }
    // EC2 names /dev/sdX as /dev/xvdX inside the instance.
    std::string device = name.rfind("/dev/sd", 0) == 0 ? "/dev/xvd" + name.substr(7) : name;
    ebs.push_back(Device{device, "Amazon Elastic Block Store", serial, size, false});
  }
  info.devices.push_back(root);
  info.devices.insert(info.devices.end(), ebs.begin(), ebs.end());
  if (type != nullptr) {
    for (int i = 0; i < type->disk_count; ++i) {
      std::string serial = fmt::format("AWS{}{:02d}", instance_id.substr(2), i + 1);
      std::transform(serial.begin(), serial.end(), serial.begin(), ::toupper);
      info.devices.push_back(Device{fmt::format("/dev/nvme{}n1", i + 1),
                                    "Amazon EC2 NVMe Instance Storage", serial,
                                    type->disk_size_gb * 1000 * 1000 * 1000, true});
    }
  }
  if (known != nullptr) {
    known->info = info;
    return known;
  }
  return &model_.EnsureMachine(info);
}

void WekaSim::Sync(const Machine& machine, std::vector<std::pair<std::string, std::string>>& open,
                   std::vector<std::string>& close) {
  const std::string& id = machine.info.instance_id;
  bool serving = ClusterModel::Serving(machine);
  if (serving && serving_.insert(id).second) {
    open.push_back({id, machine.info.private_ip});
  } else if (!serving && serving_.erase(id) != 0) {
    close.push_back(id);
  }
}

void WekaSim::Apply(const std::vector<std::pair<std::string, std::string>>& open,
                    const std::vector<std::string>& close) {
  EndpointBinder* binder;
  {
    std::lock_guard<std::mutex> lock(mu_);
    binder = binder_;
  }
  if (binder == nullptr) {
    return;
  }
  for (const std::string& id : close) {
    binder->Close(id);
  }
  for (const auto& [id, ip] : open) {
    Status opened = binder->Open(id, ip);
    if (!opened.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      serving_.erase(id);
    }
  }
}

CommandOutput WekaSim::Run(const CommandRequest& request) {
  Pending pending;
  CommandOutput output;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Result<Machine*> machine = MachineOf(request.instance_id);
    if (!machine.ok()) {
      return CommandOutput{1, "", "wekasim: " + machine.status().message() + "\n"};
    }
    if (request.argv.empty()) {
      return CommandOutput{2, "", "wekasim: no command\n"};
    }
    output = request.argv[0] == "weka" || request.argv[0] == "wapi" || request.argv[0] == "manhole"
                 ? RunWeka(**machine, request)
                 : RunOs(**machine, request);
    for (const auto& [id, m] : model_.machines()) {
      Sync(m, pending.open, pending.close);
    }
    Status saved = Save();
    if (!saved.ok()) {
      output.err += "wekasim: the model could not be saved: " + saved.message() + "\n";
    }
  }
  Apply(pending.open, pending.close);
  return output;
}

Result<std::string> WekaSim::Installer(const std::string& version, const std::string& token,
                                       bool token_required) {
  std::function<bool(const std::string&)> checker;
  {
    std::lock_guard<std::mutex> lock(mu_);
    checker = token_checker_;
  }
  if (token_required && (token.empty() || !checker || !checker(token))) {
    return PermissionDeniedError(
        "401 Unauthorized: the download token is not the value of a get_weka_io_token secret in "
        "this local cloud");
  }
  return InstallerScript(version);
}

void WekaSim::InstanceBooted(const std::string& instance_id) {
  Lifecycle(instance_id, /*up=*/true);
}

void WekaSim::InstanceEnded(const std::string& instance_id) {
  Lifecycle(instance_id, /*up=*/false);
}

void WekaSim::Lifecycle(const std::string& instance_id, bool up) {
  Pending pending;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Machine* machine = model_.FindMachine(instance_id);
    if (machine == nullptr) {
      return;
    }
    if (up) {
      model_.MachineBooted(instance_id);
    } else {
      model_.MachineEnded(instance_id);
    }
    Sync(*machine, pending.open, pending.close);
    (void)Save();
  }
  Apply(pending.open, pending.close);
}

Status WekaSim::FailDrive(const std::string& cluster_guid, int drive_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Cluster* cluster = model_.FindCluster(cluster_guid);
  if (cluster == nullptr) {
    return NotFoundError("no simulated cluster " + cluster_guid);
  }
  RETURN_IF_ERROR(model_.FailDrive(*cluster, drive_id));
  return Save();
}

Status WekaSim::FailMachine(const std::string& instance_id) {
  Pending pending;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Machine* machine = model_.FindMachine(instance_id);
    if (machine == nullptr) {
      return NotFoundError("no simulated WEKA machine " + instance_id);
    }
    RETURN_IF_ERROR(model_.SetRunning(*machine, "", false));
    Sync(*machine, pending.open, pending.close);
    RETURN_IF_ERROR(Save());
  }
  Apply(pending.open, pending.close);
  return OkStatus();
}

Json WekaSim::Describe() {
  std::lock_guard<std::mutex> lock(mu_);
  Json clusters = Json::array();
  for (const auto& [guid, cluster] : model_.clusters()) {
    clusters.push_back({{"guid", guid},
                        {"status", model_.StatusJson(cluster)},
                        {"hosts", model_.HostsJson(cluster)},
                        {"drives", model_.DrivesJson(cluster)}});
  }
  Json machines = Json::array();
  for (const auto& [id, machine] : model_.machines()) {
    machines.push_back(model_.MachineToJson(machine));
  }
  return {
      {"simulator", true}, {"release", kRelease}, {"clusters", clusters}, {"machines", machines}};
}

// --- JSON-RPC ---

RpcAnswer WekaSim::Rpc(const std::string& private_ip, std::string_view authorization,
                       std::string_view body) {
  Json call = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  RpcAnswer answer;
  if (call.is_discarded()) {
    answer.body = RpcError(nullptr, -32700, "Parse error").dump();
    return answer;
  }
  Pending pending;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Json out = RpcCall(private_ip, authorization, call, answer.http_status);
    // No cluster answers here: a plain 503, so that a client moves on to another backend
    // rather than taking it for WEKA's refusal.
    answer.body = answer.http_status == 503 ? out["error"].value("message", "") + "\n" : out.dump();
    for (const auto& [id, m] : model_.machines()) {
      Sync(m, pending.open, pending.close);
    }
    (void)Save();
  }
  Apply(pending.open, pending.close);
  return answer;
}

Json WekaSim::RpcCall(const std::string& private_ip, std::string_view authorization,
                      const Json& call, int& http_status) {
  if (!call.is_object() || !call.contains("method") || !call["method"].is_string()) {
    return RpcError(call.is_object() ? call.value("id", Json()) : Json(), -32600,
                    "Invalid Request");
  }
  Json id = call.value("id", Json());
  std::string method = call["method"].get<std::string>();
  Json params = call.value("params", Json::object());
  if (params.is_null() || params.is_array()) {
    params = Json::object();
  }
  auto ok = [&](Json result) {
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  };
  auto fail = [&](const Status& status) {
    if (status.code() == StatusCode::kPermissionDenied) {
      http_status = 401;
    }
    return RpcError(id, ErrorCode(status), status.message());
  };
  static const std::set<std::string> kMethods = {"user_login",
                                                 "user_refresh_token",
                                                 "client_query_backend",
                                                 "status",
                                                 "manual_override_list",
                                                 "hosts_list",
                                                 "disks_list",
                                                 "nodes_list",
                                                 "interface_group_list",
                                                 "cluster_remove_drives",
                                                 "cluster_remove_host",
                                                 "cluster_deactivate_drives",
                                                 "cluster_deactivate_hosts",
                                                 "interface_group_delete_port",
                                                 "events_trigger_custom"};
  if (kMethods.count(method) == 0) {
    return RpcError(id, -32601, "Method not found");
  }
  Machine* machine = model_.FindMachineByIp(private_ip);
  if (machine == nullptr || !ClusterModel::Serving(*machine)) {
    http_status = 503;
    return RpcError(id, -32000, "no WEKA container runs at " + private_ip);
  }
  if (method == "client_query_backend") {
    return ok({{"software_release", kRelease},
               {"simulator", true},
               {"cluster_guid", machine->cluster},
               {"host_ip", private_ip}});
  }
  Cluster* cluster = model_.FindCluster(machine->cluster);
  if (cluster == nullptr) {
    http_status = 503;
    return RpcError(id, -32000, "This host is not part of a cluster yet");
  }
  if (method == "user_login") {
    Result<LoginTokens> tokens =
        model_.Login(*cluster, params.value("username", ""), params.value("password", ""));
    if (!tokens.ok()) {
      return fail(tokens.status());
    }
    return ok({{"access_token", tokens->access_token},
               {"refresh_token", tokens->refresh_token},
               {"token_type", "Bearer"},
               {"expires_in", tokens->expires_in}});
  }
  if (method == "user_refresh_token") {
    Result<LoginTokens> tokens = model_.Refresh(*cluster, params.value("refresh_token", ""));
    if (!tokens.ok()) {
      return fail(tokens.status());
    }
    return ok({{"access_token", tokens->access_token},
               {"refresh_token", tokens->refresh_token},
               {"token_type", "Bearer"},
               {"expires_in", tokens->expires_in}});
  }
  std::string_view bearer = authorization;
  if (bearer.rfind("Bearer ", 0) != 0) {
    return fail(PermissionDeniedError("Authentication required: send Authorization: Bearer"));
  }
  Result<std::string> user = model_.UserOfToken(*cluster, std::string(bearer.substr(7)));
  if (!user.ok()) {
    return fail(user.status());
  }
  if (method == "status") {
    return ok(model_.StatusJson(*cluster));
  }
  if (method == "hosts_list") {
    return ok(model_.HostsJson(*cluster));
  }
  if (method == "disks_list") {
    return ok(model_.DrivesJson(*cluster));
  }
  if (method == "nodes_list") {
    return ok(model_.NodesJson(*cluster));
  }
  if (method == "manual_override_list") {
    return ok(Json::object());
  }
  if (method == "interface_group_list") {
    return ok(Json::array());
  }
  if (method == "interface_group_delete_port") {
    return fail(NotFoundError(
        fmt::format("Interface group \"{}\" does not exist", params.value("name", ""))));
  }
  if (method == "events_trigger_custom") {
    std::string text = params.value("text", params.value("message", ""));
    if (text.empty()) {
      return fail(InvalidArgumentError("Missing parameter: text"));
    }
    model_.AddEvent(*cluster, "CustomEvent", text);
    return ok(nullptr);
  }
  if (method == "cluster_deactivate_drives" || method == "cluster_remove_drives") {
    std::vector<std::string> uuids = Strings(params.value("drive_uuids", Json::array()));
    if (uuids.empty()) {
      return fail(InvalidArgumentError("Missing parameter: drive_uuids"));
    }
    Status done = method == "cluster_deactivate_drives" ? model_.DeactivateDrives(*cluster, uuids)
                                                        : model_.RemoveDrives(*cluster, uuids);
    return done.ok() ? ok(nullptr) : fail(done);
  }
  if (method == "cluster_deactivate_hosts") {
    std::vector<int> ids;
    for (const Json& value : params.value("host_ids", Json::array())) {
      std::optional<int> host = HostIdOf(value);
      if (!host) {
        return fail(InvalidArgumentError("Invalid host id " + value.dump()));
      }
      ids.push_back(*host);
    }
    if (ids.empty()) {
      return fail(InvalidArgumentError("Missing parameter: host_ids"));
    }
    Status done =
        model_.DeactivateHosts(*cluster, ids, params.value("skip_resource_validation", false));
    return done.ok() ? ok(nullptr) : fail(done);
  }
  // cluster_remove_host
  std::optional<int> host = HostIdOf(params.value("host_id", Json()));
  if (!host) {
    return fail(InvalidArgumentError("Missing or invalid parameter: host_id"));
  }
  Status done = model_.RemoveHost(*cluster, *host);
  return done.ok() ? ok(nullptr) : fail(done);
}

}  // namespace cf::cloud::wekasim
