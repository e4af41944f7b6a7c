resource "aws_cloudwatch_event_rule" "every_minute" {
  name                = "tf-every-minute"
  schedule_expression = "rate(1 minute)"
  tags = {
    Purpose = "harness"
  }
}

resource "aws_cloudwatch_log_group" "target" {
  name = "/aws/events/tf-harness"
}

resource "aws_cloudwatch_event_target" "t" {
  rule      = aws_cloudwatch_event_rule.every_minute.name
  target_id = "logs"
  arn       = aws_cloudwatch_log_group.target.arn
}
