resource "aws_iam_role" "sfn" {
  name = "tf-sfn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_sfn_state_machine" "sm" {
  name     = "tf-state-machine"
  role_arn = aws_iam_role.sfn.arn
  definition = jsonencode({
    StartAt = "Wait"
    States = {
      Wait = { Type = "Wait", Seconds = 1, Next = "Done" }
      Done = { Type = "Succeed" }
    }
  })
  tags = {
    Purpose = "harness"
  }
}
