# Derived values of the built-in WEKA module: names per resource family, the chosen instance
# type's container layout (reference §1.9), sizes (§1.10), network mode and shared tags.

locals {
  # ---- Naming: `prefix`, overridden per family by custom_prefix ----
  lb_prefix         = lookup(var.custom_prefix, "lb", var.prefix)
  db_prefix         = lookup(var.custom_prefix, "db", var.prefix)
  kms_prefix        = lookup(var.custom_prefix, "kms", var.prefix)
  cloudwatch_prefix = lookup(var.custom_prefix, "cloudwatch", var.prefix)
  sfn_prefix        = lookup(var.custom_prefix, "sfn", var.prefix)
  lambda_prefix     = lookup(var.custom_prefix, "lambda", var.prefix)
  secrets_prefix    = lookup(var.custom_prefix, "secrets", "weka/${var.prefix}")
  ec2_prefix        = lookup(var.custom_prefix, "ec2", var.prefix)
  iam_prefix        = lookup(var.custom_prefix, "iam", var.prefix)
  obs_prefix        = lookup(var.custom_prefix, "obs", var.prefix)

  cluster = var.cluster_name

  # ALB and target group names: at most 32 characters, and AWS refuses a trailing hyphen, which
  # plain truncation can leave.
  alb_name          = replace(substr("${local.lb_prefix}-${local.cluster}-lb", 0, 32), "/-+$/", "")
  target_group_name = replace(substr("${local.lb_prefix}-${local.cluster}-lb-tg", 0, 32), "/-+$/", "")

  # The state item keys use the plain prefix (not the db family's).
  state_key     = "${var.prefix}-${local.cluster}-state"
  nfs_state_key = "${var.prefix}-${local.cluster}-nfs-state"

  tags = merge(var.tags_map, { "aws-apn-id" = "pc:epkj0ftddjwa38m3oq9umjjlm" })

  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # ---- Backend containers (reference §1.9) ----
  # null when instance_type is not a key of containers_config_map: the precondition on the
  # launch template then says so, instead of a bare map-index error.
  container_config = lookup(var.containers_config_map, var.instance_type, null)
  config_compute   = try(local.container_config.compute, 1)
  config_drive     = try(local.container_config.drive, 1)
  config_frontend  = try(local.container_config.frontend, 1)
  config_nics      = try(local.container_config.nics, 1)
  config_memory    = try(local.container_config.memory, ["0GB", "0GB"])

  # Dedicated frontend off: the frontend core joins compute; memory from the first column.
  compute_cores  = var.set_dedicated_fe_container ? local.config_compute : local.config_compute + 1
  frontend_cores = var.set_dedicated_fe_container ? local.config_frontend : 0
  drive_cores    = local.config_drive
  compute_memory = local.config_memory[var.set_dedicated_fe_container ? 1 : 0]
  nics_num       = local.config_nics
  # ENIs per backend: one per core in DPDK mode, one (UDP mode) otherwise.
  backend_eni_count = var.install_cluster_dpdk ? local.nics_num : 1
  backend_weka_volume_size = var.backends_weka_volume_size + 10 * (local.nics_num - 1)

  stripe_width = var.stripe_width == -1 ? min(var.cluster_size - var.protection_level - 1, 16) : var.stripe_width

  asg_min_size     = var.cluster_size
  asg_desired_size = var.cluster_size
  asg_max_size     = var.cluster_size * 7

  backend_arch = startswith(var.instance_type, "i8ge") ? "arm64" : "x86_64"
  # No AMI given: the newest Amazon Linux 2023 (kernel 6.1) for the architecture, resolved by
  # EC2 at launch from AWS's public SSM parameter (no plan-time AMI lookup needed).
  al2023_ssm = {
    x86_64 = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
    arm64  = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64"
  }
  backend_ami_id = var.ami_id != null ? var.ami_id : local.al2023_ssm[local.backend_arch]

  # ---- WEKA software ----
  install_weka_url = var.install_weka_url != "" ? var.install_weka_url : "https://$TOKEN@get.weka.io/dist/v1/install/${var.weka_version}/${var.weka_version}?provider=aws&region=${local.region}"

  # ---- Network ----
  create_network = length(var.subnet_ids) == 0
  create_sg      = length(var.sg_ids) == 0
  # public: public subnets behind an internet gateway; nat: private subnets behind a NAT
  # gateway in one public subnet; private: private subnets with no route out.
  network_mode = var.create_nat_gateway ? "nat" : (var.subnet_autocreate_as_private ? "private" : "public")

  availability_zones = data.aws_availability_zones.available.names
  availability_zone  = length(var.availability_zones) > 0 ? var.availability_zones[0] : local.availability_zones[0]
  # The ALB's second subnet goes in the next AZ after the cluster's.
  alb_additional_zone = var.alb_additional_subnet_zone != "" ? var.alb_additional_subnet_zone : element(local.availability_zones, try(index(local.availability_zones, local.availability_zone), 0) + 1)

  vpc_id = local.create_network ? aws_vpc.this[0].id : data.aws_subnet.cluster[0].vpc_id
  subnet_ids = local.create_network ? (
    local.network_mode == "public" ? aws_subnet.public[*].id : aws_subnet.private[*].id
  ) : var.subnet_ids
  subnet_id = local.subnet_ids[0]
  sg_ids    = local.create_sg ? [aws_security_group.backend[0].id] : var.sg_ids

  assign_public_ip = var.assign_public_ip == "auto" ? (local.create_network && local.network_mode == "public") : var.assign_public_ip == "true"
  ips_type         = local.assign_public_ip ? "PublicIpAddress" : "PrivateIpAddress"

  # ---- IAM ----
  instance_profile_arn = var.instance_iam_profile_arn != "" ? var.instance_iam_profile_arn : aws_iam_instance_profile.backend[0].arn
  lambda_role_arn      = var.lambda_iam_role_arn != "" ? var.lambda_iam_role_arn : aws_iam_role.lambda[0].arn
  sfn_role_arn         = var.sfn_iam_role_arn != "" ? var.sfn_iam_role_arn : aws_iam_role.sfn[0].arn
  event_role_arn       = var.event_iam_role_arn != "" ? var.event_iam_role_arn : aws_iam_role.event[0].arn

  # The tiering bucket: the given one, or the one the clusterize function creates.
  obs_name          = var.tiering_obs_name != "" ? var.tiering_obs_name : lower("${local.obs_prefix}-${local.cluster}-obs")
  obs_auto_create   = var.tiering_enable_obs_integration && var.tiering_obs_name == ""
  lambda_arn_prefix = "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${local.lambda_prefix}-${local.cluster}"

  # ---- Keys ----
  create_ebs_kms_key = var.ebs_encrypted && var.ebs_kms_key_id == null
  ebs_kms_key_id     = !var.ebs_encrypted ? null : (var.ebs_kms_key_id != null ? var.ebs_kms_key_id : aws_kms_key.ebs[0].arn)

  create_secrets_kms_key = var.secretmanager_enable_encryption && var.secretmanager_kms_key_id == null
  secrets_kms_key_id     = !var.secretmanager_enable_encryption ? null : (var.secretmanager_kms_key_id != null ? var.secretmanager_kms_key_id : aws_kms_key.secrets[0].arn)

  generate_ssh_key = var.enable_key_pair && var.key_pair_name == null && var.ssh_public_key == null
  create_key_pair  = var.enable_key_pair && var.key_pair_name == null
  key_pair_name    = !var.enable_key_pair ? null : (var.key_pair_name != null ? var.key_pair_name : aws_key_pair.this[0].key_name)
  ssh_private_key_path = "/tmp/${local.ec2_prefix}-${local.cluster}-private-key.pem"
  ssh_public_key_path  = "/tmp/${local.ec2_prefix}-${local.cluster}-public-key.pub"

  create_placement_group = var.use_placement_group && var.placement_group_name == null
  placement_group_name   = !var.use_placement_group ? null : (var.placement_group_name != null ? var.placement_group_name : aws_placement_group.this[0].name)

  # ---- Secrets ----
  token_secret_id = var.get_weka_io_token_secret_id != "" ? var.get_weka_io_token_secret_id : aws_secretsmanager_secret.get_weka_io_token[0].id
  use_secretmanager_endpoint = var.secretmanager_use_vpc_endpoint

  # ---- ALB ----
  alb_subnet_ids = [
    var.alb_subnet_id != "" ? var.alb_subnet_id : local.subnet_id,
    var.alb_additional_subnet_id != "" ? var.alb_additional_subnet_id : try(aws_subnet.alb_additional[0].id, ""),
  ]
  alb_sg_ids            = length(var.alb_sg_ids) > 0 ? var.alb_sg_ids : local.sg_ids
  generate_alb_cert     = var.create_alb && var.alb_cert_arn == null
  alb_cert_arn          = !var.create_alb ? null : (var.alb_cert_arn != null ? var.alb_cert_arn : aws_acm_certificate.alb[0].arn)
  create_alb_dns_record = var.create_alb && var.alb_alias_name != "" && var.alb_route53_zone_id != ""
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}
