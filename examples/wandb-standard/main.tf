# A W&B server with everything the module creates by default: VPC, Aurora MySQL, Redis,
# S3 + SQS, EKS and DNS.

provider "aws" {
  region = "us-west-2"
}

variable "license" {
  type      = string
  sensitive = true
}

module "wandb" {
  source  = "wandb/wandb/aws"
  version = "8.0.0"

  namespace   = "wandb"
  domain_name = "example.com"
  subdomain   = "wandb"
  zone_id     = "Z0123456789ABCDEFGHIJ"

  allowed_inbound_cidr      = ["0.0.0.0/0"]
  allowed_inbound_ipv6_cidr = ["::/0"]

  eks_cluster_version                     = "1.31"
  kubernetes_legacy_cluster_creator_admin = false
  license                                 = var.license
  size                                    = "small"
}

output "url" {
  value = module.wandb.url
}
