#pragma once

// What the plan needs to know about each resource type of the Terraform providers the built-in
// modules use (hashicorp/aws, tls, random), as those providers document them:
//   - the attributes the provider computes on create (ids, ARNs, DNS names, tags_all, and
//     optional attributes the provider fills in when unset): shown as "(known after apply)";
//   - the attributes the provider's schema marks sensitive (passwords, private keys, secret
//     strings): shown as "(sensitive value)" whatever their value;
//   - the arguments with a plain default, planned with it when unset;
//   - the argument names that are nested blocks rather than attributes, so the human plan can
//     render them as `name { ... }` like Terraform does.
// A type not listed computes only "id" and has no sensitive attributes or nested blocks.
// Immutable after construction; thread-safe.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "graph/expand.h"
#include "hcl/value.h"

namespace cf::provider {

class AwsResourceSchemas : public graph::ResourceSchemas {
 public:
  AwsResourceSchemas();

  // Sorted, always including "id".
  std::vector<std::string> Computed(std::string_view type) const override;

  // Arguments of `type` with a plain default in the provider's schema (instance_tenancy =
  // "default", path = "/", timeout = 3, ...): what an unset one is planned as, for a block that
  // sets nothing.
  hcl::ValueMap Defaults(std::string_view type) const;

  // The same for a block that sets `config`: also the defaults the provider applies only for
  // some value of another argument (aws_lb's idle_timeout = 60 and enable_http2 = true hold
  // for load_balancer_type "application", not "network"). A default whose condition rests on
  // an unknown value is left out.
  hcl::ValueMap Defaults(std::string_view type, const hcl::ValueMap& config) const;

  // The top-level attributes of `type` that the provider's schema marks sensitive. Sorted.
  std::vector<std::string> Sensitive(std::string_view type) const;

  // True when `path` names a nested block of `type`: a block name, or block names joined by
  // dots for blocks inside blocks ("default_action.forward.target_group"). "timeouts" is a
  // block of every type.
  bool IsBlock(std::string_view type, std::string_view path) const;

  // True when `path` (block names and an attribute name joined by dots) of `type` is a map
  // attribute, so that an object written for it (`tags = { Name = "x" }`) is the map the
  // provider receives: any "tags", "environment.variables" of aws_lambda_function, ...
  bool IsMap(std::string_view type, std::string_view path) const;

  // True when clusterform knows the type (its computed attributes are not just a guess).
  bool Knows(std::string_view type) const;

  // The name of the provider in Terraform's registry address form for `type`:
  // "registry.terraform.io/hashicorp/aws" for aws_*, ".../tls" for tls_*, ".../random" for
  // random_*, ".../aws" otherwise.
  static std::string ProviderName(std::string_view type);

 private:
  // A default that holds while the string argument `when_name` is `when_value`.
  struct ConditionalDefault {
    std::string name;
    hcl::Value value;
    std::string when_name;
    std::string when_value;
  };
  struct TypeInfo {
    std::vector<std::string> computed;
    std::vector<std::string> sensitive;
    std::set<std::string, std::less<>> blocks;
    hcl::ValueMap defaults;
    std::vector<ConditionalDefault> conditional_defaults;
  };
  std::map<std::string, TypeInfo, std::less<>> types_;
};

}  // namespace cf::provider
