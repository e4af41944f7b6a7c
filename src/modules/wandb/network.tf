# The VPC "<ns>-vpc" (when create_vpc): in each availability zone i a public, a private, a
# database and (with create_elasticache) an ElastiCache subnet, an internet gateway, one NAT
# gateway per zone, route tables; then the database and cache subnet groups, which exist in
# both the created and the bring-your-own network.

resource "aws_vpc" "this" {
  count = var.create_vpc ? 1 : 0

  cidr_block           = var.network_cidr
  enable_dns_hostnames = true
  enable_dns_support   = true

  tags = merge(local.tags, { Name = "${local.ns}-vpc" })
}

# Managed so that it keeps no rules (nothing may use the default security group).
resource "aws_default_security_group" "this" {
  count = var.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${local.ns}-vpc-default" })
}

resource "aws_internet_gateway" "this" {
  count = local.create_public_network ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${local.ns}-vpc" })
}

resource "aws_subnet" "public" {
  count = length(local.public_subnet_cidrs)

  vpc_id                  = aws_vpc.this[0].id
  cidr_block              = local.public_subnet_cidrs[count.index]
  availability_zone       = local.azs[count.index]
  map_public_ip_on_launch = true

  tags = merge(local.tags, {
    Name                     = "${local.ns}-vpc-public-${local.azs[count.index]}"
    "kubernetes.io/role/elb" = "1"
  })
}

resource "aws_subnet" "private" {
  count = length(local.private_subnet_cidrs)

  vpc_id            = aws_vpc.this[0].id
  cidr_block        = local.private_subnet_cidrs[count.index]
  availability_zone = local.azs[count.index]

  tags = merge(local.tags, {
    Name                              = "${local.ns}-vpc-private-${local.azs[count.index]}"
    "kubernetes.io/role/internal-elb" = "1"
  })
}

resource "aws_subnet" "database" {
  count = length(local.database_subnet_cidrs)

  vpc_id            = aws_vpc.this[0].id
  cidr_block        = local.database_subnet_cidrs[count.index]
  availability_zone = local.azs[count.index]

  tags = merge(local.tags, { Name = "${local.ns}-vpc-db-${local.azs[count.index]}" })
}

resource "aws_subnet" "elasticache" {
  count = length(local.elasticache_subnet_cidrs)

  vpc_id            = aws_vpc.this[0].id
  cidr_block        = local.elasticache_subnet_cidrs[count.index]
  availability_zone = local.azs[count.index]

  tags = merge(local.tags, { Name = "${local.ns}-vpc-elasticache-${local.azs[count.index]}" })
}

resource "aws_eip" "nat" {
  count = local.nat_count

  domain = "vpc"

  tags = merge(local.tags, { Name = "${local.ns}-vpc-${local.azs[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.nat_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = element(aws_subnet.public[*].id, count.index)

  tags = merge(local.tags, { Name = "${local.ns}-vpc-${local.azs[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  count = local.create_public_network ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${local.ns}-vpc-public" })
}

resource "aws_route" "public_internet_gateway" {
  count = local.create_public_network ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count = length(local.public_subnet_cidrs)

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

# One private route table per zone, its default route through that zone's NAT gateway. The
# database and ElastiCache subnets use the private route table of their zone.
resource "aws_route_table" "private" {
  count = length(local.private_subnet_cidrs)

  vpc_id = aws_vpc.this[0].id

  tags = merge(local.tags, { Name = "${local.ns}-vpc-private-${local.azs[count.index]}" })
}

resource "aws_route" "private_nat_gateway" {
  count = local.nat_count

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[count.index].id
}

resource "aws_route_table_association" "private" {
  count = length(local.private_subnet_cidrs)

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

resource "aws_route_table_association" "database" {
  count = length(local.database_subnet_cidrs)

  subnet_id      = aws_subnet.database[count.index].id
  route_table_id = element(aws_route_table.private[*].id, count.index)
}

resource "aws_route_table_association" "elasticache" {
  count = length(local.elasticache_subnet_cidrs)

  subnet_id      = aws_subnet.elasticache[count.index].id
  route_table_id = element(aws_route_table.private[*].id, count.index)
}

resource "aws_db_subnet_group" "this" {
  name        = var.create_vpc ? "${local.ns}-vpc" : "${local.ns}-database-subnet"
  description = "Database subnet group for ${local.ns}"
  subnet_ids  = local.database_subnet_ids

  tags = merge(local.tags, { Name = var.create_vpc ? "${local.ns}-vpc" : "${local.ns}-database-subnet" })
}

resource "aws_elasticache_subnet_group" "this" {
  count = local.create_redis ? 1 : 0

  name        = var.create_vpc ? "${local.ns}-vpc" : "${local.ns}-redis-subnet"
  description = "ElastiCache subnet group for ${local.ns}"
  subnet_ids  = local.elasticache_subnet_ids

  tags = merge(local.tags, { Name = var.create_vpc ? "${local.ns}-vpc" : "${local.ns}-redis-subnet" })
}

# ---- Optional: flow logs, VPC endpoints ----

# Rejected traffic, logged to "<ns>-vpc-flow-logs" (only when flow logs are on).
resource "aws_s3_bucket" "flow_log" {
  count = var.create_vpc && var.enable_flow_log ? 1 : 0

  bucket        = "${local.ns}-vpc-flow-logs"
  force_destroy = !var.keep_flow_log_bucket

  tags = local.tags
}

resource "aws_s3_bucket_public_access_block" "flow_log" {
  count = var.create_vpc && var.enable_flow_log ? 1 : 0

  bucket                  = aws_s3_bucket.flow_log[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_flow_log" "this" {
  count = var.create_vpc && var.enable_flow_log ? 1 : 0

  vpc_id               = aws_vpc.this[0].id
  traffic_type         = "REJECT"
  log_destination_type = "s3"
  log_destination      = aws_s3_bucket.flow_log[0].arn

  tags = merge(local.tags, { Name = "${local.ns}-vpc-flow-log" })
}

# S3 through the private route tables when PrivateLink is on.
resource "aws_vpc_endpoint" "s3" {
  count = var.create_vpc && local.enable_private_link ? 1 : 0

  vpc_id            = aws_vpc.this[0].id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
    }]
  })

  tags = merge(local.tags, { Name = "${local.ns}-s3-endpoint" })
}

resource "aws_vpc_endpoint" "clickhouse" {
  count = var.clickhouse_endpoint_service_id != "" ? 1 : 0

  vpc_id              = local.vpc_id
  service_name        = var.clickhouse_endpoint_service_id
  vpc_endpoint_type   = "Interface"
  subnet_ids          = local.private_subnet_ids
  private_dns_enabled = false

  tags = merge(local.tags, { Name = "${local.ns}-clickhouse-endpoint" })
}
