# The load balancer in front of the W&B app. In the public module the security groups are
# Terraform's and the ALB, its listeners and the DNS records are made in the cluster by the
# AWS Load Balancer Controller (from the Ingress) and external-dns; clusterform creates those
# AWS resources itself, with the same names and settings, so that the dependencies are
# explicit and the plan shows everything that will exist.

resource "aws_security_group" "alb_inbound" {
  name        = "${local.ns}-alb-inbound"
  description = "Allow HTTP(S) to the W&B load balancer from allowed_inbound_cidr"
  vpc_id      = local.vpc_id

  ingress {
    description      = "HTTPS from the allowed networks"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = var.allowed_inbound_cidr
    ipv6_cidr_blocks = var.allowed_inbound_ipv6_cidr
  }

  ingress {
    description      = "HTTP (redirected to HTTPS when there is a certificate) from the allowed networks"
    from_port        = 80
    to_port          = 80
    protocol         = "tcp"
    cidr_blocks      = var.allowed_inbound_cidr
    ipv6_cidr_blocks = var.allowed_inbound_ipv6_cidr
  }

  egress {
    description = "To the W&B pods in the VPC"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.tags, { Name = "${local.ns}-alb-inbound" })
}

# private_only_traffic: the internal NLB's security group, and the ALB accepting it.
resource "aws_security_group" "nlb_inbound" {
  count = var.private_only_traffic ? 1 : 0

  name        = "${local.ns}-nlb-inbound"
  description = "Allow HTTP(S) to the internal NLB from allowed_private_endpoint_cidr"
  vpc_id      = local.vpc_id

  ingress {
    description = "HTTPS from the allowed private networks"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.allowed_private_endpoint_cidr
  }

  ingress {
    description = "HTTP from the allowed private networks"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = var.allowed_private_endpoint_cidr
  }

  egress {
    description = "To the ALB"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.tags, { Name = "${local.ns}-nlb-inbound" })
}

resource "aws_security_group_rule" "alb_from_nlb" {
  for_each = var.private_only_traffic ? { https = 443, http = 80 } : {}

  type                     = "ingress"
  description              = "${upper(each.key)} from the internal NLB"
  security_group_id        = aws_security_group.alb_inbound.id
  source_security_group_id = aws_security_group.nlb_inbound[0].id
  protocol                 = "tcp"
  from_port                = each.value
  to_port                  = each.value
}

resource "aws_lb" "app" {
  name                       = local.alb_name
  load_balancer_type         = "application"
  internal                   = !var.kubernetes_alb_internet_facing
  subnets                    = local.alb_subnet_ids
  security_groups            = [aws_security_group.alb_inbound.id]
  drop_invalid_header_fields = true
  idle_timeout               = 60

  tags = merge(local.tags, var.aws_loadbalancer_controller_tags, { Name = local.alb_name })
}

resource "aws_lb_target_group" "app" {
  name        = local.app_tg_name
  target_type = "ip"
  protocol    = "HTTP"
  port        = local.app_port
  vpc_id      = local.vpc_id

  health_check {
    path                = "/healthz"
    protocol            = "HTTP"
    matcher             = "200"
    healthy_threshold   = 5
    unhealthy_threshold = 2
  }

  tags = local.tags
}

resource "aws_lb_listener" "https" {
  count = local.has_certificate ? 1 : 0

  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }

  tags = local.tags
}

# Port 80: a redirect to HTTPS when there is a certificate, else the app itself.
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = local.has_certificate ? "redirect" : "forward"
    target_group_arn = local.has_certificate ? null : aws_lb_target_group.app.arn

    dynamic "redirect" {
      for_each = local.has_certificate ? [1] : []
      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }

  tags = local.tags
}

# What external-dns writes: the FQDN and each extra FQDN as aliases of the ALB.
resource "aws_route53_record" "app" {
  for_each = toset(local.all_fqdns)

  zone_id = var.zone_id
  name    = each.key
  type    = "A"

  alias {
    name                   = aws_lb.app.dns_name
    zone_id                = aws_lb.app.zone_id
    evaluate_target_health = true
  }
}
