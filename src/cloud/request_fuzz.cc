// libFuzzer target for the local cloud's request path: raw bytes are read as an HTTP/1.1
// request by Beast's parser (as the server does), then go through the whole pipeline with the
// real model-driven protocols and services (STS, EC2, IAM, KMS, Secrets Manager) over an in-memory
// store. The first byte picks the service named in the SigV4 scope, so the codecs of several
// protocols are reached; signatures are accepted without checking (the verifier has its own suite).
// Build: cmake -DCF_FUZZ=ON with clang; run: build-fuzz/cloud_request_fuzz -max_total_time=600.

#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/logging.h"
#include "cloud/cloud_handler.h"
#include "cloud/core/credentials.h"
#include "cloud/core/ids.h"
#include "cloud/core/random.h"
#include "cloud/core/store.h"
#include "cloud/default_wiring.h"
#include "cloud/ec2/ec2_service.h"
#include "cloud/iam/iam_service.h"
#include "cloud/kms/kms_service.h"
#include "cloud/logs/logs_service.h"
#include "cloud/s3/s3_service.h"
#include "cloud/secretsmanager/secretsmanager_service.h"
#include "cloud/sts/sts_service.h"
#include "testing/fake_clock.h"

namespace cf::cloud {
namespace {

class AcceptAll : public Authenticator {
 public:
  AuthOutcome Authenticate(const HttpRequest&, const SigV4Auth&, ProtocolFamily) const override {
    return {std::nullopt, DefaultCredential().identity};
  }
};

class NoAdmin : public AdminApi {
 public:
  HttpResponse Handle(const HttpRequest&) override { return {404, {}, "", {}, false, false}; }
};

struct World {
  FakeClock clock;
  SeededRandom random{1};
  SeededRandom fault_random{2};
  IdGenerator ids{random};
  std::unique_ptr<Store> store = std::move(Store::Open("").value());
  CredentialStore credentials{*store, {DefaultCredential()}};
  FaultInjector faults{fault_random};
  ServiceRegistry services;
  std::unique_ptr<ProtocolTable> protocols = MakeModelProtocolTable();
  AcceptAll authenticator;
  NoAdmin admin;
  NullLogger logger;
  std::unique_ptr<CloudHandler> handler;

  World() {
    ServiceContext context{*store, ids, clock, credentials, faults};
    services.Register(std::make_unique<sts::StsService>(context));
    services.Register(std::make_unique<ec2::Ec2Service>(context));
    services.Register(std::make_unique<iam::IamService>(context));
    auto kms_service = std::make_unique<kms::KmsService>(context, std::string(32, 'k'));
    kms::KeyVault& vault = *kms_service;
    services.Register(std::move(kms_service));
    services.Register(std::make_unique<secretsmanager::SecretsManagerService>(context, vault));
    services.Register(std::make_unique<logs::LogsService>(context));
    services.Register(std::move(s3::S3Service::Open(context, "").value()));
    handler = std::make_unique<CloudHandler>(services, *protocols, authenticator, faults, ids,
                                             admin, logger);
  }
};

}  // namespace
}  // namespace cf::cloud

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  static cf::cloud::World* world = new cf::cloud::World();
  if (size < 1) {
    return 0;
  }
  static const char* const kServices[] = {
      "sts", "ec2", "iam", "logs", "dynamodb", "s3", "kms", "secretsmanager", "nothing"};
  const char* service = kServices[data[0] % 9];
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(1 << 20);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data + 1, size - 1), ec);
  if (ec || !parser.is_done()) {
    // What the server does with such bytes: the handler's rejection path.
    cf::cloud::HttpRequest partial;
    (void)world->handler->Reject(partial, 400, "BadRequest", ec.message());
    return 0;
  }
  auto& message = parser.get();
  cf::cloud::HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  if (request.Header("authorization").empty()) {
    request.headers.emplace_back(
        "authorization", std::string("AWS4-HMAC-SHA256 Credential=test/20150830/us-east-1/") +
                             service + "/aws4_request, SignedHeaders=host, Signature=00");
  }
  request.body = std::move(message.body());
  (void)world->handler->Handle(request);
  return 0;
}
