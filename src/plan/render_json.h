#pragma once

// The plan for machines, in Terraform's JSON plan representation (`terraform show -json
// PLANFILE`, format_version "1.2"), so tools written for Terraform plans (policy checkers,
// cost estimators, review bots) read clusterform's:
//
//   {
//     "format_version": "1.2",
//     "terraform_version": "<clusterform's version>",
//     "variables": {"region": {"value": "eu-west-1"}},
//     "planned_values": {"outputs": {...}, "root_module": {"child_modules": [
//         {"resources": [{"address", "mode", "type", "name", "index", "provider_name",
//                         "schema_version", "values", "sensitive_values"}],
//          "address": "module.weka"}]}},
//     "resource_changes": [{"address", "module_address", "mode", "type", "name", "index",
//                           "provider_name", "change": {"actions": ["create"], "before": null,
//                           "after", "after_unknown", "before_sensitive": false,
//                           "after_sensitive"}}],
//     "output_changes": {"name": {"actions": ["create"], "before": null, "after",
//                                 "after_unknown", "before_sensitive", "after_sensitive"}},
//     "configuration": {"provider_config": {...}, "root_module": {"module_calls": {...}}},
//     "applyable": true, "complete": true, "errored": false
//   }
//
// Unknown values are left out of `values` / `after` (a null in a list) as Terraform does.
// Where clusterform differs: sensitive values are left out the same way (Terraform prints
// them in clear), and sensitive variables are not listed, so the JSON never holds a secret.
// No timestamp: the same plan always renders to the same bytes. docs/plan-output.md has the
// details.

#include <string>

#include "plan/plan.h"

namespace cf::plan {

inline constexpr const char* kJsonPlanFormatVersion = "1.2";

struct JsonOptions {
  std::string version;  // clusterform's version, given as terraform_version
  bool pretty = true;   // two-space indentation; compact otherwise
};

// The JSON document, ending with a newline.
std::string RenderPlanJson(const Plan& plan, const JsonOptions& options);

}  // namespace cf::plan
