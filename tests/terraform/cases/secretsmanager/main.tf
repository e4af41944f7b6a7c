resource "aws_secretsmanager_secret" "secret" {
  name                    = "tf-secret"
  recovery_window_in_days = 0
  tags = {
    Purpose = "harness"
  }
}

resource "aws_secretsmanager_secret_version" "v" {
  secret_id     = aws_secretsmanager_secret.secret.id
  secret_string = jsonencode({ password = "not-a-real-one" })
}
