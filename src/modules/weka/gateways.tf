# Protocol gateways and data services (reference §2.11): NFS gateways and data services in
# autoscaling groups, SMB and S3 gateways as instances with termination and stop protection.
# Each group has its own role (unless an instance profile is given) and launch template, and
# reuses the backends' placement group.

locals {
  gateway_names = {
    nfs  = "${local.ec2_prefix}-${local.cluster}-nfs-protocol-gateway"
    smb  = "${local.ec2_prefix}-${local.cluster}-smb-protocol-gateway"
    s3   = "${local.ec2_prefix}-${local.cluster}-s3-protocol-gateway"
    data = "${local.ec2_prefix}-${local.cluster}-data-services"
  }
  gateway_iam_names = {
    nfs  = "${local.iam_prefix}-${local.cluster}-nfs-protocol-gateway"
    smb  = "${local.iam_prefix}-${local.cluster}-smb-protocol-gateway"
    s3   = "${local.iam_prefix}-${local.cluster}-s3-protocol-gateway"
    data = "${local.iam_prefix}-${local.cluster}-data-services"
  }
  gateway_groups_all = {
    nfs = {
      number                  = var.nfs_protocol_gateways_number
      instance_type           = var.nfs_protocol_gateway_instance_type
      weka_volume_size        = var.nfs_protocol_gateway_weka_volume_size
      root_volume_size        = var.nfs_protocol_gateway_root_volume_size
      iam_profile_arn         = var.nfs_protocol_gateway_instance_iam_profile_arn
      ami_id                  = var.nfs_protocol_gateway_instance_ami_id
      subnet_id               = var.nfs_protocol_gateway_subnet_id
      capacity_reservation_id = var.nfs_capacity_reservation_id
      hostgroup_type          = "gateways-protocol"
      protocol                = "NFS"
    }
    smb = {
      number                  = var.smb_protocol_gateways_number
      instance_type           = var.smb_protocol_gateway_instance_type
      weka_volume_size        = var.smb_protocol_gateway_weka_volume_size
      root_volume_size        = var.smb_protocol_gateway_root_volume_size
      iam_profile_arn         = var.smb_protocol_gateway_instance_iam_profile_arn
      ami_id                  = var.smb_protocol_gateway_instance_ami_id
      subnet_id               = var.smb_protocol_gateway_subnet_id
      capacity_reservation_id = var.smb_capacity_reservation_id
      hostgroup_type          = "gateways-protocol"
      protocol                = "SMB"
    }
    s3 = {
      number                  = var.s3_protocol_gateways_number
      instance_type           = var.s3_protocol_gateway_instance_type
      weka_volume_size        = var.s3_protocol_gateway_weka_volume_size
      root_volume_size        = var.s3_protocol_gateway_root_volume_size
      iam_profile_arn         = var.s3_protocol_gateway_instance_iam_profile_arn
      ami_id                  = var.s3_protocol_gateway_instance_ami_id
      subnet_id               = var.s3_protocol_gateway_subnet_id
      capacity_reservation_id = var.s3_capacity_reservation_id
      hostgroup_type          = "gateways-protocol"
      protocol                = "S3"
    }
    data = {
      number                  = var.data_services_number
      instance_type           = var.data_services_instance_type
      weka_volume_size        = var.data_services_weka_volume_size
      root_volume_size        = var.data_services_root_volume_size
      iam_profile_arn         = var.data_services_instance_iam_profile_arn
      ami_id                  = var.data_services_instance_ami_id
      subnet_id               = var.data_services_subnet_id
      capacity_reservation_id = var.data_services_capacity_reservation_id
      hostgroup_type          = "data-services"
      protocol                = "DATA"
    }
  }
  gateway_groups = { for k, g in local.gateway_groups_all : k => g if g.number > 0 }
  gateway_roles  = { for k, g in local.gateway_groups : k => g if g.iam_profile_arn == "" }
  gateway_tags = { for k, g in local.gateway_groups : k => merge(local.tags, {
    Name                = local.gateway_names[k]
    weka_cluster_name   = local.cluster
    weka_hostgroup_type = g.hostgroup_type
    }, g.hostgroup_type == "gateways-protocol" ? { protocol = g.protocol } : {})
  }
}

resource "aws_iam_role" "gateway" {
  for_each = local.gateway_roles
  name     = local.gateway_iam_names[each.key]
  path     = "/"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
  tags = local.tags
}

resource "aws_iam_policy" "gateway" {
  for_each = local.gateway_roles
  name     = "${local.gateway_iam_names[each.key]}-policy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "ec2:DescribeNetworkInterfaces",
          "ec2:AttachNetworkInterface",
          "ec2:CreateNetworkInterface",
          "ec2:DeleteNetworkInterface",
          "ec2:ModifyNetworkInterfaceAttribute",
          "ec2:AssignPrivateIpAddresses",
          "ec2:DescribeInstances",
          "ec2:CreateTags",
        ]
        Resource = ["*"]
      },
      {
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = ["${local.lambda_arn_prefix}*"]
      },
      {
        Effect = "Allow"
        Action = [
          "logs:CreateLogGroup",
          "logs:CreateLogStream",
          "logs:PutLogEvents",
          "logs:DescribeLogStreams",
          "logs:PutRetentionPolicy",
        ]
        Resource = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/wekaio/${local.gateway_names[each.key]}*"]
      },
    ]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "gateway" {
  for_each   = local.gateway_roles
  role       = aws_iam_role.gateway[each.key].name
  policy_arn = aws_iam_policy.gateway[each.key].arn
}

resource "aws_iam_instance_profile" "gateway" {
  for_each = local.gateway_roles
  name     = "${local.gateway_iam_names[each.key]}-instance-profile"
  role     = aws_iam_role.gateway[each.key].name
  tags     = local.tags
}

resource "aws_launch_template" "gateway" {
  for_each                             = local.gateway_groups
  name                                 = "${local.gateway_names[each.key]}-launch-template"
  image_id                             = each.value.ami_id != null ? each.value.ami_id : local.al2023_ssm["x86_64"]
  instance_type                        = each.value.instance_type
  key_name                             = local.key_pair_name
  disable_api_termination              = each.key == "smb" || each.key == "s3"
  disable_api_stop                     = each.key == "smb" || each.key == "s3"
  ebs_optimized                        = true
  instance_initiated_shutdown_behavior = "terminate"
  update_default_version               = true
  user_data                            = base64encode(local.boot_scripts[each.key])

  block_device_mappings {
    device_name = "/dev/sdp"
    ebs {
      volume_size           = each.value.weka_volume_size
      volume_type           = "gp3"
      delete_on_termination = true
      encrypted             = var.ebs_encrypted
      kms_key_id            = local.ebs_kms_key_id
    }
  }

  dynamic "block_device_mappings" {
    for_each = each.value.root_volume_size != null ? [each.value.root_volume_size] : []
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
    arn = each.value.iam_profile_arn != "" ? each.value.iam_profile_arn : aws_iam_instance_profile.gateway[each.key].arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = var.metadata_http_tokens
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = local.assign_public_ip
    delete_on_termination       = true
    subnet_id                   = each.value.subnet_id != null ? each.value.subnet_id : local.subnet_id
    security_groups             = local.sg_ids
  }

  placement {
    availability_zone = local.availability_zone
    group_name        = local.placement_group_name
  }

  dynamic "capacity_reservation_specification" {
    for_each = each.value.capacity_reservation_id != null ? [each.value.capacity_reservation_id] : []
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
      tags          = local.gateway_tags[each.key]
    }
  }

  tags = local.tags
}

resource "aws_autoscaling_group" "nfs_gateways" {
  count                 = var.nfs_protocol_gateways_number > 0 ? 1 : 0
  name                  = local.gateway_names["nfs"]
  min_size              = var.nfs_protocol_gateways_number
  desired_capacity      = var.nfs_protocol_gateways_number
  max_size              = var.nfs_protocol_gateways_number
  vpc_zone_identifier   = [var.nfs_protocol_gateway_subnet_id != null ? var.nfs_protocol_gateway_subnet_id : local.subnet_id]
  suspended_processes   = ["ReplaceUnhealthy"]
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.gateway["nfs"].id
    version = aws_launch_template.gateway["nfs"].latest_version
  }

  dynamic "tag" {
    for_each = local.gateway_tags["nfs"]
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = false
    }
  }

  lifecycle {
    ignore_changes = [desired_capacity, min_size, max_size]
  }

  depends_on = [aws_autoscaling_group.backend]
}

resource "aws_instance" "smb_gateway" {
  count = var.smb_protocol_gateways_number
  launch_template {
    id      = aws_launch_template.gateway["smb"].id
    version = aws_launch_template.gateway["smb"].latest_version
  }
  tags       = merge(local.gateway_tags["smb"], { Name = "${local.gateway_names["smb"]}-${count.index}" })
  depends_on = [aws_autoscaling_group.backend]
}

resource "aws_instance" "s3_gateway" {
  count = var.s3_protocol_gateways_number
  launch_template {
    id      = aws_launch_template.gateway["s3"].id
    version = aws_launch_template.gateway["s3"].latest_version
  }
  tags       = merge(local.gateway_tags["s3"], { Name = "${local.gateway_names["s3"]}-${count.index}" })
  depends_on = [aws_autoscaling_group.backend]
}
