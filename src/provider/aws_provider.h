#pragma once

// The AWS resource provider: every AWS resource type of the built-in modules whose service the
// local cloud serves (EC2 networking and instances, Auto Scaling, ELBv2, IAM, KMS, Secrets
// Manager, DynamoDB, S3, CloudWatch Logs, Lambda, Step Functions, EventBridge, Route 53, ACM),
// behind the engine's ResourceProvider contract (resource_provider.h). Each type is a short
// description (aws_type_spec.h) run by one interpreter; docs/providers.md tells how to add one.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "base/file_system.h"
#include "provider/resource_provider.h"

namespace cf::provider {

struct AwsProviderOptions {
  // The provider block's default_tags: merged under each resource's own tags (tags_all).
  std::map<std::string, std::string> default_tags;
  // For ARNs the provider builds (import by name, policies): empty region means the client's,
  // empty account means the caller's (one sts:GetCallerIdentity, on first need).
  std::string region;
  std::string account_id;
  std::string partition = "aws";
  // Called before every API call the provider makes (tests record them; the policy test
  // compares them with iam_actions.h). May be empty.
  std::function<void(std::string_view service, std::string_view operation)> on_call;
  // Reads the local files a configuration names (aws_lambda_function's `filename`); must
  // outlive the provider. Null: the real file system, paths relative to the working directory.
  const FileSystem* file_system = nullptr;
  // Where a relative `filename` of a Lambda package is looked for, in order
  // (lambda_package.h); empty: the working directory only.
  std::vector<std::string> package_dirs;
};

// The IAM action that authorizes one API call: "ec2:CreateVpc" for ("ec2", "CreateVpc"), and
// S3's own names where they differ from the operation's ("s3:PutEncryptionConfiguration" for
// PutBucketEncryption). Empty for calls that need no permission (sts:GetCallerIdentity).
std::string IamActionForCall(std::string_view service, std::string_view operation);

// The types MakeAwsProvider supports, sorted.
std::vector<std::string> AwsProviderTypes();

// `client` must outlive the provider. Thread-safe as the contract requires.
std::unique_ptr<ResourceProvider> MakeAwsProvider(aws::Client& client,
                                                  AwsProviderOptions options = {});

}  // namespace cf::provider
