# A W&B server reachable only from inside the VPC (internal ALB, private-only traffic).

provider "aws" {
  region = "us-east-1"
}

variable "license" {
  type      = string
  sensitive = true
}

module "wandb" {
  source  = "wandb/wandb/aws"
  version = "8.0.0"

  namespace   = "wandb-private"
  domain_name = "internal.example.com"
  zone_id     = "Z0123456789ABCDEFGHIJ"

  private_only_traffic           = true
  kubernetes_alb_internet_facing = false
  allowed_private_endpoint_cidr  = ["10.10.0.0/16"]

  allowed_inbound_cidr      = ["10.10.0.0/16"]
  allowed_inbound_ipv6_cidr = []

  eks_cluster_version                     = "1.31"
  kubernetes_legacy_cluster_creator_admin = false
  license                                 = var.license
}
