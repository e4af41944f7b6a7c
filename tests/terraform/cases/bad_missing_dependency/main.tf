# A subnet in a VPC that does not exist: InvalidVpcID.NotFound.
resource "aws_subnet" "orphan" {
  vpc_id     = "vpc-0123456789abcdef0"
  cidr_block = "127.207.1.0/24"
}
