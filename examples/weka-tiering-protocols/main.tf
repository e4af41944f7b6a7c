# WEKA with S3 tiering, NFS and SMB protocol gateways and two clients.

provider "aws" {
  region = "eu-west-1"
}

variable "get_weka_io_token" {
  type      = string
  sensitive = true
}

module "weka" {
  source            = "weka/weka/aws"
  version           = "2.0.1"
  prefix            = "lab"
  cluster_name      = "tiered"
  cluster_size      = 6
  instance_type     = "i3en.3xlarge"
  get_weka_io_token = var.get_weka_io_token
  weka_version      = "4.4.10"

  tiering_enable_obs_integration = true
  tiering_obs_name               = "lab-tiered-obs"
  tiering_enable_ssd_percent     = 25

  nfs_protocol_gateways_number = 2
  nfs_interface_group_name     = "weka-ig"

  smb_protocol_gateways_number = 3
  smb_domain_name              = "corp.example.com"

  clients_number       = 2
  client_instance_type = "c5.2xlarge"
}

output "nfs_gateways" {
  value = module.weka.nfs_protocol_gateways_ips
}
