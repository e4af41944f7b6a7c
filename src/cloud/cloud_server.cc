#include "cloud/cloud_server.h"

#include <fmt/core.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/file_system.h"
#include "cloud/acm/acm_service.h"
#include "cloud/autoscaling/autoscaling_service.h"
#include "cloud/cloud_handler.h"
#include "cloud/core/ids.h"
#include "cloud/core/random.h"
#include "cloud/core/store.h"
#include "cloud/default_wiring.h"
#include "cloud/dynamodb/dynamodb_service.h"
#include "cloud/ec2/ec2_service.h"
#include "cloud/elbv2/elbv2_service.h"
#include "cloud/http_server.h"
#include "cloud/iam/iam_service.h"
#include "cloud/instance_host.h"
#include "cloud/instance_process.h"
#include "cloud/kms/kms_service.h"
#include "cloud/kms/master_key.h"
#include "cloud/logs/logs_service.h"
#include "cloud/orchestration.h"
#include "cloud/rds/rds_service.h"
#include "cloud/route53/route53_service.h"
#include "cloud/s3/s3_service.h"
#include "cloud/secretsmanager/secretsmanager_service.h"
#include "cloud/sqs/sqs_service.h"
#include "cloud/ssm/ssm_service.h"
#include "cloud/sts/sts_service.h"
#include "cloud/wekasim/wekasim.h"
#include "cloud/wekasim_http.h"

namespace cf::cloud {

namespace {

constexpr char kVersion[] = "0.1.0";

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = body.dump(2) + "\n";
  return response;
}

}  // namespace

std::string DefaultDataDir() {
  if (const char* dir = std::getenv("CLUSTERFORM_CLOUD_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  const char* home = std::getenv("HOME");
  return JoinPath(JoinPath(home != nullptr ? home : ".", ".clusterform"), "cloud");
}

std::string DatabasePath(const std::string& data_dir) {
  return JoinPath(data_dir, "cloud.db");
}

Status ApplyCloudConfig(const Json& config, CloudOptions& options) {
  if (!config.is_object()) {
    return InvalidArgumentError("cloud config: expected a JSON object");
  }
  try {
    for (const auto& [key, value] : config.items()) {
      if (key == "port") {
        if (!value.is_number_unsigned() || value.get<uint64_t>() > 65535) {
          return InvalidArgumentError("cloud config: port: expected 0..65535");
        }
        options.port = static_cast<uint16_t>(value.get<uint64_t>());
      } else if (key == "threads") {
        if (!value.is_number_unsigned() || value.get<uint64_t>() < 1 ||
            value.get<uint64_t>() > 64) {
          return InvalidArgumentError("cloud config: threads: expected 1..64");
        }
        options.threads = value.get<int>();
      } else if (key == "max_body_bytes") {
        if (!value.is_number_unsigned() || value.get<uint64_t>() < 1024) {
          return InvalidArgumentError("cloud config: max_body_bytes: expected at least 1024");
        }
        options.max_body_bytes = value.get<uint64_t>();
      } else if (key == "imds_port") {
        if (!value.is_number_unsigned() || value.get<uint64_t>() > 65535) {
          return InvalidArgumentError("cloud config: imds_port: expected 0..65535");
        }
        options.imds_port = static_cast<uint16_t>(value.get<uint64_t>());
      } else if (key == "seed") {
        if (!value.is_number_unsigned()) {
          return InvalidArgumentError("cloud config: seed: expected a non-negative integer");
        }
        options.seed = value.get<uint64_t>();
      } else if (key == "credentials") {
        if (!value.is_array()) {
          return InvalidArgumentError("cloud config: credentials: expected a list");
        }
        for (size_t i = 0; i < value.size(); ++i) {
          const Json& c = value[i];
          std::string where = fmt::format("cloud config: credentials[{}]", i);
          if (!c.is_object() || !c.contains("access_key_id") || !c.contains("secret_access_key") ||
              !c["access_key_id"].is_string() || !c["secret_access_key"].is_string()) {
            return InvalidArgumentError(
                where + ": expected {\"access_key_id\", \"secret_access_key\"} strings");
          }
          Credential credential;
          credential.access_key_id = c["access_key_id"].get<std::string>();
          credential.secret_access_key = c["secret_access_key"].get<std::string>();
          std::string account = c.value("account_id", std::string(kDefaultAccountId));
          if (account.size() != 12 ||
              account.find_first_not_of("0123456789") != std::string::npos) {
            return InvalidArgumentError(where + ": account_id: expected 12 digits");
          }
          std::string user = c.value("user_name", std::string());
          credential.identity.access_key_id = credential.access_key_id;
          credential.identity.account_id = account;
          if (user.empty()) {
            credential.identity.arn = fmt::format("arn:aws:iam::{}:root", account);
            credential.identity.user_id = account;
          } else {
            credential.identity.arn = fmt::format("arn:aws:iam::{}:user/{}", account, user);
            credential.identity.user_id = "AIDA" + credential.access_key_id;
          }
          options.credentials.push_back(std::move(credential));
        }
      } else if (key == "faults") {
        ASSIGN_OR_RETURN(options.faults, FaultProfile::FromJson(value));
      } else {
        return InvalidArgumentError(fmt::format("cloud config: unknown member \"{}\"", key));
      }
    }
  } catch (const Json::exception& e) {
    return InvalidArgumentError(std::string("cloud config: ") + e.what());
  }
  return OkStatus();
}

Status LoadCloudConfigFile(const std::string& path, CloudOptions& options) {
  std::ifstream in(path);
  if (!in) {
    return OkStatus();
  }
  std::stringstream text;
  text << in.rdbuf();
  Json config = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) {
    return InvalidArgumentError(path + ": not valid JSON");
  }
  return ApplyCloudConfig(config, options).WithContext(path);
}

struct CloudServer::Impl : public AdminApi {
  CloudOptions options;
  const Clock& clock;
  Logger& logger;
  SeededRandom random;
  SeededRandom fault_random;
  IdGenerator ids{random};
  std::unique_ptr<Store> store;
  std::unique_ptr<CredentialStore> credentials;
  FaultInjector faults{fault_random};
  std::unique_ptr<ProcessLauncher> launcher;
  std::string instance_root;
  bool remove_instance_root = false;  // a temporary folder (no data directory)
  std::unique_ptr<InstanceHost> instances;
  // The WEKA simulator (docs/wekasim.md): its model and its HTTP endpoints.
  std::unique_ptr<wekasim::WekaSim> weka_sim;
  std::unique_ptr<WekaSimHttp> weka_sim_http;
  // Declared before `services`: the orchestration services use what it owns.
  std::unique_ptr<Orchestration> orchestration;
  ServiceRegistry services;
  autoscaling::AutoScalingService* autoscaling = nullptr;  // owned by `services`
  rds::RdsService* rds = nullptr;                          // owned by `services`
  std::unique_ptr<ProtocolTable> protocols;
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<CloudHandler> handler;
  std::unique_ptr<HttpServer> http;

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;  // guarded by stop_mu

  Impl(CloudOptions o, const Clock& c, Logger& l) : options(std::move(o)), clock(c), logger(l) {
    if (options.seed) {
      random.Reseed(*options.seed);
      fault_random.Reseed(*options.seed ^ 0x5eed);
    }
  }

  ~Impl() override {
    // The reconciler calls EC2 and EC2 boots instances: stop both before anything goes.
    if (http) {
      http->Stop();
    }
    // Schedules and function environments end while the services they call still exist.
    if (orchestration) {
      orchestration->Shutdown();
    }
    if (autoscaling != nullptr) {
      autoscaling->StopReconciler();
    }
    if (instances) {
      instances->HaltAll();
      instances->SetObserver(nullptr);
    }
    if (weka_sim_http) {
      weka_sim_http->CloseAll();
    }
    // The database servers stop (by pid) before their data folders can go.
    if (rds != nullptr) {
      rds->StopServers();
    }
    if (remove_instance_root) {
      std::error_code ignored;
      std::filesystem::remove_all(instance_root, ignored);
    }
  }

  // Whether `token` is the current value of a get_weka_io_token secret (any account, any
  // region): the installer's download check.
  bool IsWekaIoToken(const std::string& token) {
    Service* secrets = services.Find("secretsmanager");
    Result<std::vector<std::pair<std::string, Json>>> all = store->List("secretsmanager/secrets");
    if (secrets == nullptr || !all.ok()) {
      return false;
    }
    for (const auto& [key, doc] : *all) {
      // <account>/<region>/<name>
      size_t first = key.find('/');
      size_t second = first == std::string::npos ? first : key.find('/', first + 1);
      if (second == std::string::npos ||
          key.find("get_weka_io_token", second) == std::string::npos) {
        continue;
      }
      ServiceCall call;
      call.service = "secretsmanager";
      call.operation = "GetSecretValue";
      call.account_id = key.substr(0, first);
      call.region = key.substr(first + 1, second - first - 1);
      call.input = {{"SecretId", key.substr(second + 1)}};
      call.caller.account_id = call.account_id;
      call.caller.arn = fmt::format("arn:aws:iam::{}:root", call.account_id);
      ServiceResult value = secrets->Handle(call);
      if (value.ok() && value.output().value("SecretString", "") == token) {
        return true;
      }
    }
    return false;
  }

  // The WEKA simulator: its model (loaded from the store), its HTTP side, the simulated OS
  // commands in <instance root>/bin, and the instance host's start/end notifications.
  Status StartWekaSim() {
    weka_sim = std::make_unique<wekasim::WekaSim>(*store, clock, [this](size_t n) {
      std::string hex;
      while (hex.size() < n) {
        hex += fmt::format("{:016x}", random.Next());
      }
      return hex.substr(0, n);
    });
    RETURN_IF_ERROR(weka_sim->Load());
    weka_sim_http = std::make_unique<WekaSimHttp>(*weka_sim, logger);
    weka_sim->SetBinder(weka_sim_http.get());
    weka_sim->SetTokenChecker([this](const std::string& token) { return IsWekaIoToken(token); });
    instances->SetObserver(weka_sim_http.get());
    std::string bin = JoinPath(instance_root, "bin");
    std::error_code ec;
    std::filesystem::create_directories(bin, ec);
    for (const auto& [name, text] : wekasim::ShimScripts()) {
      std::string path = JoinPath(bin, name);
      std::string temporary = path + fmt::format(".{}", getpid());
      {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) {
          return UnavailableError("cannot write the WEKA simulator's " + path);
        }
      }
      std::filesystem::permissions(temporary, std::filesystem::perms(0755), ec);
      std::filesystem::rename(temporary, path, ec);
      if (ec) {
        return UnavailableError("cannot write the WEKA simulator's " + path);
      }
    }
    return OkStatus();
  }

  HttpResponse Instances(const HttpRequest& request, std::string_view path) {
    std::string_view rest = path.substr(std::string_view("/_clusterform/instances").size());
    if (rest.empty() || rest == "/") {
      if (request.method != "GET") {
        return JsonResponse(405, {{"error", "use GET"}});
      }
      Json list = Json::array();
      for (const HostedInstance& hosted : instances->List()) {
        list.push_back({{"instance_id", hosted.instance_id},
                        {"private_ip", hosted.private_ip},
                        {"pid", hosted.pid},
                        {"alive", hosted.alive},
                        {"metadata_endpoint", hosted.metadata_endpoint},
                        {"directory", hosted.directory}});
      }
      return JsonResponse(200, {{"instances", list}});
    }
    constexpr std::string_view kKill = "/kill";
    if (rest.size() > kKill.size() + 1 && rest.substr(rest.size() - kKill.size()) == kKill) {
      if (request.method != "POST") {
        return JsonResponse(405, {{"error", "use POST"}});
      }
      std::string id(rest.substr(1, rest.size() - 1 - kKill.size()));
      Status killed = instances->Kill(id);
      if (!killed.ok()) {
        return JsonResponse(404, {{"error", killed.message()}});
      }
      logger.Log(LogLevel::kInfo, fmt::format("admin: killed instance {}", id));
      return JsonResponse(200, {{"killed", id}});
    }
    return JsonResponse(404, {{"error", fmt::format("no admin endpoint {}", path)}});
  }

  HttpResponse Handle(const HttpRequest& request) override {
    std::string_view path = request.Path();
    if (path.rfind("/_wekasim/", 0) == 0) {
      return weka_sim_http->Handle(request);
    }
    if (path == "/_clusterform/health") {
      Json services_list = services.Names();
      return JsonResponse(200, {{"status", "running"},
                                {"version", kVersion},
                                {"pid", static_cast<int64_t>(getpid())},
                                {"port", http ? http->port() : 0},
                                {"data_dir", options.data_dir},
                                {"services", services_list}});
    }
    if (path == "/_clusterform/config") {
      if (request.method == "GET") {
        return JsonResponse(200, {{"faults", faults.profile().ToJson()}});
      }
      if (request.method == "PUT" || request.method == "POST") {
        Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
        if (body.is_discarded() || !body.is_object()) {
          return JsonResponse(400, {{"error", "the body must be a JSON object"}});
        }
        const Json& profile_json = body.contains("faults") ? body["faults"] : body;
        Result<FaultProfile> profile = FaultProfile::FromJson(profile_json);
        if (!profile.ok()) {
          return JsonResponse(400, {{"error", profile.status().message()}});
        }
        faults.SetProfile(*profile);
        if (instances != nullptr) {
          Status written = instances->WriteTimeScale();
          if (!written.ok()) {
            logger.Log(LogLevel::kWarning, "admin: " + written.message());
          }
        }
        return JsonResponse(200, {{"faults", faults.profile().ToJson()}});
      }
      return JsonResponse(405, {{"error", "use GET or PUT"}});
    }
    if (path.rfind("/_clusterform/instances", 0) == 0) {
      return Instances(request, path);
    }
    if (path == "/_clusterform/reset") {
      if (request.method != "POST") {
        return JsonResponse(405, {{"error", "use POST"}});
      }
      instances->HaltAll();
      weka_sim->Reset();
      Status cleared = store->Clear();
      if (cleared.ok()) {
        cleared = services.ResetAll();
      }
      if (!cleared.ok()) {
        return JsonResponse(500, {{"error", cleared.message()}});
      }
      return JsonResponse(200, {{"reset", true}});
    }
    return JsonResponse(404, {{"error", fmt::format("no admin endpoint {}", path)}});
  }
};

CloudServer::CloudServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CloudServer::~CloudServer() {
  Stop();
}

Result<std::unique_ptr<CloudServer>> CloudServer::Start(
    CloudOptions options, const Clock& clock, Logger& logger,
    std::unique_ptr<ProtocolTable> protocols, std::unique_ptr<Authenticator> authenticator) {
  auto impl = std::make_unique<Impl>(std::move(options), clock, logger);
  std::string db_path;
  if (!impl->options.data_dir.empty()) {
    RealFileSystem fs;
    RETURN_IF_ERROR(fs.MakeDirectories(impl->options.data_dir));
    db_path = DatabasePath(impl->options.data_dir);
  }
  ASSIGN_OR_RETURN(impl->store, Store::Open(db_path));
  std::vector<Credential> keys = {DefaultCredential()};
  keys.insert(keys.end(), impl->options.credentials.begin(), impl->options.credentials.end());
  impl->credentials = std::make_unique<CredentialStore>(*impl->store, std::move(keys));
  impl->faults.SetProfile(impl->options.faults);

  ServiceContext context{*impl->store, impl->ids, clock, *impl->credentials, impl->faults};
  if (impl->options.data_dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "clusterform-instances-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return UnavailableError("cannot create a folder for the instances under /tmp");
    }
    impl->instance_root = pattern;
    impl->remove_instance_root = true;
  } else {
    impl->instance_root = JoinPath(impl->options.data_dir, "instances");
  }
  impl->launcher = MakeSystemProcessLauncher();
  impl->instances = std::make_unique<InstanceHost>(
      context, *impl->launcher, InstanceHostOptions{impl->instance_root, impl->options.imds_port});
  RETURN_IF_ERROR(impl->StartWekaSim());
  impl->services.Register(std::make_unique<sts::StsService>(context));
  impl->services.Register(std::make_unique<iam::IamService>(context));
  auto ec2_service = std::make_unique<ec2::Ec2Service>(context, impl->instances.get());
  ec2::Ec2Service& ec2_ref = *ec2_service;
  impl->services.Register(std::move(ec2_service));
  auto autoscaling_service = std::make_unique<autoscaling::AutoScalingService>(context, ec2_ref);
  impl->autoscaling = autoscaling_service.get();
  impl->services.Register(std::move(autoscaling_service));
  impl->services.Register(std::make_unique<ssm::SsmService>(context));
  ASSIGN_OR_RETURN(std::string kms_master_key, kms::LoadOrCreateMasterKey(impl->options.data_dir));
  auto kms_service = std::make_unique<kms::KmsService>(context, std::move(kms_master_key));
  kms::KeyVault& key_vault = *kms_service;
  impl->services.Register(std::move(kms_service));
  impl->services.Register(
      std::make_unique<secretsmanager::SecretsManagerService>(context, key_vault));
  auto rds_service = std::make_unique<rds::RdsService>(
      context, key_vault, rds::MakeMariaDbRuntime(JoinPath(impl->instance_root, "rds")));
  impl->rds = rds_service.get();
  impl->services.Register(std::move(rds_service));
  impl->services.Register(std::make_unique<logs::LogsService>(context));
  auto elbv2_service = std::make_unique<elbv2::Elbv2Service>(context);
  impl->autoscaling->SetTargetHealthSource(elbv2_service.get());
  impl->services.Register(std::move(elbv2_service));
  impl->services.Register(std::make_unique<route53::Route53Service>(context));
  impl->services.Register(std::make_unique<acm::AcmService>(context));
  ASSIGN_OR_RETURN(std::unique_ptr<s3::S3Service> s3,
                   s3::S3Service::Open(context, impl->options.data_dir));
  impl->services.Register(std::move(s3));
  ASSIGN_OR_RETURN(std::unique_ptr<dynamodb::DynamoDbService> dynamodb_service,
                   dynamodb::DynamoDbService::Open(*impl->store, impl->options.data_dir, clock));
  impl->services.Register(std::move(dynamodb_service));
  Impl* raw = impl.get();
  impl->services.Register(std::make_unique<sqs::SqsService>(context, [raw] {
    return fmt::format("http://127.0.0.1:{}", raw->http ? raw->http->port() : 0);
  }));
  ASSIGN_OR_RETURN(impl->orchestration,
                   Orchestration::Create(context, impl->services, impl->options.data_dir,
                                         [raw] { return raw->http ? raw->http->port() : 0; }));

  impl->protocols = protocols ? std::move(protocols) : MakeModelProtocolTable();
  impl->authenticator =
      authenticator ? std::move(authenticator) : MakeSigV4Authenticator(*impl->credentials, clock);
  impl->handler =
      std::make_unique<CloudHandler>(impl->services, *impl->protocols, *impl->authenticator,
                                     impl->faults, impl->ids, *impl, logger);
  HttpServerOptions http_options;
  http_options.port = impl->options.port;
  http_options.threads = impl->options.threads;
  http_options.max_body_bytes = impl->options.max_body_bytes;
  impl->http = std::make_unique<HttpServer>(http_options, *impl->handler);
  RETURN_IF_ERROR(impl->http->Start());
  impl->instances->SetCloudEndpoint(fmt::format("http://127.0.0.1:{}", impl->http->port()));
  RETURN_IF_ERROR(ec2_ref.RecoverInstances());
  RETURN_IF_ERROR(impl->rds->ResumeServers());
  impl->autoscaling->StartReconciler();
  return std::unique_ptr<CloudServer>(new CloudServer(std::move(impl)));
}

uint16_t CloudServer::port() const {
  return impl_->http->port();
}

const CloudOptions& CloudServer::options() const {
  return impl_->options;
}

void CloudServer::Stop() {
  if (impl_->http) {
    impl_->http->Stop();
  }
  if (impl_->orchestration) {
    impl_->orchestration->Shutdown();
  }
  RequestStop();
}

void CloudServer::RequestStop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  impl_->stop_requested = true;
  impl_->stop_cv.notify_all();
}

void CloudServer::Wait() {
  std::unique_lock<std::mutex> lock(impl_->stop_mu);
  impl_->stop_cv.wait(lock, [this] { return impl_->stop_requested; });
}

}  // namespace cf::cloud
