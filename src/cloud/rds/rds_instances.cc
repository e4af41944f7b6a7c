// DB instances of Aurora clusters: records served by their cluster's server, with its
// endpoint.

#include <fmt/core.h>

#include "cloud/rds/rds_common.h"
#include "cloud/rds/rds_rules.h"
#include "cloud/rds/rds_service.h"

namespace cf::cloud::rds {

namespace {

constexpr char kHostedZoneId[] = "Z2R2ITUGPM61AM";

}  // namespace

Json RdsService::InstanceView(const Json& doc, const Json& cluster) {
  Json view = Visible(doc);
  std::string cluster_status = cluster.is_object() ? ClusterStatus(cluster) : "failed";
  std::string status = "creating";
  if (cluster_status == "failed") {
    status = "failed";
  } else if (cluster_status == "available" || cluster_status == "creating") {
    std::optional<Server> server = ServerOf(cluster.value("_server", ""));
    bool running = server && server->phase == Server::Phase::kRunning;
    if (running && DelayPassed(doc.value("_created_ms", int64_t{0}), "rds:DBInstance")) {
      status = "available";
    }
  } else if (cluster_status == "starting") {
    status = "starting";
  }
  view["DBInstanceStatus"] = status;
  if (cluster.is_object()) {
    view["Endpoint"] = {{"Address", cluster.value("Endpoint", "")},
                        {"Port", cluster.value("Port", 3306)},
                        {"HostedZoneId", kHostedZoneId}};
    view["EngineVersion"] = cluster["EngineVersion"];
    view["MasterUsername"] = cluster["MasterUsername"];
  }
  return view;
}

ServiceResult RdsService::CreateDBInstance(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string given = in.value("DBInstanceIdentifier", "");
  SERVICE_RETURN_IF_ERROR(CheckIdentifier(given, "DBInstanceIdentifier"));
  std::string id = IdOf(given);
  std::string key = Key(call, id);
  SERVICE_ASSIGN_OR_RETURN(bool existing, Exists(txn, kInstanceNs, key));
  if (existing) {
    return Error("DBInstanceAlreadyExists", "DB instance already exists");
  }
  std::string engine = in.value("Engine", "");
  if (engine != "aurora-mysql") {
    return InvalidParameterValue(
        fmt::format("Invalid DB engine: {} (the local cloud serves aurora-mysql)", engine));
  }
  std::string instance_class = in.value("DBInstanceClass", "");
  if (instance_class.rfind("db.", 0) != 0 || instance_class.size() < 6) {
    return InvalidParameterValue(fmt::format("Invalid DB Instance class: {}", instance_class));
  }
  if (!in.contains("DBClusterIdentifier")) {
    return InvalidParameterValue(
        "The parameter DBClusterIdentifier must be provided for engine aurora-mysql.");
  }
  for (const char* member : {"MasterUsername", "MasterUserPassword", "DBName"}) {
    if (in.contains(member)) {
      return InvalidParameterCombination(fmt::format(
          "The requested DB Instance will be a member of a DB Cluster. Set {} for the DB "
          "Cluster.",
          member));
    }
  }
  std::string cluster_id = IdOf(in["DBClusterIdentifier"].get<std::string>());
  SERVICE_ASSIGN_OR_RETURN(
      Json cluster, txn.Require(kClusterNs, Key(call, cluster_id), ClusterNotFound(cluster_id)));
  std::string family = FamilyOf(cluster.value("EngineVersion", ""));
  std::string parameter_group = in.value("DBParameterGroupName", "default." + family);
  SERVICE_RETURN_IF_ERROR(CheckParameterGroupExists(txn, call, parameter_group, false, family));
  std::string zone = in.value("AvailabilityZone", "");
  const Json& zones = cluster["AvailabilityZones"];
  if (zone.empty()) {
    zone = zones.empty() ? call.region + "a" : zones[0].get<std::string>();
  }
  Json subnet_group = {{"DBSubnetGroupName", cluster.value("DBSubnetGroup", "default")},
                       {"SubnetGroupStatus", "Complete"}};
  if (cluster.value("DBSubnetGroup", "default") != "default") {
    SERVICE_ASSIGN_OR_RETURN(subnet_group,
                             SubnetGroup(txn, call, cluster.value("DBSubnetGroup", "")));
  }
  int64_t now = NowMs();
  Json doc = {
      {"DBInstanceIdentifier", id},
      {"DBInstanceArn", RdsArn(call, "db", id)},
      {"DbiResourceId", "db-" + context_.ids.ResourceId("x").substr(2)},
      {"DBInstanceClass", instance_class},
      {"Engine", engine},
      {"DBClusterIdentifier", cluster_id},
      {"DbInstancePort", 0},
      {"AvailabilityZone", zone},
      {"DBSubnetGroup", subnet_group},
      {"DBParameterGroups", Json::array({{{"DBParameterGroupName", parameter_group},
                                          {"ParameterApplyStatus", "in-sync"}}})},
      {"VpcSecurityGroups", cluster.value("VpcSecurityGroups", Json::array())},
      {"PubliclyAccessible", in.value("PubliclyAccessible", false)},
      {"StorageEncrypted", cluster.value("StorageEncrypted", false)},
      {"PromotionTier", in.value("PromotionTier", 1)},
      {"AutoMinorVersionUpgrade", in.value("AutoMinorVersionUpgrade", true)},
      {"MonitoringInterval", in.value("MonitoringInterval", 0)},
      {"PerformanceInsightsEnabled", in.value("EnablePerformanceInsights", false)},
      {"CACertificateIdentifier", in.value("CACertificateIdentifier", "rds-ca-rsa2048-g1")},
      {"CopyTagsToSnapshot", in.value("CopyTagsToSnapshot", false)},
      {"MultiAZ", false},
      {"LicenseModel", "general-public-license"},
      {"StorageType", "aurora"},
      {"AllocatedStorage", 1},
      {"BackupRetentionPeriod", cluster.value("BackupRetentionPeriod", 1)},
      {"PreferredBackupWindow", cluster.value("PreferredBackupWindow", "")},
      {"PreferredMaintenanceWindow",
       in.value("PreferredMaintenanceWindow", cluster.value("PreferredMaintenanceWindow", ""))},
      {"DeletionProtection", false},
      {"IAMDatabaseAuthenticationEnabled", false},
      {"InstanceCreateTime", Timestamp(now)},
      {"TagList", MergeTags(Json::array(), in.value("Tags", Json::array()))},
      {"_created_ms", now}};
  if (cluster.contains("KmsKeyId")) {
    doc["KmsKeyId"] = cluster["KmsKeyId"];
  }
  for (const char* member :
       {"MonitoringRoleArn", "PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod"}) {
    if (in.contains(member)) {
      doc[member] = in[member];
    }
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kInstanceNs, key, doc));
  return Json{{"DBInstance", InstanceView(doc, cluster)}};
}

ServiceResult RdsService::DescribeDBInstances(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(
      Filters filters,
      ReadFilters(call.input, {"db-cluster-id", "db-instance-id", "engine", "dbi-resource-id"}));
  SERVICE_ASSIGN_OR_RETURN(
      std::vector<Json> docs,
      OneOrAll(txn, call, kInstanceNs, "DBInstanceIdentifier", InstanceNotFound));
  std::vector<Json> views;
  for (const Json& doc : docs) {
    std::string cluster_id = doc.value("DBClusterIdentifier", "");
    if (!Passes(filters, "db-cluster-id", cluster_id) ||
        !Passes(filters, "db-instance-id", doc.value("DBInstanceIdentifier", "")) ||
        !Passes(filters, "engine", doc.value("Engine", "")) ||
        !Passes(filters, "dbi-resource-id", doc.value("DbiResourceId", ""))) {
      continue;
    }
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> cluster,
                             txn.Get(kClusterNs, Key(call, cluster_id)));
    views.push_back(InstanceView(doc, cluster ? *cluster : Json()));
  }
  return Page(views, call.input, "DBInstances");
}

ServiceResult RdsService::ModifyDBInstance(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string id = IdOf(in.value("DBInstanceIdentifier", ""));
  std::string key = Key(call, id);
  SERVICE_ASSIGN_OR_RETURN(Json doc, txn.Require(kInstanceNs, key, InstanceNotFound(id)));
  std::string cluster_id = doc.value("DBClusterIdentifier", "");
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> cluster, txn.Get(kClusterNs, Key(call, cluster_id)));
  if (in.contains("DBInstanceClass")) {
    std::string instance_class = in["DBInstanceClass"].get<std::string>();
    if (instance_class.rfind("db.", 0) != 0 || instance_class.size() < 6) {
      return InvalidParameterValue(fmt::format("Invalid DB Instance class: {}", instance_class));
    }
    doc["DBInstanceClass"] = instance_class;
  }
  if (in.contains("DBParameterGroupName")) {
    std::string group = in["DBParameterGroupName"].get<std::string>();
    std::string family = FamilyOf(cluster ? cluster->value("EngineVersion", "") : "");
    SERVICE_RETURN_IF_ERROR(CheckParameterGroupExists(txn, call, group, false, family));
    doc["DBParameterGroups"] =
        Json::array({{{"DBParameterGroupName", group}, {"ParameterApplyStatus", "in-sync"}}});
  }
  for (const auto& [member, field] : std::vector<std::pair<const char*, const char*>>{
           {"PromotionTier", "PromotionTier"},
           {"AutoMinorVersionUpgrade", "AutoMinorVersionUpgrade"},
           {"MonitoringInterval", "MonitoringInterval"},
           {"MonitoringRoleArn", "MonitoringRoleArn"},
           {"EnablePerformanceInsights", "PerformanceInsightsEnabled"},
           {"PerformanceInsightsKMSKeyId", "PerformanceInsightsKMSKeyId"},
           {"PerformanceInsightsRetentionPeriod", "PerformanceInsightsRetentionPeriod"},
           {"CACertificateIdentifier", "CACertificateIdentifier"},
           {"PubliclyAccessible", "PubliclyAccessible"},
           {"DeletionProtection", "DeletionProtection"},
           {"CopyTagsToSnapshot", "CopyTagsToSnapshot"},
           {"PreferredMaintenanceWindow", "PreferredMaintenanceWindow"}}) {
    if (in.contains(member)) {
      doc[field] = in[member];
    }
  }
  if (in.contains("PreferredMaintenanceWindow")) {
    SERVICE_RETURN_IF_ERROR(
        CheckMaintenanceWindow(in["PreferredMaintenanceWindow"].get<std::string>()));
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kInstanceNs, key, doc));
  return Json{{"DBInstance", InstanceView(doc, cluster ? *cluster : Json())}};
}

ServiceResult RdsService::DeleteDBInstance(const ServiceCall& call, CallTxn& txn) {
  std::string id = IdOf(call.input.value("DBInstanceIdentifier", ""));
  std::string key = Key(call, id);
  SERVICE_ASSIGN_OR_RETURN(Json doc, txn.Require(kInstanceNs, key, InstanceNotFound(id)));
  if (doc.value("DeletionProtection", false)) {
    return InvalidParameterCombination(
        "Cannot delete protected DB Instance, please disable deletion protection and try again.");
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> cluster,
                           txn.Get(kClusterNs, Key(call, doc.value("DBClusterIdentifier", ""))));
  SERVICE_RETURN_IF_ERROR(txn.Delete(kInstanceNs, key));
  Json view = InstanceView(doc, cluster ? *cluster : Json());
  view["DBInstanceStatus"] = "deleting";
  return Json{{"DBInstance", view}};
}

}  // namespace cf::cloud::rds
