#include "cli/aws_command.h"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "aws/credentials_chain.h"
#include "aws/credentials_imds.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "base/file_system.h"

namespace cf::cli {

namespace {

using nlohmann::json;

// What the command line says.
struct AwsCommandFlags {
  std::string service;
  std::string operation;
  std::string input;  // JSON text, or @FILE
  std::string endpoint_url;
  std::string region;
  std::string profile;
  bool paginate = false;
  std::string wait;
};

Result<json> ReadInput(const std::string& input, const FileSystem& fs) {
  if (input.empty()) {
    return json::object();
  }
  std::string text = input;
  std::string where = "--input";
  if (input[0] == '@') {
    where = input.substr(1);
    ASSIGN_OR_RETURN(text, fs.ReadFile(input.substr(1)));
  }
  try {
    json params = json::parse(text);
    if (!params.is_object()) {
      return InvalidArgumentError(where + ": the input must be a JSON object");
    }
    return params;
  } catch (const json::parse_error& e) {
    return InvalidArgumentError(where + ": not JSON: " + e.what());
  }
}

int Fail(const Io& io, const Status& status) {
  fmt::print(io.err, "clusterform aws: {}\n", status.ToString());
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

const FlagSpec& AwsFlags() {
  static const FlagSpec kSpec{
      {ValueFlag("input", "parameters: a JSON object, or @FILE"),
       ValueFlag("endpoint-url", "send every request there (default: $AWS_ENDPOINT_URL, else AWS)"),
       ValueFlag("region", "region (default: the CLI's resolution order)"),
       ValueFlag("profile", "shared-config profile"),
       BooleanFlag("paginate", "follow next-page tokens and merge the pages"),
       ValueFlag("wait",
                 "wait with this waiter (InstanceRunning) instead of one call; OPERATION is "
                 "ignored")},
      {{"service", "service, as botocore names it (ec2, s3, dynamodb)"},
       {"operation", "operation (DescribeInstances)"}}};
  return kSpec;
}

int RunAwsCommand(const std::vector<std::string>& args, const CommandContext& context) {
  const Io& io = context.io;
  Result<ParsedFlags> parsed = ParseFlags(args, AwsFlags());
  if (!parsed.ok()) {
    fmt::print(io.err, "clusterform aws: {}\n", parsed.status().message());
    return 2;
  }
  AwsCommandFlags flags;
  flags.service = parsed->positionals[0];
  flags.operation = parsed->positionals[1];
  flags.input = parsed->Last("input");
  flags.endpoint_url = parsed->Last("endpoint-url");
  flags.region = parsed->Last("region");
  flags.profile = parsed->Last("profile");
  flags.paginate = parsed->Has("paginate");
  flags.wait = parsed->Last("wait");

  aws::SystemEnvironment env;
  FileSystem& fs = context.fs;
  SystemClock clock;
  aws::SystemRandomSource random;
  aws::Models models;

  Result<json> params = ReadInput(flags.input, fs);
  if (!params.ok()) {
    return Fail(io, params.status());
  }
  Result<aws::SharedConfig> config = aws::SharedConfig::Load(fs, env);
  if (!config.ok()) {
    return Fail(io, config.status());
  }

  aws::CurlTransport transport;
  aws::CurlTransportOptions imds_transport_options;
  imds_transport_options.connect_timeout = std::chrono::milliseconds(1000);
  imds_transport_options.total_timeout = std::chrono::milliseconds(2000);
  aws::CurlTransport imds_transport(imds_transport_options);
  aws::ImdsClient imds(imds_transport, clock, aws::ImdsOptionsFromEnvironment(env));

  aws::CredentialFlags credential_flags;
  credential_flags.profile = flags.profile;
  credential_flags.region = flags.region;
  Result<std::string> region =
      aws::ResolveRegion(credential_flags, env, *config, [&imds] { return imds.Region(); });
  if (!region.ok()) {
    return Fail(io, region.status());
  }

  aws::ClientOptions options;
  options.region = *region;
  options.endpoint_url = flags.endpoint_url;
  if (options.endpoint_url.empty()) {
    options.endpoint_url = env.Get("AWS_ENDPOINT_URL").value_or("");
  }
  aws::ClientStsClient sts(models, transport, clock, random, options);
  std::unique_ptr<aws::CredentialsProvider> credentials = aws::MakeDefaultCredentialsChain(
      credential_flags, env, *config, &sts,
      std::make_unique<aws::ImdsCredentialsProvider>(imds, clock), clock);
  aws::Client client(models, *credentials, transport, clock, random, options);

  if (!flags.wait.empty()) {
    aws::WaitOptions wait_options;
    wait_options.on_poll = [&io, &flags](int attempt, const aws::WaiterPoll& poll) {
      fmt::print(io.err, "waiter {}: attempt {}{}\n", flags.wait, attempt,
                 poll.error_code ? " (" + *poll.error_code + ")" : "");
    };
    Status waited = client.Wait(flags.service, flags.wait, *params, wait_options);
    if (!waited.ok()) {
      return Fail(io, waited);
    }
    fmt::print(io.out, "waiter {}: success\n", flags.wait);
    return 0;
  }

  if (flags.paginate) {
    Result<json> output = client.Paginate(flags.service, flags.operation, *params);
    if (!output.ok()) {
      return Fail(io, output.status());
    }
    fmt::print(io.out, "{}\n", output->dump(2, ' ', false, json::error_handler_t::replace));
    return 0;
  }
  // An error AWS answered exits 1, whatever its code; a call that could not be made (bad
  // parameters, unknown operation) exits 2.
  Result<aws::AwsResponse> response = client.Invoke(flags.service, flags.operation, *params);
  if (!response.ok()) {
    return Fail(io, response.status());
  }
  if (!response->ok()) {
    fmt::print(io.err, "clusterform aws: {}\n",
               aws::AwsErrorToStatus(*response->error, flags.service, flags.operation).message());
    return 1;
  }
  fmt::print(io.out, "{}\n", response->output.dump(2, ' ', false, json::error_handler_t::replace));
  return 0;
}

}  // namespace cf::cli
