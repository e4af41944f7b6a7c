# The internal NLB in front of the ALB (private_only_traffic or PrivateLink), and the VPC
# endpoint service that lets the listed accounts reach it (PrivateLink).

resource "aws_lb" "nlb" {
  count = local.create_nlb ? 1 : 0

  name                       = local.nlb_name
  load_balancer_type         = "network"
  internal                   = true
  subnets                    = local.private_subnet_ids
  security_groups            = var.private_only_traffic ? [aws_security_group.nlb_inbound[0].id] : null
  enable_deletion_protection = var.deletion_protection

  tags = merge(local.tags, { Name = local.nlb_name })
}

# The ALB as the target, on the port it serves (443 with a certificate, else 80).
resource "aws_lb_target_group" "nlb" {
  count = local.create_nlb ? 1 : 0

  name        = local.nlb_tg_name
  target_type = "alb"
  protocol    = "TCP"
  port        = local.has_certificate ? 443 : 80
  vpc_id      = local.vpc_id

  health_check {
    protocol            = local.has_certificate ? "HTTPS" : "HTTP"
    path                = "/healthz"
    matcher             = "200-399"
    healthy_threshold   = 3
    unhealthy_threshold = 3
    interval            = 30
    timeout             = 10
  }

  tags = local.tags
}

resource "aws_lb_target_group_attachment" "nlb" {
  count = local.create_nlb ? 1 : 0

  target_group_arn = aws_lb_target_group.nlb[0].arn
  target_id        = aws_lb.app.arn
  port             = local.has_certificate ? 443 : 80

  # An ALB can be a target only once it has a listener on the target port.
  depends_on = [aws_lb_listener.https, aws_lb_listener.http]
}

resource "aws_lb_listener" "nlb" {
  count = local.create_nlb ? 1 : 0

  load_balancer_arn = aws_lb.nlb[0].arn
  port              = 443
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.nlb[0].arn
  }

  tags = local.tags
}

resource "aws_vpc_endpoint_service" "this" {
  count = local.enable_private_link ? 1 : 0

  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.nlb[0].arn]
  allowed_principals         = [for id in var.private_link_allowed_account_ids : "arn:${local.partition}:iam::${id}:root"]

  tags = merge(local.tags, { Name = "${local.ns}-private-link" })
}
