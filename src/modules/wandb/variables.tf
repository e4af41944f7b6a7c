# The inputs of the built-in W&B module (source = "wandb/wandb/aws"): every root variable of
# the public module wandb/terraform-aws-wandb v8.0.0, with its type, default, nullable and
# sensitive flags and validation rules unchanged, so a configuration written for that module
# is accepted or refused here exactly as Terraform would. Known flaws of those rules are kept
# on purpose (the kubernetes_map_accounts tripwire, the KMS ARN pattern that refuses the
# aws-us-gov and aws-cn partitions, no check of size or of kms_key_deletion_window); what
# clusterform checks on top of them is listed in docs/modules.md, section "W&B inputs".

# ---- Naming and sizing ----

variable "namespace" {
  type        = string
  description = "Name prefix of every resource; also the EKS cluster name."
}

variable "deletion_protection" {
  type        = bool
  description = "Protects the database, the bucket and the NLB from deletion."
  default     = true
}

variable "size" {
  type        = string
  description = "Size preset: small, medium, large, xlarge or xxlarge."
  default     = "small"
}

variable "k8s_namespace" {
  type        = string
  description = "Kubernetes namespace of the weave-worker-auth secret."
  default     = "default"
}

# ---- Network ----

variable "create_vpc" {
  type        = bool
  description = "Create a VPC; false to use network_id and the network_*_subnets lists."
  default     = true
}

variable "network_cidr" {
  type        = string
  description = "CIDR block of the created VPC."
  default     = "10.10.0.0/16"
}

variable "network_public_subnet_cidrs" {
  type        = list(string)
  description = "Public subnet CIDRs of the created VPC, one per availability zone."
  default     = ["10.10.0.0/24", "10.10.1.0/24"]
}

variable "network_private_subnet_cidrs" {
  type        = list(string)
  description = "Private subnet CIDRs of the created VPC, one per availability zone."
  default     = ["10.10.10.0/24", "10.10.11.0/24"]
}

variable "network_database_subnet_cidrs" {
  type        = list(string)
  description = "Database subnet CIDRs of the created VPC, one per availability zone."
  default     = ["10.10.20.0/24", "10.10.21.0/24"]
}

variable "network_elasticache_subnet_cidrs" {
  type        = list(string)
  description = "ElastiCache subnet CIDRs of the created VPC, one per availability zone."
  default     = ["10.10.30.0/24", "10.10.31.0/24"]
}

variable "network_id" {
  type        = string
  description = "Existing VPC ID (when create_vpc is false)."
  default     = ""
}

variable "network_private_subnets" {
  type        = list(string)
  description = "Existing private subnet IDs (when create_vpc is false)."
  default     = []
}

variable "network_database_subnets" {
  type        = list(string)
  description = "Existing database subnet IDs (when create_vpc is false)."
  default     = []
}

variable "network_elasticache_subnets" {
  type        = list(string)
  description = "Existing ElastiCache subnet IDs (when create_vpc is false)."
  default     = []
}

variable "enable_flow_log" {
  type        = bool
  description = "Log rejected VPC traffic to an S3 bucket."
  default     = false
}

variable "keep_flow_log_bucket" {
  type        = bool
  description = "Keep the flow-log bucket (it is created even with flow logs off)."
  default     = true
}

variable "private_only_traffic" {
  type        = bool
  description = "Add an internal NLB reachable only from allowed_private_endpoint_cidr."
  default     = false
}

variable "allowed_private_endpoint_cidr" {
  type        = list(string)
  description = "Private CIDRs allowed through the internal NLB."
  default     = []
  nullable    = false
}

variable "private_link_allowed_account_ids" {
  type        = list(string)
  description = "AWS accounts allowed to the PrivateLink endpoint service; non-empty enables it."
  default     = []
}

variable "clickhouse_endpoint_service_id" {
  type        = string
  description = "ClickHouse endpoint service to reach through an interface VPC endpoint."
  default     = ""
}

# ---- KMS ----

variable "kms_key_alias" {
  type        = string
  description = "Alias of the module's KMS key; null for \"<namespace>-kms-alias\"."
  default     = null
}

variable "kms_key_deletion_window" {
  type        = number
  description = "Days before a deleted KMS key is destroyed (AWS accepts 7 to 30)."
  default     = 7
}

variable "kms_key_policy" {
  type        = string
  description = "JSON key policy replacing the default one."
  default     = ""
}

variable "kms_key_policy_administrator_arn" {
  type        = string
  description = "Principal given kms:* on the key; empty for the caller."
  default     = ""
}

variable "enable_clickhouse" {
  type        = bool
  description = "Create the ClickHouse KMS key."
  default     = false
}

variable "kms_clickhouse_key_alias" {
  type        = string
  description = "Alias of the ClickHouse key; null for \"<namespace>-kms-clickhouse-alias\"."
  default     = null
}

variable "kms_clickhouse_key_policy" {
  type        = string
  description = "JSON key policy replacing the ClickHouse key's default one."
  default     = ""
}

variable "database_kms_key_arn" {
  type        = string
  description = "Existing KMS key for Aurora and ElastiCache; empty for the module's key."
  default     = ""
  validation {
    condition     = can(regex("^arn:aws:kms:[a-z0-9-]+:[0-9]+:key/[a-zA-Z0-9-_]+$", var.database_kms_key_arn)) || var.database_kms_key_arn == ""
    error_message = "Invalid value for db kms ARN"
  }
}

variable "bucket_kms_key_arn" {
  type        = string
  description = "Existing KMS key for the bucket; empty for the module's key."
  default     = ""
  validation {
    condition     = can(regex("^arn:aws:kms:[a-z0-9-]+:[0-9]+:key/[a-zA-Z0-9-_]+$", var.bucket_kms_key_arn)) || var.bucket_kms_key_arn == ""
    error_message = "Invalid value for bucket kms ARN"
  }
}

variable "database_performance_insights_kms_key_arn" {
  type        = string
  description = "Existing KMS key for Performance Insights; empty for the database key."
  default     = ""
  nullable    = true
}

# ---- Database (Aurora MySQL) ----

variable "database_engine_version" {
  type        = string
  description = "Aurora MySQL major version; AWS picks the minor."
  default     = "8.0"
}

variable "database_instance_class" {
  type        = string
  description = "Aurora instance class; null for the size preset's."
  default     = null
}

variable "database_snapshot_identifier" {
  type        = string
  description = "Cluster or DB snapshot (name or ARN) to restore from."
  default     = null
}

variable "database_sort_buffer_size" {
  type        = number
  description = "sort_buffer_size of the instance parameter group, in bytes."
  default     = 67108864
}

variable "database_name" {
  type        = string
  description = "Name of the W&B database."
  default     = "wandb_local"
}

variable "database_master_username" {
  type        = string
  description = "Aurora master user name."
  default     = "wandb"
}

# ---- Object storage and queue ----

variable "bucket_name" {
  type        = string
  description = "Existing bucket to use (forces the internal queue); empty to create one."
  default     = ""
}

variable "bucket_path" {
  type        = string
  description = "Key prefix under which the instance stores its files."
  default     = ""
}

variable "bucket_permissions_mode" {
  type        = string
  description = "Cross-account bucket access of the node role: strict, restricted or public."
  default     = "strict"
  validation {
    condition     = contains(["strict", "restricted", "public"], var.bucket_permissions_mode)
    error_message = "The bucket_permissions_mode must be one of: strict, restricted, or public."
  }
}

variable "bucket_restricted_accounts" {
  type        = list(string)
  description = "Accounts whose buckets the nodes may use in restricted mode."
  default     = []
}

variable "use_internal_queue" {
  type        = bool
  description = "Use W&B's internal queue instead of SQS and bucket notifications."
  default     = false
}

variable "enable_s3_https_only" {
  type        = bool
  description = "Deny bucket requests made without TLS."
  default     = false
}

# ---- EKS ----

variable "eks_cluster_version" {
  type        = string
  description = "Kubernetes version of the EKS cluster, e.g. \"1.33\"."
  nullable    = false
}

variable "eks_addons_preroll_version" {
  type        = string
  description = "Kubernetes minor to move eligible addons to ahead of a cluster upgrade."
  default     = null
  # Versions compare as major * 1000 + minor, so 1.10 is above 1.9.
  validation {
    condition = var.eks_addons_preroll_version == null || (
      tonumber(split(".", coalesce(var.eks_addons_preroll_version, "0.0"))[0]) * 1000
      + tonumber(split(".", coalesce(var.eks_addons_preroll_version, "0.0"))[1])
      >=
      tonumber(split(".", var.eks_cluster_version)[0]) * 1000
      + tonumber(split(".", var.eks_cluster_version)[1])
    )
    error_message = "eks_addons_preroll_version must be >= eks_cluster_version (cannot stage addons for an older Kubernetes version)."
  }
}

variable "eks_cluster_tags" {
  type        = map(string)
  description = "Tags for the resources the EKS cluster manages."
  default     = {}
}

variable "kubernetes_public_access" {
  type        = bool
  description = "Open the public API endpoint (the private one is always on)."
  default     = false
}

variable "kubernetes_public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to the public API endpoint."
  default     = []
}

variable "kubernetes_map_roles" {
  type = list(object({
    rolearn  = string
    username = string
    groups   = list(string)
  }))
  description = "IAM roles given cluster access entries."
  default     = []
}

variable "kubernetes_map_users" {
  type = list(object({
    userarn  = string
    username = string
    groups   = list(string)
  }))
  description = "IAM users given cluster access entries."
  default     = []
}

variable "kubernetes_map_accounts" {
  type        = list(string)
  description = "Removed in v8: any value is refused; list roles or users instead."
  default     = []
  validation {
    condition     = length(var.kubernetes_map_accounts) == 0
    error_message = "kubernetes_map_accounts is no longer supported. Enumerate the specific roles or users into kubernetes_map_roles / kubernetes_map_users (which now flow into access_entries), or \u2014 if you truly need account-wide trust \u2014 manage the aws-auth ConfigMap directly with a kubernetes_config_map_v1_data resource. See docs/v8-upgrade-guide.md (Dropped variables) for details."
  }
}

variable "kubernetes_legacy_cluster_creator_admin" {
  type        = bool
  description = "true when upgrading a v7 cluster (AWS owns the creator's access entry); false for new installs."
  nullable    = false
}

variable "kubernetes_instance_types" {
  type        = list(string)
  description = "Node instance types; null for the size preset's."
  default     = null
}

variable "kubernetes_min_nodes_per_az" {
  type        = number
  description = "Minimum (and desired) nodes per availability zone; null for the size preset's."
  default     = null
}

variable "kubernetes_max_nodes_per_az" {
  type        = number
  description = "Maximum nodes per availability zone; null for the size preset's."
  default     = null
}

variable "kubernetes_node_disk_size_gb" {
  type        = number
  description = "Node root volume size in GB; null for the size preset's."
  default     = null
}

variable "eks_policy_arns" {
  type        = list(string)
  description = "Unused by the module since v4."
  default     = []
}

variable "system_reserved_cpu_millicores" {
  type        = number
  description = "kubelet systemReserved CPU in millicores; -1 leaves it out."
  default     = 70
}

variable "system_reserved_memory_megabytes" {
  type        = number
  description = "kubelet systemReserved memory in MB; -1 leaves it out."
  default     = 100
}

variable "system_reserved_ephemeral_megabytes" {
  type        = number
  description = "kubelet systemReserved ephemeral storage in MB; -1 leaves it out."
  default     = 750
}

variable "system_reserved_pid" {
  type        = number
  description = "kubelet systemReserved process IDs; -1 leaves it out."
  default     = 500
}

variable "eks_addon_efs_csi_driver_version" {
  type        = string
  description = "Pinned aws-efs-csi-driver addon version; null for the newest for the cluster."
  default     = null
}

variable "eks_addon_ebs_csi_driver_version" {
  type        = string
  description = "Pinned aws-ebs-csi-driver addon version; null for the newest for the cluster."
  default     = null
}

variable "eks_addon_coredns_version" {
  type        = string
  description = "Pinned coredns addon version; null for the newest for the cluster."
  default     = null
}

variable "eks_addon_kube_proxy_version" {
  type        = string
  description = "Pinned kube-proxy addon version; null for the newest for the cluster."
  default     = null
}

variable "eks_addon_vpc_cni_version" {
  type        = string
  description = "Pinned vpc-cni addon version; null for the newest for the cluster."
  default     = null
}

variable "eks_addon_metrics_server_version" {
  type        = string
  description = "Pinned metrics-server addon version; null for the newest for the cluster."
  default     = null
}

variable "preserve_aws_auth_configmap" {
  type        = bool
  description = "Keep the aws-auth ConfigMap during a v7 to v8 upgrade."
  default     = false
}

variable "aws_loadbalancer_controller_image_repository" {
  type        = string
  description = "Image repository of aws-load-balancer-controller."
  default     = "public.ecr.aws/eks/aws-load-balancer-controller"
}

variable "aws_loadbalancer_controller_image_tag" {
  type        = string
  description = "Image tag of aws-load-balancer-controller; null for the chart's."
  default     = null
}

variable "external_dns_image_repository" {
  type        = string
  description = "Image repository of external-dns."
  default     = "registry.k8s.io/external-dns/external-dns"
}

variable "external_dns_image_tag" {
  type        = string
  description = "Image tag of external-dns; null for the chart's."
  default     = null
}

variable "cluster_autoscaler_image_repository" {
  type        = string
  description = "Image repository of cluster-autoscaler."
  default     = "registry.k8s.io/autoscaling/cluster-autoscaler"
}

variable "cluster_autoscaler_image_tag" {
  type        = string
  description = "Image tag of cluster-autoscaler; null for the chart's."
  default     = null
}

variable "aws_loadbalancer_controller_tags" {
  type        = map(string)
  description = "Extra tags on what aws-load-balancer-controller creates."
  default     = {}
}

# ---- Load balancer, ingress and DNS ----

variable "public_access" {
  type        = bool
  description = "Request an ACM certificate when acm_certificate_arn is null."
  default     = false
}

variable "kubernetes_alb_internet_facing" {
  type        = bool
  description = "Scheme of the ALB: internet-facing (true) or internal (false)."
  default     = true
}

variable "kubernetes_alb_subnets" {
  type        = list(string)
  description = "Subnet IDs for the ALB; empty lets the controller choose."
  default     = []
}

variable "acm_certificate_arn" {
  type        = string
  description = "Existing ACM certificate for the ALB."
  default     = null
}

variable "allowed_inbound_cidr" {
  type        = list(string)
  description = "IPv4 CIDRs allowed to the ALB on 443."
  nullable    = false
}

variable "allowed_inbound_ipv6_cidr" {
  type        = list(string)
  description = "IPv6 CIDRs allowed to the ALB on 443."
  nullable    = false
}

variable "zone_id" {
  type        = string
  description = "Route53 hosted zone of the W&B records."
}

variable "domain_name" {
  type        = string
  description = "Domain of the W&B UI."
}

variable "external_dns" {
  type        = bool
  description = "Certificate covers the subdomain's FQDN instead of domain_name."
  default     = false
}

variable "subdomain" {
  type        = string
  description = "Host under domain_name; null for domain_name itself."
  default     = null
}

variable "extra_fqdn" {
  type        = list(string)
  description = "Extra host names in the same zone (certificate SANs and ingress hosts)."
  default     = []
}

variable "custom_domain_filter" {
  type        = string
  description = "external-dns domain filter; null for the FQDN."
  default     = null
}

# ---- Redis ----

variable "create_elasticache" {
  type        = bool
  description = "Create an ElastiCache replication group."
  default     = true
}

variable "elasticache_node_type" {
  type        = string
  description = "Cache node type; null for the size preset's."
  default     = null
}

variable "use_external_redis" {
  type        = bool
  description = "Use a Redis given by external_redis_host and external_redis_port."
  default     = false
}

variable "external_redis_host" {
  type        = string
  description = "Host of the external Redis."
  default     = null
}

variable "external_redis_port" {
  type        = string
  description = "Port of the external Redis."
  default     = null
}

variable "external_redis_params" {
  type        = object({})
  description = "Query parameters of the external Redis connection."
  default     = null
}

variable "use_ctrlplane_redis" {
  type        = bool
  description = "Use the in-cluster Redis deployed by ctrlplane."
  default     = false
}

variable "use_chainguard_redis" {
  type        = bool
  description = "Use the in-cluster Chainguard Redis."
  default     = false
}

# ---- W&B application and operator ----

variable "license" {
  type        = string
  description = "W&B license key."
}

variable "other_wandb_env" {
  type        = map(any)
  description = "Extra environment of the W&B app."
  default     = {}
}

variable "weave_wandb_env" {
  type        = map(string)
  description = "Extra environment of Weave."
  default     = {}
}

variable "parquet_wandb_env" {
  type        = map(string)
  description = "Extra environment of the parquet service."
  default     = {}
}

variable "enable_yace" {
  type        = bool
  description = "Deploy YACE, the CloudWatch metrics exporter."
  default     = true
}

variable "yace_sa_name" {
  type        = string
  description = "Service account name of YACE."
  default     = "wandb-yace"
}

variable "operator_chart_version" {
  type        = string
  description = "Version of the W&B operator Helm chart."
  default     = "1.4.2"
}

variable "controller_image_tag" {
  type        = string
  description = "Image tag of the operator's controller."
  default     = "1.20.0"
}

variable "enable_helm_operator" {
  type        = bool
  description = "Install the operator chart."
  default     = true
}

variable "enable_helm_wandb" {
  type        = bool
  description = "Install the chart holding the WeightsAndBiases resource."
  default     = true
}
