resource "aws_iam_role" "role" {
  name = "tf-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = {
    Team = "storage"
  }
}

resource "aws_iam_policy" "policy" {
  name = "tf-policy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ec2:DescribeInstances"], Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "inline" {
  name = "tf-inline"
  role = aws_iam_role.role.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:ListBucket"], Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "attach" {
  role       = aws_iam_role.role.name
  policy_arn = aws_iam_policy.policy.arn
}

resource "aws_iam_instance_profile" "profile" {
  name = "tf-profile"
  role = aws_iam_role.role.name
}

resource "aws_iam_openid_connect_provider" "oidc" {
  url             = "https://oidc.example.com/id/ABC123"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}
