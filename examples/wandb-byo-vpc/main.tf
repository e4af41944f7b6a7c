# A W&B server in an existing VPC and subnets.

provider "aws" {
  region = "eu-central-1"
}

variable "license" {
  type      = string
  sensitive = true
}

module "wandb" {
  source  = "wandb/wandb/aws"
  version = "8.0.0"

  namespace   = "ml"
  domain_name = "ml.example.com"
  zone_id     = "Z0123456789ABCDEFGHIJ"

  create_vpc                  = false
  network_id                  = "vpc-0123456789abcdef0"
  network_private_subnets     = ["subnet-0a0000000000000a1", "subnet-0a0000000000000a2"]
  network_database_subnets    = ["subnet-0b0000000000000b1", "subnet-0b0000000000000b2"]
  network_elasticache_subnets = ["subnet-0c0000000000000c1", "subnet-0c0000000000000c2"]

  allowed_inbound_cidr      = ["10.0.0.0/8"]
  allowed_inbound_ipv6_cidr = []

  eks_cluster_version                     = "1.31"
  kubernetes_legacy_cluster_creator_admin = false
  license                                 = var.license
  size                                    = "medium"
}
