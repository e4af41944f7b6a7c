// The local KMS and Secrets Manager in-process (no HTTP): calls per second of the services
// over a SQLite store in a temporary directory, so each call includes its transaction's
// commit. KMS Encrypt / Decrypt of 1 KB and 4 KB, GenerateDataKey; Secrets Manager
// GetSecretValue (a KMS decrypt inside) and PutSecretValue (a KMS encrypt and a version).

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>

#include "base/clock.h"
#include "cloud/core/context.h"
#include "cloud/kms/kms_service.h"
#include "cloud/secretsmanager/secretsmanager_service.h"

namespace cf::cloud {
namespace {

class NoLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string&) const override {
    return std::chrono::nanoseconds(0);
  }
};

// One store, KMS and Secrets Manager for a benchmark run.
struct Fixture {
  Fixture() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_kmsb_XXXXXX").string();
    dir = mkdtemp(pattern.data());
    store = std::move(Store::Open(dir + "/cloud.db").value());
    credentials = std::make_unique<CredentialStore>(*store, std::vector{DefaultCredential()});
    ServiceContext context{*store, ids, clock, *credentials, latency};
    kms = std::make_unique<kms::KmsService>(context, std::string(32, 'm'));
    secrets = std::make_unique<secretsmanager::SecretsManagerService>(context, *kms);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }

  ServiceResult Call(Service& service, const std::string& operation, Json input) {
    ServiceCall call;
    call.operation = operation;
    call.input = std::move(input);
    call.region = "us-east-1";
    call.account_id = "000000000000";
    return service.Handle(call);
  }

  std::string dir;
  SystemClock clock;
  SeededRandom random{1};
  IdGenerator ids{random};
  NoLatency latency;
  std::unique_ptr<Store> store;
  std::unique_ptr<CredentialStore> credentials;
  std::unique_ptr<kms::KmsService> kms;
  std::unique_ptr<secretsmanager::SecretsManagerService> secrets;
};

void BM_KmsEncrypt(benchmark::State& state) {
  Fixture f;
  std::string key = f.Call(*f.kms, "CreateKey", Json::object()).output()["KeyMetadata"]["KeyId"];
  std::string plaintext(static_cast<size_t>(state.range(0)), 'p');
  for (auto _ : state) {
    ServiceResult r = f.Call(
        *f.kms, "Encrypt",
        {{"KeyId", key}, {"Plaintext", plaintext}, {"EncryptionContext", {{"cluster", "poc"}}}});
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_KmsEncrypt)->Arg(1024)->Arg(4096);

void BM_KmsDecrypt(benchmark::State& state) {
  Fixture f;
  std::string key = f.Call(*f.kms, "CreateKey", Json::object()).output()["KeyMetadata"]["KeyId"];
  std::string plaintext(static_cast<size_t>(state.range(0)), 'p');
  std::string blob = f.Call(*f.kms, "Encrypt", {{"KeyId", key}, {"Plaintext", plaintext}})
                         .output()["CiphertextBlob"];
  for (auto _ : state) {
    ServiceResult r = f.Call(*f.kms, "Decrypt", {{"CiphertextBlob", blob}});
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_KmsDecrypt)->Arg(1024)->Arg(4096);

void BM_KmsGenerateDataKey(benchmark::State& state) {
  Fixture f;
  std::string key = f.Call(*f.kms, "CreateKey", Json::object()).output()["KeyMetadata"]["KeyId"];
  for (auto _ : state) {
    ServiceResult r = f.Call(*f.kms, "GenerateDataKey", {{"KeyId", key}, {"KeySpec", "AES_256"}});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_KmsGenerateDataKey);

void BM_SecretsGetSecretValue(benchmark::State& state) {
  Fixture f;
  static_cast<void>(f.Call(*f.secrets, "CreateSecret",
                           {{"Name", "db"}, {"SecretString", std::string(256, 's')}}));
  for (auto _ : state) {
    ServiceResult r = f.Call(*f.secrets, "GetSecretValue", {{"SecretId", "db"}});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_SecretsGetSecretValue);

void BM_SecretsPutSecretValue(benchmark::State& state) {
  Fixture f;
  static_cast<void>(f.Call(*f.secrets, "CreateSecret", {{"Name", "db"}, {"SecretString", "v0"}}));
  int64_t n = 0;
  for (auto _ : state) {
    ServiceResult r = f.Call(*f.secrets, "PutSecretValue",
                             {{"SecretId", "db"}, {"SecretString", fmt::format("v{}", ++n)}});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_SecretsPutSecretValue);

}  // namespace
}  // namespace cf::cloud
BENCHMARK_MAIN();
