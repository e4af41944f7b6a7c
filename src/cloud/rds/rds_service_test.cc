#include "cloud/rds/rds_service.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "cloud/kms/kms_service.h"
#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud::rds {
namespace {

// A DatabaseRuntime that records what it is asked and keeps "servers" and "snapshots" as
// names; `fail_create` makes the next Create fail.
class FakeRuntime : public DatabaseRuntime {
 public:
  struct Created {
    ServerSpec spec;
    MasterUser master;
    std::string database;
    std::string snapshot;
  };

  Status Create(const ServerSpec& spec, const MasterUser& master, const std::string& database,
                const std::string& snapshot) override {
    std::lock_guard<std::mutex> lock(mu);
    if (fail_create) {
      fail_create = false;
      return UnavailableError("mariadbd ended (exit code 1)");
    }
    created.push_back({spec, master, database, snapshot});
    running.insert(spec.name);
    data.insert(spec.name);
    return OkStatus();
  }
  Status Resume(const ServerSpec& spec) override {
    std::lock_guard<std::mutex> lock(mu);
    if (data.count(spec.name) == 0) {
      return NotFoundError("no data");
    }
    resumed.push_back(spec);
    running.insert(spec.name);
    return OkStatus();
  }
  Status SetMasterPassword(const std::string& name, const MasterUser& master) override {
    std::lock_guard<std::mutex> lock(mu);
    passwords[name] = master.password;
    return OkStatus();
  }
  Status Snapshot(const std::string& name, const std::string& snapshot) override {
    std::lock_guard<std::mutex> lock(mu);
    if (running.count(name) == 0) {
      return UnavailableError("not running");
    }
    snapshots.insert(snapshot);
    return OkStatus();
  }
  Status CopySnapshot(const std::string& from, const std::string& to) override {
    std::lock_guard<std::mutex> lock(mu);
    if (snapshots.count(from) == 0) {
      return NotFoundError("no snapshot " + from);
    }
    snapshots.insert(to);
    return OkStatus();
  }
  Status DeleteSnapshot(const std::string& snapshot) override {
    std::lock_guard<std::mutex> lock(mu);
    snapshots.erase(snapshot);
    return OkStatus();
  }
  Status Destroy(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mu);
    running.erase(name);
    data.erase(name);
    destroyed.push_back(name);
    return OkStatus();
  }
  void StopAll() override {
    std::lock_guard<std::mutex> lock(mu);
    running.clear();
  }
  Status DestroyAll() override {
    std::lock_guard<std::mutex> lock(mu);
    running.clear();
    data.clear();
    snapshots.clear();
    return OkStatus();
  }
  bool AddressFree(const std::string& address, uint16_t) const override {
    std::lock_guard<std::mutex> lock(mu);
    return busy.count(address) == 0;
  }
  std::optional<pid_t> Pid(const std::string& name) const override {
    std::lock_guard<std::mutex> lock(mu);
    return running.count(name) > 0 ? std::optional<pid_t>(1234) : std::nullopt;
  }

  mutable std::mutex mu;
  bool fail_create = false;
  std::vector<Created> created;
  std::vector<ServerSpec> resumed;
  std::map<std::string, std::string> passwords;
  std::set<std::string> running, data, snapshots;
  std::set<std::string> busy;  // addresses something else listens on
  std::vector<std::string> destroyed;
};

constexpr char kName[] = "000000000000/us-east-1/";

class RdsServiceTest : public testing::ServiceTest {
 protected:
  RdsServiceTest() : kms_(Context(), std::string(32, 'm')) {
    auto runtime = std::make_unique<FakeRuntime>();
    runtime_ = runtime.get();
    service_ = std::make_unique<RdsService>(Context(), kms_, std::move(runtime));
    Serve(*service_);
  }

  Json Cluster(const std::string& id, Json extra = Json::object()) {
    Json input = {{"DBClusterIdentifier", id},
                  {"Engine", "aurora-mysql"},
                  {"EngineVersion", "8.0.mysql_aurora.3.05.2"},
                  {"MasterUsername", "wandb"},
                  {"MasterUserPassword", "correct-horse-battery"},
                  {"DatabaseName", "wandb_local"}};
    input.update(extra);
    Json out = Ok("CreateDBCluster", input)["DBCluster"];
    service_->WaitForServers();
    return out;
  }
  Json Describe(const std::string& id) {
    Json out = Ok("DescribeDBClusters", {{"DBClusterIdentifier", id}});
    return out["DBClusters"].empty() ? Json() : out["DBClusters"][0];
  }
  ServiceError Failure(const std::string& operation, Json input) {
    ServiceResult r = Call(operation, std::move(input));
    return r.ok() ? ServiceError{"(no error)", ""} : r.error();
  }
  void PutSubnet(const std::string& id, const std::string& vpc, const std::string& zone) {
    ASSERT_OK(store_->Put("ec2/subnet", "us-east-1/" + id,
                          {{"SubnetId", id}, {"VpcId", vpc}, {"AvailabilityZone", zone}}));
  }

  kms::KmsService kms_;
  FakeRuntime* runtime_ = nullptr;
  std::unique_ptr<RdsService> service_;
};

TEST_F(RdsServiceTest, ClusterIsCreatingUntilItsServerRunsAndTheDelayPassed) {
  latency_.delays["rds:DBCluster"] = std::chrono::seconds(60);
  Json created = Cluster("Wandb");
  EXPECT_EQ(created["DBClusterIdentifier"], "wandb");
  EXPECT_EQ(created["DBClusterArn"], "arn:aws:rds:us-east-1:000000000000:cluster:wandb");
  EXPECT_EQ(created["Endpoint"], "127.230.0.1");
  EXPECT_EQ(created["ReaderEndpoint"], "127.230.0.1");
  EXPECT_EQ(created["Port"], 3306);
  EXPECT_EQ(created["Status"], "creating");
  EXPECT_FALSE(created.contains("MasterUserPassword"));

  ASSERT_EQ(runtime_->created.size(), 1u);
  const FakeRuntime::Created& made = runtime_->created[0];
  EXPECT_EQ(made.spec.name, std::string(kName) + "wandb");
  EXPECT_EQ(made.spec.address, "127.230.0.1");
  EXPECT_EQ(made.spec.port, 3306);
  EXPECT_EQ(made.master.username, "wandb");
  EXPECT_EQ(made.master.password, "correct-horse-battery");
  EXPECT_EQ(made.database, "wandb_local");
  EXPECT_EQ(made.snapshot, "");

  EXPECT_EQ(Describe("wandb")["Status"], "creating");
  clock_.Advance(std::chrono::seconds(61));
  Json available = Describe("wandb");
  EXPECT_EQ(available["Status"], "available");
  EXPECT_EQ(available["DatabaseName"], "wandb_local");
  EXPECT_EQ(available["MasterUsername"], "wandb");
  EXPECT_EQ(available["EngineVersion"], "8.0.mysql_aurora.3.05.2");
  EXPECT_EQ(available["DBClusterParameterGroup"], "default.aurora-mysql8.0");
  // The password is nowhere in the Store.
  auto docs = store_->List("rds/cluster");
  ASSERT_OK(docs.status());
  EXPECT_EQ((*docs)[0].second.dump().find("correct-horse-battery"), std::string::npos);
}

TEST_F(RdsServiceTest, ServerThatCannotStartLeavesAFailedCluster) {
  runtime_->fail_create = true;
  Cluster("broken");
  EXPECT_EQ(Describe("broken")["Status"], "failed");
}

TEST_F(RdsServiceTest, BadInputGetsRdsErrorsAndChangesNothing) {
  Json base = {{"DBClusterIdentifier", "c1"},
               {"Engine", "aurora-mysql"},
               {"MasterUsername", "admin"},
               {"MasterUserPassword", "long-enough-1"}};
  auto with = [&](Json extra) {
    Json input = base;
    input.update(extra);
    return Failure("CreateDBCluster", input);
  };
  ServiceError version = with({{"EngineVersion", "8.0.mysql_aurora.9.99.9"}});
  EXPECT_EQ(version.code, "InvalidParameterCombination");
  EXPECT_EQ(version.message, "Cannot find version 8.0.mysql_aurora.9.99.9 for aurora-mysql");
  ServiceError password = with({{"MasterUserPassword", "short"}});
  EXPECT_EQ(password.code, "InvalidParameterValue");
  EXPECT_EQ(password.message,
            "The parameter MasterUserPassword is not a valid password because it is shorter "
            "than 8 characters.");
  EXPECT_EQ(with({{"MasterUserPassword", "has/slash1"}}).code, "InvalidParameterValue");
  EXPECT_EQ(with({{"MasterUsername", "rdsadmin"}}).code, "InvalidParameterValue");
  EXPECT_EQ(with({{"MasterUsername", "1admin"}}).code, "InvalidParameterValue");
  EXPECT_EQ(with({{"DBClusterIdentifier", "bad--id"}}).code, "InvalidParameterValue");
  EXPECT_EQ(with({{"Engine", "aurora-postgresql"}}).code, "InvalidParameterValue");
  EXPECT_EQ(with({{"PreferredBackupWindow", "03:00-03:10"}}).code, "InvalidParameterValue");
  EXPECT_EQ(with({{"BackupRetentionPeriod", 36}}).code, "InvalidParameterValue");
  EXPECT_EQ(with({{"DBSubnetGroupName", "nope"}}).code, "DBSubnetGroupNotFoundFault");
  EXPECT_EQ(with({{"DBClusterParameterGroupName", "nope"}}).code,
            "DBClusterParameterGroupNotFound");
  EXPECT_EQ(with({{"StorageEncrypted", true}, {"KmsKeyId", "alias/missing"}}).code,
            "KMSKeyNotAccessibleFault");
  EXPECT_EQ(with({{"KmsKeyId", "alias/aws/rds"}}).code, "InvalidParameterCombination");

  EXPECT_EQ(Failure("DescribeDBClusters", {{"DBClusterIdentifier", "c1"}}).code,
            "DBClusterNotFoundFault");
  EXPECT_TRUE(runtime_->created.empty());
  Cluster("c1");
  EXPECT_EQ(with(Json::object()).code, "DBClusterAlreadyExistsFault");
  EXPECT_EQ(runtime_->created.size(), 1u);
}

TEST_F(RdsServiceTest, StorageIsEncryptedWithTheNamedKeyOrRdsManagedKey) {
  Json key = OkOn(kms_, "CreateKey", {{"Description", "db"}})["KeyMetadata"];
  Json mine = Cluster("mine", {{"StorageEncrypted", true}, {"KmsKeyId", key["KeyId"]}});
  EXPECT_EQ(mine["StorageEncrypted"], true);
  EXPECT_EQ(mine["KmsKeyId"], key["Arn"]);
  Json managed = Cluster("managed", {{"StorageEncrypted", true}});
  Json alias = OkOn(kms_, "DescribeKey", {{"KeyId", "alias/aws/rds"}})["KeyMetadata"];
  EXPECT_EQ(managed["KmsKeyId"], alias["Arn"]);
  EXPECT_EQ(Cluster("plain")["StorageEncrypted"], false);
  EXPECT_FALSE(Describe("plain").contains("KmsKeyId"));
}

TEST_F(RdsServiceTest, EveryClusterGetsItsOwnAddressAndItsPort) {
  EXPECT_EQ(Cluster("a")["Endpoint"], "127.230.0.1");
  Json b = Cluster("b", {{"Port", 3307}});
  EXPECT_EQ(b["Endpoint"], "127.230.0.2");
  EXPECT_EQ(b["Port"], 3307);
  EXPECT_EQ(runtime_->created[1].spec.port, 3307);
  Ok("DeleteDBCluster", {{"DBClusterIdentifier", "a"}, {"SkipFinalSnapshot", true}});
  EXPECT_EQ(Cluster("c")["Endpoint"], "127.230.0.1");
  // An address another server listens on is skipped.
  runtime_->busy.insert("127.230.0.3");
  EXPECT_EQ(Cluster("d")["Endpoint"], "127.230.0.4");
}

TEST_F(RdsServiceTest, DeleteFollowsProtectionMembersAndFinalSnapshotRules) {
  Cluster("db", {{"DeletionProtection", true}});
  ServiceError is_protected =
      Failure("DeleteDBCluster", {{"DBClusterIdentifier", "db"}, {"SkipFinalSnapshot", true}});
  EXPECT_EQ(is_protected.code, "InvalidParameterCombination");
  EXPECT_EQ(is_protected.message,
            "Cannot delete protected Cluster, please disable deletion protection and try again.");
  Ok("ModifyDBCluster", {{"DBClusterIdentifier", "db"}, {"DeletionProtection", false}});

  Ok("CreateDBInstance", {{"DBInstanceIdentifier", "db-1"},
                          {"DBClusterIdentifier", "db"},
                          {"DBInstanceClass", "db.r6g.large"},
                          {"Engine", "aurora-mysql"}});
  EXPECT_EQ(
      Failure("DeleteDBCluster", {{"DBClusterIdentifier", "db"}, {"SkipFinalSnapshot", true}}).code,
      "InvalidDBClusterStateFault");
  Ok("DeleteDBInstance", {{"DBInstanceIdentifier", "db-1"}});

  EXPECT_EQ(Failure("DeleteDBCluster", {{"DBClusterIdentifier", "db"}}).code,
            "InvalidParameterValue");
  EXPECT_EQ(Failure("DeleteDBCluster", {{"DBClusterIdentifier", "db"},
                                        {"SkipFinalSnapshot", true},
                                        {"FinalDBSnapshotIdentifier", "last"}})
                .code,
            "InvalidParameterCombination");
  EXPECT_TRUE(runtime_->destroyed.empty());

  Json deleted = Ok("DeleteDBCluster", {{"DBClusterIdentifier", "db"},
                                        {"FinalDBSnapshotIdentifier", "last"}})["DBCluster"];
  EXPECT_EQ(deleted["Status"], "deleting");
  EXPECT_EQ(runtime_->destroyed, std::vector<std::string>{std::string(kName) + "db"});
  EXPECT_EQ(runtime_->snapshots.count(std::string(kName) + "last"), 1u);
  EXPECT_EQ(Failure("DescribeDBClusters", {{"DBClusterIdentifier", "db"}}).code,
            "DBClusterNotFoundFault");
  Json snapshot = Ok("DescribeDBClusterSnapshots",
                     {{"DBClusterSnapshotIdentifier", "last"}})["DBClusterSnapshots"][0];
  EXPECT_EQ(snapshot["DBClusterIdentifier"], "db");
  EXPECT_EQ(snapshot["Status"], "available");
}

TEST_F(RdsServiceTest, SnapshotsCopyAndRestoreToNewClusters) {
  latency_.delays["rds:DBClusterSnapshot"] = std::chrono::seconds(30);
  Cluster("source", {{"Tags", {{{"Key", "team"}, {"Value", "ml"}}}}, {"CopyTagsToSnapshot", true}});
  Json snap = Ok("CreateDBClusterSnapshot",
                 {{"DBClusterIdentifier", "source"},
                  {"DBClusterSnapshotIdentifier", "snap1"}})["DBClusterSnapshot"];
  EXPECT_EQ(snap["Status"], "creating");
  EXPECT_EQ(snap["TagList"][0]["Key"], "team");
  EXPECT_EQ(Failure("CreateDBClusterSnapshot",
                    {{"DBClusterIdentifier", "source"}, {"DBClusterSnapshotIdentifier", "snap1"}})
                .code,
            "DBClusterSnapshotAlreadyExistsFault");
  Json restore = {{"DBClusterIdentifier", "restored"},
                  {"SnapshotIdentifier", "snap1"},
                  {"Engine", "aurora-mysql"}};
  EXPECT_EQ(Failure("RestoreDBClusterFromSnapshot", restore).code,
            "InvalidDBClusterSnapshotStateFault");
  clock_.Advance(std::chrono::seconds(31));

  Ok("CopyDBClusterSnapshot", {{"SourceDBClusterSnapshotIdentifier", "snap1"},
                               {"TargetDBClusterSnapshotIdentifier", "snap2"}});
  EXPECT_EQ(runtime_->snapshots.count(std::string(kName) + "snap2"), 1u);
  clock_.Advance(std::chrono::seconds(31));
  restore["SnapshotIdentifier"] = "arn:aws:rds:us-east-1:000000000000:cluster-snapshot:snap2";
  Json restored = Ok("RestoreDBClusterFromSnapshot", restore)["DBCluster"];
  service_->WaitForServers();
  EXPECT_EQ(restored["MasterUsername"], "wandb");
  EXPECT_EQ(restored["DatabaseName"], "wandb_local");
  EXPECT_EQ(restored["Endpoint"], "127.230.0.2");
  ASSERT_EQ(runtime_->created.size(), 2u);
  EXPECT_EQ(runtime_->created[1].snapshot, std::string(kName) + "snap2");
  EXPECT_EQ(Describe("restored")["Status"], "available");

  EXPECT_EQ(Failure("RestoreDBClusterFromSnapshot", {{"DBClusterIdentifier", "other"},
                                                     {"SnapshotIdentifier", "nope"},
                                                     {"Engine", "aurora-mysql"}})
                .code,
            "DBClusterSnapshotNotFoundFault");
  Ok("DeleteDBClusterSnapshot", {{"DBClusterSnapshotIdentifier", "snap1"}});
  EXPECT_EQ(runtime_->snapshots.count(std::string(kName) + "snap1"), 0u);
  Json listed = Ok("DescribeDBClusterSnapshots", Json::object());
  ASSERT_EQ(listed["DBClusterSnapshots"].size(), 1u);
  EXPECT_EQ(listed["DBClusterSnapshots"][0]["DBClusterSnapshotIdentifier"], "snap2");
}

TEST_F(RdsServiceTest, ModifyChangesTheMasterPasswordOnTheServer) {
  latency_.delays["rds:DBCluster"] = std::chrono::seconds(10);
  Cluster("db");
  EXPECT_EQ(Failure("ModifyDBCluster",
                    {{"DBClusterIdentifier", "db"}, {"MasterUserPassword", "new-password-1"}})
                .code,
            "InvalidDBClusterStateFault");
  clock_.Advance(std::chrono::seconds(11));
  EXPECT_EQ(
      Failure("ModifyDBCluster", {{"DBClusterIdentifier", "db"}, {"MasterUserPassword", "short"}})
          .code,
      "InvalidParameterValue");
  EXPECT_TRUE(runtime_->passwords.empty());
  Json modified = Ok("ModifyDBCluster", {{"DBClusterIdentifier", "db"},
                                         {"MasterUserPassword", "new-password-1"},
                                         {"BackupRetentionPeriod", 14},
                                         {"PreferredBackupWindow", "02:00-03:00"}})["DBCluster"];
  EXPECT_EQ(runtime_->passwords[std::string(kName) + "db"], "new-password-1");
  EXPECT_EQ(modified["BackupRetentionPeriod"], 14);
  EXPECT_EQ(modified["PreferredBackupWindow"], "02:00-03:00");
  EXPECT_EQ(Failure("ModifyDBCluster",
                    {{"DBClusterIdentifier", "db"}, {"EngineVersion", "5.7.mysql_aurora.2.12.0"}})
                .code,
            "InvalidParameterCombination");
}

TEST_F(RdsServiceTest, InstancesAreAvailableOnceTheirClusterServes) {
  latency_.delays["rds:DBInstance"] = std::chrono::seconds(20);
  Cluster("db");
  Json instance = Ok("CreateDBInstance", {{"DBInstanceIdentifier", "db-1"},
                                          {"DBClusterIdentifier", "db"},
                                          {"DBInstanceClass", "db.r6g.large"},
                                          {"Engine", "aurora-mysql"}})["DBInstance"];
  EXPECT_EQ(instance["DBInstanceStatus"], "creating");
  EXPECT_EQ(instance["Endpoint"]["Address"], "127.230.0.1");
  EXPECT_EQ(instance["Endpoint"]["Port"], 3306);
  clock_.Advance(std::chrono::seconds(21));
  Json described =
      Ok("DescribeDBInstances", {{"Filters", {{{"Name", "db-cluster-id"}, {"Values", {"db"}}}}}});
  ASSERT_EQ(described["DBInstances"].size(), 1u);
  EXPECT_EQ(described["DBInstances"][0]["DBInstanceStatus"], "available");
  Json members = Describe("db")["DBClusterMembers"];
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0]["DBInstanceIdentifier"], "db-1");
  EXPECT_EQ(members[0]["IsClusterWriter"], true);

  EXPECT_EQ(Failure("CreateDBInstance", {{"DBInstanceIdentifier", "db-2"},
                                         {"DBClusterIdentifier", "missing"},
                                         {"DBInstanceClass", "db.r6g.large"},
                                         {"Engine", "aurora-mysql"}})
                .code,
            "DBClusterNotFoundFault");
  EXPECT_EQ(Failure("CreateDBInstance", {{"DBInstanceIdentifier", "db-1"},
                                         {"DBClusterIdentifier", "db"},
                                         {"DBInstanceClass", "db.r6g.large"},
                                         {"Engine", "aurora-mysql"}})
                .code,
            "DBInstanceAlreadyExists");
  EXPECT_EQ(Failure("DescribeDBInstances", {{"DBInstanceIdentifier", "nope"}}).code,
            "DBInstanceNotFound");
}

TEST_F(RdsServiceTest, SubnetGroupsNeedTwoZonesOfOneVpc) {
  PutSubnet("subnet-a", "vpc-1", "us-east-1a");
  PutSubnet("subnet-a2", "vpc-1", "us-east-1a");
  PutSubnet("subnet-b", "vpc-1", "us-east-1b");
  PutSubnet("subnet-x", "vpc-2", "us-east-1b");
  auto group = [](std::vector<std::string> subnets) {
    return Json{{"DBSubnetGroupName", "DB-Subnets"},
                {"DBSubnetGroupDescription", "db"},
                {"SubnetIds", subnets}};
  };
  ServiceError one_zone = Failure("CreateDBSubnetGroup", group({"subnet-a", "subnet-a2"}));
  EXPECT_EQ(one_zone.code, "DBSubnetGroupDoesNotCoverEnoughAZs");
  EXPECT_EQ(Failure("CreateDBSubnetGroup", group({"subnet-a", "subnet-x"})).code, "InvalidSubnet");
  EXPECT_EQ(Failure("CreateDBSubnetGroup", group({"subnet-a", "subnet-nope"})).code,
            "InvalidSubnet");
  Json made = Ok("CreateDBSubnetGroup", group({"subnet-a", "subnet-b"}))["DBSubnetGroup"];
  EXPECT_EQ(made["DBSubnetGroupName"], "db-subnets");
  EXPECT_EQ(made["VpcId"], "vpc-1");
  EXPECT_EQ(made["Subnets"].size(), 2u);
  EXPECT_EQ(Failure("CreateDBSubnetGroup", group({"subnet-a", "subnet-b"})).code,
            "DBSubnetGroupAlreadyExists");

  Json cluster = Cluster("db", {{"DBSubnetGroupName", "db-subnets"}});
  EXPECT_EQ(cluster["DBSubnetGroup"], "db-subnets");
  EXPECT_EQ(cluster["AvailabilityZones"], Json({"us-east-1a", "us-east-1b"}));
  EXPECT_EQ(Failure("DeleteDBSubnetGroup", {{"DBSubnetGroupName", "db-subnets"}}).code,
            "InvalidDBSubnetGroupStateFault");
  Ok("DeleteDBCluster", {{"DBClusterIdentifier", "db"}, {"SkipFinalSnapshot", true}});
  Ok("DeleteDBSubnetGroup", {{"DBSubnetGroupName", "db-subnets"}});
  EXPECT_EQ(Failure("DescribeDBSubnetGroups", {{"DBSubnetGroupName", "db-subnets"}}).code,
            "DBSubnetGroupNotFoundFault");
}

TEST_F(RdsServiceTest, ParameterGroupsKeepUserParametersAndTheirFamily) {
  Ok("CreateDBClusterParameterGroup", {{"DBClusterParameterGroupName", "wandb-cluster"},
                                       {"DBParameterGroupFamily", "aurora-mysql8.0"},
                                       {"Description", "cluster"}});
  EXPECT_EQ(
      Failure("CreateDBClusterParameterGroup", {{"DBClusterParameterGroupName", "wandb-cluster"},
                                                {"DBParameterGroupFamily", "aurora-mysql8.0"},
                                                {"Description", "again"}})
          .code,
      "DBParameterGroupAlreadyExists");
  EXPECT_EQ(Failure("CreateDBParameterGroup", {{"DBParameterGroupName", "x"},
                                               {"DBParameterGroupFamily", "mysql9.9"},
                                               {"Description", "bad"}})
                .code,
            "InvalidParameterValue");
  Ok("ModifyDBClusterParameterGroup", {{"DBClusterParameterGroupName", "wandb-cluster"},
                                       {"Parameters",
                                        {{{"ParameterName", "binlog_format"},
                                          {"ParameterValue", "ROW"},
                                          {"ApplyMethod", "pending-reboot"}}}}});
  Json parameters =
      Ok("DescribeDBClusterParameters",
         {{"DBClusterParameterGroupName", "wandb-cluster"}, {"Source", "user"}})["Parameters"];
  ASSERT_EQ(parameters.size(), 1u);
  EXPECT_EQ(parameters[0]["ParameterName"], "binlog_format");
  EXPECT_EQ(parameters[0]["ParameterValue"], "ROW");
  EXPECT_EQ(parameters[0]["ApplyMethod"], "pending-reboot");

  Ok("CreateDBClusterParameterGroup", {{"DBClusterParameterGroupName", "old"},
                                       {"DBParameterGroupFamily", "aurora-mysql5.7"},
                                       {"Description", "5.7"}});
  EXPECT_EQ(Failure("CreateDBCluster", {{"DBClusterIdentifier", "db"},
                                        {"Engine", "aurora-mysql"},
                                        {"MasterUsername", "admin"},
                                        {"MasterUserPassword", "long-enough-1"},
                                        {"DBClusterParameterGroupName", "old"}})
                .code,
            "InvalidParameterCombination");
  Json db = Cluster("db", {{"DBClusterParameterGroupName", "wandb-cluster"}});
  EXPECT_EQ(db["DBClusterParameterGroup"], "wandb-cluster");
  EXPECT_EQ(
      Failure("DeleteDBClusterParameterGroup", {{"DBClusterParameterGroupName", "wandb-cluster"}})
          .code,
      "InvalidDBParameterGroupState");
  Ok("DeleteDBClusterParameterGroup", {{"DBClusterParameterGroupName", "old"}});
}

TEST_F(RdsServiceTest, DescribePagesWithMarkersAndFilters) {
  for (int i = 0; i < 21; ++i) {
    Cluster(fmt::format("c{:02}", i));
  }
  EXPECT_EQ(Failure("DescribeDBClusters", {{"MaxRecords", 10}}).code, "InvalidParameterValue");
  Json first = Ok("DescribeDBClusters", {{"MaxRecords", 20}});
  EXPECT_EQ(first["DBClusters"].size(), 20u);
  ASSERT_TRUE(first.contains("Marker"));
  Json second = Ok("DescribeDBClusters", {{"MaxRecords", 20}, {"Marker", first["Marker"]}});
  ASSERT_EQ(second["DBClusters"].size(), 1u);
  EXPECT_EQ(second["DBClusters"][0]["DBClusterIdentifier"], "c20");
  EXPECT_FALSE(second.contains("Marker"));
  Json filtered = Ok("DescribeDBClusters",
                     {{"Filters", {{{"Name", "db-cluster-id"}, {"Values", {"c03", "c07"}}}}}});
  EXPECT_EQ(filtered["DBClusters"].size(), 2u);
  EXPECT_EQ(
      Failure("DescribeDBClusters", {{"Filters", {{{"Name", "color"}, {"Values", {"x"}}}}}}).code,
      "InvalidParameterValue");
}

TEST_F(RdsServiceTest, TagsByArn) {
  std::string arn = Cluster("db")["DBClusterArn"];
  Ok("AddTagsToResource",
     {{"ResourceName", arn},
      {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}}});
  Ok("RemoveTagsFromResource", {{"ResourceName", arn}, {"TagKeys", {"a"}}});
  Json tags = Ok("ListTagsForResource", {{"ResourceName", arn}})["TagList"];
  EXPECT_EQ(tags, Json({{{"Key", "b"}, {"Value", "2"}}}));
  EXPECT_EQ(Failure("ListTagsForResource",
                    {{"ResourceName", "arn:aws:rds:us-east-1:000000000000:cluster:nope"}})
                .code,
            "ResourceNotFoundFault");
}

TEST_F(RdsServiceTest, RestartResumesEveryClustersServer) {
  Cluster("db");
  service_->StopServers();
  EXPECT_TRUE(runtime_->running.empty());
  EXPECT_EQ(Describe("db")["Status"], "stopped");
  ASSERT_OK(service_->ResumeServers());
  service_->WaitForServers();
  ASSERT_EQ(runtime_->resumed.size(), 1u);
  EXPECT_EQ(runtime_->resumed[0].name, std::string(kName) + "db");
  EXPECT_EQ(runtime_->resumed[0].address, "127.230.0.1");
  EXPECT_EQ(Describe("db")["Status"], "available");
}

}  // namespace
}  // namespace cf::cloud::rds
