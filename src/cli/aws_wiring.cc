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

namespace {

// The endpoint every call goes to: the `endpoints` block's (or AWS_ENDPOINT_URL, which
// config::EvaluateProvider gives as "*"), one URL, since the client sends every service to one
// address as the local cloud serves them all; empty: AWS's own endpoints.
Result<std::string> EndpointFor(const config::ProviderSettings& settings) {
  std::string url;
  for (const auto& [service, u] : settings.endpoints) {
    if (!url.empty() && u != url) {
      return InvalidArgumentError(fmt::format(
          "the provider \"aws\" endpoints name different URLs ({} and {}); clusterform sends "
          "every service to one endpoint",
          url, u));
    }
    url = u;
  }
  return url;
}

}  // namespace

struct AwsClientStack {
  explicit AwsClientStack(const std::map<std::string, std::string>& vars) : env(vars) {}
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
  std::unique_ptr<aws::Client> client;
  std::string region;
};

void AwsClientStackDeleter::operator()(AwsClientStack* stack) const {
  delete stack;
}

aws::Client& ClientOf(AwsClientStack& stack) {
  return *stack.client;
}
const std::string& RegionOf(const AwsClientStack& stack) {
  return stack.region;
}

Result<AwsClientHandle> MakeAwsClient(FileSystem& fs,
                                      const std::map<std::string, std::string>& environment,
                                      const config::ProviderSettings& settings) {
  AwsClientHandle s(new AwsClientStack(environment));
  ASSIGN_OR_RETURN(s->shared, aws::SharedConfig::Load(fs, s->env));
  aws::CurlTransportOptions imds_options;
  imds_options.connect_timeout = std::chrono::milliseconds(1000);
  imds_options.total_timeout = std::chrono::milliseconds(2000);
  s->imds_transport = std::make_unique<aws::CurlTransport>(imds_options);
  s->imds = std::make_unique<aws::ImdsClient>(*s->imds_transport, s->clock,
                                              aws::ImdsOptionsFromEnvironment(s->env));
  s->flags.profile = settings.profile;
  s->flags.region = settings.region;
  // The block's region, else the environment's, else the profile's (never asked of IMDS: a
  // deployment's region is chosen, not inherited from the machine that runs clusterform).
  Result<std::string> region = aws::ResolveRegion(s->flags, s->env, s->shared);
  if (!region.ok()) {
    return InvalidArgumentError(
        "the AWS provider needs a region: set `region` in the provider \"aws\" block, "
        "AWS_REGION, or the profile's region");
  }
  s->region = *region;
  aws::ClientOptions options;
  options.region = *region;
  ASSIGN_OR_RETURN(options.endpoint_url, EndpointFor(settings));
  s->sts =
      std::make_unique<aws::ClientStsClient>(s->models, s->transport, s->clock, s->random, options);
  // Pointed at the local cloud, credentials never come from an instance metadata service:
  // nothing is sent beyond loopback.
  std::unique_ptr<aws::CredentialsProvider> imds;
  if (!settings.local_cloud) {
    imds = std::make_unique<aws::ImdsCredentialsProvider>(*s->imds, s->clock);
  }
  s->credentials = aws::MakeDefaultCredentialsChain(s->flags, s->env, s->shared, s->sts.get(),
                                                    std::move(imds), s->clock);
  s->client = std::make_unique<aws::Client>(s->models, *s->credentials, s->transport, s->clock,
                                            s->random, options);
  return s;
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
  if (made_ != nullptr) {
    return made_.get();
  }
  if (!failed_.ok()) {
    return failed_;
  }
  if (!configured_) {
    return InternalError("the AWS provider is used before the configuration was read");
  }
  Result<AwsClientHandle> stack = MakeAwsClient(fs_, environment_, settings_);
  if (!stack.ok()) {
    failed_ = stack.status();
    return failed_;
  }
  stack_ = std::move(*stack);
  provider::AwsProviderOptions provider_options;
  provider_options.default_tags = settings_.default_tags;
  provider_options.region = stack_->region;
  made_ = provider::MakeAwsProvider(*stack_->client, provider_options);
  return made_.get();
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
