#include "cli/cloud_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <regex>

#include "cli/app.h"
#include "cloud/loopback_client.h"
#include "testing/cli_runner.h"

namespace cf::cli {
namespace {

using Captured = CommandOutput;

class CloudCommandTest : public ::testing::Test {
 protected:
  CloudCommandTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_cli_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  ~CloudCommandTest() override {
    RunClusterform({"cloud", "stop", "--data-dir", dir_});
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(CloudCommandTest, StartStatusStopOnAnyFreePort) {
  Captured start = RunClusterform({"cloud", "start", "--port", "0", "--data-dir", dir_});
  ASSERT_EQ(start.code, 0) << start.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(start.out, m, std::regex("127\\.0\\.0\\.1:(\\d+) \\(pid (\\d+)")))
      << start.out;
  int port = std::stoi(m[1].str());
  EXPECT_GT(port, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/cloud.pid"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/cloud.db"));

  cloud::LoopbackHttpClient client(static_cast<uint16_t>(port));
  auto health = client.Send({"GET", "/_clusterform/health", {}, ""});
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);

  Captured status = RunClusterform({"cloud", "status", "--data-dir", dir_});
  EXPECT_EQ(status.code, 0);
  EXPECT_NE(status.out.find("pid       " + m[2].str()), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("port      " + m[1].str()), std::string::npos) << status.out;

  Captured again = RunClusterform({"cloud", "start", "--port", "0", "--data-dir", dir_});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("already running"), std::string::npos) << again.err;

  Captured stop = RunClusterform({"cloud", "stop", "--data-dir", dir_});
  EXPECT_EQ(stop.code, 0) << stop.err;
  EXPECT_NE(stop.out.find("stopped"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/cloud.pid"));

  Captured after = RunClusterform({"cloud", "status", "--data-dir", dir_});
  EXPECT_EQ(after.code, 1);
  EXPECT_NE(after.out.find("not running"), std::string::npos);
}

TEST_F(CloudCommandTest, StartReportsABadConfigFile) {
  std::FILE* f = std::fopen((dir_ + "/config.json").c_str(), "w");
  std::fputs("{\"faults\": {\"rules\": [{\"throttle_rate\": 2}]}}", f);
  std::fclose(f);
  Captured start = RunClusterform({"cloud", "start", "--port", "0", "--data-dir", dir_});
  EXPECT_EQ(start.code, 2);
  EXPECT_NE(start.err.find("throttle_rate"), std::string::npos) << start.err;
}

TEST_F(CloudCommandTest, StartReportsAPortInUse) {
  Captured first = RunClusterform({"cloud", "start", "--port", "0", "--data-dir", dir_});
  ASSERT_EQ(first.code, 0) << first.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(first.out, m, std::regex("127\\.0\\.0\\.1:(\\d+)")));
  std::string other = dir_ + "/other";
  Captured second = RunClusterform({"cloud", "start", "--port", m[1].str(), "--data-dir", other});
  EXPECT_EQ(second.code, 1);
  EXPECT_NE(second.err.find("cannot listen"), std::string::npos) << second.err;
}

TEST_F(CloudCommandTest, StopAndResetWhenNotRunning) {
  Captured stop = RunClusterform({"cloud", "stop", "--data-dir", dir_});
  EXPECT_EQ(stop.code, 0);
  EXPECT_NE(stop.out.find("not running"), std::string::npos);
  Captured reset = RunClusterform({"cloud", "reset", "--data-dir", dir_});
  EXPECT_EQ(reset.code, 0) << reset.err;
}

}  // namespace
}  // namespace cf::cli
