// DB clusters: create (or restore from a snapshot), describe, modify, delete.

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "cloud/rds/rds_common.h"
#include "cloud/rds/rds_rules.h"
#include "cloud/rds/rds_service.h"

namespace cf::cloud::rds {

namespace {

// Clusters take addresses from 127.230.0.0/16.
constexpr uint32_t kAddressBase = (127u << 24) | (230u << 16);
constexpr uint32_t kAddressCount = 1u << 16;
constexpr char kHostedZoneId[] = "Z2R2ITUGPM61AM";

std::string Ipv4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

ServiceError InvalidClusterState(std::string message) {
  return Error("InvalidDBClusterStateFault", std::move(message));
}

std::string HexOf(IdGenerator& ids, size_t n) {
  std::string id = ids.ResourceId("x").substr(2);
  std::transform(id.begin(), id.end(), id.begin(), ::toupper);
  return id.substr(0, n);
}

}  // namespace

std::string RdsService::ClusterStatus(const Json& doc) {
  std::optional<Server> server = ServerOf(doc.value("_server", ""));
  if (!server) {
    return "stopped";
  }
  switch (server->phase) {
    case Server::Phase::kStarting:
      return server->resumed ? "starting" : "creating";
    case Server::Phase::kFailed:
      return "failed";
    case Server::Phase::kRunning:
      break;
  }
  return DelayPassed(doc.value("_created_ms", int64_t{0}), "rds:DBCluster") ? "available"
                                                                            : "creating";
}

ServiceOr<Json> RdsService::ClusterView(CallTxn& txn, const ServiceCall& call, const Json& doc) {
  Json view = Visible(doc);
  view["Status"] = ClusterStatus(doc);
  SERVICE_ASSIGN_OR_RETURN(auto instances, txn.List(kInstanceNs, KeyPrefix(call)));
  std::vector<Json> members;
  for (const auto& [key, instance] : instances) {
    if (instance.value("DBClusterIdentifier", "") == doc.value("DBClusterIdentifier", "")) {
      members.push_back(instance);
    }
  }
  std::sort(members.begin(), members.end(), [](const Json& a, const Json& b) {
    return a.value("_created_ms", int64_t{0}) < b.value("_created_ms", int64_t{0});
  });
  Json list = Json::array();
  for (size_t i = 0; i < members.size(); ++i) {
    list.push_back({{"DBInstanceIdentifier", members[i]["DBInstanceIdentifier"]},
                    {"IsClusterWriter", i == 0},
                    {"DBClusterParameterGroupStatus", "in-sync"},
                    {"PromotionTier", members[i].value("PromotionTier", 1)}});
  }
  view["DBClusterMembers"] = list;
  return view;
}

ServiceResult RdsService::CreateDBCluster(const ServiceCall& call, CallTxn& txn) {
  return MakeCluster(call, txn, nullptr);
}

ServiceResult RdsService::RestoreDBClusterFromSnapshot(const ServiceCall& call, CallTxn& txn) {
  std::string snapshot_id = IdOf(call.input.value("SnapshotIdentifier", ""));
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> snapshot,
                           txn.Get(kSnapshotNs, Key(call, snapshot_id)));
  if (!snapshot) {
    return SnapshotNotFound(snapshot_id);
  }
  if (SnapshotView(*snapshot).value("Status", "") != "available") {
    return Error("InvalidDBClusterSnapshotStateFault",
                 fmt::format("Snapshot {} is not in available state.", snapshot_id));
  }
  return MakeCluster(call, txn, &*snapshot);
}

ServiceResult RdsService::MakeCluster(const ServiceCall& call, CallTxn& txn, const Json* snapshot) {
  const Json& in = call.input;
  std::string given = in.value("DBClusterIdentifier", "");
  SERVICE_RETURN_IF_ERROR(CheckIdentifier(given, "DBClusterIdentifier"));
  std::string id = IdOf(given);
  SERVICE_ASSIGN_OR_RETURN(bool existing, Exists(txn, kClusterNs, Key(call, id)));
  if (existing) {
    return Error("DBClusterAlreadyExistsFault", "DB Cluster already exists");
  }
  std::string engine = in.value("Engine", "");
  std::string requested_version = in.value("EngineVersion", "");
  if (snapshot != nullptr) {
    if (engine != snapshot->value("Engine", "")) {
      return InvalidParameterCombination(
          fmt::format("The engine {} does not match the snapshot's engine {}", engine,
                      snapshot->value("Engine", "")));
    }
    if (requested_version.empty()) {
      requested_version = snapshot->value("EngineVersion", "");
    }
  }
  SERVICE_ASSIGN_OR_RETURN(std::string version, ResolveEngineVersion(engine, requested_version));
  std::string family = FamilyOf(version);

  MasterUser master;
  std::string database;
  if (snapshot == nullptr) {
    master.username = in.value("MasterUsername", "");
    master.password = in.value("MasterUserPassword", "");
    SERVICE_RETURN_IF_ERROR(CheckMasterUsername(master.username));
    SERVICE_RETURN_IF_ERROR(CheckMasterPassword(master.password));
    database = in.value("DatabaseName", "");
    if (!database.empty()) {
      SERVICE_RETURN_IF_ERROR(CheckDatabaseName(database));
    }
  } else {
    master.username = snapshot->value("MasterUsername", "");
    database = snapshot->value("_database", "");
  }
  int64_t port = in.value("Port", int64_t{3306});
  if (port < 1150 || port > 65535) {
    return InvalidParameterValue(
        fmt::format("Invalid port {}: the port must be between 1150 and 65535.", port));
  }

  Json zones = Json::array();
  std::string subnet_group = in.value("DBSubnetGroupName", "");
  std::string vpc_id;
  if (!subnet_group.empty()) {
    SERVICE_ASSIGN_OR_RETURN(Json group, SubnetGroup(txn, call, subnet_group));
    std::set<std::string> names;
    for (const Json& s : group["Subnets"]) {
      names.insert(s["SubnetAvailabilityZone"].value("Name", ""));
    }
    for (const std::string& z : names) {
      zones.push_back(z);
    }
    vpc_id = group.value("VpcId", "");
    subnet_group = group.value("DBSubnetGroupName", "");
  } else {
    subnet_group = "default";
    std::vector<std::string> requested = Strings(in, "AvailabilityZones");
    if (requested.empty()) {
      requested = {call.region + "a", call.region + "b", call.region + "c"};
    }
    for (const std::string& z : requested) {
      zones.push_back(z);
    }
  }

  std::string parameter_group = in.value("DBClusterParameterGroupName", "default." + family);
  SERVICE_RETURN_IF_ERROR(CheckParameterGroupExists(txn, call, parameter_group, true, family));

  int64_t retention = in.value("BackupRetentionPeriod", int64_t{1});
  SERVICE_RETURN_IF_ERROR(CheckBackupRetention(retention));
  std::string backup_window = in.value("PreferredBackupWindow", "03:00-03:30");
  SERVICE_RETURN_IF_ERROR(CheckBackupWindow(backup_window));
  std::string maintenance_window = in.value("PreferredMaintenanceWindow", "sun:05:00-sun:05:30");
  SERVICE_RETURN_IF_ERROR(CheckMaintenanceWindow(maintenance_window));

  bool encrypted = snapshot != nullptr ? snapshot->value("StorageEncrypted", false)
                                       : in.value("StorageEncrypted", false);
  std::string key_id = in.value("KmsKeyId", "");
  if (!key_id.empty() && !encrypted && snapshot == nullptr) {
    return InvalidParameterCombination(
        "The parameter KmsKeyId requires StorageEncrypted to be true.");
  }
  std::string key_arn;
  if (encrypted || !key_id.empty()) {
    encrypted = true;
    if (key_id.empty()) {
      key_id = snapshot != nullptr && snapshot->contains("KmsKeyId")
                   ? snapshot->value("KmsKeyId", "")
                   : "alias/aws/rds";
    }
    SERVICE_ASSIGN_OR_RETURN(std::string resolved, KeyArn(txn, call, key_id));
    key_arn = resolved;
  }

  // The lowest free address of the range, over every account and region, where nothing else
  // (another local cloud's server) listens on the port.
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kClusterNs));
  std::set<std::string> used;
  for (const auto& [key, doc] : all) {
    used.insert(doc.value("_address", ""));
  }
  std::string address;
  for (uint32_t i = 1; i + 1 < kAddressCount; ++i) {
    std::string candidate = Ipv4(kAddressBase + i);
    if ((i & 255) != 0 && (i & 255) != 255 && used.count(candidate) == 0 &&
        runtime_->AddressFree(candidate, static_cast<uint16_t>(port))) {
      address = candidate;
      break;
    }
  }
  if (address.empty()) {
    return Error("DBClusterQuotaExceededFault",
                 "The local cloud has no free address left in 127.230.0.0/16", 403);
  }

  Json security_groups = Json::array();
  for (const std::string& g : Strings(in, "VpcSecurityGroupIds")) {
    security_groups.push_back({{"VpcSecurityGroupId", g}, {"Status", "active"}});
  }
  int64_t now = NowMs();
  std::string name = Key(call, id);
  Json doc = {
      {"DBClusterIdentifier", id},
      {"DBClusterArn", RdsArn(call, "cluster", id)},
      {"DbClusterResourceId", "cluster-" + HexOf(context_.ids, 26)},
      {"Engine", engine},
      {"EngineVersion", version},
      {"EngineMode", "provisioned"},
      {"MasterUsername", master.username},
      {"Port", port},
      {"Endpoint", address},
      {"ReaderEndpoint", address},
      {"HostedZoneId", kHostedZoneId},
      {"MultiAZ", false},
      {"AvailabilityZones", zones},
      {"DBSubnetGroup", subnet_group},
      {"DBClusterParameterGroup", parameter_group},
      {"VpcSecurityGroups", security_groups},
      {"BackupRetentionPeriod", retention},
      {"PreferredBackupWindow", backup_window},
      {"PreferredMaintenanceWindow", maintenance_window},
      {"StorageEncrypted", encrypted},
      {"DeletionProtection", in.value("DeletionProtection", false)},
      {"IAMDatabaseAuthenticationEnabled", in.value("EnableIAMDatabaseAuthentication", false)},
      {"CopyTagsToSnapshot", in.value("CopyTagsToSnapshot", false)},
      {"HttpEndpointEnabled", false},
      {"CrossAccountClone", false},
      {"AllocatedStorage", 1},
      {"ClusterCreateTime", Timestamp(now)},
      {"EarliestRestorableTime", Timestamp(now)},
      {"LatestRestorableTime", Timestamp(now)},
      {"AssociatedRoles", Json::array()},
      {"DomainMemberships", Json::array()},
      {"ReadReplicaIdentifiers", Json::array()},
      {"EnabledCloudwatchLogsExports", in.value("EnableCloudwatchLogsExports", Json::array())},
      {"TagList", MergeTags(Json::array(), in.value("Tags", Json::array()))},
      {"_server", name},
      {"_address", address},
      {"_vpc", vpc_id},
      {"_created_ms", now}};
  if (!database.empty()) {
    doc["DatabaseName"] = database;
  }
  if (encrypted) {
    doc["KmsKeyId"] = key_arn;
  }
  for (const char* member :
       {"PerformanceInsightsEnabled", "MonitoringInterval", "MonitoringRoleArn",
        "PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod"}) {
    if (in.contains(member)) {
      doc[member] = in[member];
    }
  }
  if (in.contains("EnablePerformanceInsights")) {
    doc["PerformanceInsightsEnabled"] = in["EnablePerformanceInsights"];
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kClusterNs, name, doc));
  // The record is durable before its server exists: a crash leaves a cluster whose server
  // the next start makes again, never a server without a cluster.
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  std::string snapshot_name = snapshot != nullptr ? snapshot->value("_file", "") : "";
  StartServer(ServerSpec{name, address, static_cast<uint16_t>(port)}, /*resume=*/false, master,
              database, snapshot_name);
  SERVICE_ASSIGN_OR_RETURN(Json view, ClusterView(txn, call, doc));
  return Json{{"DBCluster", view}};
}

ServiceResult RdsService::DescribeDBClusters(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Filters filters, ReadFilters(call.input, {"db-cluster-id", "engine",
                                                                     "db-cluster-resource-id"}));
  SERVICE_ASSIGN_OR_RETURN(std::vector<Json> docs,
                           OneOrAll(txn, call, kClusterNs, "DBClusterIdentifier", ClusterNotFound));
  std::vector<Json> views;
  for (const Json& doc : docs) {
    if (!Passes(filters, "db-cluster-id", doc.value("DBClusterIdentifier", "")) &&
        !Passes(filters, "db-cluster-id", doc.value("DBClusterArn", ""))) {
      continue;
    }
    if (!Passes(filters, "engine", doc.value("Engine", "")) ||
        !Passes(filters, "db-cluster-resource-id", doc.value("DbClusterResourceId", ""))) {
      continue;
    }
    SERVICE_ASSIGN_OR_RETURN(Json view, ClusterView(txn, call, doc));
    views.push_back(view);
  }
  return Page(views, call.input, "DBClusters");
}

ServiceResult RdsService::ModifyDBCluster(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string id = IdOf(in.value("DBClusterIdentifier", ""));
  std::string name = Key(call, id);
  SERVICE_ASSIGN_OR_RETURN(Json doc, txn.Require(kClusterNs, name, ClusterNotFound(id)));
  std::string status = ClusterStatus(doc);
  if (status != "available") {
    return InvalidClusterState(
        fmt::format("DB cluster {} is not available for modification with status {}", id, status));
  }
  if (in.contains("NewDBClusterIdentifier") &&
      IdOf(in["NewDBClusterIdentifier"].get<std::string>()) != id) {
    return InvalidParameterCombination(
        "Renaming a DB cluster (NewDBClusterIdentifier) is not supported by the local cloud.");
  }
  if (in.contains("Port") && in["Port"].get<int64_t>() != doc.value("Port", int64_t{3306})) {
    return InvalidParameterCombination(
        "Changing the Port of a DB cluster is not supported by the local cloud.");
  }
  if (in.contains("EngineVersion")) {
    SERVICE_ASSIGN_OR_RETURN(
        std::string version,
        ResolveEngineVersion(doc.value("Engine", ""), in["EngineVersion"].get<std::string>()));
    if (FamilyOf(version) != FamilyOf(doc.value("EngineVersion", "")) &&
        !in.value("AllowMajorVersionUpgrade", false)) {
      return InvalidParameterCombination(
          "The AllowMajorVersionUpgrade flag must be present when upgrading to a new major "
          "version.");
    }
    doc["EngineVersion"] = version;
  }
  if (in.contains("DBClusterParameterGroupName")) {
    std::string group = in["DBClusterParameterGroupName"].get<std::string>();
    SERVICE_RETURN_IF_ERROR(CheckParameterGroupExists(txn, call, group, true,
                                                      FamilyOf(doc.value("EngineVersion", ""))));
    doc["DBClusterParameterGroup"] = group;
  }
  if (in.contains("BackupRetentionPeriod")) {
    SERVICE_RETURN_IF_ERROR(CheckBackupRetention(in["BackupRetentionPeriod"].get<int64_t>()));
    doc["BackupRetentionPeriod"] = in["BackupRetentionPeriod"];
  }
  if (in.contains("PreferredBackupWindow")) {
    SERVICE_RETURN_IF_ERROR(CheckBackupWindow(in["PreferredBackupWindow"].get<std::string>()));
    doc["PreferredBackupWindow"] = in["PreferredBackupWindow"];
  }
  if (in.contains("PreferredMaintenanceWindow")) {
    SERVICE_RETURN_IF_ERROR(
        CheckMaintenanceWindow(in["PreferredMaintenanceWindow"].get<std::string>()));
    doc["PreferredMaintenanceWindow"] = in["PreferredMaintenanceWindow"];
  }
  if (in.contains("VpcSecurityGroupIds")) {
    Json groups = Json::array();
    for (const std::string& g : Strings(in, "VpcSecurityGroupIds")) {
      groups.push_back({{"VpcSecurityGroupId", g}, {"Status", "active"}});
    }
    doc["VpcSecurityGroups"] = groups;
  }
  for (const auto& [member, field] : std::vector<std::pair<const char*, const char*>>{
           {"DeletionProtection", "DeletionProtection"},
           {"CopyTagsToSnapshot", "CopyTagsToSnapshot"},
           {"EnableIAMDatabaseAuthentication", "IAMDatabaseAuthenticationEnabled"},
           {"EnablePerformanceInsights", "PerformanceInsightsEnabled"},
           {"PerformanceInsightsKMSKeyId", "PerformanceInsightsKMSKeyId"},
           {"PerformanceInsightsRetentionPeriod", "PerformanceInsightsRetentionPeriod"},
           {"MonitoringInterval", "MonitoringInterval"},
           {"MonitoringRoleArn", "MonitoringRoleArn"}}) {
    if (in.contains(member)) {
      doc[field] = in[member];
    }
  }
  if (in.contains("CloudwatchLogsExportConfiguration")) {
    const Json& logs = in["CloudwatchLogsExportConfiguration"];
    std::set<std::string> enabled;
    for (const Json& t : doc.value("EnabledCloudwatchLogsExports", Json::array())) {
      enabled.insert(t.get<std::string>());
    }
    for (const std::string& t : Strings(logs, "EnableLogTypes")) {
      enabled.insert(t);
    }
    for (const std::string& t : Strings(logs, "DisableLogTypes")) {
      enabled.erase(t);
    }
    doc["EnabledCloudwatchLogsExports"] =
        Json(std::vector<std::string>(enabled.begin(), enabled.end()));
  }
  if (in.contains("MasterUserPassword")) {
    MasterUser master{doc.value("MasterUsername", ""), in["MasterUserPassword"].get<std::string>()};
    SERVICE_RETURN_IF_ERROR(CheckMasterPassword(master.password));
    // The server is changed with the Store free; the record after it.
    SERVICE_RETURN_IF_ERROR(txn.Commit());
    SERVICE_RETURN_IF_ERROR(runtime_->SetMasterPassword(name, master));
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kClusterNs, name, doc));
  SERVICE_ASSIGN_OR_RETURN(Json view, ClusterView(txn, call, doc));
  return Json{{"DBCluster", view}};
}

ServiceResult RdsService::DeleteDBCluster(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string id = IdOf(in.value("DBClusterIdentifier", ""));
  std::string name = Key(call, id);
  SERVICE_ASSIGN_OR_RETURN(Json doc, txn.Require(kClusterNs, name, ClusterNotFound(id)));
  if (doc.value("DeletionProtection", false)) {
    return InvalidParameterCombination(
        "Cannot delete protected Cluster, please disable deletion protection and try again.");
  }
  SERVICE_ASSIGN_OR_RETURN(Json view, ClusterView(txn, call, doc));
  if (!view["DBClusterMembers"].empty()) {
    return InvalidClusterState(
        "Cluster cannot be deleted, it still contains DB instances in non-deleting state.");
  }
  bool skip = in.value("SkipFinalSnapshot", false);
  std::string final_id = in.value("FinalDBSnapshotIdentifier", "");
  if (skip && !final_id.empty()) {
    return InvalidParameterCombination(
        "FinalDBSnapshotIdentifier can not be specified when deleting a cluster with "
        "SkipFinalSnapshot enabled.");
  }
  if (!skip && final_id.empty()) {
    return InvalidParameterValue(
        "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
  }
  std::string status = view.value("Status", "");
  if (status == "creating" || status == "starting") {
    return InvalidClusterState(
        fmt::format("DB cluster {} cannot be deleted while its status is {}.", id, status));
  }
  if (!final_id.empty()) {
    if (status != "available") {
      return InvalidClusterState(fmt::format(
          "DB cluster {} is not in available state for a final snapshot (status {}).", id, status));
    }
    SERVICE_RETURN_IF_ERROR(TakeSnapshot(txn, call, doc, IdOf(final_id), "manual", Json::array()));
  }
  // The server goes (stopped by pid, its data removed) before the record, with the Store
  // free meanwhile; a failure keeps the cluster.
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  SERVICE_RETURN_IF_ERROR(runtime_->Destroy(name));
  {
    std::lock_guard<std::mutex> lock(mu_);
    servers_.erase(name);
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kClusterNs, name));
  view["Status"] = "deleting";
  return Json{{"DBCluster", view}};
}

}  // namespace cf::cloud::rds
