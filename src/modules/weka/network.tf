# The network (reference §2.1), created only when subnet_ids is empty: a VPC, the cluster
# subnet (public, private behind a NAT gateway, or private with no route out) and, with an
# ALB, a second subnet in the next availability zone (an ALB needs two).

resource "aws_vpc" "this" {
  count                = local.create_network ? 1 : 0
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = "${var.prefix}-vpc" })
}

# An existing cluster subnet: its VPC.
data "aws_subnet" "cluster" {
  count = local.create_network ? 0 : 1
  id    = var.subnet_ids[0]
}

resource "aws_internet_gateway" "this" {
  count  = local.create_network && local.network_mode != "private" ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  tags   = merge(local.tags, { Name = "${var.prefix}-igw" })
}

resource "aws_route_table" "public" {
  count  = local.create_network && local.network_mode != "private" ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this[0].id
  }
  tags = merge(local.tags, { Name = "${var.prefix}-igw-rt" })
}

# Public subnets: the cluster's in public mode, the NAT gateway's (exactly one) in NAT mode.
resource "aws_subnet" "public" {
  count                   = !local.create_network ? 0 : (local.network_mode == "public" ? length(var.subnets_cidrs) : (local.network_mode == "nat" ? 1 : 0))
  vpc_id                  = aws_vpc.this[0].id
  cidr_block              = local.network_mode == "nat" ? var.nat_public_subnet_cidr : var.subnets_cidrs[count.index]
  availability_zone       = local.availability_zone
  map_public_ip_on_launch = true
  tags                    = merge(local.tags, { Name = "${var.prefix}-public-subnet-${count.index}" })
}

resource "aws_route_table_association" "public" {
  count          = length(aws_subnet.public)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count  = local.create_network && local.network_mode == "nat" ? 1 : 0
  domain = "vpc"
  tags   = merge(local.tags, { Name = "${var.prefix}-nat-eip" })
}

resource "aws_nat_gateway" "this" {
  count         = local.create_network && local.network_mode == "nat" ? 1 : 0
  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public[0].id
  tags          = merge(local.tags, { Name = "${var.prefix}-private-nat" })
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_route_table" "nat" {
  count  = local.create_network && local.network_mode == "nat" ? 1 : 0
  vpc_id = aws_vpc.this[0].id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[0].id
  }
  tags = merge(local.tags, { Name = "${var.prefix}-nat-rt" })
}

# Private subnets (NAT and private modes). Private-only subnets keep the VPC's main route
# table: no route out.
resource "aws_subnet" "private" {
  count                   = local.create_network && local.network_mode != "public" ? length(var.subnets_cidrs) : 0
  vpc_id                  = aws_vpc.this[0].id
  cidr_block              = var.subnets_cidrs[count.index]
  availability_zone       = local.availability_zone
  map_public_ip_on_launch = false
  tags                    = merge(local.tags, { Name = "${var.prefix}-private-subnet-${count.index}" })
}

resource "aws_route_table_association" "private_nat" {
  count          = local.network_mode == "nat" ? length(aws_subnet.private) : 0
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.nat[0].id
}

# The ALB's second subnet, in the next availability zone, routed like the cluster subnet.
resource "aws_subnet" "alb_additional" {
  count                   = local.create_network && var.create_alb && var.alb_additional_subnet_id == "" ? 1 : 0
  vpc_id                  = aws_vpc.this[0].id
  cidr_block              = var.alb_additional_subnet_cidr_block
  availability_zone       = local.alb_additional_zone
  map_public_ip_on_launch = local.network_mode == "public"
  tags                    = merge(local.tags, { Name = "${var.prefix}-additional-subnet" })
}

resource "aws_route_table_association" "alb_additional" {
  count          = length(aws_subnet.alb_additional) > 0 && local.network_mode != "private" ? 1 : 0
  subnet_id      = aws_subnet.alb_additional[0].id
  route_table_id = local.network_mode == "nat" ? aws_route_table.nat[0].id : aws_route_table.public[0].id
}
