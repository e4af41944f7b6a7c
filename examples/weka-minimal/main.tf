# The smallest WEKA deployment: the module's README usage. The module builds the VPC, subnet,
# security group, IAM, ALB, control plane and a 6-backend i3en.2xlarge cluster.

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "get_weka_io_token" {
  type      = string
  sensitive = true
}

module "weka_deployment" {
  source            = "weka/weka/aws"
  version           = "2.0.1"
  prefix            = "weka"
  cluster_name      = "poc"
  allow_ssh_cidrs   = ["0.0.0.0/0"]
  get_weka_io_token = var.get_weka_io_token
  weka_version      = "4.4.10"
}

output "weka_deployment" {
  value = module.weka_deployment.cluster_helper_commands
}
