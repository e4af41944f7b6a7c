resource "aws_cloudwatch_log_group" "g" {
  name              = "/tf/harness"
  retention_in_days = 14
  tags = {
    Purpose = "harness"
  }
}
