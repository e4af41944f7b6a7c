data "aws_ami" "any" {
  most_recent = true
  owners      = ["amazon"]
}

resource "aws_vpc" "main" {
  cidr_block = "127.203.0.0/16"
}

resource "aws_subnet" "main" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "127.203.1.0/24"
}

resource "aws_launch_template" "lt" {
  name          = "tf-asg-lt"
  image_id      = data.aws_ami.any.id
  instance_type = "t3.micro"
}

resource "aws_autoscaling_group" "asg" {
  name                = "tf-asg"
  min_size            = 0
  max_size            = 2
  desired_capacity    = 0
  vpc_zone_identifier = [aws_subnet.main.id]
  launch_template {
    id      = aws_launch_template.lt.id
    version = "$Latest"
  }
  tag {
    key                 = "Purpose"
    value               = "harness"
    propagate_at_launch = true
  }
}
