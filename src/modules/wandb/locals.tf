# Derived values of the W&B module: naming, the size presets, the network layout per tier and
# availability zone, and which optional parts exist.

data "aws_region" "current" {
  # The module's own checks, shown at the user's module block when they fail.
  lifecycle {
    precondition {
      condition     = contains(keys(local.size_table), var.size)
      error_message = "size \"${var.size}\" is not one of small, medium, large, xlarge, xxlarge"
    }
    precondition {
      condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.namespace)) && !endswith(var.namespace, "-") && !strcontains(var.namespace, "--")
      error_message = "namespace \"${var.namespace}\" must be 1 to 30 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (it names the S3 bucket, the EKS cluster and the ElastiCache replication group \"<namespace>-rep-group\", which allows 40 characters)"
    }
    precondition {
      condition     = length([for used in [var.use_external_redis, var.use_ctrlplane_redis, var.use_chainguard_redis] : used if used]) <= 1
      error_message = "At most one of use_external_redis, use_ctrlplane_redis and use_chainguard_redis can be true."
    }
    precondition {
      condition     = !var.use_external_redis || (var.external_redis_host != null && var.external_redis_port != null)
      error_message = "use_external_redis needs external_redis_host and external_redis_port."
    }
    precondition {
      condition = var.create_vpc || (
        var.network_id != "" && length(var.network_private_subnets) >= 2 &&
        length(var.network_database_subnets) >= 2 &&
        (!local.create_redis || length(var.network_elasticache_subnets) >= 2)
      )
      error_message = "With create_vpc = false, set network_id and at least two subnets (in two availability zones) in each of network_private_subnets, network_database_subnets and (for ElastiCache) network_elasticache_subnets."
    }
    precondition {
      condition     = !var.create_vpc || (length(var.network_private_subnet_cidrs) >= 2 && length(var.network_database_subnet_cidrs) >= 2 && length(var.network_public_subnet_cidrs) >= 1)
      error_message = "The VPC needs at least two private and two database subnet CIDRs (one per availability zone: Aurora, ElastiCache and EKS need two zones) and one public subnet CIDR."
    }
    precondition {
      condition     = var.kms_key_deletion_window >= 7 && var.kms_key_deletion_window <= 30
      error_message = "kms_key_deletion_window must be between 7 and 30 days (AWS refuses anything else)."
    }
  }
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  ns = var.namespace

  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  # ---- Size presets (deployment-size.tf). Keep in step with sizes.h (a test compares them). ----
  size_table = {
    small = {
      db         = "db.r6g.large"
      node       = "r6i.2xlarge"
      min_per_az = 1
      max_per_az = 4
      cache      = "cache.m6g.large"
      root_gb    = 100
    }
    medium = {
      db         = "db.r6g.xlarge"
      node       = "r6i.4xlarge"
      min_per_az = 1
      max_per_az = 4
      cache      = "cache.m6g.large"
      root_gb    = 100
    }
    large = {
      db         = "db.r6g.2xlarge"
      node       = "r6i.4xlarge"
      min_per_az = 1
      max_per_az = 4
      cache      = "cache.m6g.xlarge"
      root_gb    = 256
    }
    xlarge = {
      db         = "db.r6g.4xlarge"
      node       = "r6i.4xlarge"
      min_per_az = 1
      max_per_az = 4
      cache      = "cache.m6g.xlarge"
      root_gb    = 256
    }
    xxlarge = {
      db         = "db.r6g.8xlarge"
      node       = "r6i.4xlarge"
      min_per_az = 1
      max_per_az = 4
      cache      = "cache.m6g.2xlarge"
      root_gb    = 256
    }
  }
  # An unknown size fails the precondition above; "small" only keeps the rest evaluable.
  preset = lookup(local.size_table, var.size, local.size_table["small"])

  # Each setting's own variable wins over the preset when it is not null.
  database_instance_class = var.database_instance_class != null ? var.database_instance_class : local.preset.db
  node_instance_types     = var.kubernetes_instance_types != null ? var.kubernetes_instance_types : [local.preset.node]
  min_nodes_per_az        = var.kubernetes_min_nodes_per_az != null ? var.kubernetes_min_nodes_per_az : local.preset.min_per_az
  max_nodes_per_az        = var.kubernetes_max_nodes_per_az != null ? var.kubernetes_max_nodes_per_az : local.preset.max_per_az
  cache_node_type         = var.elasticache_node_type != null ? var.elasticache_node_type : local.preset.cache
  node_disk_size_gb       = var.kubernetes_node_disk_size_gb != null ? var.kubernetes_node_disk_size_gb : local.preset.root_gb

  # ---- Network: subnet i of every tier is in availability zone i (API order). ----
  azs = data.aws_availability_zones.available.names

  create_redis = var.create_elasticache && !var.use_external_redis && !var.use_ctrlplane_redis && !var.use_chainguard_redis

  public_subnet_cidrs      = var.create_vpc ? var.network_public_subnet_cidrs : []
  private_subnet_cidrs     = var.create_vpc ? var.network_private_subnet_cidrs : []
  database_subnet_cidrs    = var.create_vpc ? var.network_database_subnet_cidrs : []
  elasticache_subnet_cidrs = var.create_vpc && var.create_elasticache ? var.network_elasticache_subnet_cidrs : []
  create_public_network    = var.create_vpc && length(var.network_public_subnet_cidrs) > 0
  # One NAT gateway (and EIP) per private subnet index, in the public subnet of that index.
  nat_count = local.create_public_network ? length(var.network_private_subnet_cidrs) : 0

  vpc_id                = var.create_vpc ? aws_vpc.this[0].id : var.network_id
  public_subnet_ids     = aws_subnet.public[*].id
  private_subnet_ids    = var.create_vpc ? aws_subnet.private[*].id : var.network_private_subnets
  database_subnet_ids   = var.create_vpc ? aws_subnet.database[*].id : var.network_database_subnets
  elasticache_subnet_ids = var.create_vpc ? aws_subnet.elasticache[*].id : var.network_elasticache_subnets

  # Node groups (and EFS mount targets): one per private subnet, keyed "ng-<i>".
  private_subnet_count = var.create_vpc ? length(var.network_private_subnet_cidrs) : length(var.network_private_subnets)
  node_groups = {
    for i in range(local.private_subnet_count) : "ng-${i}" => {
      index     = i
      az        = local.azs[i]
      az_letter = substr(local.azs[i], length(local.azs[i]) - 1, 1)
    }
  }

  # ---- Storage and queue ----
  create_bucket      = var.bucket_name == ""
  use_internal_queue = var.use_internal_queue || !local.create_bucket

  # ---- KMS: which key encrypts what ----
  bucket_kms_key_arn   = var.bucket_kms_key_arn != "" ? var.bucket_kms_key_arn : aws_kms_key.this.arn
  database_kms_key_arn = var.database_kms_key_arn != "" ? var.database_kms_key_arn : aws_kms_key.this.arn
  performance_insights_kms_key_arn = (
    var.database_performance_insights_kms_key_arn != null && var.database_performance_insights_kms_key_arn != ""
    ? var.database_performance_insights_kms_key_arn : local.database_kms_key_arn
  )

  # ---- DNS, certificate and load balancers ----
  fqdn               = var.subdomain == null ? var.domain_name : "${var.subdomain}.${var.domain_name}"
  all_fqdns          = distinct(concat([local.fqdn], var.extra_fqdn))
  create_certificate = var.public_access && var.acm_certificate_arn == null
  has_certificate    = var.acm_certificate_arn != null || local.create_certificate
  url                = local.has_certificate ? "https://${local.fqdn}" : "http://${local.fqdn}"

  enable_private_link = length(var.private_link_allowed_account_ids) > 0
  create_nlb          = local.enable_private_link || var.private_only_traffic
  # Names within the 32 characters ELB allows: "<ns>-alb-k8s", "<ns>-nlb" or
  # "<ns>-private-link-nlb", "<ns>-nlb-tg", "<ns>-tg-app".
  alb_name    = "${trimsuffix(substr(local.ns, 0, 24), "-")}-alb-k8s"
  nlb_name    = var.private_only_traffic ? "${trimsuffix(substr(local.ns, 0, 15), "-")}-private-link-nlb" : "${trimsuffix(substr(local.ns, 0, 28), "-")}-nlb"
  nlb_tg_name = "${trimsuffix(substr(local.ns, 0, 25), "-")}-nlb-tg"
  app_tg_name = "${trimsuffix(substr(local.ns, 0, 25), "-")}-tg-app"
  # The port the W&B app pods listen on (the ALB targets pod IPs, as the controller's
  # target-type "ip" does).
  app_port = 8080

  # The ALB's subnets: the ones given, else the public subnets (internet-facing) or the
  # private subnets (internal, or an existing VPC whose public subnets the module is not told).
  alb_subnet_ids = (
    length(var.kubernetes_alb_subnets) > 0 ? var.kubernetes_alb_subnets
    : (var.kubernetes_alb_internet_facing && var.create_vpc ? local.public_subnet_ids : local.private_subnet_ids)
  )

  # ---- kubelet systemReserved (-1 leaves a field out) ----
  system_reserved = merge(
    var.system_reserved_cpu_millicores >= 0 ? { cpu = "${var.system_reserved_cpu_millicores}m" } : {},
    var.system_reserved_memory_megabytes >= 0 ? { memory = "${var.system_reserved_memory_megabytes}Mi" } : {},
    var.system_reserved_ephemeral_megabytes >= 0 ? { "ephemeral-storage" = "${var.system_reserved_ephemeral_megabytes}Mi" } : {},
    var.system_reserved_pid >= 0 ? { pid = "${var.system_reserved_pid}" } : {},
  )

  tags = {
    Namespace = local.ns
  }
}
