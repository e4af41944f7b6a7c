#include "testing/cloud/local_cloud.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "base/process.h"
#include "cloud/cloud_server.h"

namespace cf {
namespace {

namespace fs = std::filesystem;

// 127.0.x holds the servers on 127.0.0.1; 127.10 is the built-in modules' local-cloud
// default; other tests use fixed ranges below 100 and 127.200 and up: test cases take
// 127.100 to 127.199.
constexpr int kFirstOctet = 100;
constexpr int kOctets = 100;
constexpr const char* kRangeLockDir = "/tmp/clusterform-test-ranges";

uint32_t Fnv1a(const std::string& text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h = (h ^ c) * 16777619u;
  }
  return h;
}

// Claims the first free range from the name's hash on: returns the octet and the lock's fd
// (held for the process's life or until closed).
Result<std::pair<int, int>> ClaimRange(const std::string& name) {
  std::error_code ec;
  fs::create_directories(kRangeLockDir, ec);
  ::chmod(kRangeLockDir, 01777);
  uint32_t start = Fnv1a(name) % kOctets;
  for (int i = 0; i < kOctets; ++i) {
    int octet = kFirstOctet + static_cast<int>((start + i) % kOctets);
    std::string path = fmt::format("{}/127.{}", kRangeLockDir, octet);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
      continue;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      return std::make_pair(octet, fd);
    }
    ::close(fd);
  }
  return UnavailableError("every 127.X test range is held by another test process");
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A zombie has exited: it is not left running.
bool IsZombie(pid_t pid) {
  std::string stat = ReadWhole(fmt::format("/proc/{}/stat", pid));
  size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z';
}

}  // namespace

std::string LoopbackRange::Cidr(int third, int bits) const {
  return fmt::format("127.{}.{}.0/{}", octet, third, bits);
}

std::string LoopbackRange::Whole() const {
  return fmt::format("127.{}.0.0/16", octet);
}

std::string CurrentTestName() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) {
    return "outside-a-test";
  }
  return std::string(info->test_suite_name()) + "." + info->name();
}

ChildOutput RunChild(const std::string& binary, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& environment,
                     std::chrono::seconds timeout) {
  ProcessOptions p;
  p.argv = {binary};
  p.argv.insert(p.argv.end(), args.begin(), args.end());
  p.environment = environment;
  p.stderr_redirect = Redirect::Pipe();
  Result<RunOutput> r = RunProcess(p, timeout);
  if (!r.ok()) {
    return {-1, "", r.status().message()};
  }
  return {r->status.exited() ? r->status.code : 128 + r->status.signal, r->out, r->err};
}

LocalCloudForTest::LocalCloudForTest(LocalCloudOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<LocalCloudForTest>> LocalCloudForTest::Start(LocalCloudOptions options) {
  std::unique_ptr<LocalCloudForTest> cloud(new LocalCloudForTest(std::move(options)));
  std::string pattern = (fs::temp_directory_path() / (cloud->options_.name + "_XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return InternalError("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  cloud->root_ = pattern;
  ASSIGN_OR_RETURN(auto claimed, ClaimRange(CurrentTestName()));
  cloud->range_.octet = claimed.first;
  cloud->range_lock_fd_ = claimed.second;
  RETURN_IF_ERROR(cloud->Launch());
  return cloud;
}

LocalCloudForTest::~LocalCloudForTest() {
  std::vector<LeftoverProcess> left = Stop();
  for (const LeftoverProcess& p : left) {
    ADD_FAILURE() << "the local cloud left process " << p.pid << " running: " << p.command_line;
  }
  if (range_lock_fd_ >= 0) {
    ::close(range_lock_fd_);
  }
  if (!root_.empty() && ::testing::Test::HasFailure()) {
    // What a failed test leaves for the post-mortem: consoles, the cloud's log, the state.
    std::fprintf(stderr, "LocalCloudForTest: kept %s (the test failed)\n", root_.c_str());
  } else if (!root_.empty()) {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
}

std::string LocalCloudForTest::endpoint() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

std::string LocalCloudForTest::data_dir() const {
  return (fs::path(root_) / "cloud").string();
}

Status LocalCloudForTest::Launch() {
  if (options_.clusterform_binary.empty()) {
    cloud::CloudOptions options;
    options.port = 0;
    options.threads = options_.threads;
    options.imds_port = 0;
    options.data_dir = data_dir();
    options.faults.time_scale = options_.time_scale;
    ASSIGN_OR_RETURN(server_, cloud::CloudServer::Start(options, clock_, logger_));
    port_ = server_->port();
  } else {
    std::string config = (fs::path(root_) / "cloud-config.json").string();
    std::ofstream(config) << nlohmann::json{{"threads", options_.threads},
                                            {"imds_port", 0},
                                            {"faults", {{"time_scale", options_.time_scale}}}}
                                 .dump();
    ProcessOptions p;
    p.argv = {options_.clusterform_binary,
              "cloud",
              "start",
              "--port",
              "0",
              "--data-dir",
              data_dir(),
              "--config",
              config};
    p.environment = {{"PATH", "/usr/bin:/bin"}, {"HOME", root_}};
    p.stderr_redirect = Redirect::Pipe();
    ASSIGN_OR_RETURN(RunOutput out, RunProcess(p, std::chrono::seconds(60)));
    std::smatch m;
    if (!out.status.success() ||
        !std::regex_search(out.out, m, std::regex(R"(127\.0\.0\.1:(\d+) \(pid (\d+))"))) {
      return InternalError("clusterform cloud start: " + out.status.ToString() + ": " + out.out +
                           out.err);
    }
    port_ = static_cast<uint16_t>(std::stoi(m[1].str()));
    daemon_pid_ = static_cast<pid_t>(std::stoi(m[2].str()));
  }
  running_ = true;
  credentials_ = std::make_unique<aws::StaticCredentialsProvider>(
      aws::Credentials{"test", "test", "", std::nullopt, "test"});
  aws::ClientOptions client_options;
  client_options.region = "us-east-1";
  client_options.endpoint_url = endpoint();
  client_options.retry.max_attempts = options_.max_attempts;
  client_ = std::make_unique<aws::Client>(models_, *credentials_, transport_, clock_, random_,
                                          client_options);
  return OkStatus();
}

std::map<std::string, std::string> LocalCloudForTest::CliEnvironment() const {
  return {{"AWS_ENDPOINT_URL", endpoint()},
          {"AWS_ACCESS_KEY_ID", "test"},
          {"AWS_SECRET_ACCESS_KEY", "test"},
          {"AWS_DEFAULT_REGION", "us-east-1"},
          {"HOME", root_},
          {"PATH", "/usr/bin:/bin"},
          {"CHECKPOINT_DISABLE", "1"}};
}

nlohmann::json LocalCloudForTest::Call(const std::string& service, const std::string& operation,
                                       const nlohmann::json& params) {
  Result<nlohmann::json> out = client_->Call(service, operation, params);
  if (!out.ok()) {
    ADD_FAILURE() << service << "." << operation << ": " << out.status().ToString();
    return nlohmann::json();
  }
  return *out;
}

std::vector<LeftoverProcess> LocalCloudForTest::ProcessesOfThisCloud() const {
  std::vector<LeftoverProcess> out;
  if (port_ == 0) {
    return out;
  }
  const std::string marker = "AWS_ENDPOINT_URL=" + endpoint();
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) {
    return out;
  }
  while (dirent* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || pid == ::getpid()) {
      continue;
    }
    std::string environ = ReadWhole(fmt::format("/proc/{}/environ", pid));
    bool ours = false;
    for (size_t at = 0; at < environ.size();) {
      size_t nul = environ.find('\0', at);
      std::string_view var(environ.data() + at,
                           (nul == std::string::npos ? environ.size() : nul) - at);
      if (var == marker || var == marker + "/") {
        ours = true;
        break;
      }
      at = nul == std::string::npos ? environ.size() : nul + 1;
    }
    if (!ours || IsZombie(static_cast<pid_t>(pid))) {
      continue;
    }
    std::string cmdline = ReadWhole(fmt::format("/proc/{}/cmdline", pid));
    for (char& c : cmdline) {
      if (c == '\0') {
        c = ' ';
      }
    }
    out.push_back({static_cast<pid_t>(pid), cmdline});
  }
  ::closedir(proc);
  return out;
}

std::vector<LeftoverProcess> LocalCloudForTest::Stop() {
  if (!running_) {
    return {};
  }
  running_ = false;
  client_.reset();
  if (server_ != nullptr) {
    server_->Stop();
    server_.reset();
  }
  if (daemon_pid_ != 0) {
    if (!SignalAndWait(daemon_pid_, SIGTERM, std::chrono::seconds(30)).ok()) {
      ::kill(daemon_pid_, SIGKILL);
    }
    daemon_pid_ = 0;
  }
  // Whatever the cloud started and did not stop: give it a moment (a group being killed),
  // then kill each leftover's process group (never our own).
  std::vector<LeftoverProcess> left;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  do {
    left = ProcessesOfThisCloud();
    if (left.empty()) {
      return left;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  for (const LeftoverProcess& p : left) {
    pid_t group = ::getpgid(p.pid);
    if (group > 0 && group != ::getpgrp()) {
      ::kill(-group, SIGKILL);
    } else {
      ::kill(p.pid, SIGKILL);
    }
  }
  return left;
}

Result<std::vector<LeftoverProcess>> LocalCloudForTest::Restart() {
  std::vector<LeftoverProcess> left = Stop();
  RETURN_IF_ERROR(Launch());
  return left;
}

}  // namespace cf
