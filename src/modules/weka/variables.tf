# The inputs of the built-in WEKA module (source = "weka/weka/aws"), with the types, defaults
# and validations of the public module weka/terraform-aws-weka v2.0.1. clusterform parses
# this file with its own HCL parser and checks module arguments against it.

# ---- Naming, tags, misc ----

variable "prefix" {
  type        = string
  description = "Prefix for all resource names."
  default     = "weka"
}

variable "custom_prefix" {
  type        = map(string)
  description = "Per-family name prefixes overriding prefix. Keys: lb, db, kms, cloudwatch, sfn, lambda, secrets, ec2, iam, obs."
  default     = {}
  validation {
    condition     = alltrue([for k in keys(var.custom_prefix) : contains(["lb", "db", "kms", "cloudwatch", "sfn", "lambda", "secrets", "ec2", "iam", "obs"], k)])
    error_message = "Allowed custom_prefix keys are: lb, db, kms, cloudwatch, sfn, lambda, secrets, ec2, iam, obs."
  }
}

variable "cluster_name" {
  type        = string
  description = "Cluster name; part of every resource name."
  default     = "poc"
}

variable "tags_map" {
  type        = map(string)
  description = "Tags for every resource (merged with the module's fixed tags)."
  default     = {}
}

variable "proxy_url" {
  type        = string
  description = "HTTPS proxy for installs, the CloudWatch agent and weka cloud proxy."
  default     = ""
}

variable "weka_home_url" {
  type        = string
  description = "WEKA Home URL (weka cloud enable --cloud-url)."
  default     = ""
}

variable "custom_data" {
  type        = string
  description = "Backend user-data snippet, run before ENI creation."
  default     = ""
}

variable "post_cluster_setup_script" {
  type        = string
  description = "Script run on the clusterizing node at the end of clusterization."
  default     = ""
}

variable "metadata_http_tokens" {
  type        = string
  description = "IMDS token mode: required (IMDSv2) or optional."
  default     = "required"
}

variable "debug_down_backends_removal_timeout" {
  type        = string
  description = "How long a down backend is kept before removal (a Go duration such as 3h)."
  default     = "3h"
}

# ---- Sizing, compute, WEKA software ----

variable "cluster_size" {
  type        = number
  description = "Number of backend instances."
  default     = 6
  validation {
    condition     = var.cluster_size >= 6
    error_message = "Cluster size should be at least 6."
  }
}

variable "instance_type" {
  type        = string
  description = "Backend instance type; must be a key of containers_config_map."
  default     = "i3en.2xlarge"
}

variable "ami_id" {
  type        = string
  description = "Backend AMI; null selects the newest Amazon Linux 2023 for the architecture."
  default     = null
}

variable "containers_config_map" {
  type = map(object({
    compute  = number
    drive    = number
    frontend = number
    nvme     = number
    nics     = number
    memory   = list(string)
  }))
  description = "Per instance type: compute, drive and frontend cores, NVMe devices, NICs and WEKA memory [without, with a dedicated frontend]."
  default = {
    "i3en.2xlarge"  = { compute = 1, drive = 1, frontend = 1, nvme = 2, nics = 4, memory = ["32.9GB", "32.64GB"] }
    "i3en.3xlarge"  = { compute = 1, drive = 1, frontend = 1, nvme = 1, nics = 4, memory = ["62GB", "61.7GB"] }
    "i3en.6xlarge"  = { compute = 4, drive = 2, frontend = 1, nvme = 2, nics = 8, memory = ["136.5GB", "136.2GB"] }
    "i3en.12xlarge" = { compute = 4, drive = 2, frontend = 1, nvme = 4, nics = 8, memory = ["310.7GB", "310.4GB"] }
    "i3en.24xlarge" = { compute = 9, drive = 4, frontend = 1, nvme = 8, nics = 15, memory = ["384GB", "384GB"] }
    "i8ge.2xlarge"  = { compute = 1, drive = 1, frontend = 1, nvme = 2, nics = 4, memory = ["32.9GB", "32.64GB"] }
    "i8ge.3xlarge"  = { compute = 3, drive = 1, frontend = 1, nvme = 1, nics = 6, memory = ["62GB", "61.7GB"] }
    "i8ge.6xlarge"  = { compute = 6, drive = 2, frontend = 1, nvme = 2, nics = 10, memory = ["136.5GB", "136.2GB"] }
    "i8ge.12xlarge" = { compute = 6, drive = 4, frontend = 1, nvme = 4, nics = 12, memory = ["310.7GB", "310.4GB"] }
    "i8ge.18xlarge" = { compute = 11, drive = 3, frontend = 1, nvme = 6, nics = 16, memory = ["347GB", "347GB"] }
    "i8ge.24xlarge" = { compute = 10, drive = 4, frontend = 1, nvme = 8, nics = 16, memory = ["384GB", "384GB"] }
    "i8ge.48xlarge" = { compute = 14, drive = 8, frontend = 1, nvme = 16, nics = 24, memory = ["384GB", "384GB"] }
  }
  validation {
    condition     = alltrue([for t, c in var.containers_config_map : alltrue([for m in c.memory : tonumber(trimsuffix(m, "GB")) <= 384])])
    error_message = "Memory must be at most 384GB for every instance type."
  }
}

variable "weka_version" {
  type        = string
  description = "WEKA version to install (weka_version or install_weka_url is required)."
  default     = ""
}

variable "install_weka_url" {
  type        = string
  description = "URL of a WEKA .tar (s3, gs or http) or of an install script."
  default     = ""
}

variable "get_weka_io_token" {
  type        = string
  description = "get.weka.io download token."
  sensitive   = true
}

variable "get_weka_io_token_secret_id" {
  type        = string
  description = "Existing Secrets Manager secret holding the get.weka.io token."
  default     = ""
}

variable "install_cluster_dpdk" {
  type        = bool
  description = "Install the cluster with DPDK; false means UDP mode with one NIC."
  default     = true
}

variable "protection_level" {
  type        = number
  description = "Data protection level."
  default     = 2
  validation {
    condition     = var.protection_level == 2 || var.protection_level == 4
    error_message = "Allowed protection_level values: [2, 4]."
  }
}

variable "stripe_width" {
  type        = number
  description = "Stripe width; -1 selects min(cluster_size - protection_level - 1, 16)."
  default     = -1
  validation {
    condition     = var.stripe_width == -1 || (var.stripe_width >= 3 && var.stripe_width <= 16)
    error_message = "The stripe_width value can take values from 3 to 16."
  }
}

variable "hotspare" {
  type        = number
  description = "Number of hot spares."
  default     = 1
  validation {
    condition     = var.hotspare >= 1
    error_message = "Hotspare value should be at least 1."
  }
}

variable "set_default_fs" {
  type        = bool
  description = "Create the filesystem \"default\" over all unprovisioned capacity."
  default     = true
}

variable "weka_cgroups_mode" {
  type        = string
  description = "WEKA cgroups mode for backends."
  default     = "force_v2"
  validation {
    condition     = contains(["auto", "force_v2"], var.weka_cgroups_mode)
    error_message = "Allowed weka_cgroups_mode values: [auto, force_v2]."
  }
}

variable "backends_weka_volume_size" {
  type        = number
  description = "Backend WEKA volume size in GB (48 + 10 per extra NIC is what WEKA uses)."
  default     = 48
}

variable "placement_group_name" {
  type        = string
  description = "Existing placement group for the backends; null creates one."
  default     = null
  validation {
    condition     = var.placement_group_name != ""
    error_message = "placement_group_name should be null or a non-empty string."
  }
}

variable "set_dedicated_fe_container" {
  type        = bool
  description = "Run a dedicated frontend container on each backend."
  default     = false
}

variable "backends_root_volume_size" {
  type        = number
  description = "Backend root volume size in GB; null keeps the AMI's."
  default     = null
}

variable "capacity_reservation_id" {
  type        = string
  description = "Capacity reservation for the backends."
  default     = null
}

variable "use_placement_group" {
  type        = bool
  description = "Put the backends in a cluster placement group."
  default     = true
}

variable "enable_key_pair" {
  type        = bool
  description = "Attach an SSH key pair to the instances."
  default     = true
}

variable "ssh_public_key" {
  type        = string
  description = "SSH public key to import; null generates one unless key_pair_name is given."
  default     = null
}

variable "key_pair_name" {
  type        = string
  description = "Existing key pair name."
  default     = null
}

variable "instance_iam_profile_arn" {
  type        = string
  description = "Existing backend instance profile; empty creates one."
  default     = ""
}

variable "lambda_iam_role_arn" {
  type        = string
  description = "Existing lambda role; empty creates one."
  default     = ""
}

variable "sfn_iam_role_arn" {
  type        = string
  description = "Existing Step Functions role; empty creates one."
  default     = ""
}

variable "event_iam_role_arn" {
  type        = string
  description = "Existing EventBridge role; empty creates one."
  default     = ""
}

variable "additional_instance_iam_policy_statement" {
  type = list(object({
    Effect   = string
    Action   = list(string)
    Resource = list(string)
  }))
  description = "Extra statements for the backend instance policy."
  default     = null
}

variable "ebs_encrypted" {
  type        = bool
  description = "Encrypt the EBS volumes."
  default     = true
}

variable "ebs_kms_key_id" {
  type        = string
  description = "KMS key for EBS encryption; null creates a customer managed key."
  default     = null
}

# ---- Network ----

variable "availability_zones" {
  type        = list(string)
  description = "Availability zone of the cluster (one)."
  default     = []
  validation {
    condition     = length(var.availability_zones) <= 1
    error_message = "Multiple AZs are not supported."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Existing subnet for the cluster (one); empty creates the network."
  default     = []
  validation {
    condition     = length(var.subnet_ids) <= 1
    error_message = "Multiple subnets are not supported."
  }
}

variable "subnets_cidrs" {
  type        = list(string)
  description = "CIDR of the cluster subnet when the module creates the network."
  default     = ["10.0.1.0/24"]
  validation {
    condition     = length(var.subnets_cidrs) <= 1
    error_message = "Multiple subnets are not supported."
  }
}

variable "assign_public_ip" {
  type        = string
  description = "Public IPs for the instances: true, false or auto (public only when the module creates the network)."
  default     = "auto"
  validation {
    condition     = contains(["true", "false", "auto"], var.assign_public_ip)
    error_message = "Allowed assign_public_ip values: [true, false, auto]."
  }
}

variable "sg_ids" {
  type        = list(string)
  description = "Existing security groups; empty creates one."
  default     = []
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR of the VPC when the module creates the network."
  default     = "10.0.0.0/16"
}

variable "subnet_autocreate_as_private" {
  type        = bool
  description = "Create private subnets (no public IPs)."
  default     = false
}

variable "create_nat_gateway" {
  type        = bool
  description = "Create a NAT gateway for private subnets."
  default     = false
}

variable "nat_public_subnet_cidr" {
  type        = string
  description = "CIDR of the public subnet holding the NAT gateway."
  default     = "10.0.2.0/24"
}

variable "allow_ssh_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach port 22."
  default     = []
}

variable "allow_weka_api_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the WEKA API on port 14000."
  default     = []
}

variable "alb_allow_https_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the ALB on port 443."
  default     = []
}

variable "sg_custom_ingress_rules" {
  type = list(object({
    from_port   = string
    to_port     = string
    protocol    = string
    cidr_blocks = list(string)
  }))
  description = "Extra ingress rules for the cluster security group."
  default     = []
}

# ---- ALB / DNS ----

variable "create_alb" {
  type        = bool
  description = "Create an internal application load balancer in front of the backends."
  default     = true
}

variable "alb_subnet_id" {
  type        = string
  description = "ALB subnet; empty uses the cluster subnet."
  default     = ""
}

variable "alb_additional_subnet_id" {
  type        = string
  description = "Second ALB subnet, in another AZ (required with subnet_ids)."
  default     = ""
}

variable "alb_additional_subnet_cidr_block" {
  type        = string
  description = "CIDR of the ALB's second subnet when the module creates the network."
  default     = "10.0.3.0/24"
}

variable "alb_additional_subnet_zone" {
  type        = string
  description = "AZ of the ALB's second subnet; empty picks the next AZ."
  default     = ""
}

variable "alb_sg_ids" {
  type        = list(string)
  description = "ALB security groups; empty uses the cluster's."
  default     = []
}

variable "alb_cert_arn" {
  type        = string
  description = "ACM certificate for the ALB listeners; null generates a self-signed one."
  default     = null
}

variable "alb_alias_name" {
  type        = string
  description = "Route53 alias name for the ALB."
  default     = ""
}

variable "alb_route53_zone_id" {
  type        = string
  description = "Route53 zone for the alias record."
  default     = ""
}

variable "alb_dns_name" {
  type        = string
  description = "Custom DNS name of the ALB, without https://."
  default     = null
}

# ---- OBS tiering ----

variable "tiering_enable_obs_integration" {
  type        = bool
  description = "Tier to S3."
  default     = false
}

variable "tiering_obs_name" {
  type        = string
  description = "Tiering bucket; empty creates <obs_prefix>-<cluster>-obs."
  default     = ""
}

variable "tiering_enable_ssd_percent" {
  type        = number
  description = "Share of the filesystem kept on SSD when tiering."
  default     = 20
}

variable "tiering_obs_target_ssd_retention" {
  type        = number
  description = "Target SSD retention in seconds."
  default     = 86400
}

variable "tiering_obs_start_demote" {
  type        = number
  description = "Seconds before data is demoted to object storage."
  default     = 10
}

variable "tiering_obs_iam_bucket_prefix" {
  type        = string
  description = "Prefix the tiering bucket's name must start with (scopes the IAM policy)."
  default     = ""
}

# ---- Clients ----

variable "clients_number" {
  type        = number
  description = "Number of WEKA client instances."
  default     = 0
}

variable "client_instance_type" {
  type        = string
  description = "Client instance type."
  default     = "c5.2xlarge"
}

variable "client_instance_iam_profile_arn" {
  type        = string
  description = "Existing client instance profile; empty creates one."
  default     = ""
}

variable "client_instance_ami_id" {
  type        = string
  description = "Client AMI; null selects Amazon Linux 2023 for the architecture."
  default     = null
}

variable "client_frontend_cores" {
  type        = number
  description = "Client frontend cores (one NIC per core)."
  default     = 1
}

variable "clients_use_dpdk" {
  type        = bool
  description = "Mount clients with DPDK."
  default     = true
}

variable "client_placement_group_name" {
  type        = string
  description = "Placement group for the clients."
  default     = null
  validation {
    condition     = var.client_placement_group_name != ""
    error_message = "client_placement_group_name should be null or a non-empty string."
  }
}

variable "client_use_backends_placement_group" {
  type        = bool
  description = "Put the clients in the backends' placement group."
  default     = true
}

variable "clients_root_volume_size" {
  type        = number
  description = "Client root volume size in GB."
  default     = 48
}

variable "clients_use_autoscaling_group" {
  type        = bool
  description = "Run the clients in an autoscaling group."
  default     = false
}

variable "clients_custom_data" {
  type        = string
  description = "Deprecated: use clients_custom_data_pre_mount."
  default     = ""
}

variable "clients_custom_data_pre_mount" {
  type        = string
  description = "Client user-data run before mounting."
  default     = ""
}

variable "clients_custom_data_post_mount" {
  type        = string
  description = "Client user-data run after mounting."
  default     = ""
}

variable "client_arch" {
  type        = string
  description = "Client architecture (arm64 or x86_64); null derives it from the instance type."
  default     = null
  validation {
    condition     = var.client_arch == null || contains(["arm64", "x86_64"], coalesce(var.client_arch, "x86_64"))
    error_message = "Allowed client_arch values: [arm64, x86_64]."
  }
}

variable "client_capacity_reservation_id" {
  type        = string
  description = "Capacity reservation for the clients."
  default     = null
}

variable "clients_weka_cgroups_mode" {
  type        = string
  description = "WEKA cgroups mode for clients."
  default     = "force_v2"
  validation {
    condition     = contains(["auto", "force_v2"], var.clients_weka_cgroups_mode)
    error_message = "Allowed clients_weka_cgroups_mode values: [auto, force_v2]."
  }
}

# ---- Protocol gateways ----

variable "nfs_protocol_gateways_number" {
  type        = number
  description = "Number of NFS protocol gateways."
  default     = 0
  validation {
    condition     = var.nfs_protocol_gateways_number >= 0
    error_message = "The amount of NFS protocol gateways must not be negative."
  }
}

variable "nfs_protocol_gateway_instance_type" {
  type        = string
  description = "NFS gateway instance type."
  default     = "c5n.2xlarge"
}

variable "nfs_protocol_gateway_fe_cores_num" {
  type        = number
  description = "NFS gateway frontend cores."
  default     = 1
}

variable "nfs_protocol_gateway_secondary_ips_per_nic" {
  type        = number
  description = "Secondary IPs per NIC on each NFS gateway."
  default     = 3
}

variable "nfs_protocol_gateway_weka_volume_size" {
  type        = number
  description = "NFS gateway WEKA volume size in GB."
  default     = 48
}

variable "nfs_protocol_gateway_root_volume_size" {
  type        = number
  description = "NFS gateway root volume size in GB."
  default     = null
}

variable "nfs_protocol_gateway_instance_iam_profile_arn" {
  type        = string
  description = "Existing NFS gateway instance profile; empty creates one."
  default     = ""
}

variable "nfs_protocol_gateway_instance_ami_id" {
  type        = string
  description = "NFS gateway AMI."
  default     = null
}

variable "nfs_protocol_gateway_subnet_id" {
  type        = string
  description = "NFS gateway subnet; null uses the cluster subnet."
  default     = null
}

variable "nfs_setup_protocol" {
  type        = bool
  description = "Configure the NFS protocol on the gateways."
  default     = true
}

variable "nfs_capacity_reservation_id" {
  type        = string
  description = "Capacity reservation for the NFS gateways."
  default     = null
}

variable "nfs_protocol_gateway_weka_cgroups_mode" {
  type        = string
  description = "WEKA cgroups mode for NFS gateways."
  default     = "force_v2"
  validation {
    condition     = contains(["auto", "force_v2"], var.nfs_protocol_gateway_weka_cgroups_mode)
    error_message = "Allowed nfs_protocol_gateway_weka_cgroups_mode values: [auto, force_v2]."
  }
}

variable "nfs_interface_group_name" {
  type        = string
  description = "NFS interface group name."
  default     = "weka-ig"
  validation {
    condition     = length(var.nfs_interface_group_name) <= 11
    error_message = "The interface group name should be up to 11 characters long."
  }
}

variable "smb_protocol_gateways_number" {
  type        = number
  description = "Number of SMB protocol gateways."
  default     = 0
  validation {
    condition     = var.smb_protocol_gateways_number == 0 || (var.smb_protocol_gateways_number >= 3 && var.smb_protocol_gateways_number <= 8)
    error_message = "The amount of SMB protocol gateways should be at least 3 and at most 8."
  }
}

variable "smb_protocol_gateway_instance_type" {
  type        = string
  description = "SMB gateway instance type."
  default     = "c5n.2xlarge"
}

variable "smb_protocol_gateway_fe_cores_num" {
  type        = number
  description = "SMB gateway frontend cores."
  default     = 1
}

variable "smb_protocol_gateway_secondary_ips_per_nic" {
  type        = number
  description = "Secondary IPs per NIC on each SMB gateway."
  default     = 0
  validation {
    condition     = var.smb_protocol_gateway_secondary_ips_per_nic <= 3
    error_message = "The number of secondary IPs per NIC per SMB protocol gateway should be at most 3."
  }
}

variable "smb_protocol_gateway_weka_volume_size" {
  type        = number
  description = "SMB gateway WEKA volume size in GB."
  default     = 48
}

variable "smb_protocol_gateway_root_volume_size" {
  type        = number
  description = "SMB gateway root volume size in GB."
  default     = null
}

variable "smb_protocol_gateway_instance_iam_profile_arn" {
  type        = string
  description = "Existing SMB gateway instance profile; empty creates one."
  default     = ""
}

variable "smb_protocol_gateway_instance_ami_id" {
  type        = string
  description = "SMB gateway AMI."
  default     = null
}

variable "smb_protocol_gateway_subnet_id" {
  type        = string
  description = "SMB gateway subnet; null uses the cluster subnet."
  default     = null
}

variable "smb_setup_protocol" {
  type        = bool
  description = "Configure the SMB protocol on the gateways."
  default     = true
}

variable "smb_capacity_reservation_id" {
  type        = string
  description = "Capacity reservation for the SMB gateways."
  default     = null
}

variable "smb_protocol_gateway_weka_cgroups_mode" {
  type        = string
  description = "WEKA cgroups mode for SMB gateways."
  default     = "force_v2"
  validation {
    condition     = contains(["auto", "force_v2"], var.smb_protocol_gateway_weka_cgroups_mode)
    error_message = "Allowed smb_protocol_gateway_weka_cgroups_mode values: [auto, force_v2]."
  }
}

variable "smbw_enabled" {
  type        = bool
  description = "Enable SMB-W."
  default     = true
}

variable "smb_cluster_name" {
  type        = string
  description = "SMB cluster name."
  default     = "Weka-SMB"
  validation {
    condition     = length(var.smb_cluster_name) > 0 && length(var.smb_cluster_name) <= 15
    error_message = "The SMB cluster name should be 1 to 15 characters long."
  }
}

variable "smb_domain_name" {
  type        = string
  description = "Active Directory domain of the SMB cluster (required when smb_setup_protocol is true)."
  default     = ""
}

variable "s3_protocol_gateways_number" {
  type        = number
  description = "Number of S3 protocol gateways."
  default     = 0
  validation {
    condition     = var.s3_protocol_gateways_number >= 0
    error_message = "The amount of S3 protocol gateways must not be negative."
  }
}

variable "s3_protocol_gateway_instance_type" {
  type        = string
  description = "S3 gateway instance type."
  default     = "c5n.2xlarge"
}

variable "s3_protocol_gateway_fe_cores_num" {
  type        = number
  description = "S3 gateway frontend cores."
  default     = 1
}

variable "s3_protocol_gateway_weka_volume_size" {
  type        = number
  description = "S3 gateway WEKA volume size in GB."
  default     = 48
}

variable "s3_protocol_gateway_root_volume_size" {
  type        = number
  description = "S3 gateway root volume size in GB."
  default     = null
}

variable "s3_protocol_gateway_instance_iam_profile_arn" {
  type        = string
  description = "Existing S3 gateway instance profile; empty creates one."
  default     = ""
}

variable "s3_protocol_gateway_instance_ami_id" {
  type        = string
  description = "S3 gateway AMI."
  default     = null
}

variable "s3_protocol_gateway_subnet_id" {
  type        = string
  description = "S3 gateway subnet; null uses the cluster subnet."
  default     = null
}

variable "s3_setup_protocol" {
  type        = bool
  description = "Configure the S3 protocol on the gateways."
  default     = true
}

variable "s3_capacity_reservation_id" {
  type        = string
  description = "Capacity reservation for the S3 gateways."
  default     = null
}

variable "s3_protocol_gateway_weka_cgroups_mode" {
  type        = string
  description = "WEKA cgroups mode for S3 gateways."
  default     = "force_v2"
  validation {
    condition     = contains(["auto", "force_v2"], var.s3_protocol_gateway_weka_cgroups_mode)
    error_message = "Allowed s3_protocol_gateway_weka_cgroups_mode values: [auto, force_v2]."
  }
}

# ---- Data services ----

variable "data_services_number" {
  type        = number
  description = "Number of data-services instances (deployed by default, as in the public module)."
  default     = 2
  validation {
    condition     = var.data_services_number >= 0
    error_message = "The amount of data services must not be negative."
  }
}

variable "data_services_instance_type" {
  type        = string
  description = "Data-services instance type."
  default     = "m6i.xlarge"
}

variable "data_services_weka_volume_size" {
  type        = number
  description = "Data-services WEKA volume size in GB."
  default     = 48
}

variable "data_services_root_volume_size" {
  type        = number
  description = "Data-services root volume size in GB."
  default     = null
}

variable "data_services_subnet_id" {
  type        = string
  description = "Data-services subnet; null uses the cluster subnet."
  default     = null
}

variable "data_services_instance_ami_id" {
  type        = string
  description = "Data-services AMI."
  default     = null
}

variable "data_services_instance_iam_profile_arn" {
  type        = string
  description = "Existing data-services instance profile; empty creates one."
  default     = ""
}

variable "data_services_capacity_reservation_id" {
  type        = string
  description = "Capacity reservation for data services."
  default     = null
}

variable "data_services_weka_cgroups_mode" {
  type        = string
  description = "WEKA cgroups mode for data services."
  default     = "force_v2"
  validation {
    condition     = contains(["auto", "force_v2"], var.data_services_weka_cgroups_mode)
    error_message = "Allowed data_services_weka_cgroups_mode values: [auto, force_v2]."
  }
}

# ---- Lambdas, secrets, endpoints, state ----

variable "dynamodb_table_name" {
  type        = string
  description = "Existing DynamoDB table for the cluster state; empty creates one."
  default     = ""
}

variable "dynamodb_hash_key_name" {
  type        = string
  description = "Hash key of the state table."
  default     = "Key"
}

variable "lambdas_version" {
  type        = string
  description = "Accepted for compatibility: clusterform runs its own control plane (clusterform-lambda), so no lambda package version is needed."
  default     = ""
}

variable "lambdas_dist" {
  type        = string
  description = "Lambda distribution: dev or release."
  default     = "release"
  validation {
    condition     = contains(["dev", "release"], var.lambdas_dist)
    error_message = "Allowed lambdas_dist values: [dev, release]."
  }
}

variable "lambdas_custom_s3_bucket" {
  type        = string
  description = "Custom S3 bucket holding the lambda package."
  default     = null
}

variable "lambdas_custom_s3_key" {
  type        = string
  description = "Custom S3 key of the lambda package."
  default     = null
}

variable "enable_lambda_vpc_config" {
  type        = bool
  description = "Attach every lambda to the VPC (scale-down and management always are)."
  default     = false
}

variable "secretmanager_use_vpc_endpoint" {
  type        = bool
  description = "Reach Secrets Manager through a VPC endpoint."
  default     = true
}

variable "secretmanager_create_vpc_endpoint" {
  type        = bool
  description = "Create the Secrets Manager VPC endpoint."
  default     = true
}

variable "secretmanager_sg_ids" {
  type        = list(string)
  description = "Security groups of the Secrets Manager endpoint."
  default     = []
}

variable "secretmanager_kms_key_id" {
  type        = string
  description = "KMS key for the secrets; null creates one when encryption is on."
  default     = null
}

variable "secretmanager_enable_encryption" {
  type        = bool
  description = "Encrypt the secrets with a customer managed key."
  default     = false
}

variable "vpc_endpoint_ec2_create" {
  type        = bool
  description = "Create the ec2 VPC endpoint."
  default     = false
}

variable "vpc_endpoint_s3_gateway_create" {
  type        = bool
  description = "Create the s3 gateway VPC endpoint."
  default     = false
}

variable "vpc_endpoint_proxy_create" {
  type        = bool
  description = "Create the proxy VPC endpoint."
  default     = false
}

variable "vpc_endpoint_lambda_create" {
  type        = bool
  description = "Create the lambda VPC endpoint."
  default     = false
}

variable "vpc_endpoint_dynamodb_gateway_create" {
  type        = bool
  description = "Create the dynamodb gateway VPC endpoint."
  default     = false
}

variable "vpc_endpoint_autoscaling_create" {
  type        = bool
  description = "Create the autoscaling VPC endpoint."
  default     = false
}
