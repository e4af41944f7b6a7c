# The EC2 compute types: key pair, placement group, launch template, instance.
resource "aws_key_pair" "key" {
  key_name   = "tf-key"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKWznICqV8wQForrgPKnVUy+ZIFk8HFY9PMxFBx7rgeO tf@harness"
}

resource "aws_placement_group" "pg" {
  name     = "tf-pg"
  strategy = "cluster"
}

data "aws_ami" "any" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}

resource "aws_vpc" "main" {
  cidr_block = "127.202.0.0/16"
}

resource "aws_subnet" "main" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "127.202.1.0/24"
}

resource "aws_launch_template" "lt" {
  name          = "tf-lt"
  image_id      = data.aws_ami.any.id
  instance_type = "t3.micro"
  key_name      = aws_key_pair.key.key_name
  tag_specifications {
    resource_type = "instance"
    tags = {
      Name = "tf-lt-instance"
    }
  }
}

resource "aws_instance" "vm" {
  ami           = data.aws_ami.any.id
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.main.id
  key_name      = aws_key_pair.key.key_name
  tags = {
    Name = "tf-instance"
  }
}
