#pragma once

// The IAM actions clusterform calls for each resource type the built-in modules use: what
// its create, read, update, delete and wait steps need (as the Terraform AWS provider calls
// them), plus iam:PassRole where a role is handed to a service, and the resources those actions
// can be scoped to.
//
// Resources are ARN patterns filled from the instance's values: a known name gives an exact
// ARN ("arn:aws:iam::*:role/weka-poc-lambda-role"), an unknown one a wildcard; a sub-resource
// whose parent's name is unknown in its own values (the bucket of a bucket policy, the role of
// a role policy) takes the name from the instance it depends on. Actions AWS does not allow to
// be scoped (Describe*, most EC2 creates) get "*".

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/resource.h"

namespace cf::provider {

// What ARNs are built from: the partition, and the region and account ("*" when not known).
struct ArnContext {
  std::string partition = "aws";
  std::string region = "*";
  std::string account = "*";
};

// Some actions on some resources ("*" for any).
struct IamGrant {
  std::vector<std::string> actions;    // "ec2:CreateVpc", sorted
  std::vector<std::string> resources;  // sorted, distinct
  // For iam:PassRole: the service the role is handed to ("lambda.amazonaws.com"), which the
  // policy pins with the iam:PassedToService condition; empty when not pinned (the types whose
  // PassRole check AWS documents without that key: instance profiles, autoscaling groups,
  // EKS node groups and add-ons).
  std::string passed_to_service;
};

// Finds an instance by address (the dependencies of the instance being granted for).
using InstanceLookup = std::function<const graph::ResourceInstance*(std::string_view address)>;

// True when `type` (managed, or a data source with `mode` kData) is in the table, or is not an
// AWS type at all (tls_*, random_*, ...: nothing to grant).
bool IamActionsKnown(graph::ResourceMode mode, std::string_view type);

// Every action the table lists for `type`, sorted and distinct (iam:PassRole included where the
// type passes a role). Empty for types outside the table.
std::vector<std::string> IamActionsFor(graph::ResourceMode mode, std::string_view type);

// The managed resource types in the table, sorted.
std::vector<std::string> IamCoveredTypes();

// The grants `instance` needs. Empty for types outside the table.
std::vector<IamGrant> IamGrantsFor(const graph::ResourceInstance& instance,
                                   const ArnContext& context, const InstanceLookup& lookup);

}  // namespace cf::provider
