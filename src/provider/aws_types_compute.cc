// Compute: EC2 instances (aws_instance) and Auto Scaling groups (aws_autoscaling_group), with
// Terraform's waits: an instance until it runs, a group until its desired capacity is InService.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <tuple>

#include "base/base64.h"
#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

Json& Item(Json& state) {
  return state["__item"];
}

// ---- aws_instance ----

// user_data goes to the API base64-encoded; user_data_base64 already is.
std::string UserDataParam(const Json& config) {
  if (!Str(config, "user_data_base64").empty()) {
    return Str(config, "user_data_base64");
  }
  if (!Str(config, "user_data").empty()) {
    return Base64Encode(Str(config, "user_data"));
  }
  return "";
}

Status ModifyBool(AwsContext& ctx, const std::string& id, const char* member, bool value) {
  return ctx
      .Call("ec2", "ModifyInstanceAttribute", {{"InstanceId", id}, {member, {{"Value", value}}}})
      .status();
}

// Polls the instance until its state is `want` (bounded: 600 polls of 100 ms).
Status WaitInstanceState(AwsContext& ctx, const std::string& id, const std::string& want) {
  for (int i = 0; i < 600; ++i) {
    ASSIGN_OR_RETURN(Json out, ctx.Call("ec2", "DescribeInstances", {{"InstanceIds", {id}}}));
    Json instances = GetPath(out, "Reservations[].Instances");
    if (instances.is_array() && !instances.empty() &&
        GetPath(instances[0], "State.Name") == Json(want)) {
      return OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return UnavailableError("instance " + id + " did not reach " + want);
}

TypeSpec Instance() {
  TypeSpec s;
  s.type = "aws_instance";
  s.service = "ec2";
  s.tags.style = TagSpec::Style::kList;
  s.tags.ec2_resource_type = "instance";
  s.tags.tag_op = "CreateTags";
  s.tags.tag_params = {{"Resources", {"$id"}}};
  s.tags.untag_op = "DeleteTags";
  s.tags.untag_params = {{"Resources", {"$id"}}};
  s.read.op = "DescribeInstances";
  s.read.ids_filter = "instance-id";
  s.read.list = "Reservations[].Instances";
  s.read.item_id = "InstanceId";
  s.read.state_path = "State.Name";
  s.read.gone_states = {"terminated"};
  s.read.pending_states = {"pending", "shutting-down", "stopping"};
  s.find_by_tag = true;
  s.create_op = "RunInstances";
  s.create_params = {{"MinCount", 1}, {"MaxCount", 1}};
  s.client_token = "ClientToken";
  s.create_id = "Instances[0].InstanceId";
  s.force_new = {"ami",
                 "subnet_id",
                 "availability_zone",
                 "key_name",
                 "private_ip",
                 "launch_template",
                 "iam_instance_profile",
                 "user_data",
                 "user_data_base64",
                 "placement_group",
                 "tenancy",
                 "ebs_block_device",
                 "root_block_device",
                 "network_interface",
                 "metadata_options"};
  s.fields = {
      {.attr = "ami", .create = "ImageId", .read = "ImageId"},
      {.attr = "instance_type", .create = "InstanceType", .read = "InstanceType"},
      {.attr = "subnet_id", .create = "SubnetId", .read = "SubnetId"},
      {.attr = "vpc_security_group_ids",
       .create = "SecurityGroupIds",
       .conv = Conv::kStringSet,
       .update_op = "ModifyInstanceAttribute",
       .update_params = {{"InstanceId", "$id"}, {"Groups", "$value"}}},
      {.attr = "key_name", .create = "KeyName", .read = "KeyName", .absent = ""},
      {.attr = "private_ip", .create = "PrivateIpAddress", .read = "PrivateIpAddress"},
      {.attr = "private_dns", .read = "PrivateDnsName", .absent = ""},
      {.attr = "public_ip", .read = "PublicIpAddress", .absent = ""},
      {.attr = "public_dns", .read = "PublicDnsName", .absent = ""},
      {.attr = "availability_zone",
       .create = "Placement.AvailabilityZone",
       .read = "Placement.AvailabilityZone"},
      {.attr = "placement_group",
       .create = "Placement.GroupName",
       .read = "Placement.GroupName",
       .absent = ""},
      {.attr = "tenancy",
       .create = "Placement.Tenancy",
       .read = "Placement.Tenancy",
       .absent = "default"},
      {.attr = "instance_state", .read = "State.Name"},
      {.attr = "ebs_optimized", .create = "EbsOptimized", .read = "EbsOptimized", .absent = false},
      {.attr = "primary_network_interface_id",
       .read = "NetworkInterfaces[0].NetworkInterfaceId",
       .absent = ""},
      {.attr = "instance_initiated_shutdown_behavior",
       .create = "InstanceInitiatedShutdownBehavior"},
      {.attr = "metadata_options",
       .create = "MetadataOptions",
       .read = "MetadataOptions",
       .block = {{.attr = "http_endpoint", .api = "HttpEndpoint"},
                 {.attr = "http_tokens", .api = "HttpTokens"},
                 {.attr = "http_put_response_hop_limit", .api = "HttpPutResponseHopLimit"},
                 {.attr = "instance_metadata_tags", .api = "InstanceMetadataTags"}}},
      {.attr = "launch_template",
       .create = "LaunchTemplate",
       .block = {{.attr = "id", .api = "LaunchTemplateId"},
                 {.attr = "name", .api = "LaunchTemplateName"},
                 {.attr = "version", .api = "Version"}}},
      {.attr = "root_block_device", .block = {{.attr = "volume_size", .api = "VolumeSize"}}},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    std::string user_data = UserDataParam(config);
    if (!user_data.empty()) {
      params["UserData"] = user_data;
    }
    std::string profile = Str(config, "iam_instance_profile");
    if (!profile.empty()) {
      params["IamInstanceProfile"] =
          profile.rfind("arn:", 0) == 0 ? Json{{"Arn", profile}} : Json{{"Name", profile}};
    }
    if (config.contains("launch_template") && config["launch_template"].is_array() &&
        !config["launch_template"].empty()) {
      Json lt = params["LaunchTemplate"];
      if (lt.is_array() && !lt.empty()) {
        params["LaunchTemplate"] = lt[0];
      }
      // Terraform sends a version as text ("3", "$Latest").
      Json& version = params["LaunchTemplate"]["Version"];
      if (version.is_number()) {
        version = std::to_string(version.get<int64_t>());
      }
    }
    if (config.contains("root_block_device") && config["root_block_device"].is_array() &&
        !config["root_block_device"].empty()) {
      const Json& root = config["root_block_device"][0];
      Json ebs = Json::object();
      if (root.contains("volume_size")) {
        ebs["VolumeSize"] = root["volume_size"];
      }
      if (root.contains("volume_type")) {
        ebs["VolumeType"] = root["volume_type"];
      }
      ebs["DeleteOnTermination"] = root.value("delete_on_termination", true);
      params["BlockDeviceMappings"] = Json::array({{{"DeviceName", "/dev/xvda"}, {"Ebs", ebs}}});
    }
    if (config.value("disable_api_termination", false)) {
      params["DisableApiTermination"] = true;
    }
    if (config.value("disable_api_stop", false)) {
      params["DisableApiStop"] = true;
    }
    if (config.value("monitoring", false)) {
      params["Monitoring"] = {{"Enabled", true}};
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    std::string id = state["id"];
    Json groups = Json::array();
    Json names = Json::array();
    for (const Json& g : item.value("SecurityGroups", Json::array())) {
      groups.push_back(Str(g, "GroupId"));
      names.push_back(Str(g, "GroupName"));
    }
    state["vpc_security_group_ids"] =
        FromApi(groups, Conv::kStringSet, prior.value("vpc_security_group_ids", Json()));
    state["security_groups"] = names;
    std::string profile_arn = Str(GetPath(item, "IamInstanceProfile"), "Arn");
    std::string profile = Str(prior, "iam_instance_profile");
    if (profile.rfind("arn:", 0) != 0) {
      size_t slash = profile_arn.rfind('/');
      profile = slash == std::string::npos ? "" : profile_arn.substr(slash + 1);
    }
    state["iam_instance_profile"] = profile;
    ASSIGN_OR_RETURN(std::string account, ctx.Account());
    state["arn"] =
        fmt::format("arn:{}:ec2:{}:{}:instance/{}", ctx.partition(), ctx.region(), account, id);
    state["monitoring"] = GetPath(item, "Monitoring.State") == Json("enabled");
    for (const auto& [attr, api, member] :
         {std::tuple{"disable_api_termination", "disableApiTermination", "DisableApiTermination"},
          std::tuple{"disable_api_stop", "disableApiStop", "DisableApiStop"}}) {
      ASSIGN_OR_RETURN(Json out, ctx.Call("ec2", "DescribeInstanceAttribute",
                                          {{"InstanceId", id}, {"Attribute", api}}));
      Json v = GetPath(out, std::string(member) + ".Value");
      state[attr] = v.is_boolean() ? v : Json(false);
    }
    // What the local cloud does not model, as EC2 answers for a plain instance.
    state["associate_public_ip_address"] = !Str(item, "PublicIpAddress").empty();
    state["cpu_core_count"] = GetPath(item, "CpuOptions.CoreCount").is_number()
                                  ? GetPath(item, "CpuOptions.CoreCount")
                                  : Json(1);
    state["cpu_threads_per_core"] = GetPath(item, "CpuOptions.ThreadsPerCore").is_number()
                                        ? GetPath(item, "CpuOptions.ThreadsPerCore")
                                        : Json(1);
    for (const char* empty : {"host_id", "host_resource_group_arn", "instance_lifecycle",
                              "outpost_arn", "password_data", "spot_instance_request_id"}) {
      state[empty] = "";
    }
    state["capacity_reservation_specification"] = Json::array();
    state["enable_primary_ipv6"] = false;
    state["ipv6_address_count"] = 0;
    state["ipv6_addresses"] = Json::array();
    state["placement_partition_number"] = 0;
    state["secondary_private_ips"] = Json::array();
    if (!state.contains("instance_initiated_shutdown_behavior")) {
      state["instance_initiated_shutdown_behavior"] = "stop";
    }
    if (!state.contains("user_data")) {
      state["user_data"] = "";
    }
    if (!state.contains("user_data_base64")) {
      state["user_data_base64"] = "";
    }
    return OkStatus();
  };
  // disable_api_* change in place; instance_type with a stop, modify and start, as Terraform.
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    std::string id = state["id"];
    for (const std::string name : state["__changed"]) {
      if (name == "disable_api_termination") {
        RETURN_IF_ERROR(ModifyBool(ctx, id, "DisableApiTermination",
                                   config.value("disable_api_termination", false)));
      } else if (name == "disable_api_stop") {
        RETURN_IF_ERROR(
            ModifyBool(ctx, id, "DisableApiStop", config.value("disable_api_stop", false)));
      } else if (name == "instance_type") {
        RETURN_IF_ERROR(ctx.Call("ec2", "StopInstances", {{"InstanceIds", {id}}}));
        RETURN_IF_ERROR(WaitInstanceState(ctx, id, "stopped"));
        RETURN_IF_ERROR(ctx.Call(
            "ec2", "ModifyInstanceAttribute",
            {{"InstanceId", id}, {"InstanceType", {{"Value", Str(config, "instance_type")}}}}));
        RETURN_IF_ERROR(ctx.Call("ec2", "StartInstances", {{"InstanceIds", {id}}}));
      } else if (name == "monitoring" || name == "instance_initiated_shutdown_behavior" ||
                 name == "ebs_optimized") {
        continue;  // recorded only
      } else if (name != "user_data_replace_on_change") {
        return InvalidArgumentError("aws_instance: " + name +
                                    " cannot be changed in place (a replacement is needed)");
      }
    }
    return OkStatus();
  };
  // Terraform turns API termination protection off before it terminates.
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) -> Status {
    if (state.value("disable_api_termination", false)) {
      return ModifyBool(ctx, state["id"], "DisableApiTermination", false);
    }
    return OkStatus();
  };
  s.delete_op = "TerminateInstances";
  s.delete_params = {{"InstanceIds", {"$id"}}};
  s.delete_pending = true;
  return s;
}

// ---- aws_autoscaling_group ----

constexpr char kCapacity[] = "ClusterformCapacity";

// The instances a group waits for: wait_for_capacity_timeout "0" waits for none; else
// desired_capacity (min_size when unset), as Terraform.
int64_t WantedCapacity(const Json& state) {
  if (Str(state, "wait_for_capacity_timeout") == "0") {
    return 0;
  }
  if (state.contains("desired_capacity") && state["desired_capacity"].is_number()) {
    return state["desired_capacity"].get<int64_t>();
  }
  return state.value("min_size", int64_t{0});
}

Json GroupLaunchTemplate(const Json& config) {
  Json lt = config.value("launch_template", Json::array());
  if (!lt.is_array() || lt.empty()) {
    return Json();
  }
  Json out = Json::object();
  if (!Str(lt[0], "id").empty()) {
    out["LaunchTemplateId"] = lt[0]["id"];
  }
  if (!Str(lt[0], "name").empty()) {
    out["LaunchTemplateName"] = lt[0]["name"];
  }
  Json version = lt[0].value("version", Json());
  if (version.is_number()) {
    out["Version"] = std::to_string(version.get<int64_t>());
  } else if (version.is_string() && !version.get<std::string>().empty()) {
    out["Version"] = version;
  }
  return out;
}

std::string JoinComma(const Json& list) {
  std::string out;
  for (const Json& e : list) {
    if (e.is_string()) {
      out += (out.empty() ? "" : ",") + e.get<std::string>();
    }
  }
  return out;
}

Json GroupTags(const Json& config, const std::string& name) {
  Json out = Json::array();
  for (const Json& t : config.value("tag", Json::array())) {
    out.push_back({{"ResourceId", name},
                   {"ResourceType", "auto-scaling-group"},
                   {"Key", Str(t, "key")},
                   {"Value", Str(t, "value")},
                   {"PropagateAtLaunch", t.value("propagate_at_launch", false)}});
  }
  return out;
}

// The members UpdateAutoScalingGroup and CreateAutoScalingGroup share.
void GroupSettings(const Json& config, Json& params) {
  for (const auto& [attr, member] :
       {std::pair{"min_size", "MinSize"}, std::pair{"max_size", "MaxSize"},
        std::pair{"desired_capacity", "DesiredCapacity"},
        std::pair{"health_check_grace_period", "HealthCheckGracePeriod"},
        std::pair{"health_check_type", "HealthCheckType"},
        std::pair{"default_cooldown", "DefaultCooldown"},
        std::pair{"protect_from_scale_in", "NewInstancesProtectedFromScaleIn"}}) {
    if (config.contains(attr) && !config[attr].is_null()) {
      params[member] = config[attr];
    }
  }
  Json lt = GroupLaunchTemplate(config);
  if (!lt.is_null()) {
    params["LaunchTemplate"] = lt;
  }
  if (config.contains("vpc_zone_identifier") && config["vpc_zone_identifier"].is_array()) {
    params["VPCZoneIdentifier"] = JoinComma(config["vpc_zone_identifier"]);
  }
  if (config.contains("availability_zones") && config["availability_zones"].is_array() &&
      !config["availability_zones"].empty()) {
    params["AvailabilityZones"] = config["availability_zones"];
  }
}

std::vector<std::string> Minus(const Json& a, const Json& b) {
  std::vector<std::string> out;
  if (!a.is_array()) {
    return out;
  }
  for (const Json& e : a) {
    if (e.is_string() && !(b.is_array() && std::find(b.begin(), b.end(), e) != b.end())) {
      out.push_back(e.get<std::string>());
    }
  }
  return out;
}

Status SyncProcesses(AwsContext& ctx, const std::string& name, const Json& have, const Json& want) {
  std::vector<std::string> resume = Minus(have, want);
  std::vector<std::string> suspend = Minus(want, have);
  if (!resume.empty()) {
    RETURN_IF_ERROR(ctx.Call("autoscaling", "ResumeProcesses",
                             {{"AutoScalingGroupName", name}, {"ScalingProcesses", resume}}));
  }
  if (!suspend.empty()) {
    RETURN_IF_ERROR(ctx.Call("autoscaling", "SuspendProcesses",
                             {{"AutoScalingGroupName", name}, {"ScalingProcesses", suspend}}));
  }
  return OkStatus();
}

Status SyncTargetGroups(AwsContext& ctx, const std::string& name, const Json& have,
                        const Json& want) {
  std::vector<std::string> detach = Minus(have, want);
  std::vector<std::string> attach = Minus(want, have);
  if (!detach.empty()) {
    RETURN_IF_ERROR(ctx.Call("autoscaling", "DetachLoadBalancerTargetGroups",
                             {{"AutoScalingGroupName", name}, {"TargetGroupARNs", detach}}));
  }
  if (!attach.empty()) {
    RETURN_IF_ERROR(ctx.Call("autoscaling", "AttachLoadBalancerTargetGroups",
                             {{"AutoScalingGroupName", name}, {"TargetGroupARNs", attach}}));
  }
  return OkStatus();
}

Status SyncTags(AwsContext& ctx, const std::string& name, const Json& have, const Json& want) {
  Json want_tags = GroupTags({{"tag", want}}, name);
  Json removed = Json::array();
  for (const Json& t : have.is_array() ? have : Json::array()) {
    bool kept = false;
    for (const Json& w : want.is_array() ? want : Json::array()) {
      kept = kept || Str(w, "key") == Str(t, "key");
    }
    if (!kept) {
      removed.push_back(
          {{"ResourceId", name}, {"ResourceType", "auto-scaling-group"}, {"Key", Str(t, "key")}});
    }
  }
  if (!removed.empty()) {
    RETURN_IF_ERROR(ctx.Call("autoscaling", "DeleteTags", {{"Tags", removed}}));
  }
  if (!want_tags.empty() && have != want) {
    RETURN_IF_ERROR(ctx.Call("autoscaling", "CreateOrUpdateTags", {{"Tags", want_tags}}));
  }
  return OkStatus();
}

TypeSpec AutoscalingGroup() {
  TypeSpec s;
  s.type = "aws_autoscaling_group";
  s.service = "autoscaling";
  s.force_new = {"name", "name_prefix"};
  s.find_by_name = "name";
  s.create_op = "CreateAutoScalingGroup";
  s.id_template = "$attr.name";
  s.read.op = "DescribeAutoScalingGroups";
  s.read.list = "AutoScalingGroups";
  s.read.item_id = "AutoScalingGroupName";
  // The capacity wait: the read item carries whether enough instances are InService.
  s.read.state_path = kCapacity;
  s.read.pending_states = {"Pending"};
  s.fields = {
      {.attr = "name", .create = "AutoScalingGroupName", .read = "AutoScalingGroupName"},
      {.attr = "min_size", .read = "MinSize"},
      {.attr = "max_size", .read = "MaxSize"},
      {.attr = "desired_capacity", .read = "DesiredCapacity"},
      {.attr = "default_cooldown", .read = "DefaultCooldown"},
      {.attr = "health_check_type", .read = "HealthCheckType"},
      {.attr = "health_check_grace_period", .read = "HealthCheckGracePeriod"},
      {.attr = "protect_from_scale_in",
       .read = "NewInstancesProtectedFromScaleIn",
       .absent = false},
      {.attr = "arn", .read = "AutoScalingGroupARN"},
      {.attr = "service_linked_role_arn", .read = "ServiceLinkedRoleARN", .absent = ""},
      {.attr = "target_group_arns",
       .read = "TargetGroupARNs",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
      {.attr = "load_balancers",
       .read = "LoadBalancerNames",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
      {.attr = "availability_zones",
       .read = "AvailabilityZones",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    GroupSettings(config, params);
    if (config.contains("target_group_arns") && config["target_group_arns"].is_array() &&
        !config["target_group_arns"].empty()) {
      params["TargetGroupARNs"] = config["target_group_arns"];
    }
    Json tags = GroupTags(config, Str(config, "name"));
    if (!tags.empty()) {
      params["Tags"] = tags;
    }
    return OkStatus();
  };
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    return SyncProcesses(ctx, state["id"], Json::array(),
                         config.value("suspended_processes", Json::array()));
  };
  s.custom_read = [](AwsContext& ctx, const TypeSpec&,
                     const Json& state) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(Json out, ctx.Call("autoscaling", "DescribeAutoScalingGroups",
                                        {{"AutoScalingGroupNames", {Str(state, "id")}}}));
    Json groups = GetPath(out, "AutoScalingGroups");
    if (!groups.is_array() || groups.empty()) {
      return std::optional<Json>();
    }
    Json item = groups[0];
    if (!Str(item, "Status").empty()) {  // "Delete in progress"
      return std::optional<Json>();
    }
    int64_t in_service = 0;
    for (const Json& i : item.value("Instances", Json::array())) {
      in_service +=
          Str(i, "LifecycleState") == "InService" && Str(i, "HealthStatus") == "Healthy" ? 1 : 0;
    }
    item[kCapacity] = in_service >= WantedCapacity(state) ? "Ready" : "Pending";
    return std::optional<Json>(std::move(item));
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    std::string zones = Str(item, "VPCZoneIdentifier");
    Json subnets = Json::array();
    for (size_t start = 0; !zones.empty() && start <= zones.size();) {
      size_t comma = zones.find(',', start);
      std::string one =
          zones.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!one.empty()) {
        subnets.push_back(one);
      }
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
    state["vpc_zone_identifier"] =
        FromApi(subnets, Conv::kStringSet, prior.value("vpc_zone_identifier", Json()));
    Json lt = item.value("LaunchTemplate", Json());
    if (lt.is_object()) {
      Json prior_lt = prior.value("launch_template", Json::array());
      Json block = {{"id", Str(lt, "LaunchTemplateId")},
                    {"name", Str(lt, "LaunchTemplateName")},
                    {"version", Str(lt, "Version")}};
      if (prior_lt.is_array() && !prior_lt.empty()) {
        // Keep the config's form of the version (a number, "$Latest") while it says the same.
        Json p = prior_lt[0];
        if (p.contains("version") &&
            (p["version"].is_number() ? std::to_string(p["version"].get<int64_t>())
                                      : Str(p, "version")) == Str(lt, "Version")) {
          block["version"] = p["version"];
        }
        for (const char* k : {"id", "name"}) {
          if (!p.contains(k)) {
            block.erase(k);
          }
        }
      }
      state["launch_template"] = Json::array({block});
    }
    Json suspended = Json::array();
    for (const Json& p : item.value("SuspendedProcesses", Json::array())) {
      suspended.push_back(Str(p, "ProcessName"));
    }
    state["suspended_processes"] =
        FromApi(suspended, Conv::kStringSet, prior.value("suspended_processes", Json()));
    Json tags = Json::array();
    for (const Json& t : item.value("Tags", Json::array())) {
      tags.push_back({{"key", Str(t, "Key")},
                      {"value", Str(t, "Value")},
                      {"propagate_at_launch", t.value("PropagateAtLaunch", false)}});
    }
    Json prior_tags = prior.value("tag", Json());
    bool same = prior_tags.is_array() && prior_tags.size() == tags.size();
    for (const Json& t : tags) {
      same = same && prior_tags.is_array() &&
             std::find(prior_tags.begin(), prior_tags.end(), t) != prior_tags.end();
    }
    if (same || !tags.empty() || prior.contains("tag")) {
      state["tag"] = same ? prior_tags : tags;
    }
    state["name_prefix"] = prior.value("name_prefix", "");
    state["predicted_capacity"] = 0;
    state["warm_pool_size"] = 0;
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    std::string name = state["id"];
    bool settings = false;
    for (const std::string changed : state["__changed"]) {
      if (changed == "suspended_processes") {
        RETURN_IF_ERROR(SyncProcesses(ctx, name, state.value("suspended_processes", Json()),
                                      config.value("suspended_processes", Json::array())));
      } else if (changed == "target_group_arns") {
        RETURN_IF_ERROR(SyncTargetGroups(ctx, name, state.value("target_group_arns", Json()),
                                         config.value("target_group_arns", Json::array())));
      } else if (changed == "tag") {
        RETURN_IF_ERROR(
            SyncTags(ctx, name, state.value("tag", Json()), config.value("tag", Json::array())));
      } else if (changed != "wait_for_capacity_timeout" && changed != "force_delete" &&
                 changed != "wait_for_elb_capacity") {
        settings = true;
      }
    }
    if (settings) {
      Json params = {{"AutoScalingGroupName", name}};
      GroupSettings(config, params);
      RETURN_IF_ERROR(ctx.Call("autoscaling", "UpdateAutoScalingGroup", params));
    }
    return OkStatus();
  };
  // Terraform drains a group before deleting it; a group whose instances are protected from
  // scale-in never drains, so its instances go with it (force_delete).
  s.delete_op = "DeleteAutoScalingGroup";
  s.delete_params = {{"AutoScalingGroupName", "$id"}, {"ForceDelete", true}};
  s.read.gone_codes = {"ValidationError"};
  s.delete_pending = true;
  return s;
}

}  // namespace

void AddComputeTypes(std::vector<TypeSpec>& out) {
  out.push_back(Instance());
  out.push_back(AutoscalingGroup());
}

}  // namespace cf::provider::aws_spec
