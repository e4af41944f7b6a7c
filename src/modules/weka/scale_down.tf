# Scale-down orchestration (reference §2.10): an EventBridge rule fires every minute and
# starts a standard state machine Fetch -> ScaleDown -> Terminate -> ErrorCheck ->
# (Transient | Success). Execution data (which can carry credentials when Secrets Manager is
# not reached through the VPC endpoint) is logged only when it carries none.

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
        Resource = aws_lambda_function.this["fetch"].arn
        Next     = "ScaleDown"
      }
      ScaleDown = {
        Type     = "Task"
        Resource = aws_lambda_function.this["scale-down"].arn
        Next     = "Terminate"
      }
      Terminate = {
        Type     = "Task"
        Resource = aws_lambda_function.this["terminate"].arn
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
        Resource = aws_lambda_function.this["transient"].arn
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
