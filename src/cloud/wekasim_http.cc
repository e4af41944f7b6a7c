#include "cloud/wekasim_http.h"

#include <fmt/core.h>

#include "base/base64.h"

namespace cf::cloud {

namespace {

constexpr std::string_view kPrefix = "/_wekasim/";

HttpResponse Text(int status, std::string body, std::string content_type = "text/plain") {
  HttpResponse response;
  response.status = status;
  response.headers = {{"Content-Type", std::move(content_type)}, {"X-Wekasim", wekasim::kRelease}};
  response.body = std::move(body);
  return response;
}

HttpResponse JsonAnswer(int status, const wekasim::Json& body) {
  return Text(status, body.dump(2) + "\n", "application/json");
}

// The token of an HTTP Basic header: the user name, or the password when the user is empty.
std::string BasicToken(std::string_view authorization) {
  if (authorization.rfind("Basic ", 0) != 0) {
    return "";
  }
  std::optional<std::string> decoded = Base64Decode(authorization.substr(6));
  if (!decoded) {
    return "";
  }
  std::string pair = *decoded;
  size_t colon = pair.find(':');
  std::string user = pair.substr(0, colon);
  return user.empty() && colon != std::string::npos ? pair.substr(colon + 1) : user;
}

bool SafeVersion(std::string_view version) {
  return !version.empty() && version.size() <= 64 &&
         version.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
             "0123456789._-") == std::string_view::npos;
}

}  // namespace

class WekaSimHttp::RpcHandler : public HttpHandler {
 public:
  RpcHandler(wekasim::WekaSim& sim, std::string ip) : sim_(sim), ip_(std::move(ip)) {}

  HttpResponse Handle(const HttpRequest& request) override {
    std::string_view path = request.Path();
    if (path == "/api/v1" || path == "/api/v1/") {
      if (request.method != "POST") {
        return Text(405, "use POST\n");
      }
      wekasim::RpcAnswer answer = sim_.Rpc(ip_, request.Header("authorization"), request.body);
      return Text(answer.http_status, answer.body, "application/json");
    }
    if (path == "/dist/v1/install" || path.rfind("/dist/v1/install/", 0) == 0) {
      Result<std::string> script = sim_.Installer(wekasim::kRelease, "", false);
      return Text(200, *script, "text/x-shellscript");
    }
    return Text(404, fmt::format("{}: not served by the clusterform WEKA simulator\n", path));
  }

  HttpResponse Reject(const HttpRequest& request, int status, std::string_view code,
                      std::string_view message) override {
    (void)request;
    return Text(status, fmt::format("{}: {}\n", code, message));
  }

 private:
  wekasim::WekaSim& sim_;
  const std::string ip_;
};

WekaSimHttp::WekaSimHttp(wekasim::WekaSim& sim, Logger& logger, uint16_t rpc_port)
    : sim_(sim), logger_(logger), rpc_port_(rpc_port) {}

WekaSimHttp::~WekaSimHttp() {
  CloseAll();
}

HttpResponse WekaSimHttp::Handle(const HttpRequest& request) {
  std::string_view path = request.Path().substr(kPrefix.size() - 1);
  if (path == "/v1/exec") {
    if (request.method != "POST") {
      return Text(405, "use POST\n");
    }
    wekasim::CommandRequest command;
    command.instance_id = std::string(request.Header("x-wekasim-instance"));
    command.username = std::string(request.Header("x-wekasim-username"));
    command.password = std::string(request.Header("x-wekasim-password"));
    std::string word;
    for (char c : request.body) {
      if (c == '\0') {
        command.argv.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) {
      command.argv.push_back(word);
    }
    wekasim::CommandOutput output = sim_.Run(command);
    HttpResponse response =
        Text(200, fmt::format("wekasim-exit {} {}\n", output.exit_code, output.out.size()) +
                      output.out + output.err);
    response.headers.push_back({"X-Wekasim-Exit", std::to_string(output.exit_code)});
    response.headers.push_back({"X-Wekasim-Stdout-Bytes", std::to_string(output.out.size())});
    return response;
  }
  constexpr std::string_view kInstall = "/dist/v1/install/";
  if (path.rfind(kInstall, 0) == 0) {
    std::string_view rest = path.substr(kInstall.size());
    std::string_view version = rest.substr(0, rest.find('/'));
    if (!SafeVersion(version)) {
      return Text(404, "no such WEKA version\n");
    }
    Result<std::string> script =
        sim_.Installer(std::string(version), BasicToken(request.Header("authorization")), true);
    if (!script.ok()) {
      HttpResponse response = Text(401, script.status().message() + "\n");
      response.headers.push_back({"WWW-Authenticate", "Basic realm=\"get.weka.io\""});
      return response;
    }
    return Text(200, *script, "text/x-shellscript");
  }
  if (path == "/v1/clusters") {
    return JsonAnswer(200, sim_.Describe());
  }
  if (path == "/v1/faults") {
    if (request.method != "POST") {
      return Text(405, "use POST\n");
    }
    wekasim::Json body = wekasim::Json::parse(request.body, nullptr, false);
    Status done = InvalidArgumentError(
        "expected {\"fail_drive\": {\"cluster\", \"drive_id\"}} or {\"fail_machine\": ID}");
    if (body.is_object() && body.contains("fail_drive") && body["fail_drive"].is_object() &&
        body["fail_drive"].value("drive_id", wekasim::Json()).is_number_integer()) {
      done = sim_.FailDrive(body["fail_drive"].value("cluster", ""),
                            body["fail_drive"]["drive_id"].get<int>());
    } else if (body.is_object() && body.contains("fail_machine") &&
               body["fail_machine"].is_string()) {
      done = sim_.FailMachine(body["fail_machine"].get<std::string>());
    }
    if (!done.ok()) {
      return JsonAnswer(done.code() == StatusCode::kNotFound ? 404 : 400,
                        {{"error", done.message()}});
    }
    return JsonAnswer(200, {{"done", true}});
  }
  return Text(404, fmt::format("no WEKA simulator endpoint {}\n", request.Path()));
}

Status WekaSimHttp::Open(const std::string& instance_id, const std::string& private_ip) {
  std::lock_guard<std::mutex> lock(mu_);
  if (endpoints_.count(instance_id) != 0) {
    return OkStatus();
  }
  Endpoint endpoint;
  endpoint.handler = std::make_unique<RpcHandler>(sim_, private_ip);
  HttpServerOptions options;
  options.address = private_ip;
  options.port = rpc_port_;
  options.threads = 1;
  options.max_body_bytes = 1024 * 1024;
  endpoint.server = std::make_unique<HttpServer>(options, *endpoint.handler);
  Status started = endpoint.server->Start();
  if (!started.ok()) {
    logger_.Log(LogLevel::kWarning,
                fmt::format("wekasim: cannot serve JSON-RPC for {} on {}:{}: {}", instance_id,
                            private_ip, rpc_port_, started.message()));
    return started;
  }
  endpoints_[instance_id] = std::move(endpoint);
  return OkStatus();
}

void WekaSimHttp::Close(const std::string& instance_id) {
  Endpoint gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = endpoints_.find(instance_id);
    if (it == endpoints_.end()) {
      return;
    }
    gone = std::move(it->second);
    endpoints_.erase(it);
  }
  gone.server->Stop();
}

void WekaSimHttp::CloseAll() {
  std::map<std::string, Endpoint> gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    gone.swap(endpoints_);
  }
  for (auto& [id, endpoint] : gone) {
    endpoint.server->Stop();
  }
}

void WekaSimHttp::InstanceStarted(const std::string& instance_id) {
  sim_.InstanceBooted(instance_id);
}

void WekaSimHttp::InstanceEnded(const std::string& instance_id) {
  sim_.InstanceEnded(instance_id);
}

}  // namespace cf::cloud
