# A subnet outside its VPC's range: AWS refuses it with InvalidSubnet.Range.
resource "aws_vpc" "main" {
  cidr_block = "127.205.0.0/16"
}

resource "aws_subnet" "outside" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "127.206.1.0/24"
}
