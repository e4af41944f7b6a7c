resource "aws_ssm_parameter" "p" {
  name  = "/tf/harness/param"
  type  = "String"
  value = "hello"
  tags = {
    Purpose = "harness"
  }
}
