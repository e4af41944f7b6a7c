#include "cli/aws_wiring.h"

#include <fmt/format.h>

#include <algorithm>

#include "aws/client.h"
#include "aws/credentials_chain.h"
#include "aws/credentials_imds.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "provider/aws_provider.h"

namespace cf::cli {

Result<std::string> EndpointFor(const std::map<std::string, std::string>& endpoints,
                                std::string_view where) {
  std::string url;
  for (const auto& [service, u] : endpoints) {
    if (!url.empty() && u != url) {
      return InvalidArgumentError(fmt::format(
          "{} endpoints name different URLs ({} and {}); clusterform sends every service to one "
          "endpoint",
          where, url, u));
    }
    url = u;
  }
  return url;
}

struct AwsClientStack::Parts {
  explicit Parts(const std::map<std::string, std::string>& vars) : env(vars) {}
  aws::MapEnvironment env;
  SystemClock clock;
  aws::SystemRandomSource random;
  aws::Models models;
  aws::SharedConfig shared;
  aws::CredentialFlags flags;
  aws::CurlTransport transport;
  std::unique_ptr<aws::CurlTransport> imds_transport;
  std::unique_ptr<aws::ImdsClient> imds;
  std::unique_ptr<aws::ClientStsClient> sts;
  std::unique_ptr<aws::CredentialsProvider> credentials;
};

AwsClientStack::AwsClientStack() = default;
AwsClientStack::~AwsClientStack() = default;

Result<std::unique_ptr<AwsClientStack>> AwsClientStack::ForProvider(
    FileSystem& fs, const std::map<std::string, std::string>& environment,
    const config::ProviderSettings& provider) {
  AwsClientSettings settings;
  settings.region = provider.region;
  settings.profile = provider.profile;
  settings.access_key = provider.access_key;
  settings.secret_key = provider.secret_key;
  settings.token = provider.token;
  settings.local_cloud = provider.local_cloud;
  ASSIGN_OR_RETURN(settings.endpoint_url, EndpointFor(provider.endpoints, "the provider \"aws\""));
  return Make(fs, environment, settings, "the AWS provider", "the provider \"aws\" block");
}

Result<std::unique_ptr<AwsClientStack>> AwsClientStack::Make(
    FileSystem& fs, const std::map<std::string, std::string>& environment,
    const AwsClientSettings& settings, std::string_view who, std::string_view block) {
  std::unique_ptr<AwsClientStack> stack(new AwsClientStack());
  stack->parts_ = std::make_unique<Parts>(environment);
  Parts& s = *stack->parts_;
  ASSIGN_OR_RETURN(s.shared, aws::SharedConfig::Load(fs, s.env));
  aws::CurlTransportOptions imds_options;
  imds_options.connect_timeout = std::chrono::milliseconds(1000);
  imds_options.total_timeout = std::chrono::milliseconds(2000);
  s.imds_transport = std::make_unique<aws::CurlTransport>(imds_options);
  s.imds = std::make_unique<aws::ImdsClient>(*s.imds_transport, s.clock,
                                             aws::ImdsOptionsFromEnvironment(s.env));
  s.flags.profile = settings.profile;
  s.flags.region = settings.region;
  s.flags.access_key_id = settings.access_key;
  s.flags.secret_access_key = settings.secret_key;
  s.flags.session_token = settings.token;
  // The block's region, else the environment's, else the profile's (never asked of IMDS: a
  // deployment's region is chosen, not inherited from the machine that runs clusterform).
  Result<std::string> region = aws::ResolveRegion(s.flags, s.env, s.shared);
  if (!region.ok()) {
    return InvalidArgumentError(fmt::format(
        "{} needs a region: set `region` in {}, AWS_REGION, or the profile's region", who, block));
  }
  stack->region_ = *region;
  aws::ClientOptions options;
  options.region = *region;
  options.endpoint_url = settings.endpoint_url;
  // As the Terraform AWS provider (max_retries = 25): throttling and 5xx on a long apply are
  // waited out, not turned into failed resources.
  options.retry.max_attempts = 25;
  stack->conditional_ = std::make_unique<state::ConditionalTransport>(s.transport);
  s.sts = std::make_unique<aws::ClientStsClient>(s.models, s.transport, s.clock, s.random, options);
  std::unique_ptr<aws::CredentialsProvider> imds;
  if (!settings.local_cloud) {
    imds = std::make_unique<aws::ImdsCredentialsProvider>(*s.imds, s.clock);
  }
  s.credentials = aws::MakeDefaultCredentialsChain(s.flags, s.env, s.shared, s.sts.get(),
                                                   std::move(imds), s.clock);
  stack->client_ = std::make_unique<aws::Client>(s.models, *s.credentials, *stack->conditional_,
                                                 s.clock, s.random, options);
  return stack;
}

LazyAwsProvider::LazyAwsProvider(FileSystem& fs, std::map<std::string, std::string> environment)
    : fs_(fs), environment_(std::move(environment)) {}
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
  Result<std::unique_ptr<AwsClientStack>> aws =
      AwsClientStack::ForProvider(fs_, environment_, settings_);
  if (!aws.ok()) {
    failed_ = aws.status();
    return failed_;
  }
  auto s = std::make_unique<Stack>();
  s->aws = std::move(*aws);
  provider::AwsProviderOptions provider_options;
  provider_options.default_tags = settings_.default_tags;
  provider_options.region = s->aws->region();
  provider_options.package_dirs = package_dirs_;
  s->provider = provider::MakeAwsProvider(s->aws->client(), provider_options);
  stack_ = std::move(s);
  return stack_->provider.get();
}

void LazyAwsProvider::SetPackageDirs(std::vector<std::string> dirs) {
  std::lock_guard<std::mutex> lock(mu_);
  package_dirs_ = std::move(dirs);
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
