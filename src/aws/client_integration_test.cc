// The client against independent AWS implementations from npm: dynalite (DynamoDB) and
// s3rver (S3; it checks access keys but not SigV4 signatures). The packages are installed once into
// <build>/npm-cache; the servers run on 127.0.0.1 with a port of their own choosing. When npm
// cannot install them (no registry), the tests are skipped with the reason.

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aws/client.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::filesystem::path BuildDir() {
  // The test binary is <build>/tests/cf_aws_test.
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path();
}

// Installs the npm packages once; the empty string when ready, else why not.
std::string EnsurePackages() {
  static std::string result = [] {
    const std::filesystem::path cache = BuildDir() / "npm-cache";
    std::filesystem::create_directories(cache);
    // Test processes run in parallel: one installs, the others wait for it.
    int lock = open((cache / ".lock").c_str(), O_CREAT | O_RDWR, 0644);
    flock(lock, LOCK_EX);
    struct Unlock {
      int fd;
      ~Unlock() { close(fd); }
    } unlock{lock};
    if (std::filesystem::exists(cache / "node_modules/dynalite/package.json") &&
        std::filesystem::exists(cache / "node_modules/s3rver/package.json")) {
      return std::string();
    }
    const std::string command = "cd '" + cache.string() +
                                "' && timeout 300 npm install --prefix . --no-audit --no-fund "
                                "--loglevel=error dynalite@4 s3rver@3 >npm-install.log 2>&1";
    if (std::system(command.c_str()) != 0) {
      return "npm could not install dynalite and s3rver (see " + cache.string() +
             "/npm-install.log); is the npm registry reachable?";
    }
    return std::string();
  }();
  return result;
}

// A node process running `script`, which prints its port on the first line of stdout.
class NodeServer {
 public:
  ~NodeServer() { Stop(); }

  Status Start(const std::string& script) {
    const std::filesystem::path cache = BuildDir() / "npm-cache";
    int out[2];
    if (pipe(out) != 0) {
      return InternalError("pipe failed");
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::string node_path = (cache / "node_modules").string();
      setenv("NODE_PATH", node_path.c_str(), 1);
      execlp("node", "node", "-e", script.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') {
      line.push_back(c);
    }
    close(out[0]);
    if (line.empty() || line.find_first_not_of("0123456789") != std::string::npos) {
      Stop();
      return UnavailableError("the node server did not start (printed \"" + line + "\")");
    }
    url_ = "http://127.0.0.1:" + line;
    return OkStatus();
  }

  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

class IntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why = EnsurePackages();
    if (!why.empty()) {
      GTEST_SKIP() << why;
    }
  }

  Client MakeClient(const std::string& url, Credentials credentials) {
    provider_ = std::make_unique<StaticCredentialsProvider>(std::move(credentials));
    ClientOptions options;
    options.region = "us-east-1";
    options.endpoint_url = url;
    return Client(models_, *provider_, transport_, clock_, random_, options);
  }

  Models models_;
  SystemClock clock_;
  SystemRandomSource random_;
  CurlTransport transport_;
  std::unique_ptr<CredentialsProvider> provider_;
};

constexpr char kDynalite[] = R"(
const dynalite = require('dynalite');
const server = dynalite({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
)";

TEST_F(IntegrationTest, DynamoDbAgainstDynalite) {
  NodeServer server;
  ASSERT_OK(server.Start(kDynalite));
  Client client =
      MakeClient(server.url(), Credentials{"AKIDLOCAL", "local-secret", "", std::nullopt, ""});

  ASSERT_OK(
      client.Call("dynamodb", "CreateTable",
                  {{"TableName", "state"},
                   {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
                   {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}},
                   {"BillingMode", "PAY_PER_REQUEST"}}));
  WaitOptions wait;
  wait.delay = std::chrono::seconds(0);
  ASSERT_OK(client.Wait("dynamodb", "TableExists", {{"TableName", "state"}}, wait));

  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(client.Call(
        "dynamodb", "PutItem",
        {{"TableName", "state"},
         {"Item", {{"pk", {{"S", "k" + std::to_string(i)}}}, {"n", {{"N", std::to_string(i)}}}}}}));
  }
  auto item = client.Call("dynamodb", "GetItem",
                          {{"TableName", "state"}, {"Key", {{"pk", {{"S", "k3"}}}}}});
  ASSERT_OK(item);
  EXPECT_EQ((*item)["Item"]["n"]["N"], "3");

  // A conditional write that does not hold is a Conflict.
  EXPECT_THAT(client.Call("dynamodb", "PutItem",
                          {{"TableName", "state"},
                           {"Item", {{"pk", {{"S", "k1"}}}}},
                           {"ConditionExpression", "attribute_not_exists(pk)"}}),
              StatusIs(StatusCode::kConflict, HasSubstr("ConditionalCheckFailedException")));

  // Pages of two, merged.
  auto all = client.Paginate("dynamodb", "Scan", {{"TableName", "state"}, {"Limit", 2}});
  ASSERT_OK(all);
  EXPECT_EQ((*all)["Items"].size(), 5u);

  EXPECT_THAT(client.Call("dynamodb", "DescribeTable", {{"TableName", "nope"}}),
              StatusIs(StatusCode::kNotFound, HasSubstr("ResourceNotFoundException")));
}

constexpr char kS3rver[] = R"(
const S3rver = require('s3rver');
const fs = require('fs');
const os = require('os');
const path = require('path');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
const server = new S3rver({port: 0, address: '127.0.0.1', silent: true, directory: dir,
                           resetOnClose: true});
server.run().then((address) => console.log(address.port));
process.on('SIGTERM', () => { fs.rmSync(dir, {recursive: true, force: true}); process.exit(0); });
)";

TEST_F(IntegrationTest, S3AgainstS3rver) {
  NodeServer server;
  ASSERT_OK(server.Start(kS3rver));
  Client client = MakeClient(server.url(), Credentials{"S3RVER", "S3RVER", "", std::nullopt, ""});

  ASSERT_OK(client.Call("s3", "CreateBucket", {{"Bucket", "state-bucket"}}));
  for (const char* key : {"a/one.json", "a/two json", "b/three"}) {
    ASSERT_OK(client.Call("s3", "PutObject",
                          {{"Bucket", "state-bucket"}, {"Key", key}, {"Body", "hello"}}));
  }
  auto object = client.Call("s3", "GetObject", {{"Bucket", "state-bucket"}, {"Key", "a/two json"}});
  ASSERT_OK(object);
  EXPECT_EQ((*object)["Body"], "hello");

  // ListObjects pages by marker: NextMarker, or else the last key of the page. (s3rver's
  // ListObjectsV2 continuation tokens need a cipher Node 20's OpenSSL no longer has.)
  auto listed = client.Paginate("s3", "ListObjects", {{"Bucket", "state-bucket"}, {"MaxKeys", 1}});
  ASSERT_OK(listed);
  ASSERT_EQ((*listed)["Contents"].size(), 3u);
  EXPECT_EQ((*listed)["Contents"][1]["Key"], "a/two json");

  EXPECT_THAT(client.Call("s3", "HeadObject", {{"Bucket", "state-bucket"}, {"Key", "missing"}}),
              StatusIs(StatusCode::kNotFound, HasSubstr("s3.HeadObject")));

  // An unknown access key is refused.
  Client wrong = MakeClient(server.url(), Credentials{"NOBODY", "S3RVER", "", std::nullopt, ""});
  EXPECT_THAT(wrong.Call("s3", "ListObjects", {{"Bucket", "state-bucket"}}),
              StatusIs(StatusCode::kPermissionDenied, HasSubstr("InvalidAccessKeyId")));
}

}  // namespace
}  // namespace cf::aws
