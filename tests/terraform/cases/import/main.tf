# Created, forgotten (state rm) and imported again: the plan after the imports is empty.
resource "aws_vpc" "main" {
  cidr_block = "127.208.0.0/16"
  tags = {
    Name = "tf-import"
  }
}

resource "aws_security_group" "sg" {
  name        = "tf-import-sg"
  description = "import case"
  vpc_id      = aws_vpc.main.id
}

resource "aws_iam_role" "role" {
  name = "tf-import-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_kms_key" "key" {
  description = "import case"
}

resource "aws_secretsmanager_secret" "secret" {
  name = "tf-import-secret"
}

resource "aws_dynamodb_table" "table" {
  name         = "tf-import-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "Id"
  attribute {
    name = "Id"
    type = "S"
  }
}

resource "aws_s3_bucket" "bucket" {
  bucket = "tf-import-bucket"
}

output "vpc" { value = aws_vpc.main.id }
output "sg" { value = aws_security_group.sg.id }
output "role" { value = aws_iam_role.role.name }
output "key" { value = aws_kms_key.key.key_id }
output "secret" { value = aws_secretsmanager_secret.secret.arn }
output "table" { value = aws_dynamodb_table.table.name }
output "bucket" { value = aws_s3_bucket.bucket.id }
