# Backends (reference §2.5): SSH key pair, placement group, launch template, autoscaling
# group, and the customer managed keys for EBS and (optionally) the secrets.

resource "tls_private_key" "ssh" {
  count     = local.generate_ssh_key ? 1 : 0
  algorithm = "RSA"
  rsa_bits  = 4096
}

resource "aws_key_pair" "this" {
  count      = local.create_key_pair ? 1 : 0
  key_name   = "${local.ec2_prefix}-${local.cluster}-ssh-key"
  public_key = local.generate_ssh_key ? tls_private_key.ssh[0].public_key_openssh : var.ssh_public_key
  tags       = local.tags
}

# The generated key pair, for SSH: the private key is readable by its owner only.
resource "local_sensitive_file" "ssh_private_key" {
  count           = local.generate_ssh_key ? 1 : 0
  filename        = local.ssh_private_key_path
  content         = tls_private_key.ssh[0].private_key_pem
  file_permission = "0600"
}

resource "local_file" "ssh_public_key" {
  count           = local.generate_ssh_key ? 1 : 0
  filename        = local.ssh_public_key_path
  content         = tls_private_key.ssh[0].public_key_openssh
  file_permission = "0644"
}

resource "aws_placement_group" "this" {
  count    = local.create_placement_group ? 1 : 0
  name     = "${local.ec2_prefix}-${local.cluster}-placement-group"
  strategy = "cluster"
  tags     = local.tags
}

resource "aws_launch_template" "backend" {
  name                                 = "${local.ec2_prefix}-${local.cluster}-backend-launch-template"
  image_id                             = local.backend_ami_id
  instance_type                        = var.instance_type
  key_name                             = local.key_pair_name
  disable_api_termination              = true
  disable_api_stop                     = true
  ebs_optimized                        = true
  instance_initiated_shutdown_behavior = "terminate"
  update_default_version               = true
  user_data                            = base64encode(local.boot_scripts["backend"])

  block_device_mappings {
    device_name = "/dev/sdp"
    ebs {
      volume_size           = local.backend_weka_volume_size
      volume_type           = "gp3"
      delete_on_termination = true
      encrypted             = var.ebs_encrypted
      kms_key_id            = local.ebs_kms_key_id
    }
  }

  dynamic "block_device_mappings" {
    for_each = var.backends_root_volume_size != null ? [var.backends_root_volume_size] : []
    content {
      device_name = "/dev/xvda"
      ebs {
        volume_size           = block_device_mappings.value
        volume_type           = "gp3"
        delete_on_termination = true
        encrypted             = var.ebs_encrypted
        kms_key_id            = local.ebs_kms_key_id
      }
    }
  }

  iam_instance_profile {
    arn = local.instance_profile_arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = var.metadata_http_tokens
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  monitoring {
    enabled = true
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = local.assign_public_ip
    delete_on_termination       = true
    subnet_id                   = local.subnet_id
    security_groups             = local.sg_ids
  }

  placement {
    availability_zone = local.availability_zone
    group_name        = local.placement_group_name
  }

  dynamic "capacity_reservation_specification" {
    for_each = var.capacity_reservation_id != null ? [var.capacity_reservation_id] : []
    content {
      capacity_reservation_target {
        capacity_reservation_id = capacity_reservation_specification.value
      }
    }
  }

  dynamic "tag_specifications" {
    for_each = ["instance", "network-interface", "volume"]
    content {
      resource_type = tag_specifications.value
      tags = merge(local.tags, {
        Name                = "${local.ec2_prefix}-${local.cluster}-${var.instance_type}-backend"
        weka_cluster_name   = local.cluster
        weka_hostgroup_type = "backend"
      })
    }
  }

  tags = local.tags

  lifecycle {
    precondition {
      condition     = var.weka_version != "" || var.install_weka_url != ""
      error_message = "Please provide either weka_version or install_weka_url."
    }
    precondition {
      condition     = local.container_config != null
      error_message = "instance_type \"${var.instance_type}\" is not a key of containers_config_map: add its compute, drive, frontend, nvme, nics and memory there."
    }
    precondition {
      condition     = !var.tiering_enable_obs_integration || var.tiering_obs_iam_bucket_prefix == "" || startswith(local.obs_name, var.tiering_obs_iam_bucket_prefix)
      error_message = "The tiering bucket name \"${local.obs_name}\" must start with tiering_obs_iam_bucket_prefix \"${var.tiering_obs_iam_bucket_prefix}\"."
    }
    precondition {
      condition     = var.smb_protocol_gateways_number == 0 || !var.smb_setup_protocol || var.smb_domain_name != ""
      error_message = "smb_domain_name is required to set up the SMB protocol (smb_setup_protocol = true)."
    }
    precondition {
      condition     = var.lambdas_dist == "release" || var.lambdas_version == "" || can(regex("^[0-9a-f]{32}$", var.lambdas_version))
      error_message = "Please update lambdas version."
    }
  }
}

resource "aws_autoscaling_group" "backend" {
  name                  = "${local.ec2_prefix}-${local.cluster}-autoscaling-group"
  min_size              = local.asg_min_size
  desired_capacity      = local.asg_desired_size
  max_size              = local.asg_max_size
  vpc_zone_identifier   = [local.subnet_id]
  suspended_processes   = ["ReplaceUnhealthy"]
  protect_from_scale_in = true
  target_group_arns     = var.create_alb ? [aws_lb_target_group.backend[0].arn] : []

  launch_template {
    id      = aws_launch_template.backend.id
    version = aws_launch_template.backend.latest_version
  }

  tag {
    key                 = "${local.ec2_prefix}-${local.cluster}-asg"
    value               = local.cluster
    propagate_at_launch = true
  }

  dynamic "tag" {
    for_each = local.tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = false
    }
  }

  lifecycle {
    ignore_changes = [desired_capacity, min_size, max_size]
  }
}

# ---- Customer managed keys ----

resource "aws_kms_key" "ebs" {
  count                   = local.create_ebs_kms_key ? 1 : 0
  description             = "EBS volumes of WEKA cluster ${local.cluster}"
  enable_key_rotation     = true
  deletion_window_in_days = 20
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AutoScalingUse"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
        Action = [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:DescribeKey",
        ]
        Resource = "*"
      },
      {
        Sid       = "AutoScalingGrants"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" }
        Action    = "kms:CreateGrant"
        Resource  = "*"
        Condition = { Bool = { "kms:GrantIsForAWSResource" = true } }
      },
    ]
  })
  tags = local.tags
}

resource "aws_kms_alias" "ebs" {
  count         = local.create_ebs_kms_key ? 1 : 0
  name          = "alias/${local.kms_prefix}-${local.cluster}"
  target_key_id = aws_kms_key.ebs[0].key_id
}

resource "aws_kms_key" "secrets" {
  count                   = local.create_secrets_kms_key ? 1 : 0
  description             = "Secrets of WEKA cluster ${local.cluster}"
  enable_key_rotation     = true
  deletion_window_in_days = 20
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "ControlPlaneUse"
        Effect    = "Allow"
        Principal = { AWS = local.lambda_role_arn }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
      },
    ]
  })
  tags = local.tags
}

resource "aws_kms_alias" "secrets" {
  count         = local.create_secrets_kms_key ? 1 : 0
  name          = "alias/${local.kms_prefix}-${local.cluster}-secrets"
  target_key_id = aws_kms_key.secrets[0].key_id
}
