// RDS (Aurora MySQL): clusters (waiting until available), cluster instances (waiting until
// available), cluster and instance parameter groups, DB subnet groups. Tags by ARN
// (AddTagsToResource / RemoveTagsFromResource; clusters and instances carry their TagList,
// groups are read with ListTagsForResource).

#include <fmt/format.h>

#include <set>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

Json& Item(Json& state) {
  return state["__item"];
}

TagSpec RdsTags(bool in_item) {
  TagSpec t;
  t.style = TagSpec::Style::kList;
  if (in_item) {
    t.read_path = "TagList";
  } else {
    t.read_op = "ListTagsForResource";
    t.read_params = {{"ResourceName", "$attr.arn"}};
    t.read_path = "TagList";
  }
  t.tag_op = "AddTagsToResource";
  t.tag_params = {{"ResourceName", "$attr.arn"}};
  t.untag_op = "RemoveTagsFromResource";
  t.untag_params = {{"ResourceName", "$attr.arn"}};
  return t;
}

// Sets each attribute the state does not hold yet to its value.
void Defaults(Json& state, const Json& defaults) {
  for (const auto& [name, value] : defaults.items()) {
    if (!state.contains(name) || state[name].is_null()) {
      state[name] = value;
    }
  }
}

// An argument AWS does not keep: the prior state's (the config's at create), else `fallback`.
void CarryOver(Json& state, const Json& prior, const char* name, const Json& fallback) {
  state[name] = prior.contains(name) && !prior[name].is_null() ? prior[name] : fallback;
}

// ModifyDBCluster of one attribute, applied at once.
Field ClusterModify(const char* attr, const char* create, const char* read, const char* member,
                    Conv conv = Conv::kPlain) {
  return {.attr = attr,
          .create = create,
          .read = read,
          .conv = conv,
          .update_op = "ModifyDBCluster",
          .update_params = {
              {"DBClusterIdentifier", "$id"}, {"ApplyImmediately", true}, {member, "$value"}}};
}

Field InstanceModify(const char* attr, const char* create, const char* read, const char* member) {
  return {.attr = attr,
          .create = create,
          .read = read,
          .update_op = "ModifyDBInstance",
          .update_params = {
              {"DBInstanceIdentifier", "$id"}, {"ApplyImmediately", true}, {member, "$value"}}};
}

TypeSpec Cluster() {
  TypeSpec s;
  s.type = "aws_rds_cluster";
  s.service = "rds";
  s.tags = RdsTags(true);
  s.force_new = {
      "cluster_identifier",  "cluster_identifier_prefix", "engine",     "database_name",
      "master_username",     "storage_encrypted",         "kms_key_id", "db_subnet_group_name",
      "snapshot_identifier", "availability_zones",        "port"};
  s.find_by_name = "cluster_identifier";
  s.create_op = "CreateDBCluster";
  s.id_template = "$attr.cluster_identifier";
  s.read.op = "DescribeDBClusters";
  s.read.ids_filter = "db-cluster-id";
  s.read.list = "DBClusters";
  s.read.item_id = "DBClusterIdentifier";
  s.read.gone_codes = {"DBClusterNotFoundFault"};
  s.ready_waiter = "DBClusterAvailable";
  s.fields = {
      {.attr = "cluster_identifier",
       .create = "DBClusterIdentifier",
       .read = "DBClusterIdentifier"},
      {.attr = "engine", .create = "Engine", .read = "Engine"},
      {.attr = "engine_mode", .create = "EngineMode", .read = "EngineMode"},
      // The version as configured ("8.0"); engine_version_actual is RDS's full one.
      {.attr = "engine_version",
       .create = "EngineVersion",
       .update_op = "ModifyDBCluster",
       .update_params = {{"DBClusterIdentifier", "$id"},
                         {"ApplyImmediately", true},
                         {"AllowMajorVersionUpgrade", "$attr.allow_major_version_upgrade"},
                         {"EngineVersion", "$value"}}},
      {.attr = "engine_version_actual", .read = "EngineVersion"},
      {.attr = "database_name", .create = "DatabaseName", .read = "DatabaseName", .absent = ""},
      {.attr = "master_username", .create = "MasterUsername", .read = "MasterUsername"},
      {.attr = "master_password",
       .create = "MasterUserPassword",
       .update_op = "ModifyDBCluster",
       .update_params = {{"DBClusterIdentifier", "$id"},
                         {"ApplyImmediately", true},
                         {"MasterUserPassword", "$value"}}},
      {.attr = "port", .create = "Port", .read = "Port"},
      {.attr = "db_subnet_group_name", .create = "DBSubnetGroupName", .read = "DBSubnetGroup"},
      ClusterModify("db_cluster_parameter_group_name", "DBClusterParameterGroupName",
                    "DBClusterParameterGroup", "DBClusterParameterGroupName"),
      ClusterModify("vpc_security_group_ids", "VpcSecurityGroupIds", "", "VpcSecurityGroupIds",
                    Conv::kStringSet),
      {.attr = "storage_encrypted", .create = "StorageEncrypted", .read = "StorageEncrypted"},
      {.attr = "kms_key_id", .create = "KmsKeyId", .read = "KmsKeyId", .absent = ""},
      ClusterModify("deletion_protection", "DeletionProtection", "DeletionProtection",
                    "DeletionProtection"),
      ClusterModify("backup_retention_period", "BackupRetentionPeriod", "BackupRetentionPeriod",
                    "BackupRetentionPeriod"),
      ClusterModify("preferred_backup_window", "PreferredBackupWindow", "PreferredBackupWindow",
                    "PreferredBackupWindow"),
      ClusterModify("preferred_maintenance_window", "PreferredMaintenanceWindow",
                    "PreferredMaintenanceWindow", "PreferredMaintenanceWindow"),
      ClusterModify("copy_tags_to_snapshot", "CopyTagsToSnapshot", "CopyTagsToSnapshot",
                    "CopyTagsToSnapshot"),
      ClusterModify("iam_database_authentication_enabled", "EnableIAMDatabaseAuthentication",
                    "IAMDatabaseAuthenticationEnabled", "EnableIAMDatabaseAuthentication"),
      {.attr = "enabled_cloudwatch_logs_exports",
       .create = "EnableCloudwatchLogsExports",
       .read = "EnabledCloudwatchLogsExports",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
      {.attr = "availability_zones",
       .create = "AvailabilityZones",
       .read = "AvailabilityZones",
       .conv = Conv::kStringSet},
      {.attr = "arn", .read = "DBClusterArn"},
      {.attr = "endpoint", .read = "Endpoint"},
      {.attr = "reader_endpoint", .read = "ReaderEndpoint"},
      {.attr = "hosted_zone_id", .read = "HostedZoneId"},
      {.attr = "cluster_resource_id", .read = "DbClusterResourceId"},
      {.attr = "allocated_storage", .read = "AllocatedStorage", .absent = 0},
      {.attr = "performance_insights_enabled",
       .read = "PerformanceInsightsEnabled",
       .absent = false},
      {.attr = "monitoring_interval", .read = "MonitoringInterval", .absent = 0},
  };
  s.build_create = [](AwsContext&, const Json& config, Json&) -> Status {
    if (!Str(config, "snapshot_identifier").empty()) {
      return InvalidArgumentError(
          "aws_rds_cluster: snapshot_identifier (a restore) is not supported by clusterform yet");
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    Json groups = Json::array();
    for (const Json& g : item.value("VpcSecurityGroups", Json::array())) {
      groups.push_back(Str(g, "VpcSecurityGroupId"));
    }
    state["vpc_security_group_ids"] =
        FromApi(groups, Conv::kStringSet, prior.value("vpc_security_group_ids", Json()));
    Json members = Json::array();
    for (const Json& m : item.value("DBClusterMembers", Json::array())) {
      members.push_back(Str(m, "DBInstanceIdentifier"));
    }
    state["cluster_members"] =
        FromApi(members, Conv::kStringSet, prior.value("cluster_members", Json()));
    if (!prior.contains("engine_version") || prior["engine_version"].is_null()) {
      state["engine_version"] = item.value("EngineVersion", "");
    }
    CarryOver(state, prior, "apply_immediately", false);
    CarryOver(state, prior, "allow_major_version_upgrade", false);
    CarryOver(state, prior, "skip_final_snapshot", false);
    CarryOver(state, prior, "cluster_identifier_prefix", "");
    Defaults(state, {{"ca_certificate_identifier", ""},
                     {"ca_certificate_valid_till", ""},
                     {"cluster_scalability_type", "standard"},
                     {"database_insights_mode", "standard"},
                     {"db_system_id", ""},
                     {"engine_lifecycle_support", "open-source-rds-extended-support"},
                     {"iam_roles", Json::array()},
                     {"iops", 0},
                     {"master_user_secret", Json::array()},
                     {"master_user_secret_kms_key_id", ""},
                     {"monitoring_role_arn", ""},
                     {"network_type", "IPV4"},
                     {"performance_insights_kms_key_id", ""},
                     {"performance_insights_retention_period", 0},
                     {"storage_type", ""}});
    return OkStatus();
  };
  s.delete_op = "DeleteDBCluster";
  s.delete_params = {{"DBClusterIdentifier", "$id"},
                     {"SkipFinalSnapshot", "$attr.skip_final_snapshot"},
                     {"FinalDBSnapshotIdentifier", "$attr.final_snapshot_identifier"}};
  return s;
}

TypeSpec ClusterInstance() {
  TypeSpec s;
  s.type = "aws_rds_cluster_instance";
  s.service = "rds";
  s.tags = RdsTags(true);
  s.force_new = {"identifier", "identifier_prefix", "cluster_identifier", "engine",
                 "availability_zone"};
  s.find_by_name = "identifier";
  s.create_op = "CreateDBInstance";
  s.id_template = "$attr.identifier";
  s.read.op = "DescribeDBInstances";
  s.read.ids_filter = "db-instance-id";
  s.read.list = "DBInstances";
  s.read.item_id = "DBInstanceIdentifier";
  s.read.gone_codes = {"DBInstanceNotFound"};
  s.ready_waiter = "DBInstanceAvailable";
  s.fields = {
      {.attr = "identifier", .create = "DBInstanceIdentifier", .read = "DBInstanceIdentifier"},
      {.attr = "cluster_identifier",
       .create = "DBClusterIdentifier",
       .read = "DBClusterIdentifier"},
      {.attr = "engine", .create = "Engine", .read = "Engine"},
      InstanceModify("instance_class", "DBInstanceClass", "DBInstanceClass", "DBInstanceClass"),
      InstanceModify("db_parameter_group_name", "DBParameterGroupName",
                     "DBParameterGroups[0].DBParameterGroupName", "DBParameterGroupName"),
      {.attr = "availability_zone", .create = "AvailabilityZone", .read = "AvailabilityZone"},
      InstanceModify("publicly_accessible", "PubliclyAccessible", "PubliclyAccessible",
                     "PubliclyAccessible"),
      InstanceModify("promotion_tier", "PromotionTier", "PromotionTier", "PromotionTier"),
      InstanceModify("auto_minor_version_upgrade", "AutoMinorVersionUpgrade",
                     "AutoMinorVersionUpgrade", "AutoMinorVersionUpgrade"),
      InstanceModify("monitoring_interval", "MonitoringInterval", "MonitoringInterval",
                     "MonitoringInterval"),
      InstanceModify("performance_insights_enabled", "EnablePerformanceInsights",
                     "PerformanceInsightsEnabled", "EnablePerformanceInsights"),
      InstanceModify("ca_cert_identifier", "CACertificateIdentifier", "CACertificateIdentifier",
                     "CACertificateIdentifier"),
      InstanceModify("copy_tags_to_snapshot", "CopyTagsToSnapshot", "CopyTagsToSnapshot",
                     "CopyTagsToSnapshot"),
      InstanceModify("preferred_maintenance_window", "PreferredMaintenanceWindow",
                     "PreferredMaintenanceWindow", "PreferredMaintenanceWindow"),
      {.attr = "arn", .read = "DBInstanceArn"},
      {.attr = "dbi_resource_id", .read = "DbiResourceId"},
      {.attr = "endpoint", .read = "Endpoint.Address"},
      {.attr = "port", .read = "Endpoint.Port"},
      {.attr = "db_subnet_group_name", .read = "DBSubnetGroup.DBSubnetGroupName"},
      {.attr = "engine_version_actual", .read = "EngineVersion"},
      {.attr = "storage_encrypted", .read = "StorageEncrypted"},
      {.attr = "kms_key_id", .read = "KmsKeyId", .absent = ""},
      {.attr = "preferred_backup_window", .read = "PreferredBackupWindow"},
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    if (!prior.contains("engine_version") || prior["engine_version"].is_null()) {
      state["engine_version"] = item.value("EngineVersion", "");
    } else {
      state["engine_version"] = prior["engine_version"];
    }
    // The writer is the cluster's to say.
    state["writer"] = false;
    Result<Json> cluster = ctx.Call("rds", "DescribeDBClusters",
                                    {{"DBClusterIdentifier", Str(item, "DBClusterIdentifier")}});
    if (cluster.ok()) {
      for (const Json& m : GetPath(*cluster, "DBClusters[0].DBClusterMembers")) {
        if (Str(m, "DBInstanceIdentifier") == Str(item, "DBInstanceIdentifier")) {
          state["writer"] = m.value("IsClusterWriter", false);
        }
      }
    }
    CarryOver(state, prior, "apply_immediately", false);
    CarryOver(state, prior, "identifier_prefix", "");
    CarryOver(state, prior, "force_destroy", false);
    Defaults(state, {{"monitoring_role_arn", ""},
                     {"network_type", "IPV4"},
                     {"performance_insights_kms_key_id", ""},
                     {"performance_insights_retention_period", 0}});
    return OkStatus();
  };
  s.delete_op = "DeleteDBInstance";
  s.delete_params = {{"DBInstanceIdentifier", "$id"}, {"SkipFinalSnapshot", true}};
  return s;
}

// The `parameter` blocks of a group: {name, value, apply_method}.
Json ParametersToApi(const Json& blocks) {
  Json out = Json::array();
  for (const Json& p : blocks.is_array() ? blocks : Json::array()) {
    out.push_back({{"ParameterName", Str(p, "name")},
                   {"ParameterValue", Str(p, "value")},
                   {"ApplyMethod", p.value("apply_method", std::string("immediate"))}});
  }
  return out;
}

std::set<std::tuple<std::string, std::string, std::string>> ParameterSet(const Json& blocks) {
  std::set<std::tuple<std::string, std::string, std::string>> out;
  for (const Json& p : ParametersToApi(blocks)) {
    out.insert({Str(p, "ParameterName"), Str(p, "ParameterValue"), Str(p, "ApplyMethod")});
  }
  return out;
}

TypeSpec ParameterGroup(bool cluster) {
  std::string kind = cluster ? "DBClusterParameterGroup" : "DBParameterGroup";
  std::string name_member = kind + "Name";
  TypeSpec s;
  s.type = cluster ? "aws_rds_cluster_parameter_group" : "aws_db_parameter_group";
  s.service = "rds";
  s.tags = RdsTags(false);
  s.force_new = {"name", "name_prefix", "family", "description"};
  s.find_by_name = "name";
  s.create_op = "Create" + kind;
  s.id_template = "$attr.name";
  s.read.op = "Describe" + kind + "s";
  s.read.params = {{name_member, "$id"}};
  s.read.object = kind + "s[0]";
  s.read.gone_codes = {"DBParameterGroupNotFound", "DBClusterParameterGroupNotFound"};
  s.fields = {
      {.attr = "name", .create = name_member, .read = name_member},
      {.attr = "family", .create = "DBParameterGroupFamily", .read = "DBParameterGroupFamily"},
      {.attr = "description", .create = "Description", .read = "Description"},
      {.attr = "arn", .read = kind + "Arn"},
  };
  auto modify = [kind, name_member](AwsContext& ctx, const std::string& name,
                                    const Json& parameters) -> Status {
    for (size_t i = 0; i < parameters.size(); i += 20) {
      Json chunk = Json::array();
      for (size_t j = i; j < parameters.size() && j < i + 20; ++j) {
        chunk.push_back(parameters[j]);
      }
      RETURN_IF_ERROR(
          ctx.Call("rds", "Modify" + kind, {{name_member, name}, {"Parameters", chunk}}).status());
    }
    return OkStatus();
  };
  s.after_create = [modify](AwsContext& ctx, const TypeSpec&, const Json& config,
                            Json& state) -> Status {
    Json parameters = ParametersToApi(config.value("parameter", Json::array()));
    if (parameters.empty()) {
      return OkStatus();
    }
    return modify(ctx, state["id"], parameters);
  };
  s.after_read = [kind, name_member](AwsContext& ctx, const TypeSpec&, const Json& prior,
                                     Json& state) -> Status {
    std::string operation =
        kind == "DBClusterParameterGroup" ? "DescribeDBClusterParameters" : "DescribeDBParameters";
    ASSIGN_OR_RETURN(Json out,
                     ctx.Call("rds", operation, {{name_member, state["id"]}, {"Source", "user"}}));
    Json blocks = Json::array();
    for (const Json& p : out.value("Parameters", Json::array())) {
      blocks.push_back({{"name", Str(p, "ParameterName")},
                        {"value", Str(p, "ParameterValue")},
                        {"apply_method", Str(p, "ApplyMethod")}});
    }
    Json prior_blocks = prior.value("parameter", Json::array());
    state["parameter"] = ParameterSet(prior_blocks) == ParameterSet(blocks) ? prior_blocks : blocks;
    CarryOver(state, prior, "name_prefix", "");
    return OkStatus();
  };
  s.update = [modify, kind, name_member](AwsContext& ctx, const TypeSpec&, const Json& config,
                                         Json& state) -> Status {
    Json old_set = ParametersToApi(state.value("parameter", Json::array()));
    Json new_set = ParametersToApi(config.value("parameter", Json::array()));
    Json removed = Json::array();
    for (const Json& p : old_set) {
      bool kept = false;
      for (const Json& q : new_set) {
        kept = kept || Str(q, "ParameterName") == Str(p, "ParameterName");
      }
      if (!kept) {
        removed.push_back(
            {{"ParameterName", Str(p, "ParameterName")}, {"ApplyMethod", Str(p, "ApplyMethod")}});
      }
    }
    std::string name = state["id"];
    if (!removed.empty()) {
      RETURN_IF_ERROR(
          ctx.Call("rds", "Reset" + kind, {{name_member, name}, {"Parameters", removed}}).status());
    }
    return new_set.empty() ? OkStatus() : modify(ctx, name, new_set);
  };
  s.delete_op = "Delete" + kind;
  s.delete_params = {{name_member, "$id"}};
  return s;
}

TypeSpec SubnetGroup() {
  TypeSpec s;
  s.type = "aws_db_subnet_group";
  s.service = "rds";
  s.tags = RdsTags(false);
  s.force_new = {"name", "name_prefix"};
  s.find_by_name = "name";
  s.create_op = "CreateDBSubnetGroup";
  s.id_template = "$attr.name";
  s.read.op = "DescribeDBSubnetGroups";
  s.read.params = {{"DBSubnetGroupName", "$id"}};
  s.read.object = "DBSubnetGroups[0]";
  s.read.gone_codes = {"DBSubnetGroupNotFoundFault"};
  s.fields = {
      {.attr = "name", .create = "DBSubnetGroupName", .read = "DBSubnetGroupName"},
      {.attr = "description",
       .create = "DBSubnetGroupDescription",
       .read = "DBSubnetGroupDescription",
       .update_op = "ModifyDBSubnetGroup",
       .update_params = {{"DBSubnetGroupName", "$id"},
                         {"DBSubnetGroupDescription", "$value"},
                         {"SubnetIds", "$attr.subnet_ids"}}},
      {.attr = "subnet_ids",
       .create = "SubnetIds",
       .conv = Conv::kStringSet,
       .update_op = "ModifyDBSubnetGroup",
       .update_params = {{"DBSubnetGroupName", "$id"}, {"SubnetIds", "$value"}}},
      {.attr = "arn", .read = "DBSubnetGroupArn"},
      {.attr = "vpc_id", .read = "VpcId"},
      {.attr = "supported_network_types",
       .read = "SupportedNetworkTypes",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    Json subnets = Json::array();
    for (const Json& sn : Item(state).value("Subnets", Json::array())) {
      subnets.push_back(Str(sn, "SubnetIdentifier"));
    }
    state["subnet_ids"] = FromApi(subnets, Conv::kStringSet, prior.value("subnet_ids", Json()));
    CarryOver(state, prior, "name_prefix", "");
    return OkStatus();
  };
  s.delete_op = "DeleteDBSubnetGroup";
  s.delete_params = {{"DBSubnetGroupName", "$id"}};
  return s;
}

}  // namespace

void AddRdsTypes(std::vector<TypeSpec>& out) {
  out.push_back(Cluster());
  out.push_back(ClusterInstance());
  out.push_back(ParameterGroup(true));
  out.push_back(ParameterGroup(false));
  out.push_back(SubnetGroup());
}

}  // namespace cf::provider::aws_spec
