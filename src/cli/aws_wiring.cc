#include "cli/aws_wiring.h"

#include <algorithm>

#include "aws/client.h"
#include "aws/credentials_chain.h"
#include "aws/credentials_imds.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "base/file_system.h"
#include "provider/aws_provider.h"

namespace cf::cli {

struct LazyAwsProvider::Stack {
  aws::SystemEnvironment env;
  RealFileSystem fs;
  SystemClock clock;
  aws::SystemRandomSource random;
  aws::Models models;
  aws::CurlTransport transport;
  std::unique_ptr<aws::CurlTransport> imds_transport;
  std::unique_ptr<aws::ImdsClient> imds;
  std::unique_ptr<aws::ClientStsClient> sts;
  std::unique_ptr<aws::CredentialsProvider> credentials;
  std::unique_ptr<aws::Client> client;
  std::unique_ptr<provider::ResourceProvider> provider;
};

LazyAwsProvider::LazyAwsProvider() = default;
LazyAwsProvider::~LazyAwsProvider() = default;

void LazyAwsProvider::Configure(const config::ProviderSettings& settings) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stack_ == nullptr) {
    settings_ = settings;
    configured_ = true;
    failed_ = OkStatus();
  }
}

Result<provider::ResourceProvider*> LazyAwsProvider::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (stack_ != nullptr) {
    return stack_->provider.get();
  }
  if (!failed_.ok()) {
    return failed_;
  }
  if (!configured_) {
    return InternalError("the AWS provider is used before the configuration was read");
  }
  auto s = std::make_unique<Stack>();
  Result<aws::SharedConfig> shared = aws::SharedConfig::Load(s->fs, s->env);
  if (!shared.ok()) {
    failed_ = shared.status();
    return failed_;
  }
  aws::CurlTransportOptions imds_options;
  imds_options.connect_timeout = std::chrono::milliseconds(1000);
  imds_options.total_timeout = std::chrono::milliseconds(2000);
  s->imds_transport = std::make_unique<aws::CurlTransport>(imds_options);
  s->imds = std::make_unique<aws::ImdsClient>(*s->imds_transport, s->clock,
                                              aws::ImdsOptionsFromEnvironment(s->env));
  aws::CredentialFlags flags;
  flags.profile = settings_.profile;
  flags.region = settings_.region;
  if (settings_.region.empty()) {
    failed_ = InvalidArgumentError(
        "the AWS provider needs a region: set `region` in the provider \"aws\" block or "
        "AWS_REGION");
    return failed_;
  }
  aws::ClientOptions options;
  options.region = settings_.region;
  options.endpoint_url = s->env.Get("AWS_ENDPOINT_URL").value_or("");
  if (options.endpoint_url.empty() && !settings_.endpoints.empty()) {
    // One endpoint for every service: the local cloud serves them all on one address.
    options.endpoint_url = settings_.endpoints.begin()->second;
  }
  s->sts = std::make_unique<aws::ClientStsClient>(s->models, s->transport, s->clock, s->random,
                                                  options);
  s->credentials = aws::MakeDefaultCredentialsChain(
      flags, s->env, *shared, s->sts.get(),
      std::make_unique<aws::ImdsCredentialsProvider>(*s->imds, s->clock), s->clock);
  s->client = std::make_unique<aws::Client>(s->models, *s->credentials, s->transport, s->clock,
                                            s->random, options);
  provider::AwsProviderOptions provider_options;
  provider_options.default_tags = settings_.default_tags;
  provider_options.region = settings_.region;
  s->provider = provider::MakeAwsProvider(*s->client, provider_options);
  stack_ = std::move(s);
  return stack_->provider.get();
}

bool LazyAwsProvider::Supports(std::string_view type) const {
  static const std::vector<std::string> types = provider::AwsProviderTypes();
  return std::binary_search(types.begin(), types.end(), type);
}

std::string LazyAwsProvider::Pool(std::string_view type) const {
  Result<provider::ResourceProvider*> p = Get();
  return p.ok() ? (*p)->Pool(type) : std::string("aws");
}

provider::UpdateRules LazyAwsProvider::Rules(std::string_view type) const {
  Result<provider::ResourceProvider*> p = Get();
  return p.ok() ? (*p)->Rules(type) : provider::UpdateRules{};
}

Result<provider::StepResult> LazyAwsProvider::Create(const provider::InstanceRef& ref,
                                                     const provider::Json& config) {
  ASSIGN_OR_RETURN(provider::ResourceProvider * p, Get());
  return p->Create(ref, config);
}

Result<std::vector<std::optional<provider::Json>>> LazyAwsProvider::Read(
    std::string_view type, const std::vector<provider::Json>& states) {
  ASSIGN_OR_RETURN(provider::ResourceProvider * p, Get());
  return p->Read(type, states);
}

Result<provider::StepResult> LazyAwsProvider::Update(const provider::InstanceRef& ref,
                                                     const provider::Json& prior,
                                                     const provider::Json& config) {
  ASSIGN_OR_RETURN(provider::ResourceProvider * p, Get());
  return p->Update(ref, prior, config);
}

Result<provider::StepResult> LazyAwsProvider::Delete(const provider::InstanceRef& ref,
                                                     const provider::Json& state) {
  ASSIGN_OR_RETURN(provider::ResourceProvider * p, Get());
  return p->Delete(ref, state);
}

Result<std::vector<provider::PollResult>> LazyAwsProvider::Poll(
    std::string_view type, const std::vector<provider::Json>& states) {
  ASSIGN_OR_RETURN(provider::ResourceProvider * p, Get());
  return p->Poll(type, states);
}

Result<std::optional<provider::Json>> LazyAwsProvider::Find(const provider::InstanceRef& ref,
                                                            const provider::Json& config) {
  ASSIGN_OR_RETURN(provider::ResourceProvider * p, Get());
  return p->Find(ref, config);
}

Result<provider::Json> LazyAwsProvider::Import(std::string_view type, std::string_view id) {
  ASSIGN_OR_RETURN(provider::ResourceProvider * p, Get());
  return p->Import(type, id);
}

}  // namespace cf::cli
