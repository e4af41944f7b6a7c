# IAM (reference §2.3): the backend instance role and profile, the control-plane functions'
# role, the state machine's role and the EventBridge role. Each is created only when no
# existing ARN is given. Backends get no Secrets Manager access: they read credentials
# through the fetch function.

resource "aws_iam_role" "backend" {
  count = var.instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-iam-role"
  path  = "/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
  tags = local.tags
}

resource "aws_iam_instance_profile" "backend" {
  count = var.instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-instance-profile"
  role  = aws_iam_role.backend[0].name
  tags  = local.tags
}

resource "aws_iam_policy" "backend_eni" {
  count = var.instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-eni-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "ec2:DescribeNetworkInterfaces",
        "ec2:AttachNetworkInterface",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:ModifyNetworkInterfaceAttribute",
        "ec2:CreateTags",
      ]
      Resource = ["*"]
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "backend_obs" {
  count = var.instance_iam_profile_arn == "" && var.tiering_enable_obs_integration ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-obs-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
      ]
      Resource = ["arn:${local.partition}:s3:::${local.obs_name}*"]
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "backend_invoke_lambda" {
  count = var.instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-invoke-lambda-function"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = ["${local.lambda_arn_prefix}*"]
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "backend_logs" {
  count = var.instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-send-log-to-cloud-watch-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogStreams",
        "logs:PutRetentionPolicy",
      ]
      Resource = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/wekaio/${local.ec2_prefix}-${local.cluster}*"]
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "backend_additional" {
  count = var.instance_iam_profile_arn == "" && var.additional_instance_iam_policy_statement != null ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-additional-policy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = var.additional_instance_iam_policy_statement
  })
  tags = local.tags
}

locals {
  # The backend role's policies. for_each takes the (known) keys; the ARNs, unknown until the
  # policies exist, are looked up per instance.
  backend_policy_keys = var.instance_iam_profile_arn != "" ? [] : concat(
    ["eni", "invoke_lambda", "logs", "ssm"],
    var.tiering_enable_obs_integration ? ["obs"] : [],
    var.additional_instance_iam_policy_statement != null ? ["additional"] : [],
  )
  backend_policy_arns = var.instance_iam_profile_arn != "" ? {} : {
    eni           = aws_iam_policy.backend_eni[0].arn
    invoke_lambda = aws_iam_policy.backend_invoke_lambda[0].arn
    logs          = aws_iam_policy.backend_logs[0].arn
    ssm           = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEC2RoleforSSM"
    obs           = try(aws_iam_policy.backend_obs[0].arn, null)
    additional    = try(aws_iam_policy.backend_additional[0].arn, null)
  }
}

resource "aws_iam_role_policy_attachment" "backend" {
  for_each   = toset(local.backend_policy_keys)
  role       = aws_iam_role.backend[0].name
  policy_arn = local.backend_policy_arns[each.key]
}

# ---- Control-plane functions ----

resource "aws_iam_role" "lambda" {
  count = var.lambda_iam_role_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-lambda-role"
  path  = "/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "lambda" {
  count = var.lambda_iam_role_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-lambda-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Effect   = "Allow"
          Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/lambda/${local.cloudwatch_prefix}/${local.lambda_prefix}-${local.cluster}*"]
        },
        {
          Effect = "Allow"
          Action = [
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
            "ec2:ModifyInstanceAttribute",
            "ec2:TerminateInstances",
            "ec2:DescribeInstances",
            "ec2:CreateTags",
          ]
          Resource = ["*"]
        },
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
          Resource = [local.dynamodb_table_arn]
        },
        {
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
          Resource = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:${local.secrets_prefix}*"]
        },
        {
          Effect = "Allow"
          Action = [
            "autoscaling:DetachInstances",
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:SetInstanceProtection",
          ]
          Resource = ["*"]
        },
        {
          Effect   = "Allow"
          Action   = ["lambda:InvokeFunction"]
          Resource = ["${local.lambda_arn_prefix}*"]
        },
      ],
      var.secretmanager_enable_encryption && var.secretmanager_kms_key_id != null ? [{
        Effect   = "Allow"
        Action   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource = [var.secretmanager_kms_key_id]
      }] : [],
      local.obs_auto_create ? [{
        Effect   = "Allow"
        Action   = ["s3:CreateBucket", "s3:PutBucketTagging"]
        Resource = ["arn:${local.partition}:s3:::${local.obs_name}"]
      }] : [],
    )
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "lambda" {
  count      = var.lambda_iam_role_arn == "" ? 1 : 0
  role       = aws_iam_role.lambda[0].name
  policy_arn = aws_iam_policy.lambda[0].arn
}

# ---- Step Functions ----

resource "aws_iam_role" "sfn" {
  count = var.sfn_iam_role_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-sfn-role"
  path  = "/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "states.amazonaws.com" }
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "sfn" {
  count = var.sfn_iam_role_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-sfn-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = ["${local.lambda_arn_prefix}-*-lambda"]
      },
      {
        Effect = "Allow"
        Action = [
          "logs:CreateLogDelivery",
          "logs:GetLogDelivery",
          "logs:UpdateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
        ]
        Resource = ["*"]
      },
    ]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "sfn" {
  count      = var.sfn_iam_role_arn == "" ? 1 : 0
  role       = aws_iam_role.sfn[0].name
  policy_arn = aws_iam_policy.sfn[0].arn
}

# ---- EventBridge ----

resource "aws_iam_role" "event" {
  count = var.event_iam_role_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-event-role"
  path  = "/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "events.amazonaws.com" }
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "event" {
  count = var.event_iam_role_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-event-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = [aws_sfn_state_machine.scale_down.arn]
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "event" {
  count      = var.event_iam_role_arn == "" ? 1 : 0
  role       = aws_iam_role.event[0].name
  policy_arn = aws_iam_policy.event[0].arn
}
