# VPC endpoints (reference §2.4). Each endpoint is created by its own flag; the interface
# endpoints for ec2, lambda and autoscaling share one security group, created whenever any of
# them is (the public module made that group only with the ec2 endpoint, so lambda and
# autoscaling endpoints failed without it). The Secrets Manager endpoint uses
# secretmanager_sg_ids whenever any is given (the public module required more than one).

locals {
  interface_endpoints = {
    for name, wanted in {
      ec2         = var.vpc_endpoint_ec2_create
      lambda      = var.vpc_endpoint_lambda_create
      autoscaling = var.vpc_endpoint_autoscaling_create
    } : name => name if wanted
  }
  gateway_endpoints = {
    for name, wanted in {
      s3       = var.vpc_endpoint_s3_gateway_create
      dynamodb = var.vpc_endpoint_dynamodb_gateway_create
    } : name => name if wanted
  }
  # The cluster subnet's route table, for the gateway endpoints.
  cluster_route_table_id = !local.create_network ? try(data.aws_route_table.cluster[0].id, null) : (
    local.network_mode == "public" ? aws_route_table.public[0].id : (
      local.network_mode == "nat" ? aws_route_table.nat[0].id : aws_vpc.this[0].main_route_table_id
    )
  )

  # PrivateLink service names of WEKA's proxy (get.weka.io, home.weka.io), by region. WEKA
  # publishes them per region; none is recorded in clusterform yet.
  weka_proxy_endpoint_services = {}

  create_secretmanager_endpoint = var.secretmanager_use_vpc_endpoint && var.secretmanager_create_vpc_endpoint
  secretmanager_endpoint_sg_ids = length(var.secretmanager_sg_ids) > 0 ? var.secretmanager_sg_ids : local.sg_ids
}

data "aws_route_table" "cluster" {
  count     = !local.create_network && length(local.gateway_endpoints) > 0 ? 1 : 0
  subnet_id = var.subnet_ids[0]
}

resource "aws_security_group" "vpc_endpoints" {
  count       = length(local.interface_endpoints) > 0 ? 1 : 0
  name        = "${var.prefix}-ec2-vpc-endpoint-sg"
  description = "VPC endpoints of WEKA cluster ${local.cluster}"
  vpc_id      = local.vpc_id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = merge(local.tags, { Name = "${var.prefix}-ec2-vpc-endpoint-sg" })
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.interface_endpoints
  vpc_id              = local.vpc_id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [local.subnet_id]
  security_group_ids  = [aws_security_group.vpc_endpoints[0].id]
  private_dns_enabled = true
  tags                = merge(local.tags, { Name = "${var.prefix}-${each.key}-vpc-endpoint" })
}

resource "aws_vpc_endpoint" "gateway" {
  for_each          = local.gateway_endpoints
  vpc_id            = local.vpc_id
  service_name      = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [local.cluster_route_table_id]
  tags              = merge(local.tags, { Name = "${var.prefix}-${each.key}-vpc-endpoint" })
}

resource "aws_security_group" "proxy_endpoint" {
  count       = var.vpc_endpoint_proxy_create ? 1 : 0
  name        = "${var.prefix}-endpoint-sg"
  description = "WEKA proxy endpoint of cluster ${local.cluster}"
  vpc_id      = local.vpc_id
  ingress {
    from_port   = 1080
    to_port     = 1080
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = merge(local.tags, { Name = "${var.prefix}-endpoint-sg" })
}

resource "aws_vpc_endpoint" "proxy" {
  count              = var.vpc_endpoint_proxy_create ? 1 : 0
  vpc_id             = local.vpc_id
  service_name       = "com.amazonaws.vpce.${local.region}.${lookup(local.weka_proxy_endpoint_services, local.region, "")}"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [local.subnet_id]
  security_group_ids = [aws_security_group.proxy_endpoint[0].id]
  tags               = merge(local.tags, { Name = "${var.prefix}-proxy-vpc-endpoint" })

  lifecycle {
    precondition {
      condition     = lookup(local.weka_proxy_endpoint_services, local.region, "") != ""
      error_message = "clusterform does not know the WEKA proxy endpoint service of this region yet: set vpc_endpoint_proxy_create = false and use proxy_url or a NAT gateway."
    }
  }
}

resource "aws_vpc_endpoint" "secretmanager" {
  count               = local.create_secretmanager_endpoint ? 1 : 0
  vpc_id              = local.vpc_id
  service_name        = "com.amazonaws.${local.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [local.subnet_id]
  security_group_ids  = local.secretmanager_endpoint_sg_ids
  private_dns_enabled = true
  tags                = merge(local.tags, { Name = "${var.prefix}-secretmanager-endpoint" })
}
