// DB cluster snapshots: a real copy of the cluster's data (DatabaseRuntime::Snapshot) and its
// record; copy, describe, delete. Restores are in rds_clusters.cc.

#include <fmt/core.h>

#include "cloud/rds/rds_common.h"
#include "cloud/rds/rds_rules.h"
#include "cloud/rds/rds_service.h"

namespace cf::cloud::rds {

namespace {

ServiceError SnapshotExists(const std::string& id) {
  return Error("DBClusterSnapshotAlreadyExistsFault",
               fmt::format("Cannot create the cluster snapshot because one with the identifier "
                           "{} already exists.",
                           id));
}

}  // namespace

Json RdsService::SnapshotView(const Json& doc) {
  Json view = Visible(doc);
  bool done = DelayPassed(doc.value("_created_ms", int64_t{0}), "rds:DBClusterSnapshot");
  view["Status"] = done ? "available" : "creating";
  view["PercentProgress"] = done ? 100 : 0;
  return view;
}

ServiceOr<Json> RdsService::TakeSnapshot(CallTxn& txn, const ServiceCall& call, const Json& cluster,
                                         const std::string& snapshot_id, const std::string& type,
                                         const Json& tags) {
  SERVICE_RETURN_IF_ERROR(CheckIdentifier(snapshot_id, "DBClusterSnapshotIdentifier", 255));
  std::string key = Key(call, snapshot_id);
  SERVICE_ASSIGN_OR_RETURN(bool existing, Exists(txn, kSnapshotNs, key));
  if (existing) {
    return SnapshotExists(snapshot_id);
  }
  // The dump runs with the Store free; the record is written after it, checked again.
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  SERVICE_RETURN_IF_ERROR(runtime_->Snapshot(cluster.value("_server", ""), key));
  SERVICE_ASSIGN_OR_RETURN(existing, Exists(txn, kSnapshotNs, key));
  if (existing) {
    return SnapshotExists(snapshot_id);
  }
  int64_t now = NowMs();
  Json list = tags;
  if (cluster.value("CopyTagsToSnapshot", false) && list.empty()) {
    list = cluster.value("TagList", Json::array());
  }
  Json doc = {{"DBClusterSnapshotIdentifier", snapshot_id},
              {"DBClusterIdentifier", cluster["DBClusterIdentifier"]},
              {"DBClusterSnapshotArn", RdsArn(call, "cluster-snapshot", snapshot_id)},
              {"SnapshotCreateTime", Timestamp(now)},
              {"Engine", cluster["Engine"]},
              {"EngineMode", "provisioned"},
              {"EngineVersion", cluster["EngineVersion"]},
              {"AllocatedStorage", 1},
              {"Port", 0},
              {"VpcId", cluster.value("_vpc", "")},
              {"ClusterCreateTime", cluster["ClusterCreateTime"]},
              {"MasterUsername", cluster["MasterUsername"]},
              {"LicenseModel", "aurora-mysql"},
              {"SnapshotType", type},
              {"StorageEncrypted", cluster.value("StorageEncrypted", false)},
              {"IAMDatabaseAuthenticationEnabled",
               cluster.value("IAMDatabaseAuthenticationEnabled", false)},
              {"AvailabilityZones", cluster.value("AvailabilityZones", Json::array())},
              {"TagList", MergeTags(Json::array(), list)},
              {"_file", key},
              {"_database", cluster.value("DatabaseName", "")},
              {"_created_ms", now}};
  if (cluster.contains("KmsKeyId")) {
    doc["KmsKeyId"] = cluster["KmsKeyId"];
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kSnapshotNs, key, doc));
  return doc;
}

ServiceResult RdsService::CreateDBClusterSnapshot(const ServiceCall& call, CallTxn& txn) {
  std::string cluster_id = IdOf(call.input.value("DBClusterIdentifier", ""));
  SERVICE_ASSIGN_OR_RETURN(
      Json cluster, txn.Require(kClusterNs, Key(call, cluster_id), ClusterNotFound(cluster_id)));
  std::string status = ClusterStatus(cluster);
  if (status != "available") {
    return Error("InvalidDBClusterStateFault",
                 fmt::format("Cannot create a snapshot of DB cluster {} while its status is {}.",
                             cluster_id, status));
  }
  SERVICE_ASSIGN_OR_RETURN(
      Json doc,
      TakeSnapshot(txn, call, cluster, IdOf(call.input.value("DBClusterSnapshotIdentifier", "")),
                   "manual", call.input.value("Tags", Json::array())));
  return Json{{"DBClusterSnapshot", SnapshotView(doc)}};
}

ServiceResult RdsService::DescribeDBClusterSnapshots(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Filters filters,
                           ReadFilters(call.input, {"db-cluster-id", "db-cluster-snapshot-id",
                                                    "snapshot-type", "engine"}));
  SERVICE_ASSIGN_OR_RETURN(
      std::vector<Json> docs,
      OneOrAll(txn, call, kSnapshotNs, "DBClusterSnapshotIdentifier", SnapshotNotFound));
  std::string cluster = IdOf(call.input.value("DBClusterIdentifier", ""));
  std::string type = call.input.value("SnapshotType", "");
  std::vector<Json> views;
  for (const Json& doc : docs) {
    if ((!cluster.empty() && doc.value("DBClusterIdentifier", "") != cluster) ||
        (!type.empty() && doc.value("SnapshotType", "") != type) ||
        !Passes(filters, "db-cluster-id", doc.value("DBClusterIdentifier", "")) ||
        !Passes(filters, "db-cluster-snapshot-id", doc.value("DBClusterSnapshotIdentifier", "")) ||
        !Passes(filters, "snapshot-type", doc.value("SnapshotType", "")) ||
        !Passes(filters, "engine", doc.value("Engine", ""))) {
      continue;
    }
    views.push_back(SnapshotView(doc));
  }
  return Page(views, call.input, "DBClusterSnapshots");
}

ServiceResult RdsService::CopyDBClusterSnapshot(const ServiceCall& call, CallTxn& txn) {
  std::string source = IdOf(call.input.value("SourceDBClusterSnapshotIdentifier", ""));
  std::string target = IdOf(call.input.value("TargetDBClusterSnapshotIdentifier", ""));
  SERVICE_RETURN_IF_ERROR(CheckIdentifier(target, "TargetDBClusterSnapshotIdentifier", 255));
  SERVICE_ASSIGN_OR_RETURN(Json doc,
                           txn.Require(kSnapshotNs, Key(call, source), SnapshotNotFound(source)));
  if (SnapshotView(doc).value("Status", "") != "available") {
    return Error("InvalidDBClusterSnapshotStateFault",
                 fmt::format("Snapshot {} is not in available state.", source));
  }
  std::string key = Key(call, target);
  SERVICE_ASSIGN_OR_RETURN(bool existing, Exists(txn, kSnapshotNs, key));
  if (existing) {
    return SnapshotExists(target);
  }
  std::string key_id = call.input.value("KmsKeyId", "");
  if (!key_id.empty()) {
    SERVICE_ASSIGN_OR_RETURN(std::string resolved, KeyArn(txn, call, key_id));
    doc["KmsKeyId"] = resolved;
    doc["StorageEncrypted"] = true;
  }
  SERVICE_RETURN_IF_ERROR(runtime_->CopySnapshot(doc.value("_file", ""), key));
  Json tags =
      call.input.value("CopyTags", false) ? doc.value("TagList", Json::array()) : Json::array();
  doc["TagList"] = MergeTags(tags, call.input.value("Tags", Json::array()));
  doc["SourceDBClusterSnapshotArn"] = doc["DBClusterSnapshotArn"];
  doc["DBClusterSnapshotIdentifier"] = target;
  doc["DBClusterSnapshotArn"] = RdsArn(call, "cluster-snapshot", target);
  doc["SnapshotType"] = "manual";
  doc["SnapshotCreateTime"] = Timestamp(NowMs());
  doc["_file"] = key;
  doc["_created_ms"] = NowMs();
  SERVICE_RETURN_IF_ERROR(txn.Put(kSnapshotNs, key, doc));
  return Json{{"DBClusterSnapshot", SnapshotView(doc)}};
}

ServiceResult RdsService::DeleteDBClusterSnapshot(const ServiceCall& call, CallTxn& txn) {
  std::string id = IdOf(call.input.value("DBClusterSnapshotIdentifier", ""));
  std::string key = Key(call, id);
  SERVICE_ASSIGN_OR_RETURN(Json doc, txn.Require(kSnapshotNs, key, SnapshotNotFound(id)));
  SERVICE_RETURN_IF_ERROR(txn.Delete(kSnapshotNs, key));
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  SERVICE_RETURN_IF_ERROR(runtime_->DeleteSnapshot(doc.value("_file", "")));
  Json view = SnapshotView(doc);
  view["Status"] = "deleted";
  return Json{{"DBClusterSnapshot", view}};
}

}  // namespace cf::cloud::rds
