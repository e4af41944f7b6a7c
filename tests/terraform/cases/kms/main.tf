resource "aws_kms_key" "key" {
  description             = "terraform harness"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  tags = {
    Purpose = "harness"
  }
}

resource "aws_kms_alias" "alias" {
  name          = "alias/tf-harness"
  target_key_id = aws_kms_key.key.key_id
}
