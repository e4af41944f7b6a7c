// The RDS types against the real local cloud, whose clusters are MariaDB servers: subnet and
// parameter groups through the whole Lifecycle, a cluster and its instance created, waited
// for until available, read back without drift, updated in place and destroyed.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>

#include "cloud/rds/database_runtime.h"
#include "provider/aws_provider.h"
#include "provider/aws_provider_test_fixture.h"
#include "testing/status_matchers.h"

namespace cf::provider {
namespace {

class AwsProviderRdsTest : public AwsProviderTest {
 protected:
  // Polls until the instance settles: a cluster's server takes seconds to make, more than
  // Settle's bound on a loaded machine.
  Json SettleLong(const std::string& type, StepResult step) {
    Json state = step.state;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (step.pending && std::chrono::steady_clock::now() < deadline) {
      auto polled = provider_->Poll(type, {state});
      EXPECT_OK(polled);
      if (!polled.ok()) {
        break;
      }
      const PollResult& p = (*polled)[0];
      if (p.phase == PollResult::Phase::kReady) {
        return p.state;
      }
      EXPECT_NE(p.phase, PollResult::Phase::kFailed) << p.error.message();
      if (p.phase != PollResult::Phase::kPending) {
        break;
      }
      state = p.state;
      clock_.SleepFor(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << type << " did not settle: " << state.dump();
    return state;
  }

  Json CreateLong(const std::string& type, const std::string& name, const Json& config) {
    current_type_ = type;
    auto step = provider_->Create(Ref(type, name), config);
    EXPECT_OK(step) << type;
    if (!step.ok()) {
      return Json::object();
    }
    return step->pending ? SettleLong(type, *step) : step->state;
  }
};

TEST_F(AwsProviderRdsTest, GroupsClusterAndInstance) {
  Json vpc = Apply("aws_vpc", "db", {{"cidr_block", "127.30.0.0/16"}});
  std::string vpc_id = vpc["id"];
  Json a = Apply(
      "aws_subnet", "a",
      {{"vpc_id", vpc_id}, {"cidr_block", "127.30.1.0/24"}, {"availability_zone", "us-east-1a"}});
  Json b = Apply(
      "aws_subnet", "b",
      {{"vpc_id", vpc_id}, {"cidr_block", "127.30.2.0/24"}, {"availability_zone", "us-east-1b"}});
  Json subnets = {a["id"], b["id"]};
  Lifecycle({"aws_db_subnet_group",
             {{"name", "wandb-database"},
              {"description", "database subnets"},
              {"subnet_ids", subnets},
              {"tags", {{"Name", "db"}}}},
             {{"name", "wandb-database"},
              {"description", "the database subnets"},
              {"subnet_ids", subnets},
              {"tags", {{"Name", "db2"}}}},
             ById});
  Json binlog = {{"name", "binlog_format"}, {"value", "ROW"}, {"apply_method", "pending-reboot"}};
  Json row_image = {
      {"name", "binlog_row_image"}, {"value", "minimal"}, {"apply_method", "immediate"}};
  Lifecycle({"aws_rds_cluster_parameter_group",
             {{"name", "wandb-cluster"},
              {"family", "aurora-mysql8.0"},
              {"description", "cluster parameters"},
              {"parameter", {binlog, row_image}},
              {"tags", {{"Name", "cpg"}}}},
             {{"name", "wandb-cluster"},
              {"family", "aurora-mysql8.0"},
              {"description", "cluster parameters"},
              {"parameter", {binlog}},
              {"tags", {{"Name", "cpg"}}}},
             ById});
  Json slow = {{"name", "slow_query_log"}, {"value", "1"}, {"apply_method", "pending-reboot"}};
  Lifecycle({"aws_db_parameter_group",
             {{"name", "wandb-instance"},
              {"family", "aurora-mysql8.0"},
              {"description", "instance parameters"},
              {"parameter", {slow}}},
             Json(),
             ById});

  if (!cloud::rds::MariaDbInstalled()) {
    GTEST_SKIP() << "MariaDB is not installed (scripts/setup installs mariadb-server)";
  }
  Json group = Apply("aws_db_subnet_group", "g",
                     {{"name", "wandb-db"}, {"description", "db"}, {"subnet_ids", subnets}});
  Json config = {{"cluster_identifier", "wandb"},
                 {"engine", "aurora-mysql"},
                 {"engine_version", "8.0"},
                 {"database_name", "wandb_local"},
                 {"master_username", "wandb"},
                 {"master_password", "correct-horse-battery-staple"},
                 {"db_subnet_group_name", "wandb-db"},
                 {"storage_encrypted", true},
                 {"skip_final_snapshot", true},
                 {"backup_retention_period", 14},
                 {"preferred_backup_window", "02:00-03:00"},
                 {"tags", {{"Name", "wandb"}}}};
  Json cluster = CreateLong("aws_rds_cluster", "this", config);
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it.key() != "tags") {
      EXPECT_EQ(cluster.value(it.key(), Json()), it.value()) << it.key();
    }
  }
  for (const std::string& computed : schemas_.Computed("aws_rds_cluster")) {
    EXPECT_TRUE(cluster.contains(computed)) << "aws_rds_cluster lacks computed " << computed;
  }
  EXPECT_EQ(cluster.value("endpoint", "").rfind("127.230.", 0), 0u) << cluster.dump();
  EXPECT_EQ(cluster["port"], 3306);
  EXPECT_EQ(cluster["engine_version_actual"], "8.0.mysql_aurora.3.08.0");
  EXPECT_TRUE(cluster["kms_key_id"].get<std::string>().starts_with("arn:aws:kms:"));
  std::optional<Json> read = ReadOne("aws_rds_cluster", cluster);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, cluster);

  Json instance_config = {{"identifier", "wandb-1"},
                          {"cluster_identifier", "wandb"},
                          {"engine", "aurora-mysql"},
                          {"instance_class", "db.r6g.large"}};
  Json instance = CreateLong("aws_rds_cluster_instance", "this", instance_config);
  for (const std::string& computed : schemas_.Computed("aws_rds_cluster_instance")) {
    EXPECT_TRUE(instance.contains(computed)) << "aws_rds_cluster_instance lacks " << computed;
  }
  EXPECT_EQ(instance["endpoint"], cluster["endpoint"]);
  EXPECT_EQ(instance["writer"], true);
  read = ReadOne("aws_rds_cluster_instance", instance);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, instance);

  // In place: backup settings and the master password.
  Json update = config;
  update["backup_retention_period"] = 7;
  update["master_password"] = "another-password-entirely";
  current_type_ = "aws_rds_cluster";
  auto step = provider_->Update(Ref("aws_rds_cluster", "this"), cluster, update);
  ASSERT_OK(step);
  Json updated = step->pending ? SettleLong("aws_rds_cluster", *step) : step->state;
  EXPECT_EQ(updated["backup_retention_period"], 7);
  read = ReadOne("aws_rds_cluster", updated);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, updated);

  Destroy("aws_rds_cluster_instance", "this", instance);
  EXPECT_FALSE(ReadOne("aws_rds_cluster_instance", instance).has_value());
  Destroy("aws_rds_cluster", "this", updated);
  EXPECT_FALSE(ReadOne("aws_rds_cluster", updated).has_value());
  Destroy("aws_db_subnet_group", "g", group);
}

}  // namespace
}  // namespace cf::provider
