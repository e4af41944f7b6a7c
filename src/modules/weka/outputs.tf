# The module's outputs (reference §3).

locals {
  asg_name = aws_autoscaling_group.backend.name
  describe_by_name = { for k, name in local.gateway_names : k => (
    "aws ec2 describe-instances --region ${local.region} --filters \"Name=tag:Name,Values=${name}*\" \"Name=instance-state-name,Values=running\" --query \"Reservations[].Instances[].${local.ips_type}\" --output json"
  ) }
}

output "local_ssh_private_key" {
  description = "The generated SSH private key's file (null when the key pair was not generated)."
  value       = local.generate_ssh_key ? local.ssh_private_key_path : null
}

output "cluster_name" {
  description = "The cluster's name."
  value       = local.cluster
}

output "ips_type" {
  description = "Which address the helper commands list: PublicIpAddress or PrivateIpAddress."
  value       = local.ips_type
}

output "lambda_status_name" {
  description = "The status function's name."
  value       = aws_lambda_function.this["status"].function_name
}

output "weka_cluster_admin_password_secret_id" {
  description = "The secret holding the admin password."
  value       = aws_secretsmanager_secret.weka_password.id
}

output "alb_dns_name" {
  description = "The ALB's DNS name: the custom one, else the Route53 alias, else the ALB's own (null without an ALB)."
  value = !var.create_alb ? null : (
    var.alb_dns_name != null ? var.alb_dns_name : (
      local.create_alb_dns_record ? aws_route53_record.alb[0].fqdn : aws_lb.this[0].dns_name
    )
  )
}

output "asg_name" {
  description = "The backends' autoscaling group."
  value       = local.asg_name
}

output "placement_group_name" {
  description = "The backends' placement group."
  value       = local.placement_group_name
}

output "vpc_id" {
  description = "The cluster's VPC."
  value       = local.vpc_id
}

output "subnet_ids" {
  description = "The cluster's subnets (without the ALB's second subnet)."
  value       = local.subnet_ids
}

output "sg_ids" {
  description = "The cluster's security groups."
  value       = local.sg_ids
}

output "cluster_helper_commands" {
  description = "Shell commands: the backends' IPs, the admin password, the clusterization progress."
  value = {
    get_ips      = "aws autoscaling describe-auto-scaling-groups --region ${local.region} --auto-scaling-group-names ${local.asg_name} --query \"AutoScalingGroups[].Instances[].InstanceId\" --output text | xargs -r aws ec2 describe-instances --region ${local.region} --query \"Reservations[].Instances[].${local.ips_type}\" --output json --instance-ids"
    get_password = "aws secretsmanager get-secret-value --region ${local.region} --secret-id ${aws_secretsmanager_secret.weka_password.id} --query SecretString --output text"
    get_status   = "aws lambda invoke --region ${local.region} --function-name ${aws_lambda_function.this["status"].function_name} --cli-binary-format raw-in-base64-out --payload '{\"type\": \"progress\"}' /dev/stdout"
  }
}

output "client_helper_commands" {
  description = "Shell command listing the clients' IPs (null without clients)."
  value = var.clients_number == 0 ? null : {
    get_ips = var.clients_use_autoscaling_group ? "aws autoscaling describe-auto-scaling-groups --region ${local.region} --auto-scaling-group-names ${aws_autoscaling_group.client[0].name} --query \"AutoScalingGroups[].Instances[].InstanceId\" --output text | xargs -r aws ec2 describe-instances --region ${local.region} --query \"Reservations[].Instances[].${local.ips_type}\" --output json --instance-ids" : "aws ec2 describe-instances --region ${local.region} --filters \"Name=tag:Name,Values=${local.client_name}*\" \"Name=instance-state-name,Values=running\" --query \"Reservations[].Instances[].${local.ips_type}\" --output json"
  }
}

output "client_asg_name" {
  description = "The clients' autoscaling group (null unless clients_use_autoscaling_group)."
  value       = length(aws_autoscaling_group.client) > 0 ? aws_autoscaling_group.client[0].name : null
}

output "client_ips" {
  description = "The clients' IPs (null when they run in an autoscaling group or there are none)."
  value       = var.clients_use_autoscaling_group || var.clients_number == 0 ? null : (local.assign_public_ip ? aws_instance.client[*].public_ip : aws_instance.client[*].private_ip)
}

output "nfs_protocol_gateways_ips" {
  description = "Shell command listing the NFS gateways' IPs (null without NFS gateways)."
  value       = var.nfs_protocol_gateways_number == 0 ? null : local.describe_by_name["nfs"]
}

output "smb_protocol_gateways_ips" {
  description = "Shell command listing the SMB gateways' IPs (null without SMB gateways)."
  value       = var.smb_protocol_gateways_number == 0 ? null : local.describe_by_name["smb"]
}

output "s3_protocol_gateways_ips" {
  description = "Shell command listing the S3 gateways' IPs (null without S3 gateways)."
  value       = var.s3_protocol_gateways_number == 0 ? null : local.describe_by_name["s3"]
}

output "nfs_protocol_gateways_name" {
  description = "The NFS gateways' name (null without NFS gateways)."
  value       = var.nfs_protocol_gateways_number == 0 ? null : local.gateway_names["nfs"]
}

output "smb_protocol_gateways_name" {
  description = "The SMB gateways' name (null without SMB gateways)."
  value       = var.smb_protocol_gateways_number == 0 ? null : local.gateway_names["smb"]
}

output "s3_protocol_gateways_name" {
  description = "The S3 gateways' name (null without S3 gateways)."
  value       = var.s3_protocol_gateways_number == 0 ? null : local.gateway_names["s3"]
}

output "data_services_ips" {
  description = "Shell command listing the data-services instances' IPs (null without them)."
  value       = var.data_services_number == 0 ? null : local.describe_by_name["data"]
}

output "deploy_lambda_name" {
  description = "The deploy function's name."
  value       = aws_lambda_function.this["deploy"].function_name
}

output "pre_terraform_destroy_command" {
  description = "Run before destroying: lifts the stop protection of the SMB and S3 gateways (null without them)."
  value = var.smb_protocol_gateways_number + var.s3_protocol_gateways_number == 0 ? null : join(" && ", [
    for name in compact([
      var.smb_protocol_gateways_number > 0 ? local.gateway_names["smb"] : "",
      var.s3_protocol_gateways_number > 0 ? local.gateway_names["s3"] : "",
    ]) :
    "aws ec2 describe-instances --region ${local.region} --filters \"Name=tag:Name,Values=${name}*\" --query \"Reservations[].Instances[].InstanceId\" --output text | tr '\\t' '\\n' | xargs -r -I{} aws ec2 modify-instance-attribute --region ${local.region} --instance-id {} --no-disable-api-stop"
  ])
}

output "get_cert_pem" {
  description = "Shell command printing the ALB's self-signed certificate (null when alb_cert_arn is given or there is no ALB)."
  value       = local.generate_alb_cert ? "aws secretsmanager get-secret-value --region ${local.region} --secret-id ${aws_secretsmanager_secret.self_signed_cert_pem[0].id} --query SecretString --output text" : null
}

output "get_cert_private_key" {
  description = "Always null: the public module's output of this name printed the certificate, not a private key (see get_cert_pem). The ALB's private key is never exposed."
  value       = null
}
