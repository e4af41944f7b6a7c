# Two roles of one name: the second create is refused with EntityAlreadyExists.
locals {
  trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "first" {
  name               = "tf-duplicate"
  assume_role_policy = local.trust
}

resource "aws_iam_role" "second" {
  name               = "tf-duplicate"
  assume_role_policy = local.trust
  depends_on         = [aws_iam_role.first]
}
