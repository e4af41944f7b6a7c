#pragma once

// The settings of `provider "aws" { ... }` that planning needs: the region, the profile, the
// default tags, the endpoint overrides and whether those point at the local cloud.

#include <map>
#include <string>

#include "config/root_module.h"
#include "hcl/diagnostic.h"
#include "hcl/function.h"
#include "hcl/value.h"

namespace cf::config {

struct ProviderSettings {
  std::string region;  // empty when neither the block nor the environment gives one
  // Where the region was written (the provider block's `region` expression); has_region_range
  // is false when it came from the environment.
  hcl::Range region_range;
  bool has_region_range = false;
  // The provider's skip_region_validation: a region clusterform does not know is accepted.
  bool skip_region_validation = false;
  std::string profile;  // empty: the default chain
  // The block's static credentials (access_key, secret_key, token): when set, they come
  // before the rest of the credentials chain, as in the Terraform AWS provider.
  std::string access_key;
  std::string secret_key;
  std::string token;
  std::map<std::string, std::string> default_tags;
  std::map<std::string, std::string> endpoints;  // service -> URL, as written
  // True when the endpoint overrides (or AWS_ENDPOINT_URL) name a loopback host: clusterform
  // is pointed at the local cloud, and the built-in modules use loopback CIDRs by default.
  bool local_cloud = false;
};

// True for URLs whose host is 127.x.y.z, [::1] or localhost.
bool IsLoopbackUrl(std::string_view url);

// Evaluates the default `provider "aws"` block (or the one with `alias`) (arguments may use
// `var.`), falling back to the environment (AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE,
// AWS_ENDPOINT_URL) like the Terraform AWS provider. Unknown arguments of the block are ignored
// (assume_role, ... belong to the AWS client); wrongly typed ones are reported. access_key and
// secret_key go together: one without the other is an error at the block.
ProviderSettings EvaluateProvider(const RootModule& module,
                                  const std::map<std::string, hcl::Value>& variables,
                                  const std::map<std::string, std::string>& environment,
                                  const hcl::FunctionContext& functions, hcl::Diagnostics& diags,
                                  const std::string& alias = "");

}  // namespace cf::config
