# The cluster security group (reference §2.2), created when sg_ids is empty. WEKA's own ports
# (14000-16100 between servers and from clients) are covered by the self-referencing rule.

resource "aws_security_group" "backend" {
  count       = local.create_sg ? 1 : 0
  name        = "${var.prefix}-${local.cluster}-sg"
  description = "WEKA cluster ${local.cluster}"
  vpc_id      = local.vpc_id

  ingress {
    description = "All traffic inside the cluster"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }

  dynamic "ingress" {
    for_each = length(var.allow_ssh_cidrs) > 0 ? [1] : []
    content {
      description = "SSH"
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = var.allow_ssh_cidrs
    }
  }

  dynamic "ingress" {
    for_each = length(var.alb_allow_https_cidrs) > 0 ? [1] : []
    content {
      description = "HTTPS to the load balancer"
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = var.alb_allow_https_cidrs
    }
  }

  dynamic "ingress" {
    for_each = length(var.allow_weka_api_cidrs) > 0 ? [1] : []
    content {
      description = "WEKA API"
      from_port   = 14000
      to_port     = 14000
      protocol    = "tcp"
      cidr_blocks = var.allow_weka_api_cidrs
    }
  }

  dynamic "ingress" {
    for_each = var.sg_custom_ingress_rules
    content {
      description = "Custom rule"
      from_port   = ingress.value.from_port
      to_port     = ingress.value.to_port
      protocol    = ingress.value.protocol
      cidr_blocks = ingress.value.cidr_blocks
    }
  }

  egress {
    description = "All traffic inside the cluster"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    self        = true
  }

  egress {
    description = "All traffic out"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.tags, { Name = "${var.prefix}-${local.cluster}-sg" })
}
