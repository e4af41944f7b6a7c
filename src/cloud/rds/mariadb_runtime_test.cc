// The MariaDB runtime for real: servers on loopback addresses, the master user over TCP with
// Debian's mysql client, snapshots that bring rows back, restarts on the same data.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "base/process.h"
#include "cloud/rds/database_runtime.h"
#include "testing/status_matchers.h"

namespace cf::cloud::rds {
namespace {

// `sql` through the mysql client over TCP as `user`; stdout, or "ERROR: ..." on failure.
std::string Mysql(const ServerSpec& spec, const MasterUser& user, const std::string& sql) {
  ProcessOptions o;
  o.argv = {"/usr/bin/mysql",
            "--no-defaults",
            "-h",
            spec.address,
            "-P",
            std::to_string(spec.port),
            "-u",
            user.username,
            "-p" + user.password,
            "-N",
            "-B",
            "-e",
            sql};
  o.stderr_redirect = Redirect::Pipe();
  Result<RunOutput> ran = RunProcess(o, std::chrono::milliseconds(60000));
  if (!ran.ok()) {
    return "ERROR: " + ran.status().message();
  }
  return ran->status.success() ? ran->out : "ERROR: " + ran->err;
}

class MariaDbRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!MariaDbInstalled()) {
      GTEST_SKIP() << "MariaDB is not installed (scripts/setup installs mariadb-server)";
    }
    std::string pattern =
        (std::filesystem::temp_directory_path() / "cf-rds-runtime-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    runtime_ = MakeMariaDbRuntime(root_);
  }
  void TearDown() override {
    runtime_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  std::string root_;
  std::unique_ptr<DatabaseRuntime> runtime_;
};

TEST_F(MariaDbRuntimeTest, ServesTheMasterUserAndRestoresSnapshots) {
  ServerSpec first{"000000000000/us-east-1/first", "127.231.0.1", 3306};
  MasterUser admin{"admin", "it's a \\ secret"};
  ASSERT_OK(runtime_->Create(first, admin, "appdb", ""));
  std::optional<pid_t> pid = runtime_->Pid(first.name);
  ASSERT_TRUE(pid.has_value());
  EXPECT_EQ(Mysql(first, admin, "SHOW DATABASES LIKE 'appdb'"), "appdb\n");
  EXPECT_EQ(Mysql(first, admin,
                  "CREATE TABLE appdb.t (k INT PRIMARY KEY, v TEXT);"
                  "INSERT INTO appdb.t VALUES (1, 'kept');"
                  "SELECT v FROM appdb.t"),
            "kept\n");
  EXPECT_NE(Mysql(first, {"admin", "wrong-password"}, "SELECT 1").rfind("ERROR", 0),
            std::string::npos);

  ASSERT_OK(runtime_->Snapshot(first.name, "000000000000/us-east-1/snap"));
  ASSERT_OK(runtime_->CopySnapshot("000000000000/us-east-1/snap", "000000000000/us-east-1/copy"));
  EXPECT_EQ(
      Mysql(first, admin, "INSERT INTO appdb.t VALUES (2, 'after'); SELECT COUNT(*) FROM appdb.t"),
      "2\n");

  // The restore has the snapshot's rows and users, and nothing written after it.
  ServerSpec second{"000000000000/us-east-1/second", "127.231.0.2", 3306};
  ASSERT_OK(runtime_->Create(second, {}, "", "000000000000/us-east-1/copy"));
  EXPECT_EQ(Mysql(second, admin, "SELECT k, v FROM appdb.t"), "1\tkept\n");

  MasterUser changed{"admin", "a-new-password"};
  ASSERT_OK(runtime_->SetMasterPassword(second.name, changed));
  EXPECT_EQ(Mysql(second, changed, "SELECT 1"), "1\n");
  EXPECT_EQ(Mysql(first, admin, "SELECT 1"), "1\n");

  // Stopped servers start again on their data.
  runtime_->StopAll();
  EXPECT_FALSE(ProcessAlive(*pid));
  EXPECT_FALSE(runtime_->Pid(first.name).has_value());
  ASSERT_OK(runtime_->Resume(first));
  EXPECT_EQ(Mysql(first, admin, "SELECT COUNT(*) FROM appdb.t"), "2\n");

  pid = runtime_->Pid(first.name);
  ASSERT_TRUE(pid.has_value());
  ASSERT_OK(runtime_->Destroy(first.name));
  EXPECT_FALSE(ProcessAlive(*pid));
  EXPECT_FALSE(std::filesystem::exists(root_ + "/clusters/000000000000/us-east-1/first"));
  EXPECT_EQ(runtime_->Resume(first).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace cf::cloud::rds
