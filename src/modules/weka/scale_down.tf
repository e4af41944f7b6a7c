# Scale-down orchestration (reference §2.10): an EventBridge rule fires every minute and
# starts a standard state machine Fetch -> ScaleDown -> Terminate -> ErrorCheck ->
# (Transient | Success). Execution data (which can carry credentials when Secrets Manager is
# not reached through the VPC endpoint) is logged only when it carries none.

locals {
  # The tasks' function ARNs, spelled out so the definition reads in full at plan time; the
  # state machine depends on the functions explicitly.
  scale_down_function_arns = {
    for fn in ["fetch", "scale-down", "terminate", "transient"] :
    fn => "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${local.lambda_names[fn]}"
  }
}

resource "aws_cloudwatch_log_group" "scale_down_sfn" {
  name              = "/aws/vendedlogs/states/${local.cloudwatch_prefix}/${local.cluster}-scale-down-sfn"
  retention_in_days = 30
  tags              = local.tags
}

resource "aws_sfn_state_machine" "scale_down" {
  name     = "${local.sfn_prefix}-${local.cluster}-scale-down-state-machine"
  role_arn = local.sfn_role_arn
  type     = "STANDARD"
  definition = jsonencode({
    Comment = "WEKA cluster ${local.cluster}: scale down and remove dead backends"
    StartAt = "Fetch"
    States = {
      Fetch = {
        Type     = "Task"
        Resource = local.scale_down_function_arns["fetch"]
        Next     = "ScaleDown"
      }
      ScaleDown = {
        Type     = "Task"
        Resource = local.scale_down_function_arns["scale-down"]
        Next     = "Terminate"
      }
      Terminate = {
        Type     = "Task"
        Resource = local.scale_down_function_arns["terminate"]
        Next     = "ErrorCheck"
      }
      ErrorCheck = {
        Type = "Choice"
        Choices = [{
          Variable = "$.TransientErrors"
          IsNull   = false
          Next     = "Transient"
        }]
        Default = "Success"
      }
      Success = {
        Type = "Succeed"
      }
      Transient = {
        Type     = "Task"
        Resource = local.scale_down_function_arns["transient"]
        End      = true
      }
    }
  })

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.scale_down_sfn.arn}:*"
    include_execution_data = local.use_secretmanager_endpoint
    level                  = "ALL"
  }

  tags = merge(local.tags, { Name = "${local.sfn_prefix}-${local.cluster}-scale-down-state-machine" })

  depends_on = [aws_lambda_function.this]
}

resource "aws_cloudwatch_event_rule" "scale_down" {
  name                = "${local.cloudwatch_prefix}-${local.cluster}-scale-down-trigger-rule"
  description         = "Runs the scale-down state machine of WEKA cluster ${local.cluster} every minute"
  schedule_expression = "rate(1 minute)"
  tags                = local.tags
}

resource "aws_cloudwatch_event_target" "scale_down" {
  rule      = aws_cloudwatch_event_rule.scale_down.name
  target_id = "TriggerStepFunctionFromCloudWatch"
  arn       = aws_sfn_state_machine.scale_down.arn
  role_arn  = local.event_role_arn
}
