# WEKA on i8ge with a dedicated frontend container per backend.

provider "aws" {
  region = "us-west-2"
}

variable "get_weka_io_token" {
  type      = string
  sensitive = true
}

module "weka" {
  source                     = "weka/weka/aws"
  version                    = "2.0.1"
  prefix                     = "fast"
  cluster_name               = "i8"
  cluster_size               = 10
  instance_type              = "i8ge.6xlarge"
  set_dedicated_fe_container = true
  protection_level           = 4
  get_weka_io_token          = var.get_weka_io_token
  weka_version               = "4.4.10"
}
