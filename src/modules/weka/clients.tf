# WEKA clients (reference §2.11, §4.13): instances (or a fixed-size autoscaling group) that
# install the WEKA agent from the ALB (or a backend) and mount the default filesystem. They
# call no control-plane function.

locals {
  client_name = "${local.ec2_prefix}-${local.cluster}-client"
  # Graviton families (c6g, m7gd, c7gn, i8ge, a1, ...): a "g" among the letters after the
  # generation digit.
  client_arch   = var.client_arch != null ? var.client_arch : (can(regex("^(a1|[a-z]+[0-9]+[a-z]*g[a-z]*)\\.", var.client_instance_type)) ? "arm64" : "x86_64")
  client_ami_id = var.client_instance_ami_id != null ? var.client_instance_ami_id : local.al2023_ssm[local.client_arch]
  client_profile_arn = var.client_instance_iam_profile_arn != "" ? var.client_instance_iam_profile_arn : try(aws_iam_instance_profile.client[0].arn, "")
  client_placement_group = var.client_placement_group_name != null ? var.client_placement_group_name : (var.client_use_backends_placement_group ? local.placement_group_name : null)
  client_eni_count       = var.clients_use_dpdk ? var.client_frontend_cores + 1 : 1
  client_mount_options   = var.clients_use_dpdk ? "-o num_cores=${var.client_frontend_cores} -o mgmt_ip=$mgmt_ip" : "-o net=udp"
  client_backend         = var.create_alb ? (var.alb_dns_name != null ? var.alb_dns_name : aws_lb.this[0].dns_name) : ""
  client_cacert          = local.generate_alb_cert ? tls_self_signed_cert.alb[0].cert_pem : ""

  client_boot_script = <<-EOT
    #!/bin/bash
    # WEKA client boot script (clusterform built-in module weka/weka/aws).
    set -uo pipefail
    ${local.shell_helpers}
    ${var.clients_custom_data}
    ${var.clients_custom_data_pre_mount}
    mac=$(imds mac)
    subnet_id=$(imds "network/interfaces/macs/$mac/subnet-id")
    security_groups=$(imds "network/interfaces/macs/$mac/security-group-ids" | tr '\n' ' ')
    for (( i = 1; i < ${local.client_eni_count}; i++ )); do
      eni=$(aws ec2 create-network-interface --subnet-id "$subnet_id" --groups $security_groups \
        --query NetworkInterface.NetworkInterfaceId --output text)
      attachment=$(aws ec2 attach-network-interface --network-interface-id "$eni" \
        --instance-id "$instance_id" --device-index "$i" --query AttachmentId --output text)
      aws ec2 modify-network-interface-attribute --network-interface-id "$eni" \
        --attachment "AttachmentId=$attachment,DeleteOnTermination=true"
    done
    mgmt_ip=$(imds local-ipv4)
    backend="${local.client_backend}"
    curl_opts=(--fail --silent --show-error)
    mkdir -p "$ROOT/etc"
    cat > "$ROOT/etc/weka-alb-ca.pem" <<'CACERT'
    ${local.client_cacert}
    CACERT
    if [[ -s "$ROOT/etc/weka-alb-ca.pem" ]] && grep -q CERTIFICATE "$ROOT/etc/weka-alb-ca.pem"; then
      curl_opts+=(--cacert "$ROOT/etc/weka-alb-ca.pem")
    fi
    if [[ -z "$backend" ]]; then
      # No ALB: wait for the backends, then pick one at random.
      asg="${local.lambda_env_scaling.ASG_NAME}"
      for (( attempt = 0; attempt < 60; attempt++ )); do
        ips=$(aws ec2 describe-instances --filters "Name=tag:weka_cluster_name,Values=${local.cluster}" \
          "Name=tag:weka_hostgroup_type,Values=backend" "Name=instance-state-name,Values=running" \
          --query 'Reservations[].Instances[].PrivateIpAddress' --output text)
        min=$(aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names "$asg" \
          --query 'AutoScalingGroups[0].MinSize' --output text)
        (( $(wc -w <<<"$ips") >= min )) && break
        sleep 30
      done
      backend=$(tr '\t' '\n' <<<"$ips" | shuf -n 1)
      curl_opts+=(--insecure)
    fi
    for (( attempt = 0; attempt < 60; attempt++ )); do
      curl "$${curl_opts[@]}" "https://$backend:14000/dist/v1/install" | WEKA_CGROUPS_MODE=${var.clients_weka_cgroups_mode} sh && break
      sleep 30
    done
    mkdir -p "$ROOT/mnt/weka"
    for (( attempt = 0; attempt < 60; attempt++ )); do
      mount -t wekafs "$backend/default" "$ROOT/mnt/weka" ${local.client_mount_options} && break
      sleep 45
    done
    ${var.clients_custom_data_post_mount}
  EOT
}

resource "aws_iam_role" "client" {
  count = var.clients_number > 0 && var.client_instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-client"
  path  = "/"
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

resource "aws_iam_policy" "client" {
  count = var.clients_number > 0 && var.client_instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-client-policy"
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
          "ec2:DescribeInstances",
          "autoscaling:DescribeAutoScalingGroups",
        ]
        Resource = ["*"]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/wekaio/${local.client_name}*"]
      },
    ]
  })
  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "client" {
  count      = var.clients_number > 0 && var.client_instance_iam_profile_arn == "" ? 1 : 0
  role       = aws_iam_role.client[0].name
  policy_arn = aws_iam_policy.client[0].arn
}

resource "aws_iam_instance_profile" "client" {
  count = var.clients_number > 0 && var.client_instance_iam_profile_arn == "" ? 1 : 0
  name  = "${local.iam_prefix}-${local.cluster}-client-instance-profile"
  role  = aws_iam_role.client[0].name
  tags  = local.tags
}

resource "aws_launch_template" "client" {
  count                                = var.clients_number > 0 ? 1 : 0
  name                                 = "${local.client_name}-launch-template"
  image_id                             = local.client_ami_id
  instance_type                        = var.client_instance_type
  key_name                             = local.key_pair_name
  ebs_optimized                        = true
  instance_initiated_shutdown_behavior = "terminate"
  update_default_version               = true
  user_data                            = base64encode(local.client_boot_script)

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.clients_root_volume_size
      volume_type           = "gp3"
      delete_on_termination = true
      encrypted             = var.ebs_encrypted
      kms_key_id            = local.ebs_kms_key_id
    }
  }

  iam_instance_profile {
    arn = local.client_profile_arn
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
    subnet_id                   = local.subnet_id
    security_groups             = local.sg_ids
  }

  placement {
    availability_zone = local.availability_zone
    group_name        = local.client_placement_group
  }

  dynamic "capacity_reservation_specification" {
    for_each = var.client_capacity_reservation_id != null ? [var.client_capacity_reservation_id] : []
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
        Name                = local.client_name
        weka_cluster_name   = local.cluster
        weka_hostgroup_type = "client"
      })
    }
  }

  tags = local.tags
}

resource "aws_instance" "client" {
  count = var.clients_use_autoscaling_group ? 0 : var.clients_number
  launch_template {
    id      = aws_launch_template.client[0].id
    version = aws_launch_template.client[0].latest_version
  }
  tags = merge(local.tags, {
    Name                = "${local.client_name}-${count.index}"
    weka_cluster_name   = local.cluster
    weka_hostgroup_type = "client"
  })
  depends_on = [aws_autoscaling_group.backend]
}

resource "aws_autoscaling_group" "client" {
  count                 = var.clients_use_autoscaling_group && var.clients_number > 0 ? 1 : 0
  name                  = "${local.client_name}-asg"
  min_size              = var.clients_number
  desired_capacity      = var.clients_number
  max_size              = var.clients_number
  vpc_zone_identifier   = [local.subnet_id]
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.client[0].id
    version = aws_launch_template.client[0].latest_version
  }

  tag {
    key                 = "weka_hostgroup_type"
    value               = "client"
    propagate_at_launch = true
  }

  depends_on = [aws_autoscaling_group.backend]
}
