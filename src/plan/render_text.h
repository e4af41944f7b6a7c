#pragma once

// The plan for people, in the style of Terraform's human plan output:
//
//   clusterform will perform the following actions:
//
//     # module.weka.aws_vpc.this will be created
//     + resource "aws_vpc" "this" {
//         + arn        = (known after apply)
//         + cidr_block = "10.0.0.0/16"
//         + tags       = {
//             + "Name" = "weka-vpc"
//           }
//       }
//
//   Plan: 1 to add, 0 to change, 0 to destroy.
//
//   Changes to Outputs:
//     + vpc_id = (known after apply)
//
// Attributes sorted by name with `=` aligned; nested blocks after them as `name { ... }`
// (a blank line before each group of blocks of one type when there are attributes);
// lists and maps one element a line; unknown values as "(known after apply)", sensitive ones
// as "(sensitive value)"; multi-line strings as <<-EOT heredocs; strings holding a JSON object
// or array as jsonencode(...) of the decoded value. Deterministic: the same plan always
// renders to the same bytes.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"
#include "plan/preflight.h"

namespace cf::plan {

struct TextOptions {
  bool color = false;  // ANSI colours and bold
  // True when `path` (block names joined by dots) of resource type `type` is a nested block.
  // Empty: no nested blocks; every argument renders as an attribute.
  std::function<bool(std::string_view type, std::string_view path)> is_block;
};

std::string RenderPlanText(const Plan& plan, const TextOptions& options);

// The preflight findings as a "Preflight:" section (errors, then warnings, then information,
// as Preflight orders them), ending with a blank line; empty when there are none.
std::string RenderPreflightText(const std::vector<Finding>& findings, bool color);

}  // namespace cf::plan
