# The outputs of wandb/terraform-aws-wandb v8.0.0, with its flaws fixed: the database
# connection string is sensitive and network_public_subnets lists the public subnets.

locals {
  database_endpoint = aws_rds_cluster.this.endpoint
  database_password = random_password.database_master.result

  redis_host = (
    local.create_redis ? aws_elasticache_replication_group.this[0].primary_endpoint_address
    : var.use_external_redis ? var.external_redis_host
    : var.use_ctrlplane_redis ? "redis.redis.svc.cluster.local"
    : var.use_chainguard_redis ? "redis.redis-cg.svc.cluster.local"
    : null
  )
  redis_port = (
    local.create_redis ? 6379
    : var.use_external_redis ? tonumber(var.external_redis_port)
    : var.use_ctrlplane_redis || var.use_chainguard_redis ? 26379
    : null
  )
  # Connection parameters (external_redis_params, of type object({}), can carry none).
  redis_params = (
    local.create_redis ? tomap({ master = "", tls = "true" })
    : var.use_ctrlplane_redis || var.use_chainguard_redis ? tomap({ master = "gorilla" })
    : tomap({})
  )

  # The WeightsAndBiases custom resource's spec the operator would be given (the operator and
  # its Helm releases are not part of an AWS plan; see docs/modules.md).
  wandb_spec = {
    values = {
      global = {
        size          = var.size
        host          = local.url
        license       = var.license
        cloudProvider = "aws"
        extraEnv      = var.other_wandb_env
        bucket = local.create_bucket ? null : {
          provider = "s3"
          name     = var.bucket_name
          path     = var.bucket_path
          region   = local.region
          kmsKey   = local.bucket_kms_key_arn
        }
        defaultBucket = {
          provider = "s3"
          name     = local.file_storage_name
          region   = local.region
          kmsKey   = local.bucket_kms_key_arn
        }
        mysql = {
          host     = local.database_endpoint
          password = local.database_password
          user     = var.database_master_username
          database = var.database_name
          port     = 3306
        }
        redis = {
          host     = local.redis_host
          port     = local.redis_port
          params   = local.redis_params
          external = !local.create_redis
        }
      }
      ingress = {
        class = "alb"
        annotations = {
          "alb.ingress.kubernetes.io/load-balancer-name"             = local.alb_name
          "alb.ingress.kubernetes.io/inbound-cidrs"                  = join(",", var.allowed_inbound_cidr)
          "alb.ingress.kubernetes.io/scheme"                         = var.kubernetes_alb_internet_facing ? "internet-facing" : "internal"
          "alb.ingress.kubernetes.io/target-type"                    = "ip"
          "alb.ingress.kubernetes.io/listen-ports"                   = local.has_certificate ? "[{\"HTTPS\":443}]" : "[{\"HTTP\":80}]"
          "alb.ingress.kubernetes.io/certificate-arn"                = local.certificate_arn
          "external-dns.alpha.kubernetes.io/hostname"                = join(",", local.all_fqdns)
          "external-dns.alpha.kubernetes.io/ingress-hostname-source" = "annotation-only"
        }
        additionalHosts = concat(var.extra_fqdn, local.enable_private_link ? [""] : [])
      }
      app = {
        internalJWTMap = [{
          subject = "system:serviceaccount:default:wandb-weave-trace"
          issuer  = local.oidc_issuer
        }]
      }
      console = {
        extraEnv = { BUCKET_ACCESS_IDENTITY = aws_iam_role.node.arn }
      }
      yace = {
        install = var.enable_yace
        regions = [local.region]
        serviceAccount = {
          annotations = { "eks.amazonaws.com/role-arn" = var.enable_yace ? aws_iam_role.yace[0].arn : null }
        }
        searchTags = [{ Namespace = local.ns }]
      }
      mysql = { install = false }
      redis = { install = false }
      weave = {
        persistence = {
          provider = "efs"
          efs      = { fileSystemId = aws_efs_file_system.weave.id }
        }
        extraEnv = var.weave_wandb_env
      }
      parquet = {
        extraEnv = var.parquet_wandb_env
      }
    }
  }
}

# ---- Storage ----

output "bucket_name" {
  description = "The bucket W&B stores files in."
  value       = local.create_bucket ? aws_s3_bucket.file_storage[0].bucket : var.bucket_name
}

output "bucket_path" {
  description = "Key prefix of W&B's files in the bucket."
  value       = var.bucket_path
}

output "bucket_queue_name" {
  description = "The SQS queue of the bucket's notifications; null with the internal queue."
  value       = local.use_internal_queue ? null : aws_sqs_queue.file_storage[0].name
}

output "bucket_region" {
  description = "Region of the bucket."
  value       = local.region
}

# ---- Cluster ----

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Endpoint of the Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA certificate of the Kubernetes API."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_node_role" {
  description = "The IAM role of the EKS nodes."
  value       = aws_iam_role.node
}

# ---- Database ----

output "database_connection_string" {
  description = "user:password@host/database of the Aurora cluster."
  value       = "${var.database_master_username}:${local.database_password}@${local.database_endpoint}/${var.database_name}"
  sensitive   = true
}

output "database_username" {
  description = "Aurora master user name."
  value       = var.database_master_username
}

output "database_password" {
  description = "Aurora master password."
  value       = local.database_password
  sensitive   = true
}

output "database_instance_type" {
  description = "Aurora instance class."
  value       = local.database_instance_class
}

output "database_secret_arn" {
  description = "Secrets Manager secret holding the Aurora master credentials."
  value       = aws_secretsmanager_secret.database.arn
}

# ---- Redis ----

output "elasticache_connection_string" {
  description = "host:port of Redis; null when there is none."
  value       = local.redis_host == null ? null : "${local.redis_host}:${local.redis_port}"
}

output "redis_instance_type" {
  description = "ElastiCache node type."
  value       = local.cache_node_type
}

# ---- Nodes ----

output "eks_min_nodes_per_az" {
  description = "Minimum (and desired) nodes per availability zone."
  value       = local.min_nodes_per_az
}

output "eks_max_nodes_per_az" {
  description = "Maximum nodes per availability zone."
  value       = local.max_nodes_per_az
}

output "eks_node_instance_type" {
  description = "Instance types of the nodes."
  value       = local.node_instance_types
}

# ---- KMS ----

output "kms_key_arn" {
  description = "ARN of the module's KMS key."
  value       = aws_kms_key.this.arn
}

output "kms_clickhouse_key_arn" {
  description = "ARN of the ClickHouse KMS key; null when not enabled."
  value       = var.enable_clickhouse ? aws_kms_key.clickhouse[0].arn : null
}

# ---- Network ----

output "network_id" {
  description = "The VPC."
  value       = local.vpc_id
}

output "network_private_subnets" {
  description = "The private subnets (EKS nodes)."
  value       = local.private_subnet_ids
}

output "network_public_subnets" {
  description = "The public subnets; empty with an existing VPC."
  value       = local.public_subnet_ids
}

# ---- Application ----

output "standardized_size" {
  description = "The size preset."
  value       = var.size
}

output "url" {
  description = "URL of the W&B UI."
  value       = local.url
}

output "wandb_spec" {
  description = "Spec of the WeightsAndBiases custom resource (holds the license and the database password)."
  value       = local.wandb_spec
  sensitive   = true
}

# ---- PrivateLink ----

output "private_link_service_name" {
  description = "Service name of the VPC endpoint service; null without PrivateLink."
  value       = local.enable_private_link ? aws_vpc_endpoint_service.this[0].service_name : null
}

output "private_link_service_id" {
  description = "ID of the VPC endpoint service; null without PrivateLink."
  value       = local.enable_private_link ? aws_vpc_endpoint_service.this[0].id : null
}

output "private_link_availability_zones" {
  description = "Availability zones of the VPC endpoint service; null without PrivateLink."
  value       = local.enable_private_link ? aws_vpc_endpoint_service.this[0].availability_zones : null
}
