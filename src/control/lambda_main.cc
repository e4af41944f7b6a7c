// clusterform-lambda: the WEKA control plane's Lambda `bootstrap` (docs/control-plane.md).
// Under the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API set) it serves invocations with the
// handler LAMBDA names; without it, it runs that handler once on the event read from stdin
// and prints the answer (for people and scripts).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <random>
#include <sstream>

#include "aws/client.h"
#include "aws/credentials_chain.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "control/aws_api.h"
#include "control/handlers.h"
#include "control/runtime.h"
#include "control/time_scale.h"
#include "control/weka_rpc.h"

extern char** environ;

namespace {

cf::control::Environment ProcessEnvironment() {
  cf::control::Environment env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
  }
  return env;
}

std::string RandomOwner() {
  std::random_device rd;
  return "pid-" + std::to_string(::getpid()) + "-" + std::to_string(rd());
}

}  // namespace

int main() {
  using cf::control::Environment;
  Environment env = ProcessEnvironment();
  auto get = [&env](const std::string& k) { return env.count(k) ? env[k] : std::string(); };

  cf::SystemClock clock;
  cf::aws::Models models;
  cf::aws::SystemRandomSource random;
  cf::aws::CurlTransportOptions aws_options;
  aws_options.total_timeout = std::chrono::milliseconds(15000);
  cf::aws::CurlTransport aws_transport(aws_options);
  cf::aws::SystemEnvironment aws_env;
  cf::aws::EnvironmentCredentialsProvider credentials(aws_env);
  cf::aws::ClientOptions client_options;
  client_options.region = get("AWS_REGION").empty() ? get("AWS_DEFAULT_REGION") : get("AWS_REGION");
  client_options.endpoint_url = get("AWS_ENDPOINT_URL");
  cf::aws::Client client(models, credentials, aws_transport, clock, random, client_options);
  cf::control::ClientAwsApi aws(client);

  // JSON-RPC to the backends: 5 s to connect, 3 s per request, as the reference.
  cf::aws::CurlTransportOptions rpc_options;
  rpc_options.connect_timeout = std::chrono::milliseconds(5000);
  rpc_options.total_timeout = std::chrono::milliseconds(3000);
  cf::aws::CurlTransport rpc_transport(rpc_options);
  cf::control::WekaRpcOptions weka_options;
  weka_options.loopback_only = !client_options.endpoint_url.empty();

  cf::control::HandlerContext ctx;
  ctx.env = env;
  ctx.aws = &aws;
  ctx.clock = &clock;
  ctx.time_scale = cf::control::TimeScaleFromEnvironment(env);
  ctx.lock = cf::control::LockOptionsForTimeScale(ctx.time_scale);
  ctx.make_rpc = [&rpc_transport, weka_options](std::vector<std::string> ips, std::string user,
                                                std::string password) {
    return std::make_unique<cf::control::JsonRpcPool>(
        rpc_transport, std::move(ips), std::move(user), std::move(password), weka_options);
  };

  auto handle = [&ctx](const std::string& request_id,
                       const std::string& body) -> cf::Result<nlohmann::json> {
    nlohmann::json event =
        body.empty() ? nlohmann::json::object() : nlohmann::json::parse(body, nullptr, false);
    if (event.is_discarded()) {
      return cf::InvalidArgumentError("the event is not JSON");
    }
    cf::control::HandlerContext call = ctx;
    call.request_id = request_id;
    return cf::control::HandleEvent(call, event);
  };

  std::string api = get("AWS_LAMBDA_RUNTIME_API");
  if (api.empty()) {
    std::string body((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    cf::Result<nlohmann::json> out = handle(RandomOwner(), body);
    if (!out.ok()) {
      std::fprintf(stderr, "clusterform-lambda: %s\n", out.status().ToString().c_str());
      return 1;
    }
    std::printf("%s\n", out->dump().c_str());
    return 0;
  }

  // The long poll for the next event must not time out.
  cf::aws::CurlTransportOptions runtime_options;
  runtime_options.total_timeout = std::chrono::milliseconds(0);
  cf::aws::CurlTransport runtime_transport(runtime_options);
  cf::control::RuntimeApi runtime(runtime_transport, api);
  cf::Status st = cf::control::RunRuntimeLoop(runtime, [&](const cf::control::Invocation& inv) {
    return handle(inv.request_id, inv.body);
  });
  std::fprintf(stderr, "clusterform-lambda: runtime API: %s\n", st.ToString().c_str());
  return 1;
}
