# The internal application load balancer in front of the backends' WEKA API (reference §2.6):
# HTTPS on 14000 and 443 with the user's certificate or a generated self-signed one imported
# into ACM, and an optional Route53 alias.

resource "aws_lb" "this" {
  count              = var.create_alb ? 1 : 0
  name               = local.alb_name
  internal           = true
  load_balancer_type = "application"
  subnets            = local.alb_subnet_ids
  security_groups    = local.alb_sg_ids
  tags               = merge(local.tags, { Name = local.alb_name })

  lifecycle {
    precondition {
      condition     = local.create_network || var.alb_additional_subnet_id != ""
      error_message = "alb_additional_subnet_id is required when subnet_ids is given: an ALB needs a second subnet in another availability zone."
    }
  }
}

resource "aws_lb_target_group" "backend" {
  count       = var.create_alb ? 1 : 0
  name        = local.target_group_name
  port        = 14000
  protocol    = "HTTPS"
  target_type = "instance"
  vpc_id      = local.vpc_id
  # Cross-zone stays on (the public module's "off" is ignored by ALBs): every backend is in one
  # AZ, so the ALB's node in the second AZ must reach targets across zones.

  health_check {
    enabled             = true
    path                = "/api/v2/healthcheck/"
    port                = "14000"
    protocol            = "HTTPS"
    healthy_threshold   = 2
    unhealthy_threshold = 2
    timeout             = 3
    interval            = 30
  }

  tags = merge(local.tags, { Name = local.target_group_name })
}

resource "tls_private_key" "alb" {
  count     = local.generate_alb_cert ? 1 : 0
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_self_signed_cert" "alb" {
  count                 = local.generate_alb_cert ? 1 : 0
  private_key_pem       = tls_private_key.alb[0].private_key_pem
  validity_period_hours = 8760
  early_renewal_hours   = 336
  allowed_uses          = ["key_encipherment", "digital_signature", "server_auth"]

  subject {
    common_name = "*.${local.region}.elb.amazonaws.com"
  }
}

resource "aws_acm_certificate" "alb" {
  count            = local.generate_alb_cert ? 1 : 0
  private_key      = tls_private_key.alb[0].private_key_pem
  certificate_body = tls_self_signed_cert.alb[0].cert_pem
  tags             = merge(local.tags, { Name = "${local.lb_prefix}-${local.cluster}-self-signed-cert" })
}

resource "aws_lb_listener" "backend" {
  for_each          = var.create_alb ? { api = 14000, https = 443 } : {}
  load_balancer_arn = aws_lb.this[0].arn
  port              = each.value
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = local.alb_cert_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.backend[0].arn
  }

  tags = local.tags
}

resource "aws_route53_record" "alb" {
  count   = local.create_alb_dns_record ? 1 : 0
  zone_id = var.alb_route53_zone_id
  name    = var.alb_alias_name
  type    = "A"

  alias {
    name                   = aws_lb.this[0].dns_name
    zone_id                = aws_lb.this[0].zone_id
    evaluate_target_health = true
  }
}
