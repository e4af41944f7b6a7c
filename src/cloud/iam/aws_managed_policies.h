#pragma once

// The AWS managed policies the local cloud knows (arn:aws:iam::aws:policy/...): those the
// built-in modules attach, plus a few common ones. Their documents are short stand-ins with
// the real policies' main actions, valid under IAM's grammar. Read-only and the same in every
// account.

#include <string>
#include <string_view>
#include <vector>

namespace cf::cloud::iam {

struct AwsManagedPolicy {
  std::string_view name;      // "AmazonSSMManagedInstanceCore"
  std::string_view path;      // "/" or "/service-role/"
  std::string_view id;        // "ANPA..." (21 characters)
  std::string_view document;  // the default version "v1"
};

// Sorted by name.
const std::vector<AwsManagedPolicy>& AwsManagedPolicies();

// The policy whose ARN is `arn`, or null.
const AwsManagedPolicy* FindAwsManagedPolicy(std::string_view arn);

// "arn:aws:iam::aws:policy" + path + name.
std::string AwsManagedPolicyArn(const AwsManagedPolicy& policy);

}  // namespace cf::cloud::iam
