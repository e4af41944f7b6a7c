#include "control/handlers.h"

#include <fmt/core.h>

#include <algorithm>
#include <ctime>
#include <random>
#include <set>

#include "base/crypto.h"
#include "control/scale_down.h"
#include "control/scripts.h"
#include "control/terminate.h"

namespace cf::control {

using nlohmann::json;

namespace {

std::string Get(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

int GetInt(const Environment& env, const std::string& name, int fallback = 0) {
  std::string v = Get(env, name);
  try {
    return v.empty() ? fallback : std::stoi(v);
  } catch (...) {
    return fallback;
  }
}

bool GetBool(const Environment& env, const std::string& name) {
  return Get(env, name) == "true";
}

std::string Str(const json& j, const char* k) {
  return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
}

StateStore Store(const HandlerContext& ctx) {
  return StateStore(*ctx.aws, *ctx.clock, Get(ctx.env, "TABLE_NAME"),
                    Get(ctx.env, "HASH_KEY").empty() ? "Key" : Get(ctx.env, "HASH_KEY"),
                    ctx.request_id, ctx.lock);
}

Result<std::string> StateKey(const HandlerContext& ctx, const std::string& protocol) {
  if (protocol.empty()) {
    return Get(ctx.env, "STATE_KEY");
  }
  if (protocol == "nfs") {
    return Get(ctx.env, "NFS_STATE_KEY");
  }
  return InvalidArgumentError("unsupported protocol: " + protocol);
}

// A secret's current value; NotFound when the secret or its value does not exist.
Result<std::string> GetSecret(AwsApi& aws, const std::string& id) {
  ASSIGN_OR_RETURN(AwsCallResult r,
                   aws.Invoke("secretsmanager", "GetSecretValue", {{"SecretId", id}}));
  if (r.error) {
    if (r.error->code == "ResourceNotFoundException") {
      return NotFoundError(fmt::format("secret {}: {}", id, r.error->message));
    }
    return UnavailableError(fmt::format("secret {}: {}: {}", id, r.error->code, r.error->message));
  }
  return r.output.value("SecretString", "");
}

struct Credentials {
  std::string username;
  std::string password;
};

// The deployment user, or admin when the deployment password does not exist yet.
Result<Credentials> WekaCredentials(const HandlerContext& ctx) {
  ASSIGN_OR_RETURN(std::string username, GetSecret(*ctx.aws, Get(ctx.env, "USERNAME_ID")));
  Result<std::string> password = GetSecret(*ctx.aws, Get(ctx.env, "DEPLOYMENT_PASSWORD_ID"));
  if (password.ok() && !password->empty()) {
    return Credentials{username, *password};
  }
  if (!password.ok() && password.status().code() != StatusCode::kNotFound) {
    return password.status();
  }
  ASSIGN_OR_RETURN(std::string admin, GetSecret(*ctx.aws, Get(ctx.env, "ADMIN_PASSWORD_ID")));
  return Credentials{"admin", admin};
}

struct InstanceFacts {
  std::string id;
  std::string private_ip;
  std::string state;
  std::string volume_id;  // of /dev/sdp
  std::map<std::string, std::string> tags;
};

std::vector<InstanceFacts> ParseInstances(const json& described) {
  std::vector<InstanceFacts> out;
  for (const json& r : described.value("Reservations", json::array())) {
    for (const json& i : r.value("Instances", json::array())) {
      InstanceFacts f;
      f.id = Str(i, "InstanceId");
      f.private_ip = Str(i, "PrivateIpAddress");
      f.state = i.contains("State") ? Str(i["State"], "Name") : "";
      for (const json& b : i.value("BlockDeviceMappings", json::array())) {
        if (Str(b, "DeviceName") == "/dev/sdp" && b.contains("Ebs")) {
          f.volume_id = Str(b["Ebs"], "VolumeId");
        }
      }
      for (const json& t : i.value("Tags", json::array())) {
        f.tags[Str(t, "Key")] = Str(t, "Value");
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

Result<std::vector<InstanceFacts>> DescribeByIds(AwsApi& aws, const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return std::vector<InstanceFacts>{};
  }
  ASSIGN_OR_RETURN(json out, aws.Call("ec2", "DescribeInstances",
                                      {{"Filters", {{{"Name", "instance-id"}, {"Values", ids}}}}}));
  std::vector<InstanceFacts> all = ParseInstances(out);
  std::vector<InstanceFacts> asked;
  for (InstanceFacts& f : all) {
    if (std::find(ids.begin(), ids.end(), f.id) != ids.end()) {
      asked.push_back(std::move(f));
    }
  }
  return asked;
}

// Running instances of the cluster's host group ("backend", "gateways-protocol").
Result<std::vector<InstanceFacts>> RunningOfGroup(const HandlerContext& ctx,
                                                  const std::string& group) {
  ASSIGN_OR_RETURN(
      json out,
      ctx.aws->Call(
          "ec2", "DescribeInstances",
          {{"Filters",
            {{{"Name", "tag:weka_cluster_name"}, {"Values", {Get(ctx.env, "CLUSTER_NAME")}}},
             {{"Name", "tag:weka_hostgroup_type"}, {"Values", {group}}},
             {{"Name", "instance-state-name"}, {"Values", {"running"}}}}}}));
  return ParseInstances(out);
}

std::vector<std::string> Ips(const std::vector<InstanceFacts>& v) {
  std::vector<std::string> out;
  for (const InstanceFacts& f : v) {
    if (!f.private_ip.empty()) {
      out.push_back(f.private_ip);
    }
  }
  return out;
}

ScriptEnv MakeScriptEnv(const HandlerContext& ctx, const InstanceFacts& instance,
                        const std::string& protocol) {
  const Environment& e = ctx.env;
  ScriptEnv s;
  s.region = Get(e, "AWS_REGION");
  s.instance_id = instance.id;
  s.private_ip = instance.private_ip;
  s.protocol = protocol;
  s.report_lambda = Get(e, "REPORT_LAMBDA_NAME");
  s.clusterize_lambda = Get(e, "CLUSTERIZE_LAMBDA_NAME");
  s.clusterize_finalization_lambda = Get(e, "CLUSTERIZE_FINALIZATION_LAMBDA_NAME");
  s.join_nfs_finalization_lambda = Get(e, "JOIN_NFS_FINALIZATION_LAMBDA_NAME");
  s.fetch_lambda = Get(e, "FETCH_LAMBDA_NAME");
  s.status_lambda = Get(e, "STATUS_LAMBDA_NAME");
  s.token_id = Get(e, "TOKEN_ID");
  s.install_url = ScriptInstallUrl(Get(e, "INSTALL_URL"), Get(e, "AWS_ENDPOINT_URL"));
  s.proxy_url = Get(e, "PROXY_URL");
  s.install_dpdk = GetBool(e, "INSTALL_DPDK");
  s.nics_num = GetInt(e, "NICS_NUM", 1);
  s.nvmes_num = GetInt(e, "NVMES_NUM", 0);
  s.drive_cores = GetInt(e, "DRIVE_CONTAINER_CORES_NUM", 1);
  s.compute_cores = GetInt(e, "COMPUTE_CONTAINER_CORES_NUM", 1);
  s.frontend_cores = GetInt(e, "FRONTEND_CONTAINER_CORES_NUM", 1);
  s.compute_memory = Get(e, "COMPUTE_MEMORY");
  s.cgroups_mode = Get(e, "WEKA_CGROUPS_MODE");
  s.weka_api_scheme = Get(e, "AWS_ENDPOINT_URL").empty() ? "https" : "http";
  static const std::map<std::string, std::string> kPrefix = {
      {"nfs", "NFS"}, {"smb", "SMB"}, {"smbw", "SMB"}, {"s3", "S3"}, {"data", "DATA_SERVICES"}};
  auto p = kPrefix.find(protocol);
  if (p != kPrefix.end()) {
    s.cgroups_mode = Get(e, p->second + "_CGROUPS_MODE");
    if (protocol != "data") {
      s.frontend_cores = GetInt(e, p->second + "_PROTOCOL_GATEWAY_FE_CORES_NUM", 1);
    }
  }
  return s;
}

// ---- deploy (§4.3) ----
Result<json> Deploy(const HandlerContext& ctx, const json& event) {
  std::string name = Str(event, "name");
  std::string protocol = Str(event, "protocol");
  if (name.empty()) {
    return InvalidArgumentError("deploy: the event names no instance (\"name\")");
  }
  ASSIGN_OR_RETURN(std::vector<InstanceFacts> found, DescribeByIds(*ctx.aws, {name}));
  if (found.empty()) {
    return NotFoundError(fmt::format("deploy: instance {} not found", name));
  }
  const InstanceFacts& me = found.front();
  ScriptEnv env = MakeScriptEnv(ctx, me, protocol);
  if (protocol.empty()) {
    StateStore store = Store(ctx);
    ASSIGN_OR_RETURN(ClusterState state, store.ReadLocked(Get(ctx.env, "STATE_KEY")));
    if (me.volume_id.empty()) {
      return NotFoundError(fmt::format("deploy: instance {} has no WEKA volume at /dev/sdp", name));
    }
    if (!state.clusterized) {
      return json(BackendDeployScript(env, me.volume_id));
    }
    ASSIGN_OR_RETURN(std::vector<InstanceFacts> backends, RunningOfGroup(ctx, "backend"));
    std::vector<std::string> ips;
    for (const InstanceFacts& b : backends) {
      if (b.id != me.id && !b.private_ip.empty()) {
        ips.push_back(b.private_ip);
      }
    }
    return json(JoinScript(env, me.volume_id, ips));
  }
  if (protocol != "nfs" && protocol != "smb" && protocol != "smbw" && protocol != "s3" &&
      protocol != "data") {
    return InvalidArgumentError("unsupported protocol: " + protocol);
  }
  ASSIGN_OR_RETURN(std::vector<InstanceFacts> backends, RunningOfGroup(ctx, "backend"));
  return json(GatewayDeployScript(env, Ips(backends)));
}

// ---- clusterize (§4.4) ----
Result<json> Clusterize(const HandlerContext& ctx, const json& event) {
  Vm vm{Str(event, "name"), Str(event, "protocol"), Str(event, "container_uid"),
        Str(event, "nic_name")};
  if (vm.name.empty()) {
    return InvalidArgumentError("clusterize: the event names no instance (\"name\")");
  }
  InstanceFacts me{vm.name, "", "", "", {}};
  ASSIGN_OR_RETURN(std::vector<InstanceFacts> found, DescribeByIds(*ctx.aws, {vm.name}));
  if (!found.empty()) {
    me = found.front();
  }
  ScriptEnv env = MakeScriptEnv(ctx, me, vm.protocol);
  if (vm.protocol == "smb" || vm.protocol == "smbw" || vm.protocol == "s3" ||
      vm.protocol == "data") {
    return json(ReportOnlyScript(
        env, fmt::format("{} gateway {} is ready; its protocol is set up by its own user data",
                         vm.protocol, vm.name)));
  }
  ASSIGN_OR_RETURN(std::string key, StateKey(ctx, vm.protocol));
  int target = vm.protocol == "nfs" ? GetInt(ctx.env, "NFS_PROTOCOL_GATEWAYS_NUM")
                                    : GetInt(ctx.env, "HOSTS_NUM");
  StateStore store = Store(ctx);
  if (vm.protocol == "nfs") {
    ASSIGN_OR_RETURN(ClusterState nfs_state, store.Read(key));
    if (nfs_state.clusterized) {
      // NFS scale-out: this gateway joins the existing interface group.
      std::string script =
          ReportOnlyScript(env, fmt::format("NFS gateway {} joins the interface group", vm.name));
      script += fmt::format(
          "weka nfs interface-group port add {} {} {} || {{ report_error 'adding the NFS port "
          "failed'; exit 1; }}\n"
          "join_nfs_finalization \"{{\\\"name\\\": \\\"$INSTANCE_ID\\\"}}\" >/dev/null || exit 1\n",
          ShellQuote(Get(ctx.env, "NFS_INTERFACE_GROUP_NAME")), ShellQuote(vm.container_uid),
          ShellQuote(vm.nic_name));
      return json(script);
    }
  }
  ClusterState after;
  Status added = store.Update(key, [&](ClusterState& s) {
    if (s.clusterized) {
      return ConflictError(fmt::format(
          "instance {} was created before the end of clusterization and is not needed: the "
          "cluster is clusterized, it joins through deploy",
          vm.name));
    }
    bool known = std::any_of(s.instances.begin(), s.instances.end(),
                             [&](const Vm& v) { return v.name == vm.name; });
    if (!known) {
      int limit = vm.protocol == "nfs" ? target : s.initial_size;
      if (limit > 0 && static_cast<int>(s.instances.size()) >= limit) {
        return ConflictError(fmt::format(
            "instance {} is not needed for clusterization: {} instances are already ready", vm.name,
            s.instances.size()));
      }
      s.instances.push_back(vm);
    }
    after = s;
    return OkStatus();
  });
  if (!added.ok()) {
    return json(ErrorScript(env, added.message()));
  }
  int k = static_cast<int>(after.instances.size());
  auto position = std::find_if(after.instances.begin(), after.instances.end(),
                               [&](const Vm& v) { return v.name == vm.name; });
  int index = static_cast<int>(position - after.instances.begin()) + 1;
  if (k != target || index != target) {
    return json(ReportOnlyScript(
        env, fmt::format("This ({}) is instance {}/{} that is ready for clusterization", vm.name,
                         index, vm.protocol == "nfs" ? target : after.desired_size)));
  }
  std::vector<std::string> ids;
  for (const Vm& v : after.instances) {
    ids.push_back(v.name);
  }
  ASSIGN_OR_RETURN(std::vector<InstanceFacts> described, DescribeByIds(*ctx.aws, ids));
  std::map<std::string, std::string> ip_of;
  for (const InstanceFacts& f : described) {
    ip_of[f.id] = f.private_ip;
  }
  ClusterizeParams p;
  for (const std::string& id : ids) {
    if (ip_of[id].empty()) {
      return json(ErrorScript(env, fmt::format("cannot resolve the private IP of {}", id)));
    }
    p.vm_names.push_back(id);
    p.ips.push_back(ip_of[id]);
  }
  if (vm.protocol == "nfs") {
    std::string script =
        ReportOnlyScript(env, "NFS gateways are ready; setting up the interface group");
    script += fmt::format(
        "weka nfs interface-group add {0} nfs || report_error 'creating the NFS interface group "
        "failed'\n"
        "join_nfs_finalization \"{{\\\"name\\\": \\\"$INSTANCE_ID\\\"}}\" >/dev/null\n"
        "clusterize_finalization '{{\"protocol\": \"nfs\"}}' >/dev/null || exit 1\n",
        ShellQuote(Get(ctx.env, "NFS_INTERFACE_GROUP_NAME")));
    return json(script);
  }
  // This instance completes the count: it creates the cluster.
  ASSIGN_OR_RETURN(std::string admin, GeneratePassword());
  ASSIGN_OR_RETURN(std::string deployment, GeneratePassword());
  RETURN_IF_ERROR(
      ctx.aws
          ->Call("secretsmanager", "PutSecretValue",
                 {{"SecretId", Get(ctx.env, "ADMIN_PASSWORD_ID")}, {"SecretString", admin}})
          .status());
  RETURN_IF_ERROR(ctx.aws
                      ->Call("secretsmanager", "PutSecretValue",
                             {{"SecretId", Get(ctx.env, "DEPLOYMENT_PASSWORD_ID")},
                              {"SecretString", deployment}})
                      .status());
  p.cluster_name = Get(ctx.env, "CLUSTER_NAME");
  p.stripe_width = GetInt(ctx.env, "STRIPE_WIDTH");
  p.protection_level = GetInt(ctx.env, "PROTECTION_LEVEL");
  p.hotspare = GetInt(ctx.env, "HOTSPARE");
  p.add_frontend = GetInt(ctx.env, "FRONTEND_CONTAINER_CORES_NUM") > 0;
  p.set_default_fs = Get(ctx.env, "SET_DEFAULT_FS") != "false";
  p.weka_home_url = Get(ctx.env, "WEKA_HOME_URL");
  p.post_cluster_setup_script = Get(ctx.env, "POST_CLUSTER_SETUP_SCRIPT");
  p.set_obs = GetBool(ctx.env, "SET_OBS");
  p.obs_name = Get(ctx.env, "OBS_NAME");
  p.obs_ssd_percent = Get(ctx.env, "OBS_TIERING_SSD_PERCENT");
  p.tiering_target_ssd_retention = Get(ctx.env, "TIERING_TARGET_SSD_RETENTION");
  p.tiering_start_demote = Get(ctx.env, "TIERING_START_DEMOTE");
  std::string script = ClusterizeScript(env, p);
  if (p.set_obs && GetBool(ctx.env, "CREATE_OBS_BUCKET")) {
    json create = {{"Bucket", p.obs_name}};
    if (env.region != "us-east-1" && !env.region.empty()) {
      create["CreateBucketConfiguration"] = {{"LocationConstraint", env.region}};
    }
    Result<json> made = ctx.aws->Call("s3", "CreateBucket", create);
    if (made.ok()) {
      (void)ctx.aws->Call(
          "s3", "PutBucketTagging",
          {{"Bucket", p.obs_name},
           {"Tagging", {{"TagSet", {{{"Key", "weka_cluster_name"}, {"Value", p.cluster_name}}}}}}});
    } else if (made.status().code() != StatusCode::kConflict) {
      // Reported, not fatal (as in the reference): the script says so first.
      size_t body = script.find("\n# ---- clusterize");
      script.insert(body, "\nreport_error " + ShellQuote("creating the OBS bucket failed: " +
                                                         made.status().message()));
    }
  }
  return json(script);
}

// ---- clusterize-finalization / join-nfs-finalization (§4.5) ----
Status TagReady(const HandlerContext& ctx, const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return OkStatus();
  }
  return ctx.aws
      ->Call("ec2", "CreateTags",
             {{"Resources", ids},
              {"Tags", {{{"Key", "nfs_interface_group_port"}, {"Value", "ready"}}}}})
      .status();
}

Result<json> ClusterizeFinalization(const HandlerContext& ctx, const json& event) {
  std::string protocol = Str(event, "protocol");
  ASSIGN_OR_RETURN(std::string key, StateKey(ctx, protocol));
  StateStore store = Store(ctx);
  if (protocol == "nfs") {
    ASSIGN_OR_RETURN(ClusterState nfs, store.Read(key));
    std::vector<std::string> ids;
    for (const Vm& v : nfs.instances) {
      ids.push_back(v.name);
    }
    RETURN_IF_ERROR(TagReady(ctx, ids));
  }
  RETURN_IF_ERROR(store.Update(key, [](ClusterState& s) {
    s.instances.clear();
    s.clusterized = true;
    return OkStatus();
  }));
  return json("ClusterizeFinalization completed successfully");
}

Result<json> JoinNfsFinalization(const HandlerContext& ctx, const json& event) {
  std::string name = Str(event, "name");
  if (name.empty()) {
    return InvalidArgumentError("join-nfs-finalization: the event names no instance (\"name\")");
  }
  RETURN_IF_ERROR(TagReady(ctx, {name}));
  return json("JoinNfsFinalization completed successfully");
}

// ---- report (§4.6) ----
Result<json> Report(const HandlerContext& ctx, const json& event) {
  std::string type = Str(event, "type");
  std::string hostname = Str(event, "hostname");
  std::string message = Str(event, "message");
  if (type != "progress" && type != "error" && type != "debug") {
    return InvalidArgumentError("invalid report type: " + type);
  }
  if (hostname.empty()) {
    return InvalidArgumentError("the report names no hostname");
  }
  ASSIGN_OR_RETURN(std::string key, StateKey(ctx, Str(event, "protocol")));
  std::string entry = ReportEntry(ctx.clock->Now(), message);
  StateStore store = Store(ctx);
  Status st = store.Update(key, [&](ClusterState& s) {
    auto& target = type == "progress" ? s.progress : type == "error" ? s.errors : s.debug;
    target[hostname].push_back(entry);
    return OkStatus();
  });
  if (!st.ok()) {
    return Status(st.code(), "Failed adding report to state table: " + st.message());
  }
  return json("The report was added successfully");
}

// "ip-10-0-1-5..." -> "10.0.1.5"; "" when the name does not encode an IP.
std::string IpFromHostname(const std::string& hostname) {
  if (hostname.rfind("ip-", 0) != 0) {
    return "";
  }
  std::string rest = hostname.substr(3);
  rest = rest.substr(0, rest.find('.'));
  std::replace(rest.begin(), rest.end(), '-', '.');
  return rest;
}

json Lists(const std::map<std::string, std::vector<std::string>>& m) {
  if (m.empty()) {
    return nullptr;
  }
  json out = json::object();
  for (const auto& [k, v] : m) {
    out[k] = v;
  }
  return out;
}

// ---- status (§4.7) ----
Result<json> StatusHandler(const HandlerContext& ctx, const json& event) {
  std::string protocol = Str(event, "protocol");
  if (!protocol.empty() && protocol != "nfs") {
    return InvalidArgumentError("unsupported protocol: " + protocol);
  }
  std::string type = Str(event, "type");
  if (type != "progress" && type != "status") {
    return json("Invalid status type");
  }
  ASSIGN_OR_RETURN(std::string key, StateKey(ctx, protocol));
  StateStore store = Store(ctx);
  ASSIGN_OR_RETURN(ClusterState s, store.Read(key));
  std::string group = protocol == "nfs" ? "gateways-protocol" : "backend";
  if (type == "status") {
    json out = {{"initial_size", s.initial_size},
                {"desired_size", s.desired_size},
                {"clusterized", s.clusterized},
                {"weka_status", json::object()}};
    if (!s.clusterized) {
      return out;
    }
    ASSIGN_OR_RETURN(std::vector<InstanceFacts> running, RunningOfGroup(ctx, "backend"));
    json payload = {{"type", "status"}, {"backend_private_ips", Ips(running)}};
    if (Get(ctx.env, "USE_SECRETMANAGER_ENDPOINT") != "true") {
      ASSIGN_OR_RETURN(Credentials c, WekaCredentials(ctx));
      payload["username"] = c.username;
      payload["password"] = c.password;
    }
    ASSIGN_OR_RETURN(json invoked,
                     ctx.aws->Call("lambda", "Invoke",
                                   {{"FunctionName", Get(ctx.env, "MANAGEMENT_LAMBDA")},
                                    {"Payload", payload.dump()}}));
    json answer = json::parse(invoked.value("Payload", std::string("{}")), nullptr, false);
    if (invoked.contains("FunctionError")) {
      return UnavailableError("the management function failed: " + invoked.value("Payload", ""));
    }
    if (!answer.is_discarded() && answer.is_object()) {
      out["weka_status"] = answer;
    }
    return out;
  }
  json ready = json::array();
  std::set<std::string> ready_ids;
  for (const Vm& v : s.instances) {
    ready.push_back(v.name);
    ready_ids.insert(v.name);
  }
  json in_progress = json::array();
  if (!s.clusterized) {
    ASSIGN_OR_RETURN(std::vector<InstanceFacts> running, RunningOfGroup(ctx, group));
    std::map<std::string, std::string> id_of_ip;
    for (const InstanceFacts& f : running) {
      id_of_ip[f.private_ip] = f.id;
    }
    for (const auto& [host, entries] : s.progress) {
      auto it = id_of_ip.find(IpFromHostname(host));
      if (it != id_of_ip.end() && !ready_ids.count(it->second)) {
        in_progress.push_back(host);
      }
    }
  }
  int target = s.clusterization_target;
  json summary = {
      {"ready_for_clusterization", s.instances.size()},
      {"stopped", 0},
      {"in_progress", in_progress.size()},
      {"unknown", nullptr},
      {"clusterization_target", target},
      {"clusterization_instance", target > 0 && static_cast<int>(s.instances.size()) >= target
                                      ? s.instances[static_cast<size_t>(target - 1)].name
                                      : ""},
      {"clusterized", s.clusterized}};
  return json{{"ready_for_clusterization", ready}, {"progress", Lists(s.progress)},
              {"errors", Lists(s.errors)},         {"debug", Lists(s.debug)},
              {"in_progress", in_progress},        {"summary", summary}};
}

// ---- management (§4.7) ----
Result<json> Management(const HandlerContext& ctx, const json& event) {
  if (Str(event, "type") != "status") {
    return InvalidArgumentError("unsupported management request type: " + Str(event, "type"));
  }
  std::vector<std::string> ips;
  if (event.contains("backend_private_ips") && event["backend_private_ips"].is_array()) {
    for (const json& ip : event["backend_private_ips"]) {
      if (ip.is_string()) {
        ips.push_back(ip.get<std::string>());
      }
    }
  }
  Credentials c{Str(event, "username"), Str(event, "password")};
  if (c.username.empty() || c.password.empty()) {
    ASSIGN_OR_RETURN(c, WekaCredentials(ctx));
  }
  std::shuffle(ips.begin(), ips.end(), std::mt19937(std::random_device{}()));
  std::unique_ptr<WekaRpc> rpc = ctx.make_rpc(ips, c.username, c.password);
  Result<json> status = rpc->Call("status", json::object());
  if (!status.ok() || !status->is_object()) {
    return json::object();  // as the reference: an empty weka_status rather than an error
  }
  return *status;
}

// Go's time.ParseDuration for h/m/s/ms ("3h", "1h30m", "90s"): nanoseconds, or nullopt.
std::optional<int64_t> ParseGoDuration(const std::string& s) {
  if (s.empty()) {
    return std::nullopt;
  }
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
      ++i;
    }
    if (start == i) {
      return std::nullopt;
    }
    double value = std::stod(s.substr(start, i - start));
    std::string unit;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) {
      unit += s[i++];
    }
    double scale = unit == "h"    ? 3600e9
                   : unit == "m"  ? 60e9
                   : unit == "s"  ? 1e9
                   : unit == "ms" ? 1e6
                   : unit == "us" ? 1e3
                   : unit == "ns" ? 1
                                  : -1;
    if (scale < 0) {
      return std::nullopt;
    }
    total += static_cast<int64_t>(value * scale);
  }
  return total;
}

// ---- fetch (§4.8) ----
Result<json> Fetch(const HandlerContext& ctx, const json& event) {
  bool want_credentials = event.is_object() && event.value("fetch_weka_credentials", false);
  bool show_admin = event.is_object() && event.value("show_admin_password", false);
  HostGroupInfo info;
  info.role = Get(ctx.env, "ROLE").empty() ? "backend" : Get(ctx.env, "ROLE");
  std::optional<int64_t> timeout = ParseGoDuration(Get(ctx.env, "DOWN_BACKENDS_REMOVAL_TIMEOUT"));
  info.down_backends_removal_timeout_ns =
      timeout.value_or(std::chrono::nanoseconds(std::chrono::hours(3)).count());
  auto group = [&](const std::string& name, int* desired,
                   std::vector<HgInstance>* instances) -> Result<std::vector<InstanceFacts>> {
    if (name.empty()) {
      return std::vector<InstanceFacts>{};
    }
    ASSIGN_OR_RETURN(json out, ctx.aws->Call("autoscaling", "DescribeAutoScalingGroups",
                                             {{"AutoScalingGroupNames", {name}}}));
    if (!out.contains("AutoScalingGroups") || out["AutoScalingGroups"].empty()) {
      return std::vector<InstanceFacts>{};
    }
    const json& g = out["AutoScalingGroups"][0];
    *desired = g.value("DesiredCapacity", 0);
    std::vector<std::string> ids;
    for (const json& i : g.value("Instances", json::array())) {
      ids.push_back(Str(i, "InstanceId"));
    }
    ASSIGN_OR_RETURN(std::vector<InstanceFacts> facts, DescribeByIds(*ctx.aws, ids));
    for (const InstanceFacts& f : facts) {
      if (f.state != "terminated" && f.state != "shutting-down") {
        instances->push_back({f.id, f.private_ip});
      }
    }
    return facts;
  };
  ASSIGN_OR_RETURN(std::vector<InstanceFacts> backends,
                   group(Get(ctx.env, "ASG_NAME"), &info.weka_backends_desired_capacity,
                         &info.weka_backend_instances));
  ASSIGN_OR_RETURN(std::vector<InstanceFacts> nfs,
                   group(Get(ctx.env, "NFS_ASG_NAME"), &info.nfs_backends_desired_capacity,
                         &info.nfs_backend_instances));
  for (const InstanceFacts& f : nfs) {
    auto t = f.tags.find("nfs_interface_group_port");
    if (t != f.tags.end() && t->second == "ready" && !f.private_ip.empty()) {
      info.nfs_interface_group_instance_ips.push_back(f.private_ip);
    }
  }
  ASSIGN_OR_RETURN(std::vector<InstanceFacts> running, RunningOfGroup(ctx, "backend"));
  info.backend_ips = Ips(running);
  ASSIGN_OR_RETURN(
      json live,
      ctx.aws->Call(
          "ec2", "DescribeInstances",
          {{"Filters",
            {{{"Name", "tag:weka_cluster_name"}, {"Values", {Get(ctx.env, "CLUSTER_NAME")}}},
             {{"Name", "instance-state-name"},
              {"Values", {"pending", "running", "stopping", "stopped"}}}}}}));
  std::vector<InstanceFacts> live_instances = ParseInstances(live);
  info.live_instances.emplace();
  for (const InstanceFacts& f : live_instances) {
    info.live_instances->push_back({f.id, f.private_ip});
  }
  bool with_password = Get(ctx.env, "USE_SECRETMANAGER_ENDPOINT") != "true" || want_credentials;
  if (with_password) {
    ASSIGN_OR_RETURN(Credentials c, WekaCredentials(ctx));
    info.username = c.username;
    info.password = c.password;
  }
  if (show_admin) {
    ASSIGN_OR_RETURN(info.admin_password, GetSecret(*ctx.aws, Get(ctx.env, "ADMIN_PASSWORD_ID")));
  }
  return HostGroupInfoToJson(info, with_password, show_admin);
}

// ---- scale-down (§4.10) ----
Result<json> ScaleDownHandler(const HandlerContext& ctx, const json& event) {
  ASSIGN_OR_RETURN(HostGroupInfo info, HostGroupInfoFromJson(event));
  if (info.password.empty()) {
    ASSIGN_OR_RETURN(Credentials c, WekaCredentials(ctx));
    info.username = c.username;
    info.password = c.password;
  }
  RETURN_IF_ERROR(ValidateScaleDownInput(info));
  std::vector<std::string> ips = info.backend_ips;
  std::shuffle(ips.begin(), ips.end(), std::mt19937(std::random_device{}()));
  std::unique_ptr<WekaRpc> rpc = ctx.make_rpc(ips, info.username, info.password);
  return ScaleDown(info, *rpc, ctx.clock->Now(), ctx.time_scale);
}

}  // namespace

std::string ReportEntry(std::chrono::system_clock::time_point t, const std::string& message) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
  return std::string(buf) + " UTC: " + message;
}

Result<std::string> GeneratePassword(size_t length) {
  static constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
  static constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static constexpr std::string_view kDigits = "0123456789";
  const std::string all = std::string(kLower) + std::string(kUpper) + std::string(kDigits);
  while (true) {
    ASSIGN_OR_RETURN(std::string bytes, RandomBytes(length * 2));
    std::string out;
    for (unsigned char b : bytes) {
      // Rejection sampling keeps the characters uniform.
      if (b < 248) {
        out += all[b % all.size()];
      }
      if (out.size() == length) {
        break;
      }
    }
    auto has = [&](std::string_view set) { return out.find_first_of(set) != std::string::npos; };
    if (out.size() == length && has(kLower) && has(kUpper) && has(kDigits)) {
      return out;
    }
  }
}

std::string ScriptInstallUrl(const std::string& install_url, const std::string& endpoint_url) {
  std::string url = install_url;
  size_t token = url.find("$TOKEN@");
  if (token != std::string::npos) {
    url.erase(token, 7);
  }
  const std::string marker = "get.weka.io/dist/v1/install/";
  size_t at = url.find(marker);
  if (!endpoint_url.empty() && at != std::string::npos) {
    std::string version = url.substr(at + marker.size());
    version = version.substr(0, version.find_first_of("/?"));
    return "${AWS_ENDPOINT_URL}/_wekasim/dist/v1/install/" + version;
  }
  return url;
}

Result<json> HandleEvent(const HandlerContext& ctx, const json& event) {
  auto lambda = ctx.env.find("LAMBDA");
  std::string name = lambda == ctx.env.end() ? "" : lambda->second;
  if (name == "deploy") {
    return Deploy(ctx, event);
  }
  if (name == "clusterize") {
    return Clusterize(ctx, event);
  }
  if (name == "clusterizeFinalization") {
    return ClusterizeFinalization(ctx, event);
  }
  if (name == "joinNfsFinalization") {
    return JoinNfsFinalization(ctx, event);
  }
  if (name == "report") {
    return Report(ctx, event);
  }
  if (name == "status") {
    return StatusHandler(ctx, event);
  }
  if (name == "fetch") {
    return Fetch(ctx, event);
  }
  if (name == "scaleDown") {
    return ScaleDownHandler(ctx, event);
  }
  if (name == "terminate") {
    return Terminate(*ctx.aws, event, Get(ctx.env, "ASG_NAME"), Get(ctx.env, "NFS_ASG_NAME"),
                     ctx.clock->Now(), ctx.time_scale);
  }
  if (name == "transient") {
    RETURN_IF_ERROR(Transient(event));
    return json(nullptr);
  }
  if (name == "management") {
    return Management(ctx, event);
  }
  return InvalidArgumentError("unsupported lambda command");
}

}  // namespace cf::control
