#pragma once

// Amazon RDS for the local cloud (query protocol, signing name "rds"), Aurora MySQL only:
// DB clusters (engine versions, master user and password, storage encryption with a KMS key,
// deletion protection, backup retention and windows, final snapshots, restore from a
// snapshot), DB instances in a cluster, cluster and instance parameter groups, subnet groups,
// cluster snapshots (create, copy, delete, restore) and tags.
//
// Each cluster is a real database server (a DatabaseRuntime: MariaDB in the local cloud) on
// the cluster's own loopback address, the lowest free one of 127.230.0.0/16, and its Port
// (3306 by default). The cluster's Endpoint and ReaderEndpoint are that address, as ELBv2's
// DNSName is its load balancer's address: a name that resolves on this machine with no setup.
// The cluster's instances are records served by the cluster's one server (Aurora's instances
// share the cluster's storage; here they share its process), each with the cluster's endpoint.
//
// Status: a cluster is "creating" while its server is being made and until the latency
// profile's "rds:DBCluster" delay has passed since its creation, then "available"; "starting"
// while a server is started again after a restart of the local cloud; "failed" when its server
// could not be started. Instances are "creating" until their cluster's server runs and
// "rds:DBInstance" has passed, snapshots until "rds:DBClusterSnapshot" has passed. Servers are
// made on a background thread (CreateDBCluster answers at once, as RDS does); deleting a
// cluster stops its server and removes its data before DeleteDBCluster answers.
//
// State: the Store under "rds/cluster", "rds/instance", "rds/cluster-snapshot",
// "rds/cluster-parameter-group", "rds/parameter-group" and "rds/subnet-group", keys
// "ACCOUNT/REGION/ID"; which servers run (and the threads that start them) in memory.
// Thread-safe.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/kms/key_vault.h"
#include "cloud/rds/database_runtime.h"

namespace cf::cloud::rds {

class RdsService : public TableService<RdsService> {
 public:
  // `vault` must outlive the service; the service owns `runtime`.
  RdsService(const ServiceContext& context, kms::KeyVault& vault,
             std::unique_ptr<DatabaseRuntime> runtime);
  ~RdsService() override;

  std::string name() const override { return "rds"; }

  // Starts the server of every cluster in the Store again, each on a background thread (after
  // a restart of the local cloud on the same data directory).
  Status ResumeServers();
  // Waits for the background threads, then stops every server (their data stays).
  void StopServers();
  // Waits until no server is being started (tests, benchmarks).
  void WaitForServers();
  // Stops every server and removes all their data (the admin reset).
  Status Reset() override;

 private:
  static const OperationTable<RdsService>& Operations();

  // What the service knows of a cluster's server.
  struct Server {
    enum class Phase { kStarting, kRunning, kFailed };
    Phase phase = Phase::kStarting;
    bool resumed = false;  // started again after a restart, not created
    std::string error;     // kFailed: why
  };

  // Clusters.
  ServiceResult CreateDBCluster(const ServiceCall& call, CallTxn& txn);
  ServiceResult RestoreDBClusterFromSnapshot(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeDBClusters(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyDBCluster(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteDBCluster(const ServiceCall& call, CallTxn& txn);
  // Instances.
  ServiceResult CreateDBInstance(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeDBInstances(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyDBInstance(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteDBInstance(const ServiceCall& call, CallTxn& txn);
  // Cluster snapshots.
  ServiceResult CreateDBClusterSnapshot(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeDBClusterSnapshots(const ServiceCall& call, CallTxn& txn);
  ServiceResult CopyDBClusterSnapshot(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteDBClusterSnapshot(const ServiceCall& call, CallTxn& txn);
  // Parameter groups (cluster and instance: `cluster` picks which).
  ServiceResult CreateParameterGroup(const ServiceCall& call, CallTxn& txn, bool cluster);
  ServiceResult DescribeParameterGroups(const ServiceCall& call, CallTxn& txn, bool cluster);
  ServiceResult ModifyParameterGroup(const ServiceCall& call, CallTxn& txn, bool cluster);
  ServiceResult ResetParameterGroup(const ServiceCall& call, CallTxn& txn, bool cluster);
  ServiceResult DescribeParameters(const ServiceCall& call, CallTxn& txn, bool cluster);
  ServiceResult DeleteParameterGroup(const ServiceCall& call, CallTxn& txn, bool cluster);
  // Subnet groups.
  ServiceResult CreateDBSubnetGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeDBSubnetGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyDBSubnetGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteDBSubnetGroup(const ServiceCall& call, CallTxn& txn);
  // Tags of any RDS resource, by ARN.
  ServiceResult AddTagsToResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemoveTagsFromResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsForResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeDBEngineVersions(const ServiceCall& call, CallTxn& txn);

  // A new cluster from the input (CreateDBCluster, or a restore with `snapshot` set): checks,
  // the record, and its server started in the background.
  ServiceResult MakeCluster(const ServiceCall& call, CallTxn& txn, const Json* snapshot);
  // The cluster as Describe shows it: status, members, tags.
  ServiceOr<Json> ClusterView(CallTxn& txn, const ServiceCall& call, const Json& doc);
  Json InstanceView(const Json& doc, const Json& cluster);
  Json SnapshotView(const Json& doc);
  std::string ClusterStatus(const Json& doc);
  // The subnet group `name` as Describe shows it, or DBSubnetGroupNotFoundFault.
  ServiceOr<Json> SubnetGroup(CallTxn& txn, const ServiceCall& call, const std::string& name);
  // Checks a parameter group name a cluster or instance refers to.
  ServiceStatus CheckParameterGroupExists(CallTxn& txn, const ServiceCall& call,
                                          const std::string& name, bool cluster,
                                          const std::string& family);
  // A snapshot of a running cluster's server, recorded as `snapshot_id`.
  ServiceOr<Json> TakeSnapshot(CallTxn& txn, const ServiceCall& call, const Json& cluster,
                               const std::string& snapshot_id, const std::string& type,
                               const Json& tags);

  // The ARN of the KMS key `key_id` names, or KMSKeyNotAccessibleFault.
  ServiceOr<std::string> KeyArn(CallTxn& txn, const ServiceCall& call, const std::string& key_id);

  // Starts making (or, `resume`, starting again) the server of `spec` on a background thread.
  void StartServer(const ServerSpec& spec, bool resume, MasterUser master, std::string database,
                   std::string snapshot);
  std::optional<Server> ServerOf(const std::string& name);
  int64_t NowMs() const;
  bool DelayPassed(int64_t since_ms, const char* delay) const;

  ServiceContext context_;
  kms::KeyVault& vault_;
  std::unique_ptr<DatabaseRuntime> runtime_;
  std::mutex mu_;
  std::map<std::string, Server> servers_;  // guarded by mu_, by server name
  std::vector<std::thread> jobs_;          // guarded by mu_
};

}  // namespace cf::cloud::rds
