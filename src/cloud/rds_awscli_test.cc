// RDS end to end with real clients: Debian's awscli makes an Aurora MySQL cluster and an
// instance on the local cloud, Debian's mysql client writes a row over TCP to the cluster's
// endpoint, a snapshot restored to a new cluster has the row, a restart of the local cloud on
// the same data directory serves it again, and deleting the clusters leaves no server process.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/process.h"
#include "cloud/cloud_server.h"
#include "cloud/rds/database_runtime.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

constexpr char kPassword[] = "correct-horse-battery";

class RdsAwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveAwsCli()) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    if (!rds::MariaDbInstalled()) {
      GTEST_SKIP() << "MariaDB is not installed (scripts/setup installs mariadb-server)";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf-rds-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    options_.port = 0;
    options_.data_dir = dir_;
    Start();
  }
  void TearDown() override {
    server_.reset();
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  void Start() {
    auto server = CloudServer::Start(options_, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(*server);
  }

  ShellResult Aws(const std::string& args) { return RunAwsCli(server_->port(), args); }

  // The cluster's description once its status is `status` (a failure after two minutes).
  nlohmann::json WaitForCluster(const std::string& id, const std::string& status = "available") {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    nlohmann::json cluster;
    while (std::chrono::steady_clock::now() < deadline) {
      ShellResult described = Aws("rds describe-db-clusters --db-cluster-identifier " + id);
      EXPECT_EQ(described.status, 0) << described.output;
      cluster = described.Json()["DBClusters"][0];
      if (cluster.value("Status", "") == status || cluster.value("Status", "") == "failed") {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    EXPECT_EQ(cluster.value("Status", ""), status) << cluster.dump();
    return cluster;
  }

  // `sql` with Debian's mysql client over TCP; stdout, or "ERROR ..." when it fails.
  std::string Mysql(const nlohmann::json& cluster, const std::string& password,
                    const std::string& sql) {
    ShellResult ran =
        RunShell(fmt::format("mysql --no-defaults -h {} -P {} -u {} '-p{}' -N -B -e \"{}\" 2>&1",
                             cluster.value("Endpoint", ""), cluster.value("Port", 0),
                             cluster.value("MasterUsername", ""), password, sql));
    return ran.status == 0 ? ran.output : "ERROR " + ran.output;
  }

  pid_t ServerPid(const std::string& id) {
    std::ifstream in(
        fmt::format("{}/instances/rds/clusters/000000000000/us-east-1/{}/mariadbd.pid", dir_, id));
    pid_t pid = 0;
    in >> pid;
    return pid;
  }

  SystemClock clock_;
  NullLogger logger_;
  CloudOptions options_;
  std::string dir_;
  std::unique_ptr<CloudServer> server_;
};

TEST_F(RdsAwsCliTest, ClusterServesMysqlAndSnapshotsRestoreTheRows) {
  // Bad input gets RDS's errors.
  ShellResult version =
      Aws("rds create-db-cluster --db-cluster-identifier bad --engine aurora-mysql "
          "--engine-version 8.0.mysql_aurora.9.99.9 --master-username wandb "
          "--master-user-password correct-horse-battery");
  EXPECT_NE(version.status, 0);
  EXPECT_NE(version.output.find("InvalidParameterCombination"), std::string::npos)
      << version.output;
  ShellResult password =
      Aws("rds create-db-cluster --db-cluster-identifier bad --engine aurora-mysql "
          "--master-username wandb --master-user-password short");
  EXPECT_NE(password.status, 0);
  EXPECT_NE(password.output.find("shorter than 8 characters"), std::string::npos)
      << password.output;

  ShellResult created = Aws(fmt::format(
      "rds create-db-cluster --db-cluster-identifier wandb --engine aurora-mysql "
      "--engine-version 8.0.mysql_aurora.3.05.2 --master-username wandb "
      "--master-user-password {} --database-name wandb_local --backup-retention-period 14 "
      "--preferred-backup-window 02:00-03:00",
      kPassword));
  ASSERT_EQ(created.status, 0) << created.output;
  EXPECT_EQ(created.Json()["DBCluster"]["Status"], "creating");
  ShellResult instance =
      Aws("rds create-db-instance --db-instance-identifier wandb-1 --db-cluster-identifier wandb "
          "--db-instance-class db.r6g.large --engine aurora-mysql");
  ASSERT_EQ(instance.status, 0) << instance.output;

  nlohmann::json cluster = WaitForCluster("wandb");
  // Its own address of 127.230.0.0/16 (the lowest free one: another local cloud may hold some).
  std::string endpoint = cluster.value("Endpoint", "");
  EXPECT_EQ(endpoint.rfind("127.230.", 0), 0u) << endpoint;
  EXPECT_EQ(cluster["Port"], 3306);
  EXPECT_EQ(cluster["DBClusterMembers"][0]["DBInstanceIdentifier"], "wandb-1");
  ShellResult instances = Aws("rds describe-db-instances --db-instance-identifier wandb-1");
  ASSERT_EQ(instances.status, 0) << instances.output;
  EXPECT_EQ(instances.Json()["DBInstances"][0]["DBInstanceStatus"], "available");
  EXPECT_EQ(instances.Json()["DBInstances"][0]["Endpoint"]["Address"], endpoint);

  EXPECT_EQ(Mysql(cluster, kPassword,
                  "CREATE TABLE wandb_local.runs (id INT PRIMARY KEY, name TEXT); "
                  "INSERT INTO wandb_local.runs VALUES (1, 'first-run'); "
                  "SELECT name FROM wandb_local.runs"),
            "first-run\n");

  ShellResult snapshot =
      Aws("rds create-db-cluster-snapshot --db-cluster-identifier wandb "
          "--db-cluster-snapshot-identifier wandb-snap");
  ASSERT_EQ(snapshot.status, 0) << snapshot.output;
  EXPECT_EQ(snapshot.Json()["DBClusterSnapshot"]["Status"], "available");
  ShellResult restore =
      Aws("rds restore-db-cluster-from-snapshot --db-cluster-identifier restored "
          "--snapshot-identifier wandb-snap --engine aurora-mysql");
  ASSERT_EQ(restore.status, 0) << restore.output;
  nlohmann::json restored = WaitForCluster("restored");
  EXPECT_EQ(restored.value("Endpoint", "").rfind("127.230.", 0), 0u);
  EXPECT_NE(restored["Endpoint"], endpoint);
  EXPECT_EQ(restored["MasterUsername"], "wandb");
  EXPECT_EQ(Mysql(restored, kPassword, "SELECT id, name FROM wandb_local.runs"), "1\tfirst-run\n");

  // The master password changes on the server.
  ShellResult modified =
      Aws("rds modify-db-cluster --db-cluster-identifier restored "
          "--master-user-password another-password --apply-immediately");
  ASSERT_EQ(modified.status, 0) << modified.output;
  EXPECT_EQ(Mysql(restored, "another-password", "SELECT 1"), "1\n");
  EXPECT_EQ(Mysql(restored, kPassword, "SELECT 1").rfind("ERROR", 0), 0u);

  // A restart of the local cloud stops the servers and starts them again on their data.
  pid_t first = ServerPid("wandb");
  pid_t second = ServerPid("restored");
  ASSERT_GT(first, 0);
  ASSERT_GT(second, 0);
  server_.reset();
  EXPECT_FALSE(ProcessAlive(first));
  EXPECT_FALSE(ProcessAlive(second));
  Start();
  cluster = WaitForCluster("wandb");
  EXPECT_EQ(Mysql(cluster, kPassword, "SELECT name FROM wandb_local.runs"), "first-run\n");
  restored = WaitForCluster("restored");
  EXPECT_EQ(Mysql(restored, "another-password", "SELECT COUNT(*) FROM wandb_local.runs"), "1\n");

  // Deleting stops every server; nothing is left running.
  ShellResult protected_delete =
      Aws("rds modify-db-cluster --db-cluster-identifier wandb --deletion-protection");
  ASSERT_EQ(protected_delete.status, 0) << protected_delete.output;
  ShellResult refused =
      Aws("rds delete-db-cluster --db-cluster-identifier wandb --skip-final-snapshot");
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.output.find("InvalidParameterCombination"), std::string::npos)
      << refused.output;
  ASSERT_EQ(
      Aws("rds modify-db-cluster --db-cluster-identifier wandb --no-deletion-protection").status,
      0);
  first = ServerPid("wandb");
  second = ServerPid("restored");
  ASSERT_EQ(Aws("rds delete-db-instance --db-instance-identifier wandb-1").status, 0);
  ShellResult deleted =
      Aws("rds delete-db-cluster --db-cluster-identifier wandb --skip-final-snapshot");
  ASSERT_EQ(deleted.status, 0) << deleted.output;
  ShellResult deleted_restored =
      Aws("rds delete-db-cluster --db-cluster-identifier restored --skip-final-snapshot");
  ASSERT_EQ(deleted_restored.status, 0) << deleted_restored.output;
  EXPECT_FALSE(ProcessAlive(first));
  EXPECT_FALSE(ProcessAlive(second));
  ShellResult none = Aws("rds describe-db-clusters");
  ASSERT_EQ(none.status, 0) << none.output;
  EXPECT_TRUE(none.Json()["DBClusters"].empty()) << none.output;
}

}  // namespace
}  // namespace cf::cloud
