// Differential test of S3 against s3rver (an independent S3 implementation from the npm
// registry): one sequence of object operations (put, get, range get, head, list v2 with
// prefix/delimiter and pages, list v1, copy, delete, multi-delete, conditional gets, errors)
// is sent through clusterform's own AWS client (src/aws) to both servers, and the status
// codes, error codes, bodies and key listings must agree.
//
// With CF_S3RVER=<path to s3rver's bin/s3rver.js> (src/cloud/s3/differential/
// run_differential.sh installs it with npm and sets it), s3rver runs on loopback and is
// compared live; with CF_S3RVER_RECORD=1 as well, its transcript is saved as
// s3/differential/s3rver_expected.jsonl. Without CF_S3RVER the local cloud is compared with
// that recorded transcript, so the test needs no network.

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "aws/client.h"
#include "aws/transport_curl.h"
#include "cloud/cloud_server.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

const std::string kExpectedPath =
    std::string(CF_SOURCE_DIR) + "/src/cloud/s3/differential/s3rver_expected.jsonl";

uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

// s3rver as a child process on 127.0.0.1.
class S3rver {
 public:
  S3rver(const std::string& script, const std::string& dir) : port_(FreePort()) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int null_fd = ::open("/dev/null", O_WRONLY);
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
      std::string port = std::to_string(port_);
      ::execlp("node", "node", "--openssl-legacy-provider", script.c_str(), "-d", dir.c_str(), "-a",
               "127.0.0.1", "-p", port.c_str(), "-s", "--no-vhost-buckets",
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 100 && !Accepts(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ~S3rver() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  pid_t pid_ = -1;
};

// The comparable part of one answer.
Json Outcome(const Result<aws::AwsResponse>& r, const std::vector<std::string>& fields) {
  if (!r.ok()) {
    return {{"transport_error", r.status().message()}};
  }
  Json out = {{"status", r->http_status}};
  if (!r->ok()) {
    // HEAD and 304 answers have no body: the code is the status' name on both sides.
    out["error"] = r->error->code;
    return out;
  }
  for (const std::string& field : fields) {
    if (r->output.contains(field)) {
      out[field] = r->output[field];
    }
  }
  return out;
}

std::vector<std::string> Keys(const Json& output, const char* list, const char* member) {
  std::vector<std::string> keys;
  for (const Json& item : output.value(list, Json::array())) {
    keys.push_back(item.value(member, ""));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Runs the sequence against `endpoint` and returns one outcome per step.
std::vector<Json> Transcript(const std::string& endpoint, const aws::Credentials& credentials) {
  aws::Models models;
  SystemClock clock;
  aws::CurlTransport transport;
  aws::SystemRandomSource random;
  aws::StaticCredentialsProvider provider(credentials);
  aws::ClientOptions options;
  options.region = "us-east-1";
  options.endpoint_url = endpoint;
  options.retry.max_attempts = 1;
  aws::Client client(models, provider, transport, clock, random, options);
  std::vector<Json> steps;
  auto call = [&](const std::string& name, const char* operation, const Json& params,
                  std::vector<std::string> fields = {}) {
    Result<aws::AwsResponse> r = client.Invoke("s3", operation, params);
    Json outcome = Outcome(r, fields);
    outcome["step"] = name;
    if (r.ok() && r->ok()) {
      if (r->output.contains("Contents")) {
        outcome["keys"] = Keys(r->output, "Contents", "Key");
      }
      if (r->output.contains("CommonPrefixes")) {
        outcome["prefixes"] = Keys(r->output, "CommonPrefixes", "Prefix");
      }
      if (r->output.contains("Deleted")) {
        outcome["deleted"] = Keys(r->output, "Deleted", "Key");
      }
    }
    steps.push_back(outcome);
    return r.ok() ? r->output : Json::object();
  };
  const std::string b = "cf-diff";
  call("create", "CreateBucket", {{"Bucket", b}});
  call("put", "PutObject",
       {{"Bucket", b},
        {"Key", "a.txt"},
        {"Body", "hello world"},
        {"ContentType", "text/plain"},
        {"Metadata", {{"colour", "blue"}}}},
       {"ETag"});
  for (const char* key : {"dir/one", "dir/two", "dir/sub/three", "e", "dir/sub/four"}) {
    call(std::string("put ") + key, "PutObject", {{"Bucket", b}, {"Key", key}, {"Body", key}},
         {"ETag"});
  }
  Json got = call("get", "GetObject", {{"Bucket", b}, {"Key", "a.txt"}},
                  {"Body", "ContentType", "Metadata", "ETag", "ContentLength"});
  std::string etag = got.value("ETag", "");
  call("range get", "GetObject", {{"Bucket", b}, {"Key", "a.txt"}, {"Range", "bytes=0-4"}},
       {"Body", "ContentRange", "ContentLength"});
  call("suffix range get", "GetObject", {{"Bucket", b}, {"Key", "a.txt"}, {"Range", "bytes=-5"}},
       {"Body", "ContentRange"});
  call("unsatisfiable range", "GetObject",
       {{"Bucket", b}, {"Key", "a.txt"}, {"Range", "bytes=100-"}});
  call("head", "HeadObject", {{"Bucket", b}, {"Key", "a.txt"}},
       {"ContentLength", "ETag", "ContentType", "Metadata"});
  call("head missing", "HeadObject", {{"Bucket", b}, {"Key", "missing"}});
  call("get missing", "GetObject", {{"Bucket", b}, {"Key", "missing"}});
  call("get missing bucket", "GetObject", {{"Bucket", "cf-diff-none"}, {"Key", "a.txt"}});
  call("list v2 delimiter", "ListObjectsV2",
       {{"Bucket", b}, {"Prefix", "dir/"}, {"Delimiter", "/"}}, {"IsTruncated", "KeyCount"});
  Json first = call("list v2 page 1", "ListObjectsV2", {{"Bucket", b}, {"MaxKeys", 3}},
                    {"IsTruncated", "KeyCount"});
  call("list v2 page 2", "ListObjectsV2",
       {{"Bucket", b},
        {"MaxKeys", 3},
        {"ContinuationToken", first.value("NextContinuationToken", "")}},
       {"IsTruncated", "KeyCount"});
  call("list v2 start after", "ListObjectsV2", {{"Bucket", b}, {"StartAfter", "dir/two"}},
       {"IsTruncated"});
  call("list v1 marker", "ListObjects", {{"Bucket", b}, {"Marker", "dir/one"}, {"MaxKeys", 2}},
       {"IsTruncated"});
  call("copy", "CopyObject", {{"Bucket", b}, {"Key", "copy.txt"}, {"CopySource", b + "/a.txt"}});
  call("get copy", "GetObject", {{"Bucket", b}, {"Key", "copy.txt"}},
       {"Body", "ContentType", "Metadata", "ETag"});
  call("copy missing", "CopyObject",
       {{"Bucket", b}, {"Key", "copy2.txt"}, {"CopySource", b + "/missing"}});
  call("if-none-match", "GetObject", {{"Bucket", b}, {"Key", "a.txt"}, {"IfNoneMatch", etag}});
  call("if-match wrong", "GetObject",
       {{"Bucket", b}, {"Key", "a.txt"}, {"IfMatch", "\"00000000000000000000000000000000\""}});
  call("if-match right", "GetObject", {{"Bucket", b}, {"Key", "a.txt"}, {"IfMatch", etag}},
       {"Body"});
  call("delete", "DeleteObject", {{"Bucket", b}, {"Key", "copy.txt"}});
  call("get deleted", "GetObject", {{"Bucket", b}, {"Key", "copy.txt"}});
  call("delete absent", "DeleteObject", {{"Bucket", b}, {"Key", "never-there"}});
  call("delete bucket not empty", "DeleteBucket", {{"Bucket", b}});
  call("multi-delete", "DeleteObjects",
       {{"Bucket", b},
        {"Delete", {{"Objects", {{{"Key", "dir/one"}}, {{"Key", "dir/two"}}, {{"Key", "e"}}}}}}});
  call("list after delete", "ListObjectsV2", {{"Bucket", b}}, {"IsTruncated", "KeyCount"});
  call("multi-delete rest", "DeleteObjects",
       {{"Bucket", b},
        {"Delete",
         {{"Objects",
           {{{"Key", "a.txt"}}, {{"Key", "dir/sub/three"}}, {{"Key", "dir/sub/four"}}}}}}});
  call("delete bucket", "DeleteBucket", {{"Bucket", b}});
  call("head deleted bucket", "HeadBucket", {{"Bucket", b}});
  return steps;
}

// Steps where s3rver departs from S3 (checked against AWS's documentation); the local cloud
// follows S3 there, so they are not compared.
const std::map<std::string, std::string>& S3rverDiffers() {
  static const std::map<std::string, std::string> kDiffers = {
      {"suffix range get", "s3rver reads bytes=-5 as bytes=0-5; S3 sends the last 5 bytes"},
      {"list v2 delimiter", "s3rver's KeyCount leaves out CommonPrefixes; S3 counts both"},
      {"if-match wrong", "s3rver ignores If-Match on GET; S3 answers 412"},
      {"multi-delete rest", "s3rver fails (500) deleting sibling keys of one folder at once"},
  };
  return kDiffers;
}

TEST(S3DifferentialTest, ObjectOperationsAgreeWithS3rver) {
  std::vector<Json> reference;
  const char* script = std::getenv("CF_S3RVER");
  std::string dir;
  if (script != nullptr && *script != '\0') {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_s3rver_XXXXXX").string();
    dir = mkdtemp(pattern.data());
    S3rver s3rver(script, dir);
    ASSERT_TRUE(Accepts(s3rver.port())) << "s3rver did not start";
    reference = Transcript(fmt::format("http://127.0.0.1:{}", s3rver.port()),
                           {"S3RVER", "S3RVER", "", std::nullopt, "test"});
    std::filesystem::remove_all(dir);
    if (const char* record = std::getenv("CF_S3RVER_RECORD");
        record && std::string(record) == "1") {
      std::ofstream out(kExpectedPath);
      for (const Json& step : reference) {
        out << step.dump() << "\n";
      }
    }
  } else {
    std::ifstream in(kExpectedPath);
    ASSERT_TRUE(in) << kExpectedPath << " is missing: record it with run_differential.sh";
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) {
        reference.push_back(Json::parse(line));
      }
    }
  }

  CloudOptions options;
  options.port = 0;
  NullLogger logger;
  SystemClock clock;
  auto server = CloudServer::Start(options, clock, logger);
  ASSERT_OK(server);
  std::vector<Json> ours = Transcript(fmt::format("http://127.0.0.1:{}", (*server)->port()),
                                      {"test", "test", "", std::nullopt, "test"});
  ASSERT_EQ(ours.size(), reference.size());
  int compared = 0;
  for (size_t i = 0; i < ours.size(); ++i) {
    if (S3rverDiffers().count(ours[i].value("step", "")) > 0) {
      continue;
    }
    ++compared;
    EXPECT_EQ(ours[i], reference[i]) << "step " << i << " (" << ours[i]["step"] << ")";
  }
  EXPECT_GE(compared, 30);
}

}  // namespace
}  // namespace cf::cloud
