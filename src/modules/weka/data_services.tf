# Data services (reference §1.7, §2.11): deployed by default (data_services_number = 2), as in
# the public module, in an autoscaling group; their launch template and role are the
# "data" entry of the gateway groups (gateways.tf).

resource "aws_autoscaling_group" "data_services" {
  count                 = var.data_services_number > 0 ? 1 : 0
  name                  = local.gateway_names["data"]
  min_size              = var.data_services_number
  desired_capacity      = var.data_services_number
  max_size              = var.data_services_number
  vpc_zone_identifier   = [var.data_services_subnet_id != null ? var.data_services_subnet_id : local.subnet_id]
  suspended_processes   = ["ReplaceUnhealthy"]
  protect_from_scale_in = true

  launch_template {
    id      = aws_launch_template.gateway["data"].id
    version = aws_launch_template.gateway["data"].latest_version
  }

  dynamic "tag" {
    for_each = local.gateway_tags["data"]
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
