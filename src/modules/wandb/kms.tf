# The module's KMS key (bucket, database, cache, EKS secrets, node volumes, EFS, secrets) and
# the optional ClickHouse key. Both rotate yearly.

locals {
  account_root_arn = "arn:${local.partition}:iam::${local.account_id}:root"
  # The key administrator: the given principal, else the account root. The caller's own ARN
  # (what the public module uses) is refused by KMS when it is an assumed-role session.
  kms_administrator_arn = var.kms_key_policy_administrator_arn != "" ? var.kms_key_policy_administrator_arn : local.account_root_arn

  kms_default_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "KeyAdministration"
        Effect    = "Allow"
        Principal = { AWS = local.kms_administrator_arn }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "KeyUsage"
        Effect    = "Allow"
        Principal = { AWS = local.account_root_arn }
        Action = [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
          "kms:Get*",
          "kms:List*",
          "kms:RevokeGrant",
        ]
        Resource = "*"
      },
      {
        Sid    = "AutoScalingEbsEncryption"
        Effect = "Allow"
        Principal = {
          AWS = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
        }
        Action = [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:CreateGrant",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          StringEquals = { "kms:CallerAccount" = local.account_id }
          StringLike   = { "kms:ViaService" = "ec2.*.${local.dns_suffix}" }
        }
      },
    ]
  })

  kms_key_alias            = var.kms_key_alias != null ? var.kms_key_alias : "${local.ns}-kms-alias"
  kms_clickhouse_key_alias = var.kms_clickhouse_key_alias != null ? var.kms_clickhouse_key_alias : "${local.ns}-kms-clickhouse-alias"

  kms_clickhouse_default_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "KeyAdministration"
        Effect    = "Allow"
        Principal = { AWS = local.kms_administrator_arn }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "ClickHouseCloud"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::576599896960:role/prod-kms-request-role" }
        Action = [
          "kms:GetPublicKey",
          "kms:Decrypt",
          "kms:GenerateDataKeyPair",
          "kms:Encrypt",
          "kms:GetKeyRotationStatus",
          "kms:GenerateDataKey",
          "kms:DescribeKey",
          "kms:ReEncrypt*",
        ]
        Resource = "*"
      },
    ]
  })
}

resource "aws_kms_key" "this" {
  description              = "Key for the W&B deployment ${local.ns}"
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  deletion_window_in_days  = var.kms_key_deletion_window
  enable_key_rotation      = true
  policy                   = var.kms_key_policy != "" ? var.kms_key_policy : local.kms_default_policy

  tags = merge(local.tags, { Name = "wandb-kms-key" })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.kms_key_alias}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_kms_key" "clickhouse" {
  count = var.enable_clickhouse ? 1 : 0

  description              = "ClickHouse key for the W&B deployment ${local.ns}"
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  deletion_window_in_days  = var.kms_key_deletion_window
  enable_key_rotation      = true
  policy                   = var.kms_clickhouse_key_policy != "" ? var.kms_clickhouse_key_policy : local.kms_clickhouse_default_policy

  tags = merge(local.tags, { Name = "wandb-kms-clickhouse-key" })
}

resource "aws_kms_alias" "clickhouse" {
  count = var.enable_clickhouse ? 1 : 0

  name          = "alias/${local.kms_clickhouse_key_alias}"
  target_key_id = aws_kms_key.clickhouse[0].key_id
}
