#include "cloud/instance_host.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cloud/http_server.h"
#include "cloud/imds.h"

namespace cf::cloud {

namespace {

constexpr size_t kConsoleLimit = 64 * 1024;

// Runs the user data once, then keeps the instance up. The user data's own output goes to the
// console, as cloud-init's does on EC2.
constexpr char kInitScript[] = R"SH(#!/bin/bash
# Written by the clusterform local cloud: the instance's init.
cd "$HOME"
echo "[clusterform] instance $CLUSTERFORM_INSTANCE_ID booting at $CLUSTERFORM_PRIVATE_IP"
if [ "$1" = first-boot ] && [ -s user-data ]; then
  echo "[clusterform] running user data"
  if [ "$(head -c 2 user-data)" = '#!' ]; then
    chmod 0755 user-data
    ./user-data
  else
    /bin/bash ./user-data
  fi
  echo "[clusterform] user data finished with exit code $?"
fi
exec /bin/sleep infinity
)SH";

// Debian's AWS CLI (botocore 1.29) predates AWS_ENDPOINT_URL: this `aws`, first on the
// instance's PATH, passes the variable as --endpoint-url to the real one.
constexpr char kAwsWrapper[] = R"SH(#!/bin/bash
# Written by the clusterform local cloud: points the AWS CLI at the local cloud.
if [ -n "$AWS_ENDPOINT_URL" ]; then
  exec /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"
fi
exec /usr/bin/aws "$@"
)SH";

// Simulated time inside instances: this `sleep`, first on the instance's PATH, sleeps its
// arguments (GNU sleep's: numbers with an optional s/m/h/d suffix, summed) times the latency
// profile's time scale, read from <instances>/time_scale at each call, so a boot script's
// `sleep 10` retry lasts 10 simulated seconds. `infinity` and a scale of 1 are passed through.
constexpr char kSleepShim[] = R"SH(#!/bin/bash
# Written by the clusterform local cloud: sleep on the local cloud's simulated time.
scale=1
if [ -r "${BASH_SOURCE[0]%/*}/../time_scale" ]; then
  read -r scale <"${BASH_SOURCE[0]%/*}/../time_scale" || scale=1
fi
for arg in "$@"; do
  case "$arg" in
    -*|*inf*) exec /bin/sleep "$@" ;;
  esac
done
seconds=$(awk -v scale="$scale" 'BEGIN { total = 0 }
  {
    for (i = 1; i <= NF; i++) {
      v = $i; unit = substr(v, length(v)); factor = 1
      if (unit == "s") { v = substr(v, 1, length(v) - 1) }
      else if (unit == "m") { factor = 60; v = substr(v, 1, length(v) - 1) }
      else if (unit == "h") { factor = 3600; v = substr(v, 1, length(v) - 1) }
      else if (unit == "d") { factor = 86400; v = substr(v, 1, length(v) - 1) }
      if (v !~ /^[0-9]*\.?[0-9]+$/ && v !~ /^[0-9]+\.$/) { bad = 1 }
      total += v * factor
    }
  }
  END { if (bad || scale !~ /^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/) { exit 1 }
        printf "%.3f\n", total * scale }' <<<"$*") || exec /bin/sleep "$@"
exec /bin/sleep "$seconds"
)SH";

Status WriteText(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return UnavailableError("cannot write " + path);
  }
  if (chmod(path.c_str(), mode) != 0) {
    return UnavailableError("cannot chmod " + path);
  }
  return OkStatus();
}

}  // namespace

struct InstanceHost::Hosted {
  std::string private_ip;
  std::string directory;
  std::string metadata_endpoint;
  std::unique_ptr<ImdsHandler> imds_handler;
  std::unique_ptr<HttpServer> imds;
  std::unique_ptr<InstanceProcess> process;

  ~Hosted() {
    if (process) {
      process->Kill();
    }
    if (imds) {
      imds->Stop();
    }
  }
};

InstanceHost::InstanceHost(const ServiceContext& context, ProcessLauncher& launcher,
                           InstanceHostOptions options)
    : context_(context), launcher_(launcher), options_(std::move(options)) {}

InstanceHost::~InstanceHost() {
  HaltAll();
}

void InstanceHost::SetCloudEndpoint(std::string url) {
  std::lock_guard<std::mutex> lock(mu_);
  cloud_endpoint_ = std::move(url);
}

void InstanceHost::SetObserver(InstanceObserver* observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = observer;
}

Status InstanceHost::Boot(const ec2::BootSpec& spec) {
  Halt(spec.instance_id);
  auto hosted = std::make_unique<Hosted>();
  hosted->private_ip = spec.private_ip;
  hosted->directory = (std::filesystem::path(options_.root_dir) / spec.instance_id).string();
  std::error_code ec;
  std::filesystem::create_directories(hosted->directory, ec);
  if (ec) {
    return UnavailableError(fmt::format("cannot create the instance directory {}: {}",
                                        hosted->directory, ec.message()));
  }
  RETURN_IF_ERROR(WriteText(hosted->directory + "/init.sh", kInitScript, 0755));
  std::string bin = (std::filesystem::path(options_.root_dir) / "bin").string();
  if (!std::filesystem::exists(bin + "/aws")) {
    std::filesystem::create_directories(bin, ec);
    std::string temporary = bin + "/aws." + spec.instance_id;
    RETURN_IF_ERROR(WriteText(temporary, kAwsWrapper, 0755));
    std::filesystem::rename(temporary, bin + "/aws", ec);
  }
  if (!std::filesystem::exists(bin + "/sleep")) {
    std::string temporary = bin + "/sleep." + spec.instance_id;
    RETURN_IF_ERROR(WriteText(temporary, kSleepShim, 0755));
    std::filesystem::rename(temporary, bin + "/sleep", ec);
  }
  RETURN_IF_ERROR(WriteTimeScale());
  if (spec.run_user_data) {
    RETURN_IF_ERROR(WriteText(hosted->directory + "/user-data", spec.user_data, 0644));
  }
  if (!spec.instance_store.empty()) {
    std::string disks = hosted->directory + "/instance-store";
    std::filesystem::create_directories(disks, ec);
    for (const ec2::InstanceStoreDisk& disk : spec.instance_store) {
      std::string path = disks + "/" + disk.device;
      if (std::filesystem::exists(path)) {
        continue;  // a reboot keeps the instance store (a stop would not; see docs)
      }
      int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0 || ftruncate(fd, disk.size_gb * 1000 * 1000 * 1000) != 0) {
        if (fd >= 0) {
          close(fd);
        }
        return UnavailableError("cannot create the instance-store file " + path);
      }
      close(fd);
    }
  }
  if (spec.metadata_enabled) {
    hosted->imds_handler = std::make_unique<ImdsHandler>(context_, spec.region, spec.instance_id);
    Status started = UnavailableError("no port tried");
    for (uint16_t port : {options_.imds_port, uint16_t{0}}) {
      HttpServerOptions http;
      http.address = spec.private_ip;
      http.port = port;
      http.threads = 1;
      http.max_body_bytes = 64 * 1024;
      hosted->imds = std::make_unique<HttpServer>(http, *hosted->imds_handler);
      started = hosted->imds->Start();
      if (started.ok() || port == 0) {
        break;
      }
    }
    if (!started.ok()) {
      hosted->imds.reset();
      return started.WithContext("instance metadata service of " + spec.instance_id);
    }
    hosted->metadata_endpoint = fmt::format("http://{}:{}/", spec.private_ip, hosted->imds->port());
  }
  ProcessSpec process;
  process.argv = {"/bin/bash", hosted->directory + "/init.sh",
                  spec.run_user_data ? "first-boot" : "reboot"};
  process.working_directory = hosted->directory;
  process.console_path = hosted->directory + "/console.log";
  std::string endpoint;
  {
    std::lock_guard<std::mutex> lock(mu_);
    endpoint = cloud_endpoint_;
  }
  process.environment = {
      {"PATH", hosted->directory +
                   "/usr/local/bin:" + (std::filesystem::path(options_.root_dir) / "bin").string() +
                   ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
      {"HOME", hosted->directory},
      {"LANG", "C.UTF-8"},
      {"AWS_ENDPOINT_URL", endpoint},
      {"AWS_DEFAULT_REGION", spec.region},
      {"AWS_REGION", spec.region},
      {"CLUSTERFORM_INSTANCE_ID", spec.instance_id},
      {"CLUSTERFORM_PRIVATE_IP", spec.private_ip},
      {"CLUSTERFORM_INSTANCE_ROOT", hosted->directory},
  };
  if (!hosted->metadata_endpoint.empty()) {
    process.environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = hosted->metadata_endpoint;
  }
  Result<std::unique_ptr<InstanceProcess>> started = launcher_.Launch(process);
  if (!started.ok()) {
    return started.status().WithContext("instance " + spec.instance_id);
  }
  hosted->process = std::move(started).value();
  InstanceObserver* observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    hosted_[spec.instance_id] = std::move(hosted);
    observer = observer_;
  }
  if (observer != nullptr) {
    observer->InstanceStarted(spec.instance_id);
  }
  return OkStatus();
}

Status InstanceHost::WriteTimeScale() {
  std::string path = (std::filesystem::path(options_.root_dir) / "time_scale").string();
  std::string temporary = fmt::format("{}.{}", path, getpid());
  std::lock_guard<std::mutex> lock(time_scale_mu_);
  RETURN_IF_ERROR(WriteText(temporary, fmt::format("{}\n", context_.latency.TimeScale()), 0644));
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    return UnavailableError("cannot write " + path + ": " + ec.message());
  }
  return OkStatus();
}

void InstanceHost::Halt(const std::string& instance_id) {
  std::unique_ptr<Hosted> gone;
  InstanceObserver* observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = hosted_.find(instance_id);
    if (it == hosted_.end()) {
      return;
    }
    gone = std::move(it->second);
    hosted_.erase(it);
    observer = observer_;
  }
  gone.reset();  // kills the group and stops the metadata service, outside the lock
  if (observer != nullptr) {
    observer->InstanceEnded(instance_id);
  }
}

Status InstanceHost::Kill(const std::string& instance_id) {
  InstanceObserver* observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = hosted_.find(instance_id);
    if (it == hosted_.end() || !it->second->process->Alive()) {
      return NotFoundError(fmt::format("instance {} is not running here", instance_id));
    }
    it->second->process->Kill();
    observer = observer_;
  }
  if (observer != nullptr) {
    observer->InstanceEnded(instance_id);
  }
  return OkStatus();
}

std::optional<bool> InstanceHost::Alive(const std::string& instance_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = hosted_.find(instance_id);
  if (it == hosted_.end()) {
    return std::nullopt;
  }
  return it->second->process->Alive();
}

std::string InstanceHost::Directory(const std::string& instance_id) const {
  return (std::filesystem::path(options_.root_dir) / instance_id).string();
}

std::string InstanceHost::ConsoleOutput(const std::string& instance_id) const {
  std::ifstream in(Directory(instance_id) + "/console.log", std::ios::binary);
  if (!in) {
    return "";
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > kConsoleLimit ? all.substr(all.size() - kConsoleLimit) : all;
}

std::vector<HostedInstance> InstanceHost::List() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<HostedInstance> out;
  for (const auto& [id, hosted] : hosted_) {
    out.push_back({id, hosted->private_ip, hosted->directory, hosted->metadata_endpoint,
                   hosted->process->pid(), hosted->process->Alive()});
  }
  return out;
}

void InstanceHost::HaltAll() {
  std::map<std::string, std::unique_ptr<Hosted>> gone;
  InstanceObserver* observer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    gone.swap(hosted_);
    observer = observer_;
  }
  std::vector<std::string> ids;
  for (const auto& [id, hosted] : gone) {
    ids.push_back(id);
  }
  gone.clear();
  if (observer != nullptr) {
    for (const std::string& id : ids) {
      observer->InstanceEnded(id);
    }
  }
}

}  // namespace cf::cloud
