#pragma once

// For command tests only: a small stand-in for a built-in module, answering to
// "weka/weka/aws", with a VPC, two subnets, a role, two lambda functions, their log groups and
// an ALB, so that graph and policy output can be checked before the real bodies are complete.

#include <gtest/gtest.h>

#include <string>

#include "config/evaluate.h"
#include "config/root_module.h"
#include "hcl/parser.h"

namespace cf::cli {

class CommandTestModule {
 public:
  CommandTestModule() {
    hcl::ParseResult parsed = hcl::Parse(R"(
variable "prefix" { default = "weka" }
variable "cluster_name" { default = "poc" }
data "aws_availability_zones" "available" {}
resource "aws_vpc" "this" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "this" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  availability_zone = data.aws_availability_zones.available.names[count.index]
}
resource "aws_iam_role" "lambda" {
  name               = "${var.prefix}-${var.cluster_name}-lambda-role"
  assume_role_policy = "{}"
}
resource "aws_lambda_function" "this" {
  for_each      = toset(["deploy", "status"])
  function_name = "${var.prefix}-${var.cluster_name}-${each.key}-lambda"
  role          = aws_iam_role.lambda.arn
}
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["deploy", "status"])
  name     = "/aws/lambda/${aws_lambda_function.this[each.key].function_name}"
}
resource "aws_lb" "this" {
  name    = "${var.prefix}-${var.cluster_name}-lb"
  subnets = aws_subnet.this[*].id
}
)",
                                         "<built-in weka/weka/aws>/main.tf");
    body_.files.push_back(std::move(parsed.file));
    hcl::Diagnostics diags;
    config::DecodeModuleBody(body_, diags);
    if (diags.HasErrors()) {
      ADD_FAILURE() << hcl::FormatDiagnostics(diags);
    }
    definition_ = {"weka/weka/aws", &body_, nullptr};
  }
  CommandTestModule(const CommandTestModule&) = delete;
  CommandTestModule& operator=(const CommandTestModule&) = delete;

  config::ModuleLookup Lookup() const {
    return [this](std::string_view source) -> const config::ModuleDefinition* {
      return source == "weka/weka/aws" ? &definition_ : nullptr;
    };
  }

 private:
  config::RootModule body_;
  config::ModuleDefinition definition_;
};

}  // namespace cf::cli
