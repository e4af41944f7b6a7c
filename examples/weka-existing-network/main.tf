# WEKA in an existing VPC: one existing subnet and security group for the cluster, and the
# ALB's second subnet in another AZ (an ALB needs two AZs).

provider "aws" {
  region = "us-east-1"
}

variable "get_weka_io_token" {
  type      = string
  sensitive = true
}

module "weka" {
  source                   = "weka/weka/aws"
  version                  = "2.0.1"
  prefix                   = "acme"
  cluster_name             = "prod"
  cluster_size             = 8
  instance_type            = "i3en.6xlarge"
  subnet_ids               = ["subnet-0a1b2c3d4e5f60718"]
  sg_ids                   = ["sg-0123456789abcdef0"]
  alb_additional_subnet_id = "subnet-0fedcba9876543210"
  assign_public_ip         = "false"
  get_weka_io_token        = var.get_weka_io_token
  weka_version             = "4.4.10"
  tags_map = {
    team = "storage"
    env  = "prod"
  }
}

output "alb_dns_name" {
  value = module.weka.alb_dns_name
}
