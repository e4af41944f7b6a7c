#pragma once

// The least-privilege IAM policy for whoever runs clusterform on a desired state: every action
// the create, read, update, delete and wait steps of each resource instance call
// (provider/iam_actions.h), with resources scoped to the deployment's names where AWS allows
// it, grouped into statements per service and resource set, and split into managed-policy
// documents that each fit AWS's limit.

#include <string>
#include <vector>

#include "graph/configuration.h"
#include "provider/iam_actions.h"

namespace cf::plan {

// AWS's size limit for a managed policy, in characters not counting whitespace.
inline constexpr size_t kManagedPolicyMaxChars = 6144;

struct PolicyStatement {
  std::string sid;                     // "Ec2Any", "IamScoped1": unique in the policy
  std::vector<std::string> actions;    // sorted
  std::vector<std::string> resources;  // sorted; {"*"} for any
  // Non-empty: the statement holds only when iam:PassedToService equals it (PassRole).
  std::string passed_to_service;
};

struct PolicyOptions {
  // Each document's minified JSON stays within this many characters.
  size_t max_document_chars = kManagedPolicyMaxChars;
  // The account id for ARNs; empty: from the desired state when known there, else "*".
  std::string account;
};

struct Policy {
  // Each document's statements, in order; together every statement once.
  std::vector<std::vector<PolicyStatement>> documents;
  // Types in the desired state whose actions clusterform does not know ("aws_foo",
  // "data.aws_bar"), sorted: the policy lacks what they need.
  std::vector<std::string> uncovered_types;
};

// Partition and region from the provider's region ("*" when none), the account from
// `options.account`, else a known account_id in the values of an aws_caller_identity data
// instance, else "*".
provider::ArnContext ArnContextFor(const graph::DesiredState& desired,
                                   const PolicyOptions& options = {});

// The policy for `desired`. Statements are ordered by service, then "*" before scoped
// resources, then by resources; the same desired state always gives the same documents.
Policy LeastPrivilegePolicy(const graph::DesiredState& desired, const PolicyOptions& options = {});

// One document as IAM JSON: {"Version":"2012-10-17","Statement":[{"Sid":...,"Effect":"Allow",
// "Action":[...],"Resource":[...][,"Condition":{"StringEquals":{"iam:PassedToService":...}}]},
// ...]}, minified (what the size limit is measured on) or
// indented by two spaces.
std::string RenderPolicyDocument(const std::vector<PolicyStatement>& statements, bool pretty);

}  // namespace cf::plan
