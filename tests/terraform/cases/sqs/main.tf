resource "aws_sqs_queue" "q" {
  name                      = "tf-queue"
  message_retention_seconds = 86400
  tags = {
    Purpose = "harness"
  }
}
