# Secrets (reference §2.8), named <secrets_prefix>-<cluster>/<name>-<suffix> with a random
# 4-character suffix each (a deleted secret's name stays reserved for days). The admin and
# deployment passwords are written by the clusterize function when the cluster is created,
# so only their secrets are declared here; the username is the literal "weka-deployment".

locals {
  secret_names = merge(
    var.get_weka_io_token_secret_id == "" ? { get_weka_io_token = "get_weka_io_token" } : {},
    {
      weka_username            = "weka-username"
      weka_password            = "weka-password"
      weka_deployment_password = "weka-deployment-password"
    },
    local.generate_alb_cert ? { self_signed_cert_pem = "self-signed-cert-pem" } : {},
  )
}

resource "random_string" "secret_suffix" {
  for_each    = local.secret_names
  length      = 4
  special     = false
  lower       = true
  upper       = true
  numeric     = true
  min_lower   = 1
  min_upper   = 1
  min_numeric = 1
}

resource "aws_secretsmanager_secret" "get_weka_io_token" {
  count      = var.get_weka_io_token_secret_id == "" ? 1 : 0
  name       = "${local.secrets_prefix}-${local.cluster}/get_weka_io_token-${random_string.secret_suffix["get_weka_io_token"].result}"
  kms_key_id = local.secrets_kms_key_id
  tags       = local.tags
}

resource "aws_secretsmanager_secret_version" "get_weka_io_token" {
  count         = var.get_weka_io_token_secret_id == "" ? 1 : 0
  secret_id     = aws_secretsmanager_secret.get_weka_io_token[0].id
  secret_string = var.get_weka_io_token
}

resource "aws_secretsmanager_secret" "weka_username" {
  name       = "${local.secrets_prefix}-${local.cluster}/weka-username-${random_string.secret_suffix["weka_username"].result}"
  kms_key_id = local.secrets_kms_key_id
  tags       = local.tags
}

resource "aws_secretsmanager_secret_version" "weka_username" {
  secret_id     = aws_secretsmanager_secret.weka_username.id
  secret_string = "weka-deployment"
}

# The admin password: its value is written by the clusterize function.
resource "aws_secretsmanager_secret" "weka_password" {
  name       = "${local.secrets_prefix}-${local.cluster}/weka-password-${random_string.secret_suffix["weka_password"].result}"
  kms_key_id = local.secrets_kms_key_id
  tags       = local.tags
}

# The deployment user's password: its value is written by the clusterize function.
resource "aws_secretsmanager_secret" "weka_deployment_password" {
  name       = "${local.secrets_prefix}-${local.cluster}/weka-deployment-password-${random_string.secret_suffix["weka_deployment_password"].result}"
  kms_key_id = local.secrets_kms_key_id
  tags       = local.tags
}

# The ALB's self-signed certificate (public; clients pass it to curl --cacert).
resource "aws_secretsmanager_secret" "self_signed_cert_pem" {
  count      = local.generate_alb_cert ? 1 : 0
  name       = "${local.secrets_prefix}-${local.cluster}/self-signed-cert-pem-${random_string.secret_suffix["self_signed_cert_pem"].result}"
  kms_key_id = local.secrets_kms_key_id
  tags       = local.tags
}

resource "aws_secretsmanager_secret_version" "self_signed_cert_pem" {
  count         = local.generate_alb_cert ? 1 : 0
  secret_id     = aws_secretsmanager_secret.self_signed_cert_pem[0].id
  secret_string = tls_self_signed_cert.alb[0].cert_pem
}
